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

/// The crate's top modules that the code of `text` names, outside its unit tests: each
/// path of a `use` and each path in the code (in macro calls too) that starts at `crate`,
/// or at `super`/`self` and climbs to the root. `module` is where `text` sits below the
/// crate root (src/a/b.rs: ["a", "b"]). Rust is read by syn, not by hand: a string, a
/// comment or a char literal cannot fool it.
fn imports(text: &str, modules: &BTreeMap<String, usize>, module: &[&str]) -> Vec<String> {
    let file = syn::parse_file(text).expect("the file parses");
    let mut names = Names {
        at: module.iter().map(|m| m.to_string()).collect(),
        modules: modules.keys().cloned().collect(),
        found: Vec::new(),
    };
    syn::visit::Visit::visit_file(&mut names, &file);
    names.found.retain(|m| modules.contains_key(m));
    names.found
}

/// What `imports` gathers as it walks a file.
struct Names {
    /// The module being walked (inline `mod x { … }` included).
    at: Vec<String>,
    /// Every top module (what `use super::*` at the root takes).
    modules: Vec<String>,
    found: Vec<String>,
}

impl Names {
    /// The top module a path of `segments` reaches, if it starts at `crate`, `super` or
    /// `self`; `glob`: the path ends in `*`.
    fn reach(&mut self, segments: &[String], glob: bool) {
        let mut at = self.at.clone();
        let mut rest = segments;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                at.clear();
                rest = &rest[1..];
            }
            Some("super" | "self") => {
                while let Some(first) = rest.first() {
                    match first.as_str() {
                        "super" => {
                            at.pop();
                        }
                        "self" => {}
                        _ => break,
                    }
                    rest = &rest[1..];
                }
            }
            // Another crate, or a name of this module: no module of the root.
            _ => return,
        }
        match (at.first(), rest.first()) {
            (Some(top), _) | (None, Some(top)) => self.found.push(top.clone()),
            (None, None) if glob => self.found.extend(self.modules.iter().cloned()),
            (None, None) => {}
        }
    }

    /// Each path of a use tree, after `prefix`.
    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(&path.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                prefix.push(name.ident.to_string());
                self.reach(&prefix.clone(), false);
                prefix.pop();
            }
            syn::UseTree::Rename(rename) => {
                prefix.push(rename.ident.to_string());
                self.reach(&prefix.clone(), false);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.reach(&prefix.clone(), true),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(tree, prefix);
                }
            }
        }
    }

    /// Paths in a macro call's tokens (`format!("{}", crate::redact::inline(x))`): each
    /// `crate`, `super` or `self` followed by `::name` pairs.
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        use proc_macro2::TokenTree;
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(group) => self.tokens(group.stream()),
                TokenTree::Ident(ident)
                    if ["crate", "super", "self"].contains(&ident.to_string().as_str())
                        && !(i >= 2 && is_colon(&trees[i - 1]) && is_colon(&trees[i - 2])) =>
                {
                    let mut segments = vec![ident.to_string()];
                    let mut j = i + 1;
                    while j + 1 < trees.len() && is_colon(&trees[j]) && is_colon(&trees[j + 1]) {
                        match trees.get(j + 2) {
                            Some(TokenTree::Ident(next)) => segments.push(next.to_string()),
                            _ => break,
                        }
                        j += 3;
                    }
                    self.reach(&segments, false);
                    i = j.max(i + 1);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

fn is_colon(tree: &proc_macro2::TokenTree) -> bool {
    matches!(tree, proc_macro2::TokenTree::Punct(p) if p.as_char() == ':')
}

/// Whether `attrs` hold `#[cfg(test)]` (or a cfg that names test).
fn for_tests(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr.meta.require_list().is_ok_and(|list| {
                list.tokens
                    .to_string()
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == "test")
            })
    })
}

impl<'ast> syn::visit::Visit<'ast> for Names {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Static(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            syn::Item::Enum(i) => &i.attrs,
            syn::Item::Trait(i) => &i.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !for_tests(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.at.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.at.pop();
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, &mut Vec::new());
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.reach(&segments, false);
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
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
        // src/a/b.rs is module a::b; src/a.rs (or src/a/mod.rs) is a.
        let rel_text = rel.with_extension("").display().to_string();
        let module: Vec<&str> = rel_text.split('/').filter(|m| *m != "mod").collect();
        let text = std::fs::read_to_string(&path).unwrap();
        for import in imports(&text, &layers, &module) {
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
            &["a"]
        ),
        ["a", "c", "b"]
    );
    // Nested groups, `super::` chains that reach the root (and not those that do not),
    // `//` and braces inside strings, a '"' char literal, code after the unit tests, a
    // path inside a macro call, `crate :: x` spaced, and `super::super` inside an inline
    // module.
    let text = "use crate::{b::{X, Y}, c::Z};\n\
        use super::super::a::W;\n\
        use super::b::V;\n\
        const URL: &str = \"https://x { \"; const Q: char = '\"';\n\
        fn f() { crate::c::g() }\n\
        #[cfg(test)]\nmod tests {\n    use crate::a;\n}\n\
        fn after() { crate::b::h(); let _ = format!(\"{}\", crate :: a :: k()); }\n\
        mod inner { fn g() { super::super::super::c::x() } }\n";
    assert_eq!(
        imports(text, &modules, &["x", "y"]),
        ["b", "b", "c", "a", "c", "b", "a", "c"]
    );
    // `use super::*` at the root takes every module.
    let all = imports("use super::*;\n", &modules, &["x"]);
    assert_eq!(all.len(), modules.len());
}
