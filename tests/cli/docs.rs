//! The docs' shape (issue 25): README.md within 15 KB, no line of README.md, CONTRIBUTING.md
//! or docs/*.md over 120 characters (code blocks included), and every link between them
//! to a file that exists and a heading it has.

use std::path::Path;

use crate::support::markdown;

#[test]
fn the_readme_stays_within_15_kb() {
    let size = markdown::read("README.md").len();
    assert!(size <= 15 * 1024, "README.md is {size} bytes, past 15 KB");
}

#[test]
fn no_line_of_the_docs_is_over_120_characters() {
    let mut long = Vec::new();
    for (path, text) in markdown::all() {
        for (n, line) in text.lines().enumerate() {
            let width = line.chars().count();
            if width > 120 {
                long.push(format!("{}:{}: {width} characters", path.display(), n + 1));
            }
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}

/// The anchors GitHub gives a page's headings: lower case, letters, digits, `-` and `_`
/// kept, spaces made `-`, the rest dropped (headings in code blocks are not headings).
fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut anchors = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let Some(title) = line.strip_prefix('#') else {
            continue;
        };
        if fenced {
            continue;
        }
        let title = title.trim_start_matches('#').trim();
        anchors.push(
            title
                .to_lowercase()
                .chars()
                .filter_map(|c| match c {
                    ' ' => Some('-'),
                    c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                    _ => None,
                })
                .collect(),
        );
    }
    anchors
}

#[test]
fn links_between_the_docs_reach_a_file_and_a_heading() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    for (path, text) in markdown::all() {
        let dir = path.parent().unwrap();
        for (at, _) in text.match_indices("](") {
            let target = text[at + 2..].split(')').next().unwrap();
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            let file = if file.is_empty() {
                path.clone()
            } else {
                dir.join(file)
            };
            let shown = format!("{}: {target}", path.strip_prefix(root).unwrap().display());
            if !file.exists() {
                broken.push(format!("{shown}: no such file"));
            } else if !anchor.is_empty() {
                let page = std::fs::read_to_string(&file).unwrap();
                if !anchors(&page).iter().any(|a| a == anchor) {
                    broken.push(format!("{shown}: no such heading"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
