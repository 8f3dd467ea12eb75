//! Files that must not tear, leak or be lost: private directories, atomic writes into
//! space reserved beforehand, stale temp files swept away, and exclusive locks whose wait
//! is bounded.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Result;

use crate::error::{Error, Exit};

mod lock;
mod private;
pub(crate) use lock::DirLock;
pub(crate) use private::{PrivateRead, read_private};

/// Room reserved beyond a file's current size for the write that will replace it: a
/// token (at most `token::MAX_TOKEN_LEN`) and a remembered password, with plenty to spare.
pub(crate) const RESERVE_SLACK: u64 = 64 << 10;

/// Temp files of ours older than this are leftovers of a killed process and are removed
/// by the next write. A live one is at most a few seconds old (see `sweep_temp_files`).
const STALE_AFTER: Duration = Duration::from_secs(120);

/// Create `dir` (and its parents) if missing; a directory we create is private (0700).
pub(crate) fn ensure_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| io_error(e, dir, "cannot create the directory"))
}

/// Whether a file can be created in `dir` (created, private, if missing): a probe file
/// under a name no sweep of ours touches, removed at once.
pub(crate) fn check_writable(dir: &Path) -> Result<()> {
    ensure_private_dir(dir)?;
    tempfile::Builder::new()
        .prefix(".saymon-probe-")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| io_error(e, dir, "cannot write in"))
}

fn open_private(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, 0o600);
    options.open(path)
}

/// The temp files that replace `target` are `.<name>.<random>.tmp` beside it.
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    format!(".{name}.")
}

fn temp_builder(prefix: &str) -> tempfile::Builder<'_, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".tmp").rand_bytes(12);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    builder
}

/// A private temp file beside a target, made before the contents are known, with room
/// for them already written, and already renamed once inside the directory: proof that
/// `commit` needs nothing the directory or the disk might refuse. Removed when dropped
/// uncommitted.
pub(crate) struct Reserved {
    file: File,
    path: PathBuf,
    target: PathBuf,
    room: u64,
}

/// Claim `room` bytes of disk for `file`, so that writing that much later cannot fail for
/// want of space: fallocate(2) where the filesystem has it (blocks allocated at once, no
/// data written, nothing to sync), else real bytes, synced (a sparse file, as `set_len`
/// makes, would prove no space at all).
fn claim(file: &mut File, room: u64) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    if room > 0 {
        use rustix::fs::{FallocateFlags, fallocate};
        use rustix::io::Errno;
        // Mode 0 (no flags) allocates, and extends the file to `room`.
        match fallocate(&*file, FallocateFlags::empty(), 0, room) {
            Ok(()) => return Ok(()),
            Err(Errno::OPNOTSUPP | Errno::NOSYS | Errno::INVAL) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let chunk = [b' '; 8192];
    let mut left = room;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        file.write_all(&chunk[..n])?;
        left -= n as u64;
    }
    file.sync_all()
}

impl Reserved {
    /// Reserve the replacement of `target`: room for its current size plus `slack`.
    pub(crate) fn new(target: &Path, slack: u64) -> Result<Reserved> {
        let dir = parent(target);
        ensure_private_dir(dir)?;
        let room = fs::metadata(target).map_or(0, |m| m.len()) + slack;
        let prefix = temp_prefix(target);
        let reserved = (|| -> io::Result<Reserved> {
            let temp = temp_builder(&prefix).tempfile_in(dir)?;
            let (mut file, first) = temp.keep().map_err(|e| e.error)?;
            // From here on our Drop removes the file, wherever it is.
            let mut reserved = Reserved {
                file: file.try_clone()?,
                path: first,
                target: target.to_path_buf(),
                room,
            };
            claim(&mut file, room)?;
            // The rename that `commit` does, tried once within the same directory.
            let moved = temp_builder(&prefix)
                .make_in(dir, |candidate| {
                    fs::rename(&reserved.path, candidate).map(|()| candidate.to_path_buf())
                })?
                .keep()
                .map_err(|e| e.error)?
                .1;
            reserved.path = moved;
            Ok(reserved)
        })();
        reserved.map_err(|e| io_error(e, dir, "cannot prepare a write in"))
    }

    /// Replace the target with `contents`: written into the reserved space, synced, and
    /// renamed over the target. Contents larger than the reservation are still tried.
    /// When the contents were written but the rename failed (a directory made read-only
    /// since), the temp file is kept, not removed: it may hold the only copy of a secret,
    /// and its reader finds it (see `temp_files`); the error names it.
    pub(crate) fn commit(mut self, contents: &[u8]) -> Result<()> {
        let mut written = false;
        let result = (|| -> io::Result<()> {
            self.file.rewind()?;
            self.file.write_all(contents)?;
            self.file.set_len(contents.len() as u64)?;
            self.file.sync_all()?;
            written = true;
            fs::rename(&self.path, &self.target)?;
            sync_dir(parent(&self.target));
            Ok(())
        })();
        let target = self.target.clone();
        let kept = std::mem::take(&mut self.path);
        match result {
            // Renamed: nothing of ours is left at `path`.
            Ok(()) => Ok(()),
            Err(e) if written => Err(io_error(e, &target, "cannot write")
                .context(format!("what was to be written is in {}", kept.display()))),
            Err(e) => {
                self.path = kept;
                Err(io_error(e, &target, "cannot write"))
            }
        }
    }

    /// Whether `contents` fit in what was reserved.
    pub(crate) fn fits(&self, len: usize) -> bool {
        len as u64 <= self.room
    }

    /// The reservation's own file, which `sweep_temp_files` must spare.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Replace `path` with `contents` atomically: a private temp file beside it (mode 0600
/// from the start, never chmod-ed later, with an unpredictable name), written and synced,
/// then renamed over `path`. A reader sees the old file or the new one, never a torn one.
/// Call it under a `DirLock`.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = parent(path);
    ensure_private_dir(dir)?;
    let prefix = temp_prefix(path);
    let written = (|| -> io::Result<()> {
        let mut temp = temp_builder(&prefix).tempfile_in(dir)?;
        temp.write_all(contents)?;
        temp.as_file().sync_all()?;
        temp.persist(path).map_err(|e| e.error)?;
        sync_dir(dir);
        Ok(())
    })();
    written.map_err(|e| io_error(e, path, "cannot write"))
}

/// Replace `path` with `contents`, into the space `reserved` holds when it fits and is
/// still there (a sweep may have taken an old one), else as `write_atomic` does.
pub(crate) fn replace(path: &Path, reserved: Option<Reserved>, contents: &[u8]) -> Result<()> {
    match reserved {
        Some(reserved) if reserved.fits(contents.len()) => reserved
            .commit(contents)
            .or_else(|_| write_atomic(path, contents)),
        _ => write_atomic(path, contents),
    }
}

/// The temp files of `target` that are plain files of ours (not links), with the time
/// each was last written, oldest first: a write cut off by a kill, or one whose rename a
/// read-only directory refused, left what it wrote in one of them.
pub(crate) fn temp_files(target: &Path) -> Vec<(PathBuf, SystemTime)> {
    let prefix = temp_prefix(target);
    let Ok(entries) = fs::read_dir(parent(target)) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, SystemTime)> = entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".tmp")
        })
        .filter_map(|entry| {
            // DirEntry::metadata does not follow links.
            let meta = entry.metadata().ok()?;
            let modified = meta.modified().ok()?;
            (meta.is_file() && is_own(&meta)).then(|| (entry.path(), modified))
        })
        .collect();
    found.sort_by(|(a, at), (b, bt)| (at, a).cmp(&(bt, b)));
    found
}

#[cfg(unix)]
fn is_own(meta: &fs::Metadata) -> bool {
    std::os::unix::fs::MetadataExt::uid(meta) == rustix::process::geteuid().as_raw()
}

#[cfg(not(unix))]
fn is_own(_meta: &fs::Metadata) -> bool {
    true
}

/// Remove temp files of `target` left by killed writers: those older than a couple of
/// minutes, or, with `all`, every one but `keep` (only under both the token lock and the
/// directory lock, when no other write of ours can be in flight), and never one of
/// `holding` (which hold secrets that a reader adopts). Best effort.
pub(crate) fn sweep_temp_files(target: &Path, all: bool, keep: Option<&Path>, holding: &[PathBuf]) {
    let prefix = temp_prefix(target);
    let Ok(entries) = fs::read_dir(parent(target)) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(&prefix) && name.ends_with(".tmp")) {
            continue;
        }
        let path = entry.path();
        if Some(path.as_path()) == keep || holding.contains(&path) {
            continue;
        }
        // DirEntry::metadata does not follow links: a planted link is judged and removed
        // as a link.
        let stale = all
            || entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE_AFTER);
        if stale {
            let _ = fs::remove_file(&path);
        }
    }
}

/// The directory `path` goes into: its parent, or `.` for a bare name.
pub(crate) fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// An I/O failure on the config dir as an exit-7 error whose hint fixes the cause: a
/// read-only directory, a full disk.
fn io_error(e: io::Error, path: &Path, what: &str) -> anyhow::Error {
    let shown = path.display();
    let hint = match e.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            // A directory not made yet cannot be chmod-ed: name the one that is there.
            let existing = path
                .ancestors()
                .find(|p| !p.as_os_str().is_empty() && p.exists())
                .unwrap_or(path);
            format!(
                "make it writable for you: chmod u+rwx {} (or pass --config-dir DIR)",
                existing.display()
            )
        }
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            format!("free some space on the disk that holds {shown}, then try again")
        }
        _ => format!("check {shown} (or pass --config-dir DIR)"),
    };
    Error::new(Exit::StoreUnusable, format!("{what} {shown}: {e}"))
        .hint(hint)
        .into()
}

/// The permission bits of `path`, or None where the platform has none.
#[cfg(unix)]
pub(crate) fn mode(meta: &fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(meta.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
pub(crate) fn mode(_meta: &fs::Metadata) -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

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
        assert_eq!(names(path.parent().unwrap()), ["credentials.toml"]);
    }

    #[test]
    fn a_reservation_holds_room_and_vanishes_unless_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("credentials.toml");
        fs::write(&target, "old").unwrap();
        let reserved = Reserved::new(&target, 100).unwrap();
        let temp = reserved.path().to_path_buf();
        let name = temp.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(".credentials.toml.") && name.ends_with(".tmp"),
            "{name}"
        );
        assert_eq!(
            fs::metadata(&temp).unwrap().len(),
            103,
            "room actually written"
        );
        assert!(reserved.fits(103) && !reserved.fits(104));
        drop(reserved);
        assert_eq!(names(dir.path()), ["credentials.toml"]);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");

        let reserved = Reserved::new(&target, 100).unwrap();
        reserved.commit(b"new contents").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new contents");
        assert_eq!(names(dir.path()), ["credentials.toml"]);
    }

    #[test]
    fn a_reservation_swept_away_still_gets_the_write() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("credentials.toml");
        let reserved = Reserved::new(&target, 100).unwrap();
        fs::remove_file(reserved.path()).unwrap();
        replace(&target, Some(reserved), b"kept").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "kept");
        assert_eq!(names(dir.path()), ["credentials.toml"]);
    }

    #[cfg(unix)]
    #[test]
    fn planted_and_stale_temp_files_neither_block_nor_survive() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("credentials.toml");
        // What the old fixed name `.credentials.toml.<pid>.tmp` made predictable.
        let planted = dir
            .path()
            .join(format!(".credentials.toml.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink("/nonexistent/elsewhere", &planted).unwrap();
        let stale = dir.path().join(".credentials.toml.abc.tmp");
        fs::write(&stale, "token = \"old secret\"").unwrap();
        let other = dir.path().join(".config.toml.abc.tmp");
        fs::write(&other, "x").unwrap();
        write_atomic(&target, b"ok").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "ok");

        // Young ones stay unless `all`; the reservation named by `keep` always stays.
        sweep_temp_files(&target, false, None, &[]);
        assert!(stale.exists());
        let reserved = Reserved::new(&target, 10).unwrap();
        sweep_temp_files(&target, true, Some(reserved.path()), &[]);
        assert!(!stale.exists() && planted.symlink_metadata().is_err());
        assert!(reserved.path().exists(), "the live reservation is spared");
        assert!(
            other.exists(),
            "another file's temp files are not ours to sweep"
        );

        // Old ones go without `all`.
        fs::write(&stale, "x").unwrap();
        let old = SystemTime::now() - Duration::from_secs(600);
        File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        sweep_temp_files(&target, false, None, &[]);
        assert!(!stale.exists());
    }
}
