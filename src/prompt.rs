//! Asking a person at the terminal: one line after a prompt, and what a typed or piped
//! line means (only its newline is not part of it).

use std::io::{self, BufRead, Write};

use anyhow::{Context, Result};

use crate::error::{Exit, fail};

/// One line typed at the terminal, after a prompt on stderr.
pub fn prompt_line(prompt: &str) -> Result<String> {
    let mut stderr = io::stderr().lock();
    let _ = write!(stderr, "{prompt}");
    let _ = stderr.flush();
    drop(stderr);
    let mut line = String::new();
    let n = io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read from the terminal")?;
    if n == 0 {
        return fail(Exit::NoCredentials, "no answer (end of input)");
    }
    Ok(line.trim().to_string())
}

/// Strip one trailing newline (`\n` or `\r\n`) and nothing else: spaces are part of a
/// password.
pub fn strip_newline(mut line: String) -> String {
    if line.ends_with('\n') {
        line.pop();
        if line.ends_with('\r') {
            line.pop();
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_trailing_newline_is_stripped() {
        assert_eq!(strip_newline("p:w ä \n".into()), "p:w ä ");
        assert_eq!(strip_newline("pw\r\n".into()), "pw");
        assert_eq!(strip_newline("pw\n\n".into()), "pw\n");
        assert_eq!(strip_newline(" pw".into()), " pw");
    }
}
