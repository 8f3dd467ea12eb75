//! The layers `src/lib.rs` names in its opening comment hold: a module imports only from
//! the layers below it, so no module imports in a circle.

use std::collections::BTreeMap;
use std::path::Path;

/// The layer of each module, from lib.rs's numbered list (`//! 3. `a`, `b`: …`).
fn layers(lib: &str) -> BTreeMap<String, usize> {
    let mut layers = BTreeMap::new();
    for line in lib.lines().take_while(|l| l.starts_with("//!")) {
        let text = line.trim_start_matches("//!").trim_start();
        if let Some((number, rest)) = text.split_once(". ")
            && let Ok(n) = number.parse::<usize>()
        {
            let names = rest.split(':').next().unwrap();
            for name in names.split(',') {
                let name = name.trim().trim_matches('`');
                layers.insert(name.to_string(), n);
            }
        }
    }
    layers
}

/// `text` without its comments (`//` outside string literals) and without its unit-test
/// block (`#[cfg(test)] mod tests { … }`, wherever it stands).
fn code_of(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut cut = line.len();
        for (at, c) in line.char_indices() {
            match c {
                '"' if prev != '\\' => in_str = !in_str,
                '/' if !in_str && prev == '/' => {
                    cut = at - 1;
                    break;
                }
                _ => {}
            }
            prev = c;
        }
        code.push_str(&line[..cut]);
        code.push('\n');
    }
    while let Some(start) = code.find("#[cfg(test)]\nmod tests {") {
        let open = start + code[start..].find('{').unwrap();
        let mut depth = 0;
        let mut end = code.len();
        for (at, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + at + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        code.replace_range(start..end, "");
    }
    code
}

/// The first name of each top-level item of a `{…}` group that `rest` starts inside (just
/// after its `{`), nested groups skipped: `a, b::{c, d}, e` gives a, b, e.
fn group_heads(rest: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut item = String::new();
    for c in rest.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => heads.push(std::mem::take(&mut item)),
            _ if depth == 0 => item.push(c),
            _ => {}
        }
    }
    heads.push(item);
    heads
        .iter()
        .map(|h| {
            h.trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

/// The crate's modules that the code of `text` (a file `depth` modules below the crate
/// root: src/a.rs is 1, src/a/b.rs 2) names: `crate::x`, `use crate::{x, y::{z}}`, and
/// `super::…` chains that reach the root. Comments and the unit tests are left out.
fn imports(text: &str, modules: &BTreeMap<String, usize>, depth: usize) -> Vec<String> {
    let code = code_of(text);
    let mut found = Vec::new();
    let mut roots = Vec::new();
    let mut at = 0;
    while let Some(i) = code[at..].find("crate::") {
        roots.push(at + i + "crate::".len());
        at += i + "crate::".len();
    }
    let mut at = 0;
    while let Some(i) = code[at..].find("super::") {
        let start = at + i;
        // Only the start of a chain: not preceded by another `super::`.
        let chained = code[..start].ends_with("super::");
        let mut end = start;
        let mut ups = 0;
        while code[end..].starts_with("super::") {
            end += "super::".len();
            ups += 1;
        }
        if !chained && ups == depth {
            roots.push(end);
        }
        at = end;
    }
    for root in roots {
        let rest = &code[root..];
        if let Some(group) = rest.strip_prefix('{') {
            found.extend(group_heads(group));
        } else {
            found.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    found.retain(|m| modules.contains_key(m));
    found
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn each_module_imports_only_from_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let layers = layers(&lib);
    // Every module lib.rs declares has its layer.
    for line in lib.lines() {
        let line = line.trim();
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("pub(crate) mod "))
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|name| name.strip_suffix(';'))
        {
            assert!(
                layers.contains_key(name),
                "src/lib.rs declares `{name}` but its opening comment gives it no layer"
            );
        }
    }
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong = Vec::new();
    for path in all {
        let rel = path.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(&layer) = layers.get(&top) else {
            panic!(
                "{} is in module {top}, which src/lib.rs gives no layer",
                rel.display()
            );
        };
        let depth = rel.components().count();
        let text = std::fs::read_to_string(&path).unwrap();
        for import in imports(&text, &layers, depth) {
            if import == top {
                continue;
            }
            if layers[&import] >= layer {
                wrong.push(format!(
                    "{} (layer {layer}) imports {import} (layer {})",
                    rel.display(),
                    layers[&import]
                ));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_layer_list_is_read_as_written() {
    let lib = "//! x\n//!\n//! 1. `a`, `b`: low.\n//! 2. `c`: high, on\n//!    two lines.\n";
    let layers = layers(lib);
    assert_eq!(layers.get("a"), Some(&1));
    assert_eq!(layers.get("b"), Some(&1));
    assert_eq!(layers.get("c"), Some(&2));
    let modules = layers.clone();
    assert_eq!(
        imports(
            "use crate::{a, c::X};\n// crate::b\nfn f() { crate::b::g() }\n",
            &modules,
            1
        ),
        ["a", "c", "b"]
    );
    // Nested groups, `super::` chains that reach the root (and not those that do not),
    // `//` inside a string, and code after the unit tests.
    let text = "use crate::{b::{X, Y}, c::Z};\n\
        use super::super::a::W;\n\
        use super::b::V;\n\
        const URL: &str = \"https://x\"; fn f() { crate::c::g() }\n\
        #[cfg(test)]\nmod tests {\n    use crate::a;\n}\n\
        fn after() { crate::b::h() }\n";
    assert_eq!(imports(text, &modules, 2), ["b", "c", "c", "b", "a"]);
}
