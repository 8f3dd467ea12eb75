//! Secrets handed over for one run, from outside the stores, as CI and servers hand them:
//! SAYMON_PASSWORD and SAYMON_TOKEN, the files SAYMON_PASSWORD_FILE and SAYMON_TOKEN_FILE
//! name (docker and Kubernetes secrets), and systemd's credentials `password` and `token`
//! in `$CREDENTIALS_DIRECTORY` (`LoadCredential=`); and `read_secret_file`, the one reader
//! of a secret in a file, for these and for `--password-file`.
//!
//! A variable and its `_FILE` are one setting: both set is exit 2. A variable set to
//! nothing (white space at most) is not set, as in the docker images' entrypoints (an
//! empty SAYMON_PASSWORD alone is still refused, as before). A file that is named but
//! cannot be used is an error naming it, never a reason to try the next source; a
//! `$CREDENTIALS_DIRECTORY` without the entry is simply not a source (systemd sets the
//! directory for any credential of the unit).

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::error::{Error, Exit};
use crate::fsutil::{PrivateRead, read_private};
use crate::secret::Secret;
use crate::store::{SecretKind, TokenSource};

/// The most a secret file may hold: a password or a token is one short line, and a
/// bigger file is the wrong one (or a device that never ends).
pub(super) const MAX_SECRET_FILE: usize = 64 << 10;

/// Who named a secret file, for messages and hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// A flag: `--password-file`.
    Flag(&'static str),
    /// A variable: SAYMON_PASSWORD_FILE, SAYMON_TOKEN_FILE.
    Variable(&'static str),
    /// systemd, through `$CREDENTIALS_DIRECTORY`.
    Credential,
}

impl Origin {
    /// The source of what `path` holds, as messages, `-v` and `TokenSource` name it:
    /// `--password-file /p`, `SAYMON_TOKEN_FILE (/p)`, `systemd credential /p`.
    pub(super) fn source(self, path: &Path) -> String {
        let shown = path.display();
        match self {
            Origin::Flag(flag) => format!("{flag} {shown}"),
            Origin::Variable(var) => format!("{var} ({shown})"),
            Origin::Credential => format!("systemd credential {shown}"),
        }
    }

    /// What to check when the file cannot be read.
    fn unreadable_hint(self, kind: SecretKind) -> String {
        let what = kind.name();
        match self {
            Origin::Flag(flag) => format!(
                "check the path and that you may read it: {flag} takes a file whose first line is the {what}"
            ),
            Origin::Variable(var) => format!(
                "check the path and that you may read it: {var} names a file whose first line is the {what}"
            ),
            Origin::Credential => format!(
                "check the file the unit's LoadCredential={what}:FILE names: systemd hands it over in $CREDENTIALS_DIRECTORY"
            ),
        }
    }

    /// What fixes a file that holds something else than the secret alone.
    fn content_hint(self, kind: SecretKind) -> String {
        let what = kind.name();
        match self {
            Origin::Flag(flag) => format!("give {flag} a file whose first line is the {what}"),
            Origin::Variable(var) => {
                format!("point {var} at a file whose first line is the {what}")
            }
            Origin::Credential => format!(
                "put the {what} alone on the first line of the file the unit's LoadCredential={what}:FILE names"
            ),
        }
    }
}

/// The secret in the file at `path` (links followed), which `origin` named: its first
/// line, without the line end (`\n`, or `\r\n` as Windows editors save it) and without
/// the byte-order mark they may put first.
/// Errors, each naming the file and never its contents: exit 7 with the `chmod 600` that
/// fixes it when others may read it (`fsutil::read_private`); exit 3 when it
/// cannot be read, holds more than `MAX_SECRET_FILE` bytes, its first line is not UTF-8,
/// or that line is empty.
pub(super) fn read_secret_file(path: &Path, kind: SecretKind, origin: Origin) -> Result<Secret> {
    let source = origin.source(path);
    let what = kind.name();
    let bytes = read_private(path, &format!("a {what}"), MAX_SECRET_FILE).map_err(|e| {
        match e {
            PrivateRead::Io(e) => anyhow::Error::from(
                Error::new(
                    Exit::NoCredentials,
                    format!("cannot read the {what} from {source}: {e}"),
                )
                .hint(origin.unreadable_hint(kind)),
            ),
            PrivateRead::Mode(mut error) => {
                if let Origin::Variable(_) = origin {
                    error.hint = Some(format!(
                        "chmod 600 {}; for a docker or Kubernetes secret, give it mode 0400 (compose: mode: 0400; a pod: defaultMode: 0400)",
                        path.display()
                    ));
                }
                error.into()
            }
            PrivateRead::Refused(error) => error.into(),
        }
    })?;
    let refused = |why: String| -> anyhow::Error {
        Error::new(Exit::NoCredentials, why)
            .hint(origin.content_hint(kind))
            .into()
    };
    if bytes.len() > MAX_SECRET_FILE {
        return Err(refused(format!(
            "{source} holds more than {} KiB: a {what} is one short line (is it the right file?)",
            MAX_SECRET_FILE >> 10
        )));
    }
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    // The byte-order mark Windows editors put first is not part of the secret.
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let Ok(line) = std::str::from_utf8(line) else {
        return Err(refused(format!(
            "the {what} from {source} is not valid UTF-8"
        )));
    };
    if line.is_empty() {
        return Err(refused(format!(
            "the {what} from {source} is empty (its first line): an empty {what} is refused, never sent"
        )));
    }
    Ok(Secret::new(line))
}

/// Where the variables are read from: the process's environment (`process`), or in the
/// unit tests a map of their own, so that each source's precedence is tested in-process.
type Vars<'v> = &'v dyn Fn(&str) -> Option<OsString>;

/// The process's environment.
fn process(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

/// Whether a variable's value is nothing (white space at most): as docker entrypoints
/// have it, not set.
fn blank(value: &OsString) -> bool {
    value.to_string_lossy().trim().is_empty()
}

/// The value of the variable `name` when it is set to something (not white space alone).
fn set_var(vars: Vars<'_>, name: &str) -> Option<OsString> {
    vars(name).filter(|v| !blank(v))
}

/// Whether the variable `name` is set, but to nothing (white space at most).
fn set_but_empty(vars: Vars<'_>, name: &str) -> bool {
    vars(name).is_some_and(|v| blank(&v))
}

/// `$CREDENTIALS_DIRECTORY/name` when the variable is set and an entry of that name is
/// there (even one that cannot be read: reading it then says why). None when there is
/// no such entry: systemd sets the directory for whatever credentials the unit has.
fn credential(vars: Vars<'_>, name: &str) -> Option<PathBuf> {
    let dir = vars("CREDENTIALS_DIRECTORY").filter(|d| !d.is_empty())?;
    let path = Path::new(&dir).join(name);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        _ => Some(path),
    }
}

/// Exit 2: a variable and its `_FILE` are both set, and they are one setting.
fn both_set(var: &str, file_var: &str) -> anyhow::Error {
    Error::new(
        Exit::Usage,
        format!("{var} and {file_var} are both set: set one of them"),
    )
    .hint(format!(
        "unset {var} to use the file {file_var} names, or unset {file_var}"
    ))
    .into()
}

/// The password handed over in the environment, and its source for messages and `-v`:
/// SAYMON_PASSWORD, else the file SAYMON_PASSWORD_FILE names, else systemd's credential
/// `$CREDENTIALS_DIRECTORY/password`. An empty SAYMON_PASSWORD is returned as it is (the
/// caller refuses it), unless SAYMON_PASSWORD_FILE is set: then the file is the setting,
/// and a SAYMON_PASSWORD of white space alone is not set either.
/// Errors: exit 2 when both variables are set; SAYMON_PASSWORD not UTF-8 (exit 3); those
/// of `read_secret_file`.
pub(crate) fn env_password() -> Result<Option<(Secret, String)>> {
    env_password_in(&process)
}

/// `env_password` with the variables of `vars`.
fn env_password_in(vars: Vars<'_>) -> Result<Option<(Secret, String)>> {
    let file = set_var(vars, "SAYMON_PASSWORD_FILE");
    let value = vars("SAYMON_PASSWORD");
    // Beside SAYMON_PASSWORD_FILE, a SAYMON_PASSWORD of white space is not set: the file
    // is the setting.
    if let Some(value) = value.filter(|v| file.is_none() || !blank(v)) {
        if file.is_some() {
            return Err(both_set("SAYMON_PASSWORD", "SAYMON_PASSWORD_FILE"));
        }
        // White space alone is no password (a blank CI variable): as empty, refused.
        let value = match blank(&value) {
            true => String::new(),
            false => value.into_string().map_err(|_| {
                Error::new(Exit::NoCredentials, "SAYMON_PASSWORD is not valid UTF-8")
            })?,
        };
        return Ok(Some((Secret::new(value), "SAYMON_PASSWORD".into())));
    }
    let (path, origin) = match (file, credential(vars, SecretKind::Password.name())) {
        (Some(file), _) => (
            PathBuf::from(file),
            Origin::Variable("SAYMON_PASSWORD_FILE"),
        ),
        (None, Some(path)) => (path, Origin::Credential),
        (None, None) => return Ok(None),
    };
    let password = read_secret_file(&path, SecretKind::Password, origin)?;
    Ok(Some((password, origin.source(&path))))
}

/// Whether the environment hands over a password (`env_password` has one to read, or an
/// error to tell), without reading it.
pub(super) fn env_password_given() -> bool {
    process("SAYMON_PASSWORD").is_some()
        || set_var(&process, "SAYMON_PASSWORD_FILE").is_some()
        || credential(&process, SecretKind::Password.name()).is_some()
}

/// " (SAYMON_PASSWORD_FILE is set but empty)" when it is, for messages about a missing
/// password.
pub(super) fn empty_env_password_note() -> &'static str {
    if set_but_empty(&process, "SAYMON_PASSWORD_FILE") {
        " (SAYMON_PASSWORD_FILE is set but empty)"
    } else {
        ""
    }
}

/// Where the token handed over in the environment is, without reading it: SAYMON_TOKEN,
/// else the file SAYMON_TOKEN_FILE names, else systemd's `$CREDENTIALS_DIRECTORY/token`.
pub(crate) fn env_token_source() -> Option<TokenSource> {
    env_token_source_in(&process)
}

/// `env_token_source` with the variables of `vars`.
fn env_token_source_in(vars: Vars<'_>) -> Option<TokenSource> {
    if set_var(vars, "SAYMON_TOKEN").is_some() {
        return Some(TokenSource::Environment);
    }
    if let Some(file) = set_var(vars, "SAYMON_TOKEN_FILE") {
        return Some(TokenSource::EnvironmentFile(file.into()));
    }
    credential(vars, SecretKind::Token.name()).map(TokenSource::Credential)
}

/// Whether a token is handed over in the environment (it then wins over any stored one).
pub(crate) fn env_token_set() -> bool {
    env_token_source().is_some()
}

/// The token handed over in the environment (see `env_token_source`) and where it came
/// from, through `token::accept_token` (exit 1 when it cannot be a token). Errors: exit 2
/// when SAYMON_TOKEN and SAYMON_TOKEN_FILE are both set; SAYMON_TOKEN not UTF-8 (exit 3,
/// as for SAYMON_PASSWORD); those of `read_secret_file`.
pub(crate) fn env_token() -> Result<Option<(Secret, TokenSource)>> {
    env_token_in(&process)
}

/// `env_token` with the variables of `vars`.
fn env_token_in(vars: Vars<'_>) -> Result<Option<(Secret, TokenSource)>> {
    let value = set_var(vars, "SAYMON_TOKEN");
    let file = set_var(vars, "SAYMON_TOKEN_FILE");
    if value.is_some() && file.is_some() {
        return Err(both_set("SAYMON_TOKEN", "SAYMON_TOKEN_FILE"));
    }
    if let Some(value) = value {
        let value = value
            .into_string()
            .map_err(|_| Error::new(Exit::NoCredentials, "SAYMON_TOKEN is not valid UTF-8"))?;
        let token = crate::token::accept_token(Secret::new(value), "SAYMON_TOKEN")?;
        return Ok(Some((token, TokenSource::Environment)));
    }
    let (path, origin) = match (file, credential(vars, SecretKind::Token.name())) {
        (Some(file), _) => (PathBuf::from(file), Origin::Variable("SAYMON_TOKEN_FILE")),
        (None, Some(path)) => (path, Origin::Credential),
        (None, None) => return Ok(None),
    };
    let token = read_secret_file(&path, SecretKind::Token, origin)?;
    let source = match origin {
        Origin::Credential => TokenSource::Credential(path),
        _ => TokenSource::EnvironmentFile(path),
    };
    let token = crate::token::accept_token(token, &source.to_string())?;
    Ok(Some((token, source)))
}

/// "SAYMON_TOKEN is set but empty" (or SAYMON_TOKEN_FILE, or both) when so, for messages
/// about a missing token.
pub(super) fn empty_env_token() -> Option<&'static str> {
    match (
        set_but_empty(&process, "SAYMON_TOKEN"),
        set_but_empty(&process, "SAYMON_TOKEN_FILE"),
    ) {
        (true, true) => Some("SAYMON_TOKEN and SAYMON_TOKEN_FILE are set but empty"),
        (true, false) => Some("SAYMON_TOKEN is set but empty"),
        (false, true) => Some("SAYMON_TOKEN_FILE is set but empty"),
        (false, false) => None,
    }
}

/// " (SAYMON_TOKEN is set but empty)" when it is (see `empty_env_token`), for messages
/// about a missing token.
pub(crate) fn empty_env_token_note() -> String {
    empty_env_token()
        .map(|note| format!(" ({note})"))
        .unwrap_or_default()
}

/// A token handed over in the environment, named for a sentence: `SAYMON_TOKEN`,
/// `SAYMON_TOKEN_FILE (/p)`, `the systemd credential /p`. Stored sources as `TokenSource`
/// shows them.
pub(crate) fn given_name(source: &TokenSource) -> String {
    match source {
        TokenSource::Environment => "SAYMON_TOKEN".into(),
        TokenSource::Credential(_) => format!("the {source}"),
        _ => source.to_string(),
    }
}

/// What stops a handed-over token from winning over the stored one.
fn set_aside(source: &TokenSource) -> &'static str {
    match source {
        TokenSource::EnvironmentFile(_) => "unset SAYMON_TOKEN_FILE",
        TokenSource::Credential(_) => "take the token credential out of the unit",
        _ => "unset SAYMON_TOKEN",
    }
}

/// What to do about a handed-over token the server refused. It may never have worked,
/// and it wins over the stored token, so `login` or `token refresh` (which would kill
/// the stored token that works) are never the fix.
pub(crate) fn given_token_refused(source: &TokenSource) -> String {
    let check = match source {
        TokenSource::EnvironmentFile(_) => "check the secret that file holds",
        TokenSource::Credential(_) => "check the file the unit's LoadCredential=token:FILE names",
        _ => "check the CI secret or variable it comes from",
    };
    format!(
        "{} was refused (not a token of this server, mistyped, replaced or revoked): {check}, or {} to use the stored token",
        given_name(source),
        set_aside(source)
    )
}

/// The warning of a command that stored a token while one handed over in the
/// environment wins over it.
pub(crate) fn given_token_wins(source: &TokenSource, what: &str) -> String {
    format!(
        "{} is set in this environment: commands use it before {what} ({} to use the stored one)",
        given_name(source),
        set_aside(source)
    )
}

#[cfg(test)]
mod tests;
