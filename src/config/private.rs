//! A config that others could change is refused: whoever may write it could point the
//! profiles (and so the token and password) at another server.

use std::path::Path;

use anyhow::Result;

#[cfg(unix)]
use crate::error::{Error, Exit};

/// Refuse `path` when group or others may write it, or when it belongs to another user
/// (root excepted, as ssh does). A missing path is fine: we create it private.
#[cfg(unix)]
pub(super) fn check_private(path: &Path, fix: &str) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let me = rustix::process::geteuid().as_raw();
    match unsafe_owner_or_mode(meta.uid(), meta.mode(), me) {
        None => Ok(()),
        Some(problem) => Err(problem.error(path, fix).into()),
    }
}

#[cfg(not(unix))]
pub(super) fn check_private(_path: &Path, _fix: &str) -> Result<()> {
    Ok(())
}

/// As `check_private`, and a symbolic link is refused too (not followed): for the pinned
/// certificates and their directory, whose contents decide whom saymon trusts. Exit 7,
/// with `fix` (e.g. "chmod 700") for a mode others may write. A missing path is fine.
#[cfg(unix)]
pub(crate) fn check_own_private(path: &Path, fix: &str) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        let shown = path.display();
        return Err(Error::new(
            Exit::StoreUnusable,
            format!(
                "{shown} is a symbolic link: saymon does not follow one to what decides whom it trusts"
            ),
        )
        .hint(format!(
            "remove the link ({shown}) and pin again with `saymon login --pin sha256:FINGERPRINT`"
        ))
        .into());
    }
    check_private(path, fix)
}

#[cfg(not(unix))]
pub(crate) fn check_own_private(_path: &Path, _fix: &str) -> Result<()> {
    Ok(())
}

/// Why a config path others could change is refused.
#[cfg(unix)]
#[derive(Debug, PartialEq, Eq)]
enum Unsafe {
    /// Another user (not us, not root) owns it.
    Owner(u32),
    /// Group or others may write it.
    Mode(u32),
}

/// The decision of `check_private`, for a path owned by `owner` with `mode`, read by `me`.
#[cfg(unix)]
fn unsafe_owner_or_mode(owner: u32, mode: u32, me: u32) -> Option<Unsafe> {
    if owner != me && owner != 0 {
        return Some(Unsafe::Owner(owner));
    }
    let mode = mode & 0o777;
    (mode & 0o022 != 0).then_some(Unsafe::Mode(mode))
}

#[cfg(unix)]
impl Unsafe {
    fn error(&self, path: &Path, fix: &str) -> Error {
        let shown = path.display();
        match self {
            Unsafe::Owner(uid) => Error::new(
                Exit::StoreUnusable,
                format!(
                    "{shown} belongs to another user (uid {uid}), who could point your profiles at another server"
                ),
            )
            .hint(format!(
                "use your own config dir (--config-dir DIR), or take it over: chown $(id -u) {shown}"
            )),
            Unsafe::Mode(mode) => Error::new(
                Exit::StoreUnusable,
                format!(
                    "{shown} may be changed by others (mode {mode:03o}), who could point your profiles at another server"
                ),
            )
            .hint(format!("{fix} {shown}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn who_may_change_a_config() {
        // Ours, private.
        assert_eq!(unsafe_owner_or_mode(1000, 0o40700, 1000), None);
        assert_eq!(unsafe_owner_or_mode(1000, 0o100600, 1000), None);
        assert_eq!(
            unsafe_owner_or_mode(1000, 0o755, 1000),
            None,
            "read is fine"
        );
        // Root's is trusted, as ssh trusts it; another user's is not.
        assert_eq!(unsafe_owner_or_mode(0, 0o700, 1000), None);
        assert_eq!(unsafe_owner_or_mode(0, 0o700, 0), None);
        assert_eq!(
            unsafe_owner_or_mode(1001, 0o700, 1000),
            Some(Unsafe::Owner(1001))
        );
        assert_eq!(
            unsafe_owner_or_mode(1001, 0o700, 0),
            Some(Unsafe::Owner(1001))
        );
        // Group or others may write.
        assert_eq!(
            unsafe_owner_or_mode(1000, 0o40770, 1000),
            Some(Unsafe::Mode(0o770))
        );
        assert_eq!(
            unsafe_owner_or_mode(1000, 0o602, 1000),
            Some(Unsafe::Mode(0o602))
        );
        let err = Unsafe::Mode(0o770).error(Path::new("/c"), "chmod 700");
        assert_eq!(err.exit, Exit::StoreUnusable);
        assert_eq!(
            err.message,
            "/c may be changed by others (mode 770), who could point your profiles at another server"
        );
        assert_eq!(err.hint.as_deref(), Some("chmod 700 /c"));
        let err = Unsafe::Owner(7).error(Path::new("/c"), "chmod 700");
        assert!(
            err.message
                .starts_with("/c belongs to another user (uid 7)")
        );
    }
}
