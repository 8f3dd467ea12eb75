//! What goes where: results on stdout, everything for a person on stderr.
//!
//! `Output` is one concrete type, not a trait like the other services (`Ask`, `OpenStore`,
//! `TokenServer`): what a run says is decided by rules that must be the same for every
//! command and are themselves what tests check (`-q`, `--output json` and `--jq` silence
//! notes, warnings never; results escaped for the terminal). A fake behind a trait would
//! skip those rules. In-process tests keep what it says instead (`Output::capturing`).

use std::io::{self, IsTerminal, Write};

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::jq::Jq;
use crate::redact;
use crate::settings::{OutputFormat, Settings};
use crate::sys::{stdout_open, to_stderr};

pub(crate) struct Output {
    pub format: OutputFormat,
    quiet: bool,
    verbose: bool,
    /// `--jq`: compiled before anything runs, applied to every JSON document.
    jq: Option<Jq>,
    /// In-process tests: the lines for a person and the results, kept instead of written.
    #[cfg(test)]
    kept: Option<std::sync::Mutex<Kept>>,
}

/// What a capturing `Output` kept.
#[cfg(test)]
#[derive(Debug, Default, Clone)]
pub(crate) struct Kept {
    /// Lines for a person (notes, warnings, `-v`), as stderr would show them.
    pub said: Vec<String>,
    /// Results, as stdout would show them.
    pub results: Vec<String>,
}

impl Output {
    /// The output `settings` ask for (`--output`, `-q`, `-v`, `--jq`, `--max-mib`), with
    /// `--jq` compiled. Exit 2 when it is not valid jq.
    pub(crate) fn new(settings: &Settings) -> anyhow::Result<Self> {
        Ok(Output {
            format: settings.output,
            quiet: settings.quiet,
            verbose: settings.verbose,
            jq: settings
                .jq
                .as_deref()
                .map(Jq::compile)
                .transpose()?
                .map(|jq| jq.with_memory(u64::from(settings.max_mib) << 20)),
            #[cfg(test)]
            kept: None,
        })
    }

    /// The output `settings` ask for, keeping what it says (`kept`) instead of writing it.
    #[cfg(test)]
    pub(crate) fn capturing(settings: &Settings) -> anyhow::Result<Self> {
        Ok(Output {
            kept: Some(std::sync::Mutex::new(Kept::default())),
            ..Output::new(settings)?
        })
    }

    /// What a capturing output kept so far.
    #[cfg(test)]
    pub(crate) fn kept(&self) -> Kept {
        self.kept
            .as_ref()
            .map(|k| k.lock().unwrap().clone())
            .unwrap_or_default()
    }

    /// A line for a person, on stderr (escaped and masked there, `sys::to_stderr`).
    fn to_person(&self, line: &str) {
        #[cfg(test)]
        if let Some(kept) = &self.kept {
            kept.lock().unwrap().said.push(line.to_string());
            return;
        }
        to_stderr(line);
    }

    /// Whether results are JSON documents: `--output json`, or `--jq` to filter them.
    pub(crate) fn json(&self) -> bool {
        self.format == OutputFormat::Json || self.jq.is_some()
    }

    /// The `--jq` filter, if one was given.
    pub(crate) fn jq(&self) -> Option<&Jq> {
        self.jq.as_ref()
    }

    /// A friendly line for a person, on stderr; silenced by `-q`, and by `--output json`
    /// or `--jq` (results for a script): then stderr carries only warnings and errors, the
    /// same rule for every command.
    pub(crate) fn note(&self, message: &str) {
        if !self.quiet && !self.json() {
            self.to_person(message);
        }
    }

    /// A warning, on stderr; `-q` does not silence it.
    pub(crate) fn warn(&self, message: &str) {
        self.to_person(&format!("warning: {message}"));
    }

    /// Whether `-q` asks for results and errors only.
    pub(crate) fn is_quiet(&self) -> bool {
        self.quiet
    }

    pub(crate) fn is_verbose(&self) -> bool {
        self.verbose
    }

    /// A line of the `-v` log, on stderr. Callers pass text with secrets already redacted.
    pub(crate) fn verbose(&self, message: &str) {
        if self.verbose {
            self.to_person(&format!("saymon: {message}"));
        }
    }

    /// The result, on stdout, with anything that could drive a terminal escaped.
    pub(crate) fn result(&self, text: &str) -> io::Result<()> {
        let text = redact::terminal(text);
        #[cfg(test)]
        if let Some(kept) = &self.kept {
            kept.lock().unwrap().results.push(text.clone());
            return Ok(());
        }
        stdout_open()?;
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            stdout.write_all(b"\n")?;
        }
        stdout.flush()
    }

    /// One JSON document, on stdout: pretty at a terminal, one line otherwise; or what
    /// `--jq` makes of it.
    pub(crate) fn result_json(&self, value: &Value) -> anyhow::Result<()> {
        if let Some(jq) = &self.jq {
            stdout_open()?;
            let text = serde_json::to_vec(value)?;
            return jq.run(
                &text,
                self.format == OutputFormat::Json,
                &mut io::stdout().lock(),
            );
        }
        Ok(self.document(value)?)
    }

    /// As `result_json`, for a value the caller gives up (`--paginate`'s pages): with
    /// `--jq` it is dropped once written as text, so that while the filter runs only the
    /// text counts against `--max-mib`, not the text and the value.
    pub(crate) fn result_json_owned(&self, value: Value) -> anyhow::Result<()> {
        if let Some(jq) = &self.jq {
            stdout_open()?;
            let text = serde_json::to_vec(&value)?;
            drop(value);
            return jq.run(
                &text,
                self.format == OutputFormat::Json,
                &mut io::stdout().lock(),
            );
        }
        Ok(self.document(&value)?)
    }

    fn document(&self, value: &Value) -> io::Result<()> {
        let text = if io::stdout().is_terminal() {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        }
        .map_err(io::Error::other)?;
        self.result(&redact::json(&text))
    }
}

/// The most characters a table cell shows; a longer value (a profile's 64 KiB server
/// URL) is cut, ending in `…`, so that no row is wider than a few screens.
const MAX_CELL: usize = 200;

/// `lines` (the header first) as a text table: each cell escaped (`redact::inline`), cut
/// to `MAX_CELL` characters, padded to its column's display width (a CJK character takes
/// two columns of a terminal); columns two spaces apart, no trailing spaces, a newline
/// after each line.
pub(crate) fn table(lines: &[Vec<String>]) -> String {
    let cells: Vec<Vec<String>> = lines
        .iter()
        .map(|line| {
            line.iter()
                .map(|cell| {
                    let mut cell = redact::inline(cell);
                    if let Some((cut, _)) = cell.char_indices().nth(MAX_CELL - 1) {
                        cell.truncate(cut);
                        cell.push('…');
                    }
                    cell
                })
                .collect()
        })
        .collect();
    let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            cells
                .iter()
                .filter_map(|l| l.get(i))
                .map(|c| c.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in &cells {
        let padded: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.width())))
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Output, table};
    use crate::settings::{OutputFormat, Settings};
    use unicode_width::UnicodeWidthStr;

    /// What a run with `settings` shows a person and the script for one note, warning,
    /// `-v` line and result.
    fn shown(settings: Settings) -> (Vec<String>, Vec<String>) {
        let out = Output::capturing(&settings).unwrap();
        out.note("a note");
        out.warn("a warning");
        out.verbose("a -v line");
        out.result("a result \u{1b}[31m").unwrap();
        let kept = out.kept();
        (kept.said, kept.results)
    }

    #[test]
    fn notes_give_way_to_quiet_and_to_results_for_a_script_warnings_never() {
        let (said, results) = shown(Settings::default());
        assert_eq!(said, ["a note", "warning: a warning"]);
        assert_eq!(
            results,
            ["a result \\u{1b}[31m"],
            "escaped for the terminal"
        );
        let (said, _) = shown(Settings {
            quiet: true,
            ..Settings::default()
        });
        assert_eq!(said, ["warning: a warning"]);
        let (said, _) = shown(Settings {
            output: OutputFormat::Json,
            verbose: true,
            ..Settings::default()
        });
        assert_eq!(said, ["warning: a warning", "saymon: a -v line"]);
        let (said, _) = shown(Settings {
            jq: Some(".".into()),
            ..Settings::default()
        });
        assert_eq!(said, ["warning: a warning"]);
    }

    #[test]
    fn columns_line_up_by_display_width() {
        let rows = |names: &[&str]| -> Vec<Vec<String>> {
            std::iter::once(vec!["PROFILE".to_string(), "LOGIN".to_string()])
                .chain(
                    names
                        .iter()
                        .map(|n| vec![n.to_string(), "admin".to_string()]),
                )
                .collect()
        };
        // Cyrillic: one column a character; CJK: two.
        let text = table(&rows(&["прод", "生産", "lab"]));
        let starts: Vec<usize> = text
            .lines()
            .map(|line| {
                let at = line.rfind("admin").or_else(|| line.rfind("LOGIN")).unwrap();
                line[..at].width()
            })
            .collect();
        assert!(starts.iter().all(|&s| s == starts[0]), "{text}\n{starts:?}");
        assert_eq!(starts[0], "PROFILE".len() + 2);
    }
}
