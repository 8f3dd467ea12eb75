//! The OS keyring (Secret Service on Linux and the BSDs, Keychain on macOS, Credential
//! Manager on Windows) through the keyring project's crates, service `saymon`.
//!
//! One keyring connection serves the whole run: every `KeyringStore` of a session is a
//! handle on the same worker thread, which owns the connection and runs the calls one at a
//! time. The crates' calls block, and a stopped daemon or a silent socket blocks them for
//! 40 s and more, so each call is awaited under a deadline: one call at most 5 s (60 s at
//! a terminal, where an unlock prompt may show), all the waits of a run together at most
//! `--timeout` (at a terminal at least 60 s). After a
//! call times out, the keyring is marked as not answering and every later call fails at
//! once, so a run with many keyring profiles waits once, and no thread or socket is added
//! per profile.

use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

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

/// How long one retry of a write may wait when the run's budget is spent: a new token
/// that could not be stored deserves one more try on a fresh connection.
const RETRY_WAIT: Duration = Duration::from_secs(2);
/// The longest one call may wait: a keyring answers in milliseconds, or is stuck.
const CALL_WAIT: Duration = Duration::from_secs(5);
/// The same at a terminal, where the keyring may show an unlock prompt to a person.
const CALL_WAIT_INTERACTIVE: Duration = Duration::from_secs(60);

/// A handle on the run's keyring connection; clones share it (see the module's comment).
#[derive(Clone)]
pub struct KeyringStore {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
}

struct State {
    /// The worker that owns the keyring connection, started on first use. One that does
    /// not answer in time, or stops, is retired, and the next call (if any may still be
    /// made) starts afresh instead of queueing behind a stuck one.
    worker: Option<mpsc::Sender<Job>>,
    /// What is left of the run's keyring wait.
    budget: Duration,
    /// The longest one call may wait (within the budget).
    call_wait: Duration,
    /// Set when a call timed out: the keyring does not answer in this run.
    silent: Option<Duration>,
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
    /// A keyring whose waits, all together, last at most `budget` (`--timeout`), each
    /// at most 5 s, or 60 s when `interactive` (an unlock prompt may show; the budget is
    /// then at least that too).
    pub fn new(budget: Duration, interactive: bool) -> Self {
        let call_wait = if interactive {
            CALL_WAIT_INTERACTIVE
        } else {
            CALL_WAIT
        };
        let budget = if interactive {
            budget.max(call_wait)
        } else {
            budget
        };
        KeyringStore {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    worker: None,
                    budget,
                    call_wait,
                    silent: None,
                }),
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `op` on the keyring (connected on first use) in the worker, waiting at most
    /// what is left of the run's budget. Exit 7 when the keyring cannot be used, does not
    /// answer in time, or did not answer earlier in this run.
    fn call<T: Send + 'static>(
        &self,
        op: impl FnOnce(&mut platform::Keyring) -> Result<T, Problem> + Send + 'static,
    ) -> Result<T> {
        reachable()?;
        let mut state = self.state();
        if let Some(waited) = state.silent {
            return Err(not_answering(waited, " earlier in this run"));
        }
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move |keyring| {
            let result = match keyring {
                Some(keyring) => op(keyring),
                None => platform::Keyring::open().and_then(|opened| op(keyring.insert(opened))),
            };
            let _ = tx.send(result);
        });
        let jobs = state.worker.get_or_insert_with(start_worker);
        if jobs.send(job).is_err() {
            state.worker = None;
            return Err(unusable("the keyring's worker stopped".into()).into());
        }
        let started = Instant::now();
        let wait = state.budget.min(state.call_wait);
        let answer = rx.recv_timeout(wait);
        state.budget = state.budget.saturating_sub(started.elapsed());
        match answer {
            Ok(result) => result.map_err(|e| describe(e).into()),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // The stuck worker keeps its thread until the process ends; no other is
                // started in this run.
                state.worker = None;
                state.silent = Some(wait);
                Err(not_answering(wait, ""))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                state.worker = None;
                Err(unusable("the keyring's worker stopped".into()).into())
            }
        }
    }

    /// Drop the connection, so that the next call opens a fresh one; a keyring that did
    /// not answer gets one more call, waiting what is left of the budget or `RETRY_WAIT`.
    /// Used once, before a new token's write is tried again.
    pub fn reconnect(&self) {
        let mut state = self.state();
        state.worker = None;
        state.silent = None;
        state.budget = state.budget.max(RETRY_WAIT);
    }
}

fn not_answering(waited: Duration, when: &str) -> anyhow::Error {
    let seconds = if waited.subsec_millis() == 0 {
        waited.as_secs().to_string()
    } else {
        format!("{:.1}", waited.as_secs_f64())
    };
    Error::new(
        Exit::StoreUnusable,
        format!("the keyring did not answer within {seconds} s{when}"),
    )
    .hint("is the keyring daemon stopped or hung? restart your desktop session's keyring (or log in again); with no desktop (SSH, cron, CI), keep the token in a private file: saymon login --store file")
    .into()
}

/// A thread that owns the keyring connection and runs jobs until its sender is dropped.
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

/// The platform's store through keyring-core.
#[cfg(any(unix, target_os = "windows"))]
mod platform {
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry, Error as KeyringError};

    use super::Problem;
    use crate::redact::server_text;
    use crate::secret::Secret;

    pub struct Keyring {
        store: Arc<CredentialStore>,
    }

    /// The Secret Service's own reasons, in our words (its texts name no secret).
    #[cfg(all(unix, not(target_os = "macos")))]
    fn platform_problem(e: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Problem> {
        use secret_service::Error as Ss;
        Some(match e.downcast_ref::<Ss>()? {
            Ss::Prompt => Problem::Refused("it is locked, and its unlock prompt was dismissed".into()),
            Ss::PromptDisconnected => {
                Problem::Refused("it is locked, and its unlock prompt went away unanswered".into())
            }
            Ss::Locked => Problem::Refused("it is locked".into()),
            Ss::NoResult => Problem::Refused(
                "it has no default collection to keep secrets in (create or unlock the \"login\" keyring)".into(),
            ),
            Ss::Unavailable => {
                Problem::Unreachable("no Secret Service is running on the session bus".into())
            }
            other => Problem::Unreachable(server_text(&other.to_string(), 200)),
        })
    }

    #[cfg(not(all(unix, not(target_os = "macos"))))]
    fn platform_problem(_: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Problem> {
        None
    }

    /// The platform's text names no secret; it is still folded to one line and cleaned of
    /// control characters, as every text from elsewhere is.
    fn problem(e: KeyringError) -> Problem {
        let one_line = |text: &str| server_text(text, 200);
        match e {
            KeyringError::NoStorageAccess(e) => platform_problem(e.as_ref())
                .unwrap_or_else(|| Problem::Refused(one_line(&e.to_string()))),
            KeyringError::PlatformFailure(e) => platform_problem(e.as_ref())
                .unwrap_or_else(|| Problem::Unreachable(one_line(&e.to_string()))),
            KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => Problem::NotText,
            KeyringError::Ambiguous(items) => Problem::Ambiguous(items.len()),
            other => Problem::Failed(one_line(&other.to_string())),
        }
    }

    impl Keyring {
        pub fn open() -> Result<Keyring, Problem> {
            #[cfg(all(unix, not(target_os = "macos")))]
            let store = zbus_secret_service_keyring_store::Store::new();
            #[cfg(target_os = "macos")]
            let store = apple_native_keyring_store::keychain::Store::new();
            #[cfg(target_os = "windows")]
            let store = windows_native_keyring_store::Store::new();
            Ok(Keyring {
                store: store.map_err(problem)?,
            })
        }

        /// The entry of `account` in `service`. On the Secret Service a new item is
        /// labelled `label` (what Seahorse and secret-tool show); Keychain and Credential
        /// Manager name entries by service and account themselves.
        fn entry(&self, service: &str, account: &str, label: &str) -> Result<Entry, Problem> {
            #[cfg(all(unix, not(target_os = "macos")))]
            let entry = Entry::new_in_store_with_modifiers(
                &self.store,
                service,
                account,
                &std::collections::HashMap::from([("label", label)]),
            );
            #[cfg(not(all(unix, not(target_os = "macos"))))]
            let entry = {
                let _ = label;
                Entry::new_in_store(&self.store, service, account)
            };
            entry.map_err(problem)
        }

        pub fn get(&mut self, service: &str, account: &str) -> Result<Option<Secret>, Problem> {
            match self.entry(service, account, service)?.get_password() {
                Ok(p) => Ok(Some(Secret::new(p))),
                Err(KeyringError::NoEntry) => Ok(None),
                Err(e) => Err(problem(e)),
            }
        }

        /// Set the secret of the one entry of `account` (updated in place, whoever wrote
        /// it), or create it labelled `label`.
        pub fn set(
            &mut self,
            service: &str,
            account: &str,
            label: &str,
            secret: &str,
        ) -> Result<(), Problem> {
            self.entry(service, account, label)?
                .set_password(secret)
                .map_err(problem)
        }

        pub fn delete(&mut self, service: &str, account: &str) -> Result<bool, Problem> {
            match self.entry(service, account, service)?.delete_credential() {
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

    fn reconnect(&self) {
        KeyringStore::reconnect(self)
    }

    /// Reading the token's entry finds duplicates (the password's, should it have any,
    /// fail only its own write, after the token is safe).
    fn check_account(&self, account: &str) -> Result<()> {
        self.get(account, SecretKind::Token).map(drop)
    }

    fn may_stall(&self) -> bool {
        true
    }
}
