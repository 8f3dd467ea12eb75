//! `saymon token print`: the token in use, bare, on stdout or into a file of its own.

use anyhow::Result;
use serde_json::json;

use super::TokenPrintArgs;
use crate::credentials::Session;
use crate::error::{Error, Exit};

/// Print the token in use, bare: the one handed over in the environment (SAYMON_TOKEN,
/// SAYMON_TOKEN_FILE, systemd's credential), else the profile's stored token. With `--to
/// FILE`, write it there instead (one line, mode 0600, atomically replaced: a reader, such
/// as systemd loading it as another service's credential, sees the old token or the new
/// one). Errors: no token (exit 3), FILE one of saymon's own files (exit 2), FILE not
/// writable (exit 7, as a store that cannot be written).
pub(crate) fn print(args: &TokenPrintArgs, session: &Session<'_>) -> Result<()> {
    let (token, source) = session.token()?;
    if let Some(path) = &args.to {
        check_destination(path, session)?;
        let mut line = token.expose().as_bytes().to_vec();
        line.push(b'\n');
        let written = crate::fsutil::write_atomic(path, &line);
        zeroize::Zeroize::zeroize(&mut line);
        written?;
        session.out.note(&format!(
            "Wrote the token of profile {} ({source}) to {}.",
            session.selected.profile_name,
            path.display()
        ));
        if session.out.json() {
            session.out.result_json(&json!({
                "file": path.display().to_string(),
                "source": source.kind(),
                "profile": session.selected.profile_name,
            }))?;
        }
        return Ok(());
    }
    crate::mask::register_with_ci(token.expose().as_bytes());
    if session.out.json() {
        session.out.result_json(&json!({
            "token": token.expose(),
            "source": source.kind(),
            "profile": session.selected.profile_name,
        }))?;
    } else {
        session.out.result(token.expose())?;
    }
    Ok(())
}

/// Where `token print --to` may write. Exit 2 for `-` (without `--to` the token goes to
/// stdout), a directory, or one of saymon's own files in the config dir (a bare token over
/// credentials.toml would lose every stored secret); exit 7 for a directory another user
/// may write in (without the sticky bit) or owns, who could replace the token that other
/// services load.
fn check_destination(path: &std::path::Path, session: &Session<'_>) -> Result<()> {
    let usage = |message: String, hint: &str| -> anyhow::Error {
        Error::new(Exit::Usage, message).hint(hint).into()
    };
    if path.as_os_str() == "-" {
        return Err(usage(
            "--to - would write a file named -".into(),
            "leave out --to to print the token on stdout, or write --to ./- for a file of that name",
        ));
    }
    if path.is_dir() || path.as_os_str().to_string_lossy().ends_with('/') {
        return Err(usage(
            format!("--to {} is a directory", path.display()),
            "give the file's path, e.g. --to /var/lib/saymon/prod.token",
        ));
    }
    refuse_shared_dir(path)?;
    refuse_own_file(path, session)
}

/// Exit 7 when the directory `path` goes into may be written by another user: group or
/// others may write it and it has no sticky bit, or another user (not root) owns it.
#[cfg(unix)]
fn refuse_shared_dir(path: &std::path::Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let dir = crate::fsutil::parent(path);
    let Ok(meta) = std::fs::metadata(dir) else {
        return Ok(()); // made, private, by the write
    };
    let me = rustix::process::geteuid().as_raw();
    let shared = meta.mode() & 0o022 != 0 && meta.mode() & 0o1000 == 0;
    let foreign = meta.uid() != me && meta.uid() != 0;
    if shared || foreign {
        let who = if foreign {
            format!("belongs to another user (uid {})", meta.uid())
        } else {
            format!(
                "may be written by others (mode {:03o})",
                meta.mode() & 0o777
            )
        };
        return Err(Error::new(
            Exit::StoreUnusable,
            format!(
                "--to {}: the directory {who}, who could replace the token there",
                path.display()
            ),
        )
        .hint(format!(
            "write it into a directory of your own, e.g. --to /var/lib/saymon/prod.token (or chmod go-w {})",
            dir.display()
        ))
        .into());
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_shared_dir(_path: &std::path::Path) -> Result<()> {
    Ok(())
}

/// `token print --to` must not overwrite saymon's own files in the config dir.
fn refuse_own_file(path: &std::path::Path, session: &Session<'_>) -> Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let dir = crate::fsutil::parent(path);
    let same_dir = match (
        dir.canonicalize(),
        session.selected.config_dir.canonicalize(),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let own = ["config.toml", "credentials.toml", "rescued-tokens.toml"];
    if same_dir && (own.contains(&name) || name.starts_with('.')) {
        return Err(Error::new(
            Exit::Usage,
            format!(
                "--to {} is one of saymon's own files in its config dir",
                path.display()
            ),
        )
        .hint("write the token to a file of its own, e.g. --to /var/lib/saymon/prod.token")
        .into());
    }
    Ok(())
}
