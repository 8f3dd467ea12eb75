//! The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows), service `saymon`. Every call runs on a worker thread under a timeout, so a
//! keyring that does not answer (no desktop session, a stuck unlock prompt) cannot hang us.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use keyring_core::{CredentialStore, Entry, Error as KeyringError};

use super::{Change, SecretKind, SecretStore};
use crate::error::{Error, Exit};
use crate::secret::Secret;

/// The keyring service of each kind of secret; the account is `<login>@<host[:port]>`.
pub fn service(kind: SecretKind) -> &'static str {
    match kind {
        SecretKind::Token => "saymon",
        SecretKind::Password => "saymon-password",
    }
}
/// The entry written and removed by `check`, one per process so that concurrent checks
/// do not remove each other's.
fn check_account() -> String {
    format!("saymon-store-check-{}", std::process::id())
}

pub struct KeyringStore {
    timeout: Duration,
    /// The connection, opened on first use and shared by later calls.
    store: Arc<Mutex<Option<Arc<CredentialStore>>>>,
}

fn unusable(message: String) -> Error {
    Error::new(Exit::StoreUnusable, message).hint(
        "where no desktop keyring runs (SSH, cron, CI), keep the token in a private file: saymon login --store file",
    )
}

impl KeyringStore {
    pub fn new(timeout: Duration) -> Self {
        KeyringStore {
            timeout,
            store: Arc::new(Mutex::new(None)),
        }
    }

    /// Run `op` on the entry for `account` on a worker thread, waiting at most `timeout`.
    fn call<T: Send + 'static>(
        &self,
        account: &str,
        kind: SecretKind,
        op: impl FnOnce(&Entry) -> keyring_core::Result<T> + Send + 'static,
    ) -> Result<T> {
        reachable()?;
        let store = self.store.clone();
        let account = account.to_string();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let result = (|| {
                let store = {
                    let mut slot = store.lock().unwrap_or_else(|p| p.into_inner());
                    match &*slot {
                        Some(store) => store.clone(),
                        None => {
                            let opened = open_platform_store()?;
                            *slot = Some(opened.clone());
                            opened
                        }
                    }
                };
                let entry = Entry::new_in_store(&store, service(kind), &account)?;
                op(&entry)
            })();
            let _ = tx.send(result);
        });
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result.map_err(|e| describe(e).into()),
            Err(_) => Err(unusable(format!(
                "the keyring did not answer within {} s",
                self.timeout.as_secs()
            ))
            .into()),
        }
    }
}

/// On Linux the Secret Service lives on the D-Bus session bus; without one (cron, SSH,
/// CI) the keyring is unreachable, and we say so at once instead of waiting.
fn reachable() -> Result<()> {
    #[cfg(all(unix, not(target_os = "macos")))]
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none_or(|v| v.is_empty()) {
        return Err(unusable(
            "the keyring cannot be reached: there is no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)".into(),
        )
        .into());
    }
    Ok(())
}

#[cfg(all(unix, not(target_os = "macos")))]
fn open_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn open_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn open_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(unix, target_os = "windows")))]
fn open_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(KeyringError::NotSupportedByStore(
        "this platform has no supported keyring".into(),
    ))
}

/// A keyring failure in words, with exit code 7. The platform's text names no secret.
fn describe(err: KeyringError) -> Error {
    match err {
        KeyringError::NoStorageAccess(e) => unusable(format!(
            "the keyring is locked or refused access: {}",
            one_line(&e.to_string())
        )),
        KeyringError::PlatformFailure(e) => unusable(format!(
            "the keyring cannot be reached: {}",
            one_line(&e.to_string())
        )),
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
            unusable("the keyring holds a saymon entry that is not text".into())
        }
        KeyringError::Ambiguous(items) => unusable(format!(
            "the keyring holds {} saymon entries for one account; remove the extra ones (secret-tool search --all service saymon)",
            items.len()
        )),
        other => unusable(format!(
            "the keyring failed: {}",
            one_line(&other.to_string())
        )),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl SecretStore for KeyringStore {
    fn describe(&self) -> String {
        "the keyring".into()
    }

    fn prepare(&self) -> Result<()> {
        self.call(&check_account(), SecretKind::Token, |entry| {
            entry.set_password("check")?;
            match entry.delete_credential() {
                Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
                Err(e) => Err(e),
            }
        })
    }

    fn get(&self, account: &str, kind: SecretKind) -> Result<Option<Secret>> {
        self.call(account, kind, |entry| match entry.get_password() {
            Ok(p) => Ok(Some(Secret::new(p))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn write(&self, changes: &[Change<'_>]) -> Result<Vec<bool>> {
        changes
            .iter()
            .map(|c| match c.value {
                Some(secret) => {
                    let value = secret.clone();
                    self.call(c.account, c.kind, move |entry| {
                        entry.set_password(value.expose()).map(|()| true)
                    })
                }
                None => self.call(c.account, c.kind, |entry| match entry.delete_credential() {
                    Ok(()) => Ok(true),
                    Err(KeyringError::NoEntry) => Ok(false),
                    Err(e) => Err(e),
                }),
            })
            .collect()
    }
}
