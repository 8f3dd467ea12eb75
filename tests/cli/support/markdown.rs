//! The docs that tests hold to their word (README.md, CONTRIBUTING.md, docs/*.md): a page,
//! a section of it, the items of its lists.

use std::path::{Path, PathBuf};

/// The repository's root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The text of a doc, by its path under the repository (`README.md`, `docs/unattended.md`).
pub fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every doc: README.md, CONTRIBUTING.md and the pages of docs/, by name, with its text.
pub fn all() -> Vec<(PathBuf, String)> {
    let mut paths = vec![root().join("README.md"), root().join("CONTRIBUTING.md")];
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    paths.extend(pages);
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// What stands under the heading line `heading` (`## Exit codes`), up to the next heading
/// of the same level or a higher one; headings inside code blocks are not headings.
pub fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let level = heading.chars().take_while(|&c| c == '#').count();
    let mut start = None;
    let mut fenced = false;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n');
        if bare.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && bare.starts_with('#') {
            let this = bare.chars().take_while(|&c| c == '#').count();
            if start.is_none() && bare == heading {
                start = Some(at + line.len());
            } else if let Some(start) = start
                && this <= level
            {
                return &text[start..at];
            }
        }
        at += line.len();
    }
    let start = start.unwrap_or_else(|| panic!("no heading {heading:?}"));
    &text[start..]
}

/// The items of the lists in `text` that start at the line's start (`- `), each with its
/// continuation lines (indented, up to a blank line or a nested item) joined by one space.
pub fn list_items(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if let Some(first) = line.strip_prefix("- ") {
            items.push(first.trim().to_string());
            open = true;
        } else if open
            && line.starts_with("  ")
            && !line.trim().is_empty()
            && !line.trim_start().starts_with("- ")
            && !line.trim_start().starts_with("```")
        {
            let item = items.last_mut().unwrap();
            item.push(' ');
            item.push_str(line.trim());
        } else {
            open = false;
        }
    }
    items
}
