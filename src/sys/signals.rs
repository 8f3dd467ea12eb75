//! Signals around `exec`'s command: what the caller left ignored (read before Rust's
//! runtime changes SIGPIPE), and while the command runs, signals left to it or passed on.

use std::process::Command;

/// The pid that `forward` passes signals on to.
#[cfg(unix)]
static CHILD: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

#[cfg(unix)]
extern "C" fn forward(signal: libc::c_int) {
    let pid = CHILD.load(std::sync::atomic::Ordering::SeqCst);
    // rustix's kill is a plain system call: async-signal-safe.
    if let (Some(pid), Some(signal)) = (
        rustix::process::Pid::from_raw(pid),
        rustix::process::Signal::from_named_raw(signal),
    ) {
        let _ = rustix::process::kill_process(pid, signal);
    }
}

/// From now on, SIGTERM and SIGHUP sent to saymon go on to the process `pid` (see
/// `leave_to_the_command`).
pub(crate) fn forward_to(pid: u32) {
    #[cfg(unix)]
    CHILD.store(pid as i32, std::sync::atomic::Ordering::SeqCst);
    #[cfg(not(unix))]
    let _ = pid;
}

/// While the command runs, the command decides what signals mean, and we wait to report
/// how it ended, as a shell does. Ctrl-C and Ctrl-\\ at a terminal already reach the
/// whole foreground group: we ignore them (and the command gets them back at their
/// default). SIGTERM and SIGHUP sent to us alone (a stopping service manager, a closed
/// SSH session) are passed on to the command; caught signals reset to default on exec.
/// A signal our caller ignored (`nohup` ignores SIGHUP) stays ignored, for us and for
/// the command, as a shell leaves it.
pub(crate) fn leave_to_the_command(command: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let handler = forward as extern "C" fn(libc::c_int) as libc::sighandler_t;
        let [int, quit, term, hup] =
            [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM, libc::SIGHUP].map(ignored);
        // SAFETY: SIG_IGN has no preconditions; `forward` only calls kill.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            libc::signal(libc::SIGQUIT, libc::SIG_IGN);
            if !term {
                libc::signal(libc::SIGTERM, handler);
            }
            if !hup {
                libc::signal(libc::SIGHUP, handler);
            }
        }
        // SAFETY: between fork and exec only signal(), which is async-signal-safe.
        unsafe {
            let pipe = SIGPIPE_IGNORED.load(std::sync::atomic::Ordering::SeqCst);
            command.pre_exec(move || {
                if pipe {
                    libc::signal(libc::SIGPIPE, libc::SIG_IGN);
                }
                if !int {
                    libc::signal(libc::SIGINT, libc::SIG_DFL);
                }
                if !quit {
                    libc::signal(libc::SIGQUIT, libc::SIG_DFL);
                }
                crate::secret::restore_core_limit();
                Ok(())
            });
        }
    }
    #[cfg(not(unix))]
    let _ = command;
}

/// Whether SIGPIPE was ignored when saymon started: Rust's runtime ignores it for itself
/// before `main`, so it is read before that (`record_inherited_sigpipe`, run from
/// `.init_array`), and given back ignored to the command.
#[cfg(unix)]
static SIGPIPE_IGNORED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Note whether the caller left SIGPIPE ignored. Runs before Rust's runtime starts.
#[cfg(unix)]
pub extern "C" fn record_inherited_sigpipe() {
    SIGPIPE_IGNORED.store(ignored(libc::SIGPIPE), std::sync::atomic::Ordering::SeqCst);
}

/// Whether `signal` is ignored now (as the caller left it).
#[cfg(unix)]
fn ignored(signal: libc::c_int) -> bool {
    // SAFETY: sigaction with a null new action only reads the current one.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut current) == 0
            && current.sa_sigaction == libc::SIG_IGN
    }
}
