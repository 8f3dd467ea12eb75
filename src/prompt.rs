//! Asking a person at the terminal: one line after a prompt, and what a typed or piped
//! line means (only its newline is not part of it).

use std::io::{self, BufRead, Write};

use anyhow::{Context, Result};

use crate::error::{Exit, fail};

/// The questions a command may ask a person: at the terminal (`Terminal`), or in a test,
/// answers given beforehand. Each takes the prompt and returns what the function of the
/// same kind below returns, with its errors.
pub(crate) trait Ask: Sync {
    /// One line, trimmed (`prompt_line`).
    fn line(&self, prompt: &str) -> Result<String>;
    /// Yes, no, or `None` for no clear answer (`prompt_yes_no`).
    fn yes_no(&self, prompt: &str) -> Result<Option<bool>>;
    /// A hidden line without its newline (`prompt_password`).
    fn hidden(&self, prompt: &str) -> Result<String>;
}

/// The terminal: stdin, with the prompts on stderr.
pub(crate) struct Terminal;

impl Ask for Terminal {
    fn line(&self, prompt: &str) -> Result<String> {
        prompt_line(prompt)
    }

    fn yes_no(&self, prompt: &str) -> Result<Option<bool>> {
        prompt_yes_no(prompt)
    }

    fn hidden(&self, prompt: &str) -> Result<String> {
        prompt_password(prompt)
    }
}

/// One line typed at the terminal, after a prompt on stderr.
fn prompt_line(prompt: &str) -> Result<String> {
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
        // Ctrl-D leaves the cursor on the prompt's line: the error starts a new one.
        crate::sys::to_stderr("");
        return fail(Exit::NoCredentials, "no answer (end of input)");
    }
    Ok(line.trim().to_string())
}

/// A yes/no question at the terminal, read with echo off: it comes right before the
/// password prompt, and a password typed into it must not be shown. `yes` or `no` is
/// written after the question once it is known; anything else is asked again (three
/// times, then `None`: no clear answer), without showing it. An empty answer or end of
/// input is no.
fn prompt_yes_no(prompt: &str) -> Result<Option<bool>> {
    // Echo stays off between tries: an answer typed while the next question is printed
    // is not shown either.
    #[cfg(unix)]
    let _hidden = crate::sys::echo::Hidden::start(false)?;
    for _ in 0..3 {
        #[cfg(unix)]
        let answer = read_after(prompt)?;
        #[cfg(not(unix))]
        let answer = Some(rpassword::prompt_password(prompt)?);
        let Some(answer) = answer else {
            crate::sys::to_stderr("no");
            return Ok(Some(false));
        };
        match answer.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" => {
                crate::sys::to_stderr("yes");
                return Ok(Some(true));
            }
            "" | "n" | "no" => {
                crate::sys::to_stderr("no");
                return Ok(Some(false));
            }
            _ => crate::sys::to_stderr(
                "\nPlease answer yes or no (what was typed is not shown: it may have been a password).",
            ),
        }
    }
    Ok(None)
}

/// The prompt on stderr, then one line from stdin; `None` at end of input.
#[cfg(unix)]
fn read_after(prompt: &str) -> io::Result<Option<String>> {
    let mut stderr = io::stderr().lock();
    let _ = write!(stderr, "{prompt}");
    let _ = stderr.flush();
    drop(stderr);
    let mut line = zeroize::Zeroizing::new(String::new());
    let n = io::stdin().lock().read_line(&mut line)?;
    Ok((n > 0).then(|| line.trim().to_string()))
}

/// A password typed at the terminal (stdin), not echoed. Echo is turned off before the
/// prompt is printed, as readpassphrase(3) and sudo do: a password typed or pasted the
/// moment the prompt appears is never shown. Ctrl-C, a hangup or a stop restores the
/// terminal before the signal takes its course; after a stop (Ctrl-Z, then `fg`) echo is
/// off again. Kept as our own on unix because rpassword (used elsewhere) prints the prompt
/// before it turns echo off and leaves echo off when Ctrl-C ends the process.
///
/// Returns the line without its newline. Errors: a terminal that cannot be read or set;
/// Ctrl-D (end of input) cancels as Ctrl-C does: `Exited(130)`, nothing printed but the
/// end of the prompt's line.
#[cfg(unix)]
fn prompt_password(prompt: &str) -> Result<String> {
    let hidden = crate::sys::echo::Hidden::start(true)?;
    let mut stderr = io::stderr().lock();
    let _ = write!(stderr, "{prompt}");
    let _ = stderr.flush();
    drop(stderr);
    let mut line = String::new();
    let read = io::stdin().lock().read_line(&mut line);
    drop(hidden);
    if read? == 0 {
        // Ctrl-D leaves the cursor on the prompt's line: the shell's prompt starts a new one.
        crate::sys::to_stderr("");
        return Err(cancelled());
    }
    Ok(strip_newline(line))
}

#[cfg(not(unix))]
fn prompt_password(prompt: &str) -> Result<String> {
    Ok(rpassword::prompt_password(prompt)?)
}

/// A prompt ended by the person at it (Ctrl-D): what a shell reports for Ctrl-C, 130
/// (128 + SIGINT), with no error to print, since nothing failed. (rpassword, on other
/// systems, reads its own console.)
#[cfg(unix)]
fn cancelled() -> anyhow::Error {
    crate::error::Exited(crate::error::CANCELLED).into()
}

/// Strip one trailing newline (`\n` or `\r\n`) and nothing else: spaces are part of a
/// password.
pub(crate) fn strip_newline(mut line: String) -> String {
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
