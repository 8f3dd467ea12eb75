//! Files that must not tear or leak: private directories, atomic writes, an exclusive lock.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Create `dir` (and its parents) if missing; a directory we create is private (0700).
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create the directory {}", dir.display()))
}

/// An exclusive lock on a file in the config dir, held until dropped. Every
/// read-modify-write of a file there happens under `.lock`, so concurrent processes (two
/// cron jobs) serialize instead of losing each other's writes.
pub struct DirLock {
    _file: File,
}

impl DirLock {
    /// Held from creating a token until it is stored: a new token kills the previous
    /// one, so two processes must not create and store in crossed order.
    pub fn token(dir: &Path) -> Result<DirLock> {
        Self::acquire_named(dir, ".token.lock")
    }

    pub fn acquire(dir: &Path) -> Result<DirLock> {
        Self::acquire_named(dir, ".lock")
    }

    fn acquire_named(dir: &Path, name: &str) -> Result<DirLock> {
        ensure_private_dir(dir)?;
        let path = dir.join(name);
        let file = open_private(
            &path,
            OpenOptions::new().create(true).truncate(false).write(true),
        )
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        file.lock()
            .with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(DirLock { _file: file })
    }
}

fn open_private(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, 0o600);
    options.open(path)
}

/// Replace `path` with `contents` atomically: a private temp file beside it (mode 0600
/// from the start, never chmod-ed later), written and synced, then renamed over `path`.
/// A reader sees the old file or the new one, never a torn one. Call it under a `DirLock`.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    ensure_private_dir(dir)?;
    let tmp = temp_path(path);
    let result = (|| -> io::Result<()> {
        let mut file = open_private(&tmp, OpenOptions::new().write(true).create_new(true))?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        #[cfg(unix)]
        File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// The permission bits of `path`, or None where the platform has none.
#[cfg(unix)]
pub fn mode(meta: &fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(meta.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
pub fn mode(_meta: &fs::Metadata) -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_is_private_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/credentials.toml");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        #[cfg(unix)]
        {
            assert_eq!(mode(&fs::metadata(&path).unwrap()), Some(0o600));
            assert_eq!(
                mode(&fs::metadata(path.parent().unwrap()).unwrap()),
                Some(0o700)
            );
        }
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temp file left behind");
    }
}
