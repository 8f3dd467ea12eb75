//! The file store: `credentials.toml` in the config dir, 0600 from the start, replaced
//! atomically under the config dir's lock, refused when others can read it.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};

use super::{SecretKind, SecretStore};
use crate::error::{Error, Exit};
use crate::fsutil;
use crate::secret::Secret;

pub const CREDENTIALS_FILE: &str = "credentials.toml";

pub struct FileStore {
    dir: PathBuf,
    path: PathBuf,
}

/// The file's contents. No Debug: it holds secrets.
#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    #[serde(default)]
    accounts: BTreeMap<String, Account>,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Account {
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

impl Account {
    fn slot(&mut self, kind: SecretKind) -> &mut Option<String> {
        match kind {
            SecretKind::Token => &mut self.token,
            SecretKind::Password => &mut self.password,
        }
    }

    fn is_empty(&self) -> bool {
        self.token.is_none() && self.password.is_none()
    }
}

impl FileStore {
    pub fn new(config_dir: &Path) -> Self {
        FileStore {
            dir: config_dir.to_path_buf(),
            path: config_dir.join(CREDENTIALS_FILE),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn unusable(&self, message: String) -> Error {
        Error::new(Exit::StoreUnusable, message)
    }

    /// Read the file, refusing it when group or others may read it (as ssh does).
    fn read(&self) -> Result<Credentials> {
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
        let text = fs::read_to_string(&self.path)
            .map_err(|e| self.unusable(format!("cannot read {shown}: {e}")))?;
        // Never show the parser's message: it may quote a secret.
        toml::from_str(&text).map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .map(|n| format!(" at line {n}"))
                .unwrap_or_default();
            self.unusable(format!(
                "{shown} is not a valid credentials file (error{line})"
            ))
            .hint(format!(
                "fix it, or move it away and log in again; saymon does not overwrite {shown}"
            ))
            .into()
        })
    }

    /// Read, change and write back under the lock, so that concurrent writers serialize.
    fn modify<T>(&self, change: impl FnOnce(&mut Credentials) -> T) -> Result<T> {
        let _lock =
            fsutil::DirLock::acquire(&self.dir).map_err(|e| self.unusable(format!("{e:#}")))?;
        let mut creds = self.read()?;
        let result = change(&mut creds);
        let mut text =
            String::from("# saymon credentials: secrets. Keep this file private (mode 0600).\n\n");
        text.push_str(&toml::to_string_pretty(&creds)?);
        fsutil::write_atomic(&self.path, text.as_bytes())
            .map_err(|e| self.unusable(format!("{e:#}")))?;
        Ok(result)
    }
}

impl SecretStore for FileStore {
    fn describe(&self) -> String {
        format!("the file {}", self.path.display())
    }

    fn check(&self) -> Result<()> {
        fsutil::ensure_private_dir(&self.dir).map_err(|e| self.unusable(format!("{e:#}")))?;
        drop(fsutil::DirLock::acquire(&self.dir).map_err(|e| self.unusable(format!("{e:#}")))?);
        self.read().map(drop)
    }

    fn get(&self, account: &str, kind: SecretKind) -> Result<Option<Secret>> {
        let mut creds = self.read()?;
        Ok(creds
            .accounts
            .get_mut(account)
            .and_then(|a| a.slot(kind).take())
            .map(Secret::new))
    }

    fn set(&self, account: &str, kind: SecretKind, secret: &Secret) -> Result<()> {
        self.modify(|creds| {
            *creds
                .accounts
                .entry(account.to_string())
                .or_default()
                .slot(kind) = Some(secret.expose().to_string());
        })
    }

    fn delete(&self, account: &str, kind: SecretKind) -> Result<bool> {
        if self.get(account, kind)?.is_none() {
            return Ok(false);
        }
        self.modify(|creds| {
            let had = creds
                .accounts
                .get_mut(account)
                .and_then(|a| a.slot(kind).take())
                .is_some();
            if creds.accounts.get(account).is_some_and(Account::is_empty) {
                creds.accounts.remove(account);
            }
            had
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
