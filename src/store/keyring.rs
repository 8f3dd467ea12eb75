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

#[cfg(all(unix, not(target_os = "macos")))]
mod bus;
use crate::error::{Error, Exit};
use crate::secret::Secret;
#[cfg(all(unix, not(target_os = "macos")))]
pub(crate) use bus::settle as settle_session_bus;

/// The keyring service of each kind of secret; the account is `<login>@<host[:port]>`.
pub(crate) fn service(kind: SecretKind) -> &'static str {
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
pub(crate) struct KeyringStore {
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
    /// Other clients' items that removals in this run left in place (see `write`).
    left: Vec<Left>,
}

type Job = Box<dyn FnOnce(&mut Option<platform::Keyring>) + Send>;

/// The items of one account in one service when there are several: saymon looks them up
/// by `service` and `username` only, so an item another client stored with more attributes
/// (keyring-rs 3 adds `target`) matches too, and saymon does not guess between them.
#[derive(Debug, Clone)]
pub(crate) struct Crowd {
    pub kind: SecretKind,
    pub account: String,
    /// How many of them are saymon's own (its labels, no attribute but `service` and
    /// `username`).
    pub own: usize,
    /// The labels of the others, made safe to show.
    pub others: Vec<String>,
}

/// Items of other clients that a removal left in place, for the command to say so.
#[derive(Debug, Clone)]
pub(crate) struct Left {
    pub kind: SecretKind,
    pub account: String,
    /// Their labels, made safe to show.
    pub labels: Vec<String>,
}

/// What `tidy` did for one kind of secret.
#[derive(Debug, Clone)]
pub(crate) struct Tidied {
    pub kind: SecretKind,
    pub account: String,
    /// How many of saymon's own items it removed.
    pub removed: usize,
    /// The labels of the items of other clients that stay (made safe to show).
    pub left: Vec<String>,
}

/// The `secret-tool` line that removes every item of `account` in `kind`'s service.
pub(crate) fn clear_command(kind: SecretKind, account: &str) -> String {
    let quoted = shlex::try_quote(account).map_or_else(|_| account.into(), |q| q.into_owned());
    format!(
        "secret-tool clear service {} username {quoted}",
        service(kind)
    )
}

/// `"a", "b"`: labels of other clients' items, for a message.
pub(crate) fn quoted_labels(labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why the keyring could not do what was asked, in words that name no secret.
#[derive(Debug)]
pub(crate) enum Problem {
    /// No keyring to talk to: no session bus, no Secret Service on it.
    Unreachable(String),
    /// The keyring is there but locked, or refused us.
    Refused(String),
    /// The entry holds something that is not text.
    NotText,
    /// More than one item for the account (another client stored one beside saymon's).
    Ambiguous(Crowd),
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
    pub(crate) fn new(budget: Duration, interactive: bool) -> Self {
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
                    left: Vec::new(),
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
    pub(crate) fn reconnect(&self) {
        let mut state = self.state();
        state.worker = None;
        state.silent = None;
        state.budget = state.budget.max(RETRY_WAIT);
    }
}

impl KeyringStore {
    fn record_left(&self, kind: SecretKind, account: String, labels: Vec<String>) {
        if labels.is_empty() {
            return;
        }
        let mut state = self.state();
        state
            .left
            .retain(|l| !(l.kind == kind && l.account == account));
        state.left.push(Left {
            kind,
            account,
            labels,
        });
    }

    /// The items of other clients that removals in this run left in place: where an
    /// account had several items, a removal took saymon's own only (see `write`).
    pub(crate) fn left_behind(&self) -> Vec<Left> {
        self.state().left.clone()
    }

    /// Before a new token of `account` is stored (`login`): where the account has several
    /// items in a service (another client stored one beside saymon's), saymon's own are
    /// removed and the others kept. Returns what was done, per kind of secret that had
    /// several items. Exit 7 when the token's item still cannot be told (several items
    /// of other clients stay, named with the command that removes them), and as every
    /// keyring call.
    pub(crate) fn tidy(&self, account: &str) -> Result<Vec<Tidied>> {
        let mut tidied = Vec::new();
        for kind in [SecretKind::Token, SecretKind::Password] {
            let named = account.to_string();
            let removed = self.call(move |keyring| keyring.tidy(kind, &named))?;
            if kind == SecretKind::Token && removed.left.len() > 1 {
                return Err(crowded(&Crowd {
                    kind,
                    account: account.to_string(),
                    own: 0,
                    others: removed.left,
                })
                .into());
            }
            if removed.removed > 0 || !removed.left.is_empty() {
                tidied.push(Tidied {
                    kind,
                    account: account.to_string(),
                    removed: removed.removed,
                    left: removed.left,
                });
            }
        }
        Ok(tidied)
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
/// CI) the keyring is unreachable, and we say so at once instead of waiting (see `bus`).
fn reachable() -> Result<()> {
    #[cfg(all(unix, not(target_os = "macos")))]
    if let Err(why) = bus::reachable() {
        return Err(unusable(format!("the keyring cannot be reached: {why}")).into());
    }
    Ok(())
}

/// The platform's store through keyring-core.
#[cfg(any(unix, target_os = "windows"))]
mod platform;

#[cfg(not(any(unix, target_os = "windows")))]
mod platform {
    use super::{Problem, SecretKind};
    use crate::secret::Secret;

    pub struct Keyring;

    pub struct Removed {
        pub had: bool,
        pub removed: usize,
        pub left: Vec<String>,
    }

    impl Keyring {
        pub fn open() -> Result<Keyring, Problem> {
            Err(Problem::Unreachable(
                "this platform has no supported keyring".into(),
            ))
        }

        pub fn get(&mut self, _: SecretKind, _: &str) -> Result<Option<Secret>, Problem> {
            unreachable!("no keyring is ever opened here")
        }

        pub fn set(&mut self, _: SecretKind, _: &str, _: &str) -> Result<(), Problem> {
            unreachable!("no keyring is ever opened here")
        }

        pub fn delete(&mut self, _: SecretKind, _: &str) -> Result<Removed, Problem> {
            unreachable!("no keyring is ever opened here")
        }

        pub fn tidy(&mut self, _: SecretKind, _: &str) -> Result<Removed, Problem> {
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
        Problem::Ambiguous(crowd) => crowded(&crowd),
        Problem::Failed(why) => unusable(format!("the keyring failed: {why}")),
    }
}

/// Several items for one account, in words: whose they are, and the commands that leave
/// one (or none).
fn crowded(crowd: &Crowd) -> Error {
    let Crowd {
        kind,
        account,
        own,
        others,
    } = crowd;
    let whose = match (own, others.len()) {
        (0, n) => format!("{n} that other clients stored ({})", quoted_labels(others)),
        (_, 0) => format!("{own} of saymon's own"),
        (1, n) => format!(
            "saymon's own and {n} that another client stored ({})",
            quoted_labels(others)
        ),
        (_, n) => format!(
            "{own} of saymon's own and {n} that another client stored ({})",
            quoted_labels(others)
        ),
    };
    let clear = clear_command(*kind, account);
    let hint = match (own, others.len()) {
        (0, _) => format!(
            "none of them is saymon's: `{clear}` removes them, then `saymon login` stores a new token"
        ),
        (_, 0) => "`saymon logout` or `saymon login` removes them (login then stores a new token)"
            .to_string(),
        _ => format!(
            "`saymon logout` or `saymon login` removes saymon's own and keeps the other client's; `{clear}` removes them all"
        ),
    };
    Error::new(
        Exit::StoreUnusable,
        format!(
            "the keyring holds {} items for the {} of {account} (service {}): {whose}; saymon does not guess between them",
            own + others.len(),
            kind.name(),
            service(*kind),
        ),
    )
    .hint(hint)
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
            keyring.set(SecretKind::Token, &account, "check")?;
            keyring.delete(SecretKind::Token, &account).map(drop)
        })
    }

    fn get(&self, account: &str, kind: SecretKind) -> Result<Option<Secret>> {
        let account = account.to_string();
        self.call(move |keyring| keyring.get(kind, &account))
    }

    /// A removal where other clients' items sit beside saymon's removes saymon's own;
    /// the others stay, and `left_behind` names them.
    fn write(&self, changes: &[Change<'_>]) -> Result<Vec<bool>> {
        changes
            .iter()
            .map(|c| {
                let (account, kind) = (c.account.to_string(), c.kind);
                match c.value {
                    Some(secret) => {
                        let value = secret.clone();
                        self.call(move |keyring| {
                            keyring.set(kind, &account, value.expose())?;
                            Ok(true)
                        })
                    }
                    None => {
                        let named = account.clone();
                        let removed = self.call(move |keyring| keyring.delete(kind, &named))?;
                        self.record_left(kind, account, removed.left);
                        Ok(removed.had)
                    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn crowd(own: usize, others: &[&str]) -> Error {
        crowded(&Crowd {
            kind: SecretKind::Token,
            account: "a b@h".into(),
            own,
            others: others.iter().map(|o| o.to_string()).collect(),
        })
    }

    #[test]
    fn several_items_are_named_with_the_commands_that_leave_one() {
        let e = crowd(1, &["x"]);
        assert_eq!(e.exit, Exit::StoreUnusable);
        assert_eq!(
            e.message,
            "the keyring holds 2 items for the token of a b@h (service saymon): saymon's own and 1 that another client stored (\"x\"); saymon does not guess between them"
        );
        assert_eq!(
            e.hint.as_deref(),
            Some(
                "`saymon logout` or `saymon login` removes saymon's own and keeps the other client's; `secret-tool clear service saymon username 'a b@h'` removes them all"
            )
        );
        let e = crowd(0, &["x", "y"]);
        assert!(
            e.message
                .contains(": 2 that other clients stored (\"x\", \"y\");")
        );
        assert!(
            e.hint
                .unwrap()
                .starts_with("none of them is saymon's: `secret-tool clear")
        );
        let e = crowd(2, &[]);
        assert!(e.message.contains(": 2 of saymon's own;"));
        assert!(
            e.hint
                .unwrap()
                .starts_with("`saymon logout` or `saymon login` removes them")
        );
    }

    #[test]
    fn the_clear_command_quotes_the_account_for_sh() {
        assert_eq!(
            clear_command(SecretKind::Password, "o'neil@h"),
            "secret-tool clear service saymon-password username \"o'neil@h\""
        );
        assert_eq!(
            clear_command(SecretKind::Token, "admin@h:8443"),
            "secret-tool clear service saymon username admin@h:8443"
        );
    }
}
