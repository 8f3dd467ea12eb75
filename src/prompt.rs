//! Asking a person at the terminal: one line after a prompt, and what a typed or piped
//! line means (only its newline is not part of it).

use std::io::{self, BufRead, Write};

use anyhow::{Context, Result};

use crate::error::{Exit, fail};

/// One line typed at the terminal, after a prompt on stderr.
pub(crate) fn prompt_line(prompt: &str) -> Result<String> {
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
pub(crate) fn prompt_yes_no(prompt: &str) -> Result<Option<bool>> {
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
pub(crate) fn prompt_password(prompt: &str) -> Result<String> {
    let hidden = hidden::Hidden::start(true)?;
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
pub(crate) fn prompt_password(prompt: &str) -> Result<String> {
    Ok(rpassword::prompt_password(prompt)?)
}

/// A prompt ended by the person at it (Ctrl-D): what a shell reports for Ctrl-C, 130
/// (128 + SIGINT), with no error to print, since nothing failed. (rpassword, on other
/// systems, reads its own console.)
#[cfg(unix)]
fn cancelled() -> anyhow::Error {
    crate::error::Exited(crate::error::CANCELLED).into()
}

#[cfg(unix)]
mod hidden {
    //! Echo off on stdin's terminal while a `Hidden` lives: back on when it is dropped, when
    //! a signal ends the process and while a stop (Ctrl-Z) lasts; off again when the process
    //! is continued (`fg`).

    use std::io;
    use std::mem::MaybeUninit;
    use std::sync::atomic::{AtomicBool, Ordering};

    use rustix::stdio::stdin;
    use rustix::termios::{LocalModes, OptionalActions, Termios, tcgetattr, tcsetattr};

    /// The terminal's modes before echo was turned off, and with it off, for the handler.
    static mut SAVED: MaybeUninit<Termios> = MaybeUninit::uninit();
    static mut QUIET: MaybeUninit<Termios> = MaybeUninit::uninit();
    static ACTIVE: AtomicBool = AtomicBool::new(false);
    const SIGNALS: [libc::c_int; 6] = [
        libc::SIGINT,
        libc::SIGTERM,
        libc::SIGHUP,
        libc::SIGQUIT,
        libc::SIGTSTP,
        libc::SIGCONT,
    ];

    pub(super) struct Hidden {
        previous: Vec<(libc::c_int, libc::sigaction)>,
    }

    /// Set the terminal to the SAVED (`echo`) or QUIET modes. Async-signal-safe: one ioctl.
    /// Only while ACTIVE (or just after it was cleared, by the one who cleared it).
    fn set_echo(echo: bool) {
        // SAFETY: both were written before ACTIVE was set, and are not written again while
        // it is.
        let modes = unsafe {
            if echo {
                (*std::ptr::addr_of!(SAVED)).assume_init_ref()
            } else {
                (*std::ptr::addr_of!(QUIET)).assume_init_ref()
            }
        };
        let _ = tcsetattr(stdin(), OptionalActions::Now, modes);
    }

    fn active() -> bool {
        ACTIVE.load(Ordering::SeqCst)
    }

    /// `on_signal` as the handler of `signal`; the action it replaces.
    fn install(signal: libc::c_int) -> Option<libc::sigaction> {
        // SAFETY: a plain handler with an empty mask; the old action is read back.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as *const () as usize;
            libc::sigemptyset(&mut action.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            (libc::sigaction(signal, &action, &mut old) == 0).then_some(old)
        }
    }

    /// Only async-signal-safe calls: ioctl, signal, sigprocmask, raise, sigaction.
    extern "C" fn on_signal(signal: libc::c_int) {
        match signal {
            // Continued after a stop, ours or a SIGSTOP (the shell may have turned echo
            // back on meanwhile): echo off again.
            libc::SIGCONT => {
                if active() {
                    set_echo(false);
                }
            }
            // Ctrl-Z: echo on for the shell, then stop as by default. The stop happens
            // inside raise(), once the signal is unblocked; raise returns when the process
            // is continued (or at once where no shell could continue it: an orphaned
            // process group ignores the stop). Then the handler again, and echo off.
            libc::SIGTSTP => {
                if active() {
                    set_echo(true);
                }
                // SAFETY: signal, sigprocmask and raise are async-signal-safe.
                unsafe {
                    libc::signal(libc::SIGTSTP, libc::SIG_DFL);
                    let mut tstp: libc::sigset_t = std::mem::zeroed();
                    libc::sigemptyset(&mut tstp);
                    libc::sigaddset(&mut tstp, libc::SIGTSTP);
                    libc::pthread_sigmask(libc::SIG_UNBLOCK, &tstp, std::ptr::null_mut());
                    libc::raise(libc::SIGTSTP);
                }
                if active() {
                    install(libc::SIGTSTP);
                    set_echo(false);
                }
            }
            // Anything else ends the process: echo back on for good, then the signal's
            // default action.
            _ => {
                if ACTIVE.swap(false, Ordering::SeqCst) {
                    set_echo(true);
                }
                // SAFETY: signal and raise are async-signal-safe.
                unsafe {
                    libc::signal(signal, libc::SIG_DFL);
                    libc::raise(signal);
                }
            }
        }
    }

    impl Hidden {
        /// Echo off; with `echo_newline`, the Enter that ends the line still moves to the
        /// next one (a password), without it the caller writes what follows (yes/no).
        /// Errors: stdin's terminal modes cannot be read or set.
        pub(super) fn start(echo_newline: bool) -> io::Result<Hidden> {
            let modes = tcgetattr(stdin())?;
            let mut quiet = modes.clone();
            quiet.local_modes.remove(LocalModes::ECHO);
            quiet.local_modes.set(LocalModes::ECHONL, echo_newline);
            // SAFETY: written before ACTIVE tells the handler it may read them (and the
            // handler is installed below), not while a `Hidden` is active.
            unsafe {
                std::ptr::addr_of_mut!(SAVED).write(MaybeUninit::new(modes));
                std::ptr::addr_of_mut!(QUIET).write(MaybeUninit::new(quiet.clone()));
            }
            let previous = SIGNALS
                .into_iter()
                .filter_map(|signal| install(signal).map(|old| (signal, old)))
                .collect();
            ACTIVE.store(true, Ordering::SeqCst);
            // TCSAFLUSH: what was typed before the prompt (and was echoed) is dropped.
            if let Err(e) = tcsetattr(stdin(), OptionalActions::Flush, &quiet) {
                drop(Hidden { previous });
                return Err(e.into());
            }
            Ok(Hidden { previous })
        }
    }

    impl Drop for Hidden {
        fn drop(&mut self) {
            if ACTIVE.swap(false, Ordering::SeqCst) {
                set_echo(true);
            }
            for (signal, old) in &self.previous {
                // SAFETY: the action that was there before `start`.
                unsafe {
                    libc::sigaction(*signal, old, std::ptr::null_mut());
                }
            }
        }
    }
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
