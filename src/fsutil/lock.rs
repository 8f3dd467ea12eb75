//! The config dir's locks: exclusive, held until dropped, and waited for only so long.
//! Kept as our own loop over std's `File::try_lock`: the wait must end at a deadline
//! (`--timeout`) and say once that it waits, and a lock crate (fs4, fd-lock) offers only
//! a lock that blocks for ever or one that tries once, as std does.

use std::fs::{self, File, OpenOptions};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::{ensure_private_dir, io_error, open_private};
use crate::error::{Error, Exit};

/// An exclusive lock on a file in the config dir, held until dropped. Every
/// read-modify-write of a file there happens under `.lock`, so concurrent processes (two
/// cron jobs) serialize instead of losing each other's writes.
pub(crate) struct DirLock {
    _file: File,
}

impl DirLock {
    /// Held from creating a token until it is stored: a new token kills the previous
    /// one, so two processes must not create and store in crossed order. A holder may be
    /// stuck on a slow server, so the wait is bounded by `wait`; `waiting` is called once
    /// when the lock is not free at once.
    pub(crate) fn token(dir: &Path, wait: Duration, waiting: &dyn Fn()) -> Result<DirLock> {
        Self::acquire_named(dir, ".token.lock", wait, waiting)
    }

    /// The short lock around one read-modify-write of a file in `dir`.
    pub(crate) fn acquire(dir: &Path) -> Result<DirLock> {
        Self::acquire_named(dir, ".lock", Duration::from_secs(30), &|| {})
    }

    fn acquire_named(
        dir: &Path,
        name: &str,
        wait: Duration,
        waiting: &dyn Fn(),
    ) -> Result<DirLock> {
        ensure_private_dir(dir)?;
        let path = dir.join(name);
        let file = open_private(
            &path,
            OpenOptions::new().create(true).truncate(false).write(true),
        )
        .map_err(|e| io_error(e, &path, "cannot open the lock file"))?;
        let started = Instant::now();
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(DirLock { _file: file }),
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock {}", path.display()));
                }
            }
            if started.elapsed() >= wait {
                return Err(Error::new(
                    Exit::Failure,
                    format!(
                        "another saymon has held {} for {} s; gave up waiting",
                        path.display(),
                        started.elapsed().as_secs()
                    ),
                )
                .hint(format!(
                    "another saymon is still running (stuck on a slow server?): find it with `fuser {}` and stop it, or raise --timeout",
                    path.display()
                ))
                .into());
            }
            if !told {
                told = true;
                waiting();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_waited_for_with_one_notice_then_given_up() {
        let dir = tempfile::tempdir().unwrap();
        let held = DirLock::token(dir.path(), Duration::ZERO, &|| {}).unwrap();
        let told = std::cell::Cell::new(0);
        let started = Instant::now();
        let err = DirLock::token(dir.path(), Duration::from_millis(300), &|| {
            told.set(told.get() + 1)
        })
        .err()
        .expect("the lock is held");
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert_eq!(told.get(), 1);
        assert_eq!(crate::error::exit_code(&err), Exit::Failure);
        assert!(err.to_string().contains("gave up waiting"), "{err}");
        drop(held);
        DirLock::token(dir.path(), Duration::ZERO, &|| {}).unwrap();
    }
}
