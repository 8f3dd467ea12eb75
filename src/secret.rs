//! `Secret`: a password or token that never prints itself.

use std::fmt;

/// A password or a token. `Debug` prints `[redacted]` and there is no `Display`, so a
/// secret cannot reach a log line, an error message or a panic by accident; `expose()`
/// marks every place where the raw value is really used.
/// Serialized as the bare string (the file store's `credentials.toml`), so that a secret
/// read from a file is a `Secret` from the moment it is parsed.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Best effort: overwrite the bytes before the allocation is freed.
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// The soft core-size limit saymon started with, restored for the command `exec` runs.
#[cfg(unix)]
static CORE_LIMIT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Keep secrets in this process's memory out of core dumps and away from other processes
/// of the same user: no core file (soft `RLIMIT_CORE` 0) and, on Linux, not dumpable (no
/// ptrace attach, no /proc/PID/mem for the same user). Call it first thing in `main`.
pub fn harden_process() {
    #[cfg(unix)]
    // SAFETY: getrlimit/setrlimit/prctl with valid arguments; a failure changes nothing.
    unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_CORE, &mut limit) == 0 {
            CORE_LIMIT.store(limit.rlim_cur as u64, std::sync::atomic::Ordering::SeqCst);
            limit.rlim_cur = 0;
            libc::setrlimit(libc::RLIMIT_CORE, &limit);
        }
        #[cfg(any(target_os = "linux", target_os = "android"))]
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

/// For `exec`'s child, between fork and exec: the core limit it would have had without
/// saymon (dumpability comes back by itself on exec). Only async-signal-safe calls.
#[cfg(unix)]
pub fn restore_core_limit() {
    // SAFETY: getrlimit/setrlimit are plain system calls.
    unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_CORE, &mut limit) == 0 {
            limit.rlim_cur = CORE_LIMIT.load(std::sync::atomic::Ordering::SeqCst) as libc::rlim_t;
            libc::setrlimit(libc::RLIMIT_CORE, &limit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some([redacted])");
        assert_eq!(s.expose(), "hunter2");
    }
}
