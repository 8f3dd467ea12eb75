//! The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows), service `saymon`. Every call runs on a worker thread under a timeout, so a
//! keyring that does not answer (no desktop session, a stuck unlock prompt) cannot hang us.

use std::sync::{Mutex, mpsc};
use std::time::Duration;

use anyhow::Result;

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
    /// The worker that owns the keyring connection, started on first use. Calls go to it
    /// one at a time; one that does not answer in time retires it, so the next call starts
    /// afresh instead of queueing behind a stuck one.
    worker: Mutex<Option<mpsc::Sender<Job>>>,
}

type Job = Box<dyn FnOnce(&mut Option<platform::Keyring>) + Send>;

/// Why the keyring could not do what was asked, in words that name no secret.
#[derive(Debug)]
pub enum Problem {
    /// No keyring to talk to: no session bus, no Secret Service on it.
    Unreachable(String),
    /// The keyring is there but locked, or refused us.
    Refused(String),
    /// The entry holds something that is not text.
    NotText,
    /// More than one entry for the account.
    Ambiguous(usize),
    Failed(String),
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
            worker: Mutex::new(None),
        }
    }

    /// Run `op` on the keyring (connected on first use) in the worker, waiting at most
    /// `timeout`.
    fn call<T: Send + 'static>(
        &self,
        op: impl FnOnce(&mut platform::Keyring) -> Result<T, Problem> + Send + 'static,
    ) -> Result<T> {
        reachable()?;
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move |keyring| {
            let result = match keyring {
                Some(keyring) => op(keyring),
                None => platform::Keyring::open().and_then(|opened| op(keyring.insert(opened))),
            };
            let _ = tx.send(result);
        });
        let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        let jobs = worker.get_or_insert_with(start_worker);
        if jobs.send(job).is_err() {
            *worker = None;
            return Err(unusable("the keyring's worker stopped".into()).into());
        }
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result.map_err(|e| describe(e).into()),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                *worker = None;
                Err(unusable(format!(
                    "the keyring did not answer within {} s",
                    self.timeout.as_secs()
                ))
                .into())
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                *worker = None;
                Err(unusable("the keyring's worker stopped".into()).into())
            }
        }
    }
}

/// A thread that owns the keyring connection and runs jobs until the store is dropped.
fn start_worker() -> mpsc::Sender<Job> {
    let (tx, rx) = mpsc::channel::<Job>();
    std::thread::spawn(move || {
        let mut keyring = None;
        for job in rx {
            job(&mut keyring);
        }
    });
    tx
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

/// The Secret Service, through our own client.
#[cfg(all(unix, not(target_os = "macos")))]
mod platform {
    pub use crate::store::secret_service::SecretService as Keyring;
}

/// macOS's Keychain and Windows' Credential Manager, through the keyring crates.
#[cfg(any(target_os = "macos", target_os = "windows"))]
mod platform {
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry, Error as KeyringError};

    use super::Problem;
    use crate::secret::Secret;

    pub struct Keyring {
        store: Arc<CredentialStore>,
    }

    /// The platform's text names no secret; it is still folded to one line and cleaned of
    /// control characters, as the Secret Service's is.
    fn problem(e: KeyringError) -> Problem {
        let one_line = |text: &str| crate::redact::server_text(text, 200);
        match e {
            KeyringError::NoStorageAccess(e) => Problem::Refused(one_line(&e.to_string())),
            KeyringError::PlatformFailure(e) => Problem::Unreachable(one_line(&e.to_string())),
            KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => Problem::NotText,
            KeyringError::Ambiguous(items) => Problem::Ambiguous(items.len()),
            other => Problem::Failed(one_line(&other.to_string())),
        }
    }

    impl Keyring {
        pub fn open() -> Result<Keyring, Problem> {
            #[cfg(target_os = "macos")]
            let store = apple_native_keyring_store::keychain::Store::new();
            #[cfg(target_os = "windows")]
            let store = windows_native_keyring_store::Store::new();
            Ok(Keyring {
                store: store.map_err(problem)?,
            })
        }

        fn entry(&self, service: &str, account: &str) -> Result<Entry, Problem> {
            Entry::new_in_store(&self.store, service, account).map_err(problem)
        }

        pub fn get(&mut self, service: &str, account: &str) -> Result<Option<Secret>, Problem> {
            match self.entry(service, account)?.get_password() {
                Ok(p) => Ok(Some(Secret::new(p))),
                Err(KeyringError::NoEntry) => Ok(None),
                Err(e) => Err(problem(e)),
            }
        }

        /// The label is the platform store's own (Keychain and Credential Manager name
        /// entries by service and account).
        pub fn set(
            &mut self,
            service: &str,
            account: &str,
            _label: &str,
            secret: &str,
        ) -> Result<(), Problem> {
            self.entry(service, account)?
                .set_password(secret)
                .map_err(problem)
        }

        pub fn delete(&mut self, service: &str, account: &str) -> Result<bool, Problem> {
            match self.entry(service, account)?.delete_credential() {
                Ok(()) => Ok(true),
                Err(KeyringError::NoEntry) => Ok(false),
                Err(e) => Err(problem(e)),
            }
        }
    }
}

#[cfg(not(any(unix, target_os = "windows")))]
mod platform {
    use super::Problem;
    use crate::secret::Secret;

    pub struct Keyring;

    impl Keyring {
        pub fn open() -> Result<Keyring, Problem> {
            Err(Problem::Unreachable(
                "this platform has no supported keyring".into(),
            ))
        }

        pub fn get(&mut self, _: &str, _: &str) -> Result<Option<Secret>, Problem> {
            unreachable!("no keyring is ever opened here")
        }

        pub fn set(&mut self, _: &str, _: &str, _: &str, _: &str) -> Result<(), Problem> {
            unreachable!("no keyring is ever opened here")
        }

        pub fn delete(&mut self, _: &str, _: &str) -> Result<bool, Problem> {
            unreachable!("no keyring is ever opened here")
        }
    }
}

/// A keyring failure in words, with exit code 7.
fn describe(problem: Problem) -> Error {
    match problem {
        Problem::Refused(why) => Error::new(
            Exit::StoreUnusable,
            format!("the keyring is locked or refused access: {why}"),
        )
        .hint(
            "unlock it in your desktop session (where it asks for your login password) and run this again; with no desktop (SSH, cron, CI), keep the token in a private file: saymon login --store file",
        ),
        Problem::Unreachable(why) => unusable(format!("the keyring cannot be reached: {why}")),
        Problem::NotText => unusable("the keyring holds a saymon entry that is not text".into()),
        Problem::Ambiguous(n) => unusable(format!(
            "the keyring holds {n} saymon entries for one account; remove the extra ones (secret-tool search --all service saymon)"
        )),
        Problem::Failed(why) => unusable(format!("the keyring failed: {why}")),
    }
}

/// What the keyring's own tools (Seahorse, secret-tool) show for an entry.
fn label(kind: SecretKind, account: &str) -> String {
    format!("saymon {} for {account}", kind.name())
}

impl SecretStore for KeyringStore {
    fn describe(&self) -> String {
        "the keyring".into()
    }

    fn prepare(&self) -> Result<()> {
        let account = check_account();
        self.call(move |keyring| {
            let service = service(SecretKind::Token);
            keyring.set(
                service,
                &account,
                &label(SecretKind::Token, &account),
                "check",
            )?;
            keyring.delete(service, &account).map(drop)
        })
    }

    fn get(&self, account: &str, kind: SecretKind) -> Result<Option<Secret>> {
        let account = account.to_string();
        self.call(move |keyring| keyring.get(service(kind), &account))
    }

    fn write(&self, changes: &[Change<'_>]) -> Result<Vec<bool>> {
        changes
            .iter()
            .map(|c| {
                let (account, kind) = (c.account.to_string(), c.kind);
                match c.value {
                    Some(secret) => {
                        let value = secret.clone();
                        self.call(move |keyring| {
                            let label = label(kind, &account);
                            keyring.set(service(kind), &account, &label, value.expose())?;
                            Ok(true)
                        })
                    }
                    None => self.call(move |keyring| keyring.delete(service(kind), &account)),
                }
            })
            .collect()
    }
}
