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

/// The soft core-size limit saymon started with, restored for the command `exec` runs
/// (`u64::MAX`: unlimited).
#[cfg(unix)]
static CORE_LIMIT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Keep secrets in this process's memory out of core dumps and away from other processes
/// of the same user: no core file (soft `RLIMIT_CORE` 0) and, on Linux, not dumpable (no
/// ptrace attach, no /proc/PID/mem for the same user). Call it first thing in `main`.
pub(crate) fn harden_process() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Core);
        CORE_LIMIT.store(
            limit.current.unwrap_or(u64::MAX),
            std::sync::atomic::Ordering::SeqCst,
        );
        // A failure changes nothing: the process is then as it was.
        let _ = setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                ..limit
            },
        );
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let _ =
            rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable);
    }
}

/// For `exec`'s child, between fork and exec: the core limit it would have had without
/// saymon (dumpability comes back by itself on exec). Only async-signal-safe calls.
#[cfg(unix)]
pub(crate) fn restore_core_limit() {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    // rustix makes these system calls itself, without allocating: safe after fork.
    let saved = CORE_LIMIT.load(std::sync::atomic::Ordering::SeqCst);
    let current = (saved != u64::MAX).then_some(saved);
    let _ = setrlimit(
        Resource::Core,
        Rlimit {
            current,
            ..getrlimit(Resource::Core)
        },
    );
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
