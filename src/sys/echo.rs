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

pub(crate) struct Hidden {
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
    pub(crate) fn start(echo_newline: bool) -> io::Result<Hidden> {
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
