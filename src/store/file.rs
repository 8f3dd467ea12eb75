//! The file store: `credentials.toml` in the config dir, 0600 from the start, replaced
//! atomically under the config dir's lock, refused when others can read it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{Change, SecretKind, SecretStore};
use crate::error::{Error, Exit};
use crate::fsutil;
use crate::secret::Secret;

pub(crate) const CREDENTIALS_FILE: &str = "credentials.toml";
/// Where a new token goes when its store failed (see `lifecycle`): the same format, mode and
/// atomic, locked writes as `credentials.toml`, holding only tokens, until they are moved.
pub(crate) const RESCUE_FILE: &str = "rescued-tokens.toml";

pub(crate) struct FileStore {
    dir: PathBuf,
    path: PathBuf,
    /// The replacement of the file, reserved by `prepare` for the next write.
    reserved: RefCell<Option<fsutil::Reserved>>,
}

/// The file's contents. No Debug: it holds secrets.
#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    #[serde(default)]
    accounts: BTreeMap<String, Account>,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Account {
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<Secret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<Secret>,
}

impl Account {
    fn slot(&mut self, kind: SecretKind) -> &mut Option<Secret> {
        match kind {
            SecretKind::Token => &mut self.token,
            SecretKind::Password => &mut self.password,
        }
    }

    fn get(&self, kind: SecretKind) -> Option<&Secret> {
        match kind {
            SecretKind::Token => self.token.as_ref(),
            SecretKind::Password => self.password.as_ref(),
        }
    }

    fn is_empty(&self) -> bool {
        self.token.is_none() && self.password.is_none()
    }
}

impl FileStore {
    /// The file store of `config_dir`: `credentials.toml`.
    pub(crate) fn new(config_dir: &Path) -> Self {
        Self::at(config_dir, CREDENTIALS_FILE)
    }

    /// The rescue file of `config_dir`: `rescued-tokens.toml`.
    pub(crate) fn rescue(config_dir: &Path) -> Self {
        Self::at(config_dir, RESCUE_FILE)
    }

    fn at(config_dir: &Path, name: &str) -> Self {
        FileStore {
            dir: config_dir.to_path_buf(),
            path: config_dir.join(name),
            reserved: RefCell::new(None),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn unusable(&self, message: String) -> Error {
        Error::new(Exit::StoreUnusable, message)
    }

    /// Read the file and what cut-off writes of it left (`load`).
    fn read(&self) -> Result<Credentials> {
        self.load().map(|loaded| loaded.creds)
    }

    /// The file, with what writes of it that were cut off (a kill between writing and
    /// renaming) or refused their rename (a directory made read-only) left in their temp
    /// files: each such file that parses and holds a token is the file as that write made
    /// it, newer than the file (a write that succeeds adopts and removes them), so its
    /// accounts are laid over the file's, oldest first. A secret there is never lost to a
    /// sweep: the next write of the file takes it in.
    fn load(&self) -> Result<Loaded> {
        let mut creds = self.read_file()?;
        let mut loaded = Loaded::default();
        for (path, _) in fsutil::temp_files(&self.path) {
            let Some(stranded) = read_stranded(&path) else {
                continue;
            };
            for (account, entry) in stranded.accounts {
                if entry.token.is_some() {
                    loaded.origins.insert(account.clone(), path.clone());
                }
                creds.accounts.insert(account, entry);
            }
            loaded.adopted.push(path);
        }
        loaded.creds = creds;
        Ok(loaded)
    }

    /// The token of `account`, and the file it is in: this file, or the temp file a write
    /// cut off left it in (see `load`). Exit 7 as for `get`.
    pub(crate) fn token_and_file(&self, account: &str) -> Result<Option<(Secret, PathBuf)>> {
        let mut loaded = self.load()?;
        let file = loaded
            .origins
            .remove(account)
            .unwrap_or_else(|| self.path.clone());
        Ok(loaded
            .creds
            .accounts
            .get_mut(account)
            .and_then(|a| a.token.take())
            .map(|token| (token, file)))
    }

    /// Read the file, refusing it when group or others may read it (as ssh does).
    fn read_file(&self) -> Result<Credentials> {
        let shown = self.path.display();
        let meta = match fs::metadata(&self.path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Credentials::default()),
            Err(e) => return Err(self.unusable(format!("cannot read {shown}: {e}")).into()),
        };
        if let Some(mode) = fsutil::mode(&meta)
            && mode & 0o077 != 0
        {
            return Err(self
                .unusable(format!(
                    "{shown} holds secrets but others can read it (mode {mode:03o})"
                ))
                .hint(format!("chmod 600 {shown}"))
                .into());
        }
        let text = Zeroizing::new(
            fs::read_to_string(&self.path)
                .map_err(|e| self.unusable(format!("cannot read {shown}: {e}")))?,
        );
        parse(&text).map_err(|line| {
            self.unusable(format!(
                "{shown} is not a valid credentials file (error{})",
                line.map(|n| format!(" at line {n}")).unwrap_or_default()
            ))
            .hint(format!(
                "fix it, or move it away and log in again; saymon does not overwrite {shown}"
            ))
            .into()
        })
    }

    /// Read, change and write back under the lock, so that concurrent writers serialize.
    /// The write goes into the space `prepare` reserved, when it did; temp files that
    /// killed writers left behind are removed (all of them when this write was prepared
    /// under the token lock, else the old ones).
    fn modify<T>(&self, change: impl FnOnce(&mut Credentials) -> (T, bool)) -> Result<T> {
        let _lock = fsutil::DirLock::acquire(&self.dir)?;
        let reserved = self.reserved.borrow_mut().take();
        let Loaded {
            mut creds, adopted, ..
        } = self.load()?;
        fsutil::sweep_temp_files(
            &self.path,
            reserved.is_some(),
            reserved.as_ref().map(fsutil::Reserved::path),
            &adopted,
        );
        let (result, changed) = change(&mut creds);
        if !changed {
            return Ok(result);
        }
        let mut text = Zeroizing::new(String::from(
            "# saymon credentials: secrets. Keep this file private (mode 0600).\n\n",
        ));
        text.push_str(&Zeroizing::new(toml::to_string_pretty(&creds)?));
        fsutil::replace(&self.path, reserved, text.as_bytes())?;
        // Written into the file now: the temp files it took in are done with.
        for path in adopted {
            let _ = fs::remove_file(path);
        }
        Ok(result)
    }
}

impl FileStore {
    /// Remove every temp file of ours, which a killed writer may have left holding
    /// secrets. Only under the token lock, when no reservation of another run is live.
    pub(crate) fn sweep(&self) -> Result<()> {
        if !self.dir.is_dir() {
            return Ok(());
        }
        let _lock = fsutil::DirLock::acquire(&self.dir)?;
        let holding = self.load()?.adopted;
        fsutil::sweep_temp_files(&self.path, true, None, &holding);
        Ok(())
    }
}

/// What `load` read: the file with the cut-off writes laid over it, those writes' temp
/// files, and for each account whose token came from one of them, that file.
#[derive(Default)]
struct Loaded {
    creds: Credentials,
    adopted: Vec<PathBuf>,
    origins: BTreeMap<String, PathBuf>,
}

/// A temp file that a cut-off write left, when it is private, parses, and holds a token.
/// A write killed before it set the length may have left the reserved room's blanks or
/// zeros after the text: they are not part of it.
fn read_stranded(path: &Path) -> Option<Credentials> {
    let meta = fs::symlink_metadata(path).ok()?;
    if fsutil::mode(&meta).is_some_and(|mode| mode & 0o077 != 0) {
        return None;
    }
    let bytes = Zeroizing::new(fs::read(path).ok()?);
    let text = std::str::from_utf8(&bytes).ok()?;
    let creds = parse(text.trim_end_matches(['\0', ' ', '\n'])).ok()?;
    creds
        .accounts
        .values()
        .any(|a| a.token.is_some())
        .then_some(creds)
}

/// Parse the file's text; the error is only the line number, since the parser's message
/// may quote a secret.
pub fn parse(text: &str) -> std::result::Result<Credentials, Option<usize>> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        e.span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
    })
}

impl SecretStore for FileStore {
    fn describe(&self) -> String {
        format!("the file {}", self.path.display())
    }

    fn prepare(&self) -> Result<()> {
        // The file must be readable and sound before a write could replace it.
        self.read()?;
        let reserved = fsutil::Reserved::new(&self.path, fsutil::RESERVE_SLACK)?;
        *self.reserved.borrow_mut() = Some(reserved);
        Ok(())
    }

    fn check(&self) -> Result<()> {
        self.read()?;
        fsutil::check_writable(&self.dir)
    }

    fn get(&self, account: &str, kind: SecretKind) -> Result<Option<Secret>> {
        let mut creds = self.read()?;
        Ok(creds
            .accounts
            .get_mut(account)
            .and_then(|a| a.slot(kind).take()))
    }

    fn write(&self, changes: &[Change<'_>]) -> Result<Vec<bool>> {
        // Nothing to remove is no reason to write (or to need a writable directory).
        let creds = self.read()?;
        let noop = changes.iter().all(|c| {
            c.value.is_none()
                && creds
                    .accounts
                    .get(c.account)
                    .is_none_or(|a| a.get(c.kind).is_none())
        });
        if noop && self.reserved.borrow().is_none() {
            return Ok(vec![false; changes.len()]);
        }
        self.modify(|creds| {
            let mut had = Vec::with_capacity(changes.len());
            for c in changes {
                let account = creds.accounts.entry(c.account.to_string()).or_default();
                let slot = account.slot(c.kind);
                had.push(slot.is_some());
                *slot = c.value.cloned();
                if account.is_empty() {
                    creds.accounts.remove(c.account);
                }
            }
            let changed = changes
                .iter()
                .zip(&had)
                .any(|(c, had)| *had || c.value.is_some());
            (had, changed)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let (token, password) = (SecretKind::Token, SecretKind::Password);
        assert!(store.get("a@h", token).unwrap().is_none());
        store.set("a@h", token, &Secret::new("t1")).unwrap();
        store.set("a@h", password, &Secret::new("p1")).unwrap();
        store.set("b@h:8443", token, &Secret::new("t2")).unwrap();
        assert_eq!(store.get("a@h", token).unwrap().unwrap().expose(), "t1");
        assert_eq!(store.get("a@h", password).unwrap().unwrap().expose(), "p1");
        assert!(store.delete("a@h", token).unwrap());
        assert!(!store.delete("a@h", token).unwrap());
        assert_eq!(store.get("a@h", password).unwrap().unwrap().expose(), "p1");
        assert!(store.delete("a@h", password).unwrap());
        assert_eq!(
            store.get("b@h:8443", token).unwrap().unwrap().expose(),
            "t2"
        );
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(
            !text.contains("a@h"),
            "an emptied account is removed:\n{text}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_file_others_can_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        store
            .set("a@h", SecretKind::Token, &Secret::new("t1"))
            .unwrap();
        fs::set_permissions(store.path(), fs::Permissions::from_mode(0o644)).unwrap();
        let err = store.get("a@h", SecretKind::Token).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), Exit::StoreUnusable);
        let hint = crate::error::hint(&err).unwrap();
        assert_eq!(hint, format!("chmod 600 {}", store.path().display()));
    }

    #[test]
    fn garbage_is_refused_without_quoting_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        fsutil::write_atomic(store.path(), b"[accounts]\n\"a@h\" = \"sekrit\"\n").unwrap();
        let err = store
            .set("a@h", SecretKind::Token, &Secret::new("new"))
            .unwrap_err();
        assert!(!format!("{err:#}").contains("sekrit"));
        assert!(err.to_string().contains("line 2"), "{err}");
        assert_eq!(
            fs::read_to_string(store.path()).unwrap(),
            "[accounts]\n\"a@h\" = \"sekrit\"\n",
            "left untouched"
        );
    }
}
