//! A stack overflow inside jq never reaches the user as an abort. jaq recurses without a
//! bound on a filter's own recursion (`def f: [f]; f`), on a filter nested thousands deep
//! in its text, and when it drops a value it built thousands deep; Rust cannot catch a
//! stack overflow. So while jq compiles or runs, a SIGSEGV/SIGBUS handler (on the signal
//! stack Rust's runtime gives every thread it starts, jq's too) ends saymon with one line and the
//! documented code: 2 for a filter too deep to parse, 1 for run-time recursion. Outside
//! jq it hands the signal to the handler that was there before (Rust's own, which names a
//! stack overflow), so every other fault is reported as before.
//!
//! Our own code: no crate turns a stack overflow into an error; this is a handler that
//! writes a fixed message and calls `_exit`, both async-signal-safe.

/// What jq is doing, for the handler.
#[derive(Clone, Copy)]
pub(super) enum Phase {
    Compile = 1,
    Run = 2,
}

/// Run `f` with the handler armed for `phase`.
#[cfg(unix)]
pub(super) fn guard<T>(phase: Phase, f: impl FnOnce() -> T) -> T {
    use std::sync::atomic::Ordering;
    unix::install();
    /// Puts the phase back, also when `f` panics.
    struct Restore(u8);
    impl Drop for Restore {
        fn drop(&mut self) {
            unix::PHASE.store(self.0, Ordering::SeqCst);
        }
    }
    let _restore = Restore(unix::PHASE.swap(phase as u8, Ordering::SeqCst));
    f()
}

#[cfg(not(unix))]
pub(crate) fn guard<T>(_: Phase, f: impl FnOnce() -> T) -> T {
    f()
}

#[cfg(unix)]
mod unix {
    use std::sync::Once;
    use std::sync::atomic::{AtomicU8, Ordering};

    pub(super) static PHASE: AtomicU8 = AtomicU8::new(0);
    static INSTALL: Once = Once::new();
    /// The actions that were there before ours: SIGSEGV, SIGBUS.
    static mut PREVIOUS: [Option<libc::sigaction>; 2] = [None, None];

    const TOO_DEEP_TO_PARSE: &[u8] = b"saymon: error: --jq: the filter is nested too deeply to parse\nhint: write it with fewer nested parentheses, brackets or braces\n";
    const TOO_DEEP_TO_RUN: &[u8] = b"saymon: error: --jq: the filter recursed too deeply (a recursive definition without an end, or a value nested too deeply)\nhint: check the filter's recursion: each recursive call must come closer to an end\n";

    pub(super) fn install() {
        INSTALL.call_once(|| {
            for (i, signal) in [libc::SIGSEGV, libc::SIGBUS].into_iter().enumerate() {
                // SAFETY: sigaction with a zeroed, then filled, struct; PREVIOUS is written
                // once, here, before the handler can run (it is installed by this call).
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = handler as *const () as usize;
                    action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                    libc::sigemptyset(&mut action.sa_mask);
                    let mut previous: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(signal, &action, &mut previous) == 0 {
                        (*std::ptr::addr_of_mut!(PREVIOUS))[i] = Some(previous);
                    }
                }
            }
        });
    }

    extern "C" fn handler(
        signal: libc::c_int,
        info: *mut libc::siginfo_t,
        context: *mut libc::c_void,
    ) {
        let message = match PHASE.load(Ordering::SeqCst) {
            1 => Some((TOO_DEEP_TO_PARSE, 2)),
            2 => Some((TOO_DEEP_TO_RUN, 1)),
            _ => None,
        };
        // SAFETY: write(2) and _exit(2) are async-signal-safe; PREVIOUS is only read here.
        unsafe {
            if let Some((text, code)) = message {
                libc::write(2, text.as_ptr().cast(), text.len());
                libc::_exit(code);
            }
            let index = usize::from(signal == libc::SIGBUS);
            match (*std::ptr::addr_of!(PREVIOUS))[index] {
                Some(previous)
                    if previous.sa_sigaction != libc::SIG_DFL
                        && previous.sa_sigaction != libc::SIG_IGN =>
                {
                    if previous.sa_flags & libc::SA_SIGINFO != 0 {
                        let chained: extern "C" fn(
                            libc::c_int,
                            *mut libc::siginfo_t,
                            *mut libc::c_void,
                        ) = std::mem::transmute(previous.sa_sigaction);
                        chained(signal, info, context);
                    } else {
                        let chained: extern "C" fn(libc::c_int) =
                            std::mem::transmute(previous.sa_sigaction);
                        chained(signal);
                    }
                }
                _ => {
                    // The default action: the fault happens again on return, and kills.
                    libc::signal(signal, libc::SIG_DFL);
                }
            }
        }
    }
}
