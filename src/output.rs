//! What goes where: results on stdout, everything for a person on stderr.

use std::io::{self, IsTerminal, Write};

use serde_json::Value;

use crate::cli::{GlobalArgs, OutputFormat};
use crate::jq::Jq;
use crate::redact;

pub struct Output {
    pub format: OutputFormat,
    quiet: bool,
    verbose: bool,
    /// `--jq`: compiled before anything runs, applied to every JSON document.
    jq: Option<Jq>,
}

impl Output {
    /// Exit 2 when `--jq` is not valid jq.
    pub fn new(global: &GlobalArgs) -> anyhow::Result<Self> {
        Ok(Output {
            format: global.output,
            quiet: global.quiet,
            verbose: global.verbose,
            jq: global
                .jq
                .as_deref()
                .map(Jq::compile)
                .transpose()?
                .map(|jq| jq.with_memory(u64::from(global.max_mib) << 20)),
        })
    }

    /// Whether results are JSON documents: `--output json`, or `--jq` to filter them.
    pub fn json(&self) -> bool {
        self.format == OutputFormat::Json || self.jq.is_some()
    }

    /// The `--jq` filter, if one was given.
    pub fn jq(&self) -> Option<&Jq> {
        self.jq.as_ref()
    }

    /// A friendly line for a person, on stderr; silenced by `-q`, and by `--output json`
    /// or `--jq` (results for a script): then stderr carries only warnings and errors, the
    /// same rule for every command.
    pub fn note(&self, message: &str) {
        if !self.quiet && !self.json() {
            to_stderr(message);
        }
    }

    /// A warning, on stderr; `-q` does not silence it.
    pub fn warn(&self, message: &str) {
        to_stderr(&format!("warning: {message}"));
    }

    pub fn is_verbose(&self) -> bool {
        self.verbose
    }

    /// A line of the `-v` log, on stderr. Callers pass text with secrets already redacted.
    pub fn verbose(&self, message: &str) {
        if self.verbose {
            to_stderr(&format!("saymon: {message}"));
        }
    }

    /// The result, on stdout, with anything that could drive a terminal escaped.
    pub fn result(&self, text: &str) -> io::Result<()> {
        stdout_open()?;
        let text = redact::terminal(text);
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            stdout.write_all(b"\n")?;
        }
        stdout.flush()
    }

    /// One JSON document, on stdout: pretty at a terminal, one line otherwise; or what
    /// `--jq` makes of it.
    pub fn result_json(&self, value: &Value) -> anyhow::Result<()> {
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

/// Which of stdin, stdout and stderr were closed when saymon started (bits 0, 1, 2).
static CLOSED_AT_START: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Note which of descriptors 0, 1 and 2 are closed. Rust's runtime opens /dev/null on a
/// closed one before `main` (so that no file we open takes its number and receives what
/// we print), which makes a closed stdout look like `>/dev/null`; so this runs earlier,
/// from `.init_array` (see `main.rs`), to tell a result with nowhere to go from one the
/// user chose to discard. Only `fcntl`: nothing is set up yet.
pub extern "C" fn record_closed_standard_fds() {
    #[cfg(unix)]
    for fd in 0..=2 {
        // SAFETY: fcntl(F_GETFD) only asks whether the descriptor is open.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            CLOSED_AT_START.fetch_or(1 << fd, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// The most characters a table cell shows; a longer value (a profile's 64 KiB server
/// URL) is cut, ending in `…`, so that no row is wider than a few screens.
const MAX_CELL: usize = 200;

/// `lines` (the header first) as a text table: each cell escaped (`redact::inline`), cut
/// to `MAX_CELL` characters, padded to its column's width; columns two spaces apart, no
/// trailing spaces, a newline after each line.
pub fn table(lines: &[Vec<String>]) -> String {
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
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in &cells {
        let padded: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// An error when stdout was closed when saymon started: a result has nowhere to go.
pub fn stdout_open() -> io::Result<()> {
    if CLOSED_AT_START.load(std::sync::atomic::Ordering::SeqCst) & 0b010 != 0 {
        return Err(io::Error::other("stdout is closed"));
    }
    Ok(())
}

/// A line for a person on stderr, made safe for a terminal. A closed or broken stderr is
/// no reason to fail (or to panic, as `eprintln!` would): the exit code still tells.
pub fn to_stderr(line: &str) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{}", redact::terminal(line));
}

/// Whether to colour text for a terminal: only at one (`terminal`), not when TERM=dumb, and
/// not when NO_COLOR is set to anything but the empty string (no-color.org: an empty
/// NO_COLOR does not count).
pub fn colour(terminal: bool) -> bool {
    colour_with(
        terminal,
        std::env::var_os("TERM").as_deref(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

fn colour_with(
    terminal: bool,
    term: Option<&std::ffi::OsStr>,
    no_color: Option<&std::ffi::OsStr>,
) -> bool {
    terminal && term.is_none_or(|t| t != "dumb") && no_color.is_none_or(|v| v.is_empty())
}

/// Why nothing was asked although a person may be there: stdin is a terminal, but stderr
/// (where questions go) is not (`saymon login 2>log`). Empty otherwise.
pub fn not_asked() -> &'static str {
    if io::stdin().is_terminal() && !io::stderr().is_terminal() {
        " (nothing was asked: stderr is not a terminal, so a question would not be seen)"
    } else {
        ""
    }
}

/// Whether a person can answer a prompt: stdin and stderr are both terminals.
pub fn interactive() -> bool {
    io::stdin().is_terminal() && io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::colour_with;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_at_a_terminal_without_dumb_or_no_color() {
        let some = |s: &'static str| Some(OsStr::new(s));
        assert!(colour_with(true, some("xterm"), None));
        assert!(colour_with(true, None, None));
        assert!(
            colour_with(true, some("xterm"), some("")),
            "an empty NO_COLOR does not count"
        );
        assert!(!colour_with(true, some("xterm"), some("1")));
        assert!(!colour_with(true, some("dumb"), None));
        assert!(!colour_with(false, some("xterm"), None));
    }
}
