//! The standard descriptors, the terminal and signals, below everything that reports:
//! which of stdin, stdout and stderr were closed at start, the one writer of lines for a
//! person on stderr, whether a person is there to answer or to see colour, echo off at a
//! password prompt (`echo`, with its signal handlers), and the signals around `exec`'s
//! command (`signals`). The unsafe code of signals and terminals is here.

use std::io::{self, IsTerminal, Write};

use crate::redact;

#[cfg(unix)]
pub(crate) mod echo;
pub(crate) mod signals;
#[cfg(unix)]
pub use signals::record_inherited_sigpipe;

/// Which of stdin, stdout and stderr were closed when saymon started (bits 0, 1, 2).
static CLOSED_AT_START: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Note which of descriptors 0, 1 and 2 are closed. Rust's runtime opens /dev/null on a
/// closed one before `main` (so that no file we open takes its number and receives what
/// we print), which makes a closed stdout look like `>/dev/null`; so this runs earlier,
/// from `.init_array` (see `main.rs`), to tell a result with nowhere to go from one the
/// user chose to discard. Only `fcntl`: nothing is set up yet.
#[cfg(unix)]
pub extern "C" fn record_closed_standard_fds() {
    for fd in 0..=2 {
        // SAFETY: fcntl(F_GETFD) only asks whether the descriptor is open.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            CLOSED_AT_START.fetch_or(1 << fd, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// An error when stdout was closed when saymon started: a result has nowhere to go.
pub(crate) fn stdout_open() -> io::Result<()> {
    if CLOSED_AT_START.load(std::sync::atomic::Ordering::SeqCst) & 0b010 != 0 {
        return Err(io::Error::other("stdout is closed"));
    }
    Ok(())
}

/// A line for a person on stderr, made safe for a terminal. A closed or broken stderr is
/// no reason to fail (or to panic, as `eprintln!` would): the exit code still tells.
pub(crate) fn to_stderr(line: &str) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{}", redact::terminal(&redact::for_stderr(line)));
}

/// Whether to colour text for a terminal: only at one (`terminal`), not when TERM=dumb, and
/// not when NO_COLOR is set to anything but the empty string (no-color.org: an empty
/// NO_COLOR does not count).
pub(crate) fn colour(terminal: bool) -> bool {
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
pub(crate) fn not_asked() -> &'static str {
    if io::stdin().is_terminal() && !io::stderr().is_terminal() {
        " (nothing was asked: stderr is not a terminal, so a question would not be seen)"
    } else {
        ""
    }
}

/// Whether a person can answer a prompt: stdin and stderr are both terminals.
pub(crate) fn interactive() -> bool {
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
