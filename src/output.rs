//! What goes where: results on stdout, everything for a person on stderr.

use std::io::{self, IsTerminal, Write};

use serde_json::Value;

use crate::cli::{GlobalArgs, OutputFormat};

pub struct Output {
    pub format: OutputFormat,
    quiet: bool,
    verbose: bool,
}

impl Output {
    pub fn new(global: &GlobalArgs) -> Self {
        Output {
            format: global.output,
            quiet: global.quiet,
            verbose: global.verbose,
        }
    }

    pub fn json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// A friendly line for a person, on stderr; silenced by `-q`.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// A warning, on stderr; `-q` does not silence it.
    pub fn warn(&self, message: &str) {
        eprintln!("warning: {message}");
    }

    pub fn is_verbose(&self) -> bool {
        self.verbose
    }

    /// A line of the `-v` log, on stderr. Callers pass text with secrets already redacted.
    pub fn verbose(&self, message: &str) {
        if self.verbose {
            eprintln!("saymon: {message}");
        }
    }

    /// The result, on stdout.
    pub fn result(&self, text: &str) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            stdout.write_all(b"\n")?;
        }
        stdout.flush()
    }

    /// One JSON document, on stdout: pretty at a terminal, one line otherwise.
    pub fn result_json(&self, value: &Value) -> io::Result<()> {
        let text = if io::stdout().is_terminal() {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        }
        .map_err(io::Error::other)?;
        self.result(&text)
    }
}

/// Whether a person can answer a prompt: stdin and stderr are both terminals.
pub fn interactive() -> bool {
    io::stdin().is_terminal() && io::stderr().is_terminal()
}
