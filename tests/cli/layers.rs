//! The layers `src/lib.rs` names in its opening comment hold: a module imports only from
//! the layers below it, so no module imports in a circle.

use std::collections::BTreeMap;
use std::path::Path;

/// Imports that still run the wrong way, each to be removed by the work that names it.
/// (Issue 25: the commands take their clap args from `cli`; they are to take plain ones.)
const NOT_YET: &[(&str, &str)] = &[("commands", "cli")];

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

/// The crate's modules that the code of `text` names (`crate::x`, `use crate::{x, y::z}`),
/// leaving out comments and the unit tests at the end.
fn imports(text: &str, modules: &BTreeMap<String, usize>) -> Vec<String> {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
    let code: String = code
        .lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            // Nested groups are rare here; the first level names the modules.
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.push(name);
            }
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
        let Some(&layer) = layers.get(&top) else {
            continue; // lib.rs, main.rs
        };
        let text = std::fs::read_to_string(&path).unwrap();
        for import in imports(&text, &layers) {
            if import == top || NOT_YET.contains(&(top.as_str(), import.as_str())) {
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
            &modules
        ),
        ["a", "c", "b"]
    );
}
