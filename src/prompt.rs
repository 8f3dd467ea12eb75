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
        // Ctrl-D leaves the cursor on the prompt's line: the error starts a new one.
        crate::output::to_stderr("");
        return fail(Exit::NoCredentials, "no answer (end of input)");
    }
    Ok(line.trim().to_string())
}

/// A yes/no question at the terminal, read with echo off: it comes right before the
/// password prompt, and a password typed into it must not be shown. `yes` or `no` is
/// written after the question once it is known; anything else is asked again (three
/// times, then `None`: no clear answer), without showing it. An empty answer or end of
/// input is no.
pub fn prompt_yes_no(prompt: &str) -> Result<Option<bool>> {
    // Echo stays off between tries: an answer typed while the next question is printed
    // is not shown either.
    #[cfg(unix)]
    let _hidden = hidden::Hidden::start(false)?;
    for _ in 0..3 {
        #[cfg(unix)]
        let answer = read_after(prompt)?;
        #[cfg(not(unix))]
        let answer = Some(rpassword::prompt_password(prompt)?);
        let Some(answer) = answer else {
            crate::output::to_stderr("no");
            return Ok(Some(false));
        };
        match answer.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" => {
                crate::output::to_stderr("yes");
                return Ok(Some(true));
            }
            "" | "n" | "no" => {
                crate::output::to_stderr("no");
                return Ok(Some(false));
            }
            _ => crate::output::to_stderr(
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
/// terminal before the signal takes its course. Kept as our own on unix because
/// rpassword (used elsewhere) prints the prompt before it turns echo off and leaves echo
/// off when Ctrl-C ends the process.
#[cfg(unix)]
pub fn prompt_password(prompt: &str) -> io::Result<String> {
    let hidden = hidden::Hidden::start(true)?;
    let mut stderr = io::stderr().lock();
    let _ = write!(stderr, "{prompt}");
    let _ = stderr.flush();
    drop(stderr);
    let mut line = String::new();
    let read = io::stdin().lock().read_line(&mut line);
    drop(hidden);
    if read? == 0 {
        // Ctrl-D leaves the cursor on the prompt's line: the error starts a new one.
        crate::output::to_stderr("");
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "no password (end of input)",
        ));
    }
    Ok(strip_newline(line))
}

#[cfg(not(unix))]
pub fn prompt_password(prompt: &str) -> io::Result<String> {
    rpassword::prompt_password(prompt)
}

#[cfg(unix)]
mod hidden {
    //! Echo off on stdin's terminal while a `Hidden` lives, and back on when it is dropped
    //! or a signal ends the process.

    use std::io;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// The terminal's modes before echo was turned off, for the signal handler.
    static mut SAVED: std::mem::MaybeUninit<libc::termios> = std::mem::MaybeUninit::uninit();
    static ACTIVE: AtomicBool = AtomicBool::new(false);
    const SIGNALS: [libc::c_int; 5] = [
        libc::SIGINT,
        libc::SIGTERM,
        libc::SIGHUP,
        libc::SIGQUIT,
        libc::SIGTSTP,
    ];

    pub struct Hidden {
        previous: Vec<(libc::c_int, libc::sigaction)>,
    }

    extern "C" fn restore_and_reraise(signal: libc::c_int) {
        // SAFETY: only async-signal-safe calls; SAVED was written before ACTIVE was set.
        unsafe {
            if ACTIVE.swap(false, Ordering::SeqCst) {
                let saved = std::ptr::addr_of!(SAVED);
                libc::tcsetattr(0, libc::TCSANOW, (*saved).as_ptr());
            }
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    impl Hidden {
        /// Echo off; with `echo_newline`, the Enter that ends the line still moves to the
        /// next one (a password), without it the caller writes what follows (yes/no).
        pub fn start(echo_newline: bool) -> io::Result<Hidden> {
            // SAFETY: tcgetattr fills the zeroed struct for stdin, a terminal here.
            let mut modes: libc::termios = unsafe { std::mem::zeroed() };
            if unsafe { libc::tcgetattr(0, &mut modes) } != 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: written once, before ACTIVE tells the handler it may read it.
            unsafe {
                std::ptr::addr_of_mut!(SAVED).write(std::mem::MaybeUninit::new(modes));
            }
            let mut previous = Vec::new();
            for signal in SIGNALS {
                // SAFETY: a plain handler with an empty mask; the old action is kept.
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = restore_and_reraise as *const () as usize;
                    libc::sigemptyset(&mut action.sa_mask);
                    let mut old: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(signal, &action, &mut old) == 0 {
                        previous.push((signal, old));
                    }
                }
            }
            ACTIVE.store(true, Ordering::SeqCst);
            let mut quiet = modes;
            quiet.c_lflag &= !libc::ECHO;
            if echo_newline {
                quiet.c_lflag |= libc::ECHONL;
            } else {
                quiet.c_lflag &= !libc::ECHONL;
            }
            // TCSAFLUSH: what was typed before the prompt (and was echoed) is dropped.
            // SAFETY: stdin is a terminal; `quiet` is a valid termios.
            if unsafe { libc::tcsetattr(0, libc::TCSAFLUSH, &quiet) } != 0 {
                let e = io::Error::last_os_error();
                drop(Hidden { previous });
                return Err(e);
            }
            Ok(Hidden { previous })
        }
    }

    impl Drop for Hidden {
        fn drop(&mut self) {
            // SAFETY: SAVED holds the modes read in `start`; the old actions are restored.
            unsafe {
                if ACTIVE.swap(false, Ordering::SeqCst) {
                    let saved = std::ptr::addr_of!(SAVED);
                    libc::tcsetattr(0, libc::TCSANOW, (*saved).as_ptr());
                }
                for (signal, old) in &self.previous {
                    libc::sigaction(*signal, old, std::ptr::null_mut());
                }
            }
        }
    }
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
