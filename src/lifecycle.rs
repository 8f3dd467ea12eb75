//! The life of a new token, written once: every command that makes a token goes through
//! here (`login`, `token create`, `token refresh`).
//!
//! SAYMON keeps one token per user, and creating a token kills the previous one. So a token
//! that is created and then cannot be stored is a token lost (the stored one is dead too),
//! and two runs that create and store in crossed order leave a dead token stored. The rules,
//! each enforced by the types below rather than by each command's care:
//!
//! 1. **Lock throughout.** `TokenLock` (`.token.lock` in the config dir) is taken before the
//!    store is prepared and held until the token is stored: `Ready` borrows it. Its wait is
//!    bounded by `--timeout`, so a hung holder cannot hang the next cron run.
//! 2. **Store proven before the POST.** `Issuer::prepare` calls `SecretStore::prepare`,
//!    which proves the real write will work (the file store reserves the temp file that
//!    will replace `credentials.toml`, room included, and renames it once; the keyring
//!    writes and removes a probe entry), and reserves the profile's `config.toml` write
//!    too. Only `Ready` can create a token.
//! 3. **Store before delivery.** A created token is a `Fresh`, which has no accessor: the
//!    only way to its value is `Fresh::keep`, which stores it first (where there is a
//!    store) and returns the `Issued` token a command may print.
//! 4. **A store that fails after the POST loses nothing.** The write is tried once more
//!    on a fresh connection; if it still fails, the token goes to the rescue file
//!    (`rescued-tokens.toml`, 0600), whose write was reserved with the store's, and the
//!    command exits 7 saying where it is. Every command uses a rescued token until
//!    `login` moves it into the store (`Ready::adopt`, no new token).
//! 5. **An answer lost after the POST** (a timeout, a dropped connection) may still have
//!    replaced the token; the error says so and names `token refresh --if-invalid`.

use std::time::Duration;

use anyhow::{Context, Result};

use crate::client::{AnswerLost, Auth, Client};
use crate::config::{self, StoreKind};
use crate::credentials::CredentialFlags;
use crate::credentials::Session;
use crate::error::{Error, Exit, on_rejection};
use crate::fsutil::{self, DirLock};
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::file::FileStore;
use crate::store::{self, SecretStore, TokenSource};

mod forget;
mod keep;
pub(crate) use forget::forget;
use keep::again;

/// The token lock, held from before the store is prepared until the token is stored.
pub(crate) struct TokenLock {
    _held: DirLock,
}

impl TokenLock {
    /// Wait for other saymon runs that are making a token, at most `--timeout` seconds,
    /// saying once that we wait.
    pub(crate) fn acquire(session: &Session<'_>) -> Result<TokenLock> {
        let waiting = || {
            session.out.note(&format!(
                "Waiting for another saymon that is making a token (up to {} s)…",
                session.settings.timeout
            ))
        };
        let wait = Duration::from_secs(session.settings.timeout);
        DirLock::token(&session.selected.config_dir, wait, &waiting)
            .map(|held| TokenLock { _held: held })
    }

    /// As `acquire`, waiting on a thread of tokio's blocking pool, so that a server (`saymon
    /// proxy`) goes on serving while another process holds the lock; nothing is said.
    pub(crate) async fn acquire_aside(session: &Session<'_>) -> Result<TokenLock> {
        let dir = session.selected.config_dir.clone();
        let wait = Duration::from_secs(session.settings.timeout);
        tokio::task::spawn_blocking(move || DirLock::token(&dir, wait, &|| {}))
            .await
            .map_err(|e| anyhow::anyhow!("waiting for the token lock failed: {e}"))?
            .map(|held| TokenLock { _held: held })
    }
}

/// Where a new token goes: a store, already chosen (and for `auto`, already agreed to).
pub(crate) struct Target {
    pub kind: StoreKind,
    pub store: Box<dyn SecretStore>,
}

/// What happens to a remembered password when the token is stored.
pub(crate) enum Remember<'a> {
    /// Keep it in the store beside the token (`login --remember-password`).
    Store(&'a Secret),
    /// Remove one remembered before (`login` without the flag).
    Forget,
    /// Leave the store's password as it is (`token create`, `token refresh`).
    Keep,
}

/// A future of a token's life that runs on the one (current-thread) runtime.
pub(crate) type Pending<'f, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T>> + 'f>>;

/// What a token's life asks of the server: the HTTP client in the binary, a fake in the
/// unit tests (which prove the rules below without a network).
pub(crate) trait TokenServer {
    /// The server the tokens are for.
    fn server(&self) -> &ServerUrl;
    /// POST users/USER_ID/auth-token with `auth`: the new token (the old one dies).
    fn create_token<'f>(&'f self, user_id: &'f str, auth: &'f Auth<'f>) -> Pending<'f, Secret>;
    /// GET users/current with `auth`: the user, as JSON.
    fn current_user<'f>(&'f self, auth: &'f Auth<'f>) -> Pending<'f, serde_json::Value>;
}

impl TokenServer for Client<'_> {
    fn server(&self) -> &ServerUrl {
        Client::server(self)
    }

    fn create_token<'f>(&'f self, user_id: &'f str, auth: &'f Auth<'f>) -> Pending<'f, Secret> {
        Box::pin(Client::create_token(self, user_id, auth))
    }

    fn current_user<'f>(&'f self, auth: &'f Auth<'f>) -> Pending<'f, serde_json::Value> {
        Box::pin(Client::current_user(self, auth))
    }
}

/// Who is making a token, where, and how they authenticate.
pub(crate) struct Issuer<'s, 'a> {
    pub session: &'s Session<'a>,
    pub client: &'s dyn TokenServer,
    pub login: &'s str,
    pub auth: &'s Auth<'s>,
    /// `login`: the profile takes this run's `--insecure` (set, or cleared without it);
    /// other commands keep the profile's.
    pub sets_tls: bool,
}

impl<'s, 'a> Issuer<'s, 'a> {
    /// The user id: --user-id, else the profile's (same login and server), else asked
    /// from the server with the same credentials.
    pub(crate) async fn user_id(&self, args: &CredentialFlags) -> Result<String> {
        let (session, client, login) = (self.session, self.client, self.login);
        if let Some(id) = &args.user_id {
            return check_user_id(id);
        }
        if session.selected.profile_is(client.server(), login)
            && let Some(id) = session.selected.profile().and_then(|p| p.user_id.clone())
        {
            return Ok(id);
        }
        let user = client
            .current_user(self.auth)
            .await
            .map_err(|e| match self.auth {
                Auth::Basic { .. } => on_rejection(e, password_hint(login)),
                Auth::Token(_) => on_rejection(
                    e,
                    "the token was refused: a newer token replaced it, or it was revoked",
                ),
                Auth::Anonymous => e,
            })
            .with_context(|| format!("cannot log in as {login} on {}", client.server()))?;
        let id = user["id"].as_str().unwrap_or_default();
        check_user_id(id).context("the server sent a strange user id")
    }

    /// Prove that the token can be stored (and the profile written) before it exists,
    /// for the user `user_id`. A target needs the token lock; without one (`token create`
    /// for another user) nothing is stored.
    pub(crate) fn prepare<'l>(
        self,
        user_id: String,
        target: Option<(&'l TokenLock, Target)>,
    ) -> Result<Ready<'s, 'a, 'l>> {
        let mut profile = None;
        let mut rescue = None;
        let target = match target {
            None => None,
            Some((_lock, target)) => {
                target.store.prepare().with_context(|| {
                    format!(
                        "no token was created: it could not be stored in {}",
                        target.store.describe()
                    )
                })?;
                let account = store::account(self.login, self.client.server());
                target.store.check_account(&account).with_context(|| {
                    format!(
                        "no token was created: the entries of {account} in {} are not as expected",
                        target.store.describe()
                    )
                })?;
                let file = self.session.stores().rescue();
                file.prepare().with_context(|| {
                    format!(
                        "no token was created: {}, where a token goes if its store fails, could not be prepared",
                        file.describe()
                    )
                })?;
                rescue = Some(file);
                let wanted = self.profile_after(&user_id, target.kind);
                if self.session.selected.profile() != Some(&wanted) {
                    let path = self.session.selected.config_dir.join(config::CONFIG_FILE);
                    profile =
                        Some(fsutil::Reserved::new(&path, fsutil::RESERVE_SLACK).context(
                            "no token was created: the profile could not be saved with it",
                        )?);
                }
                Some(target)
            }
        };
        Ok(Ready {
            issuer: self,
            user_id,
            target,
            profile,
            rescue,
            _lock: std::marker::PhantomData,
        })
    }

    /// The selected profile as it will be once this token is stored.
    fn profile_after(&self, user_id: &str, kind: StoreKind) -> config::Profile {
        let session = self.session;
        let mut profile = session.selected.profile().cloned().unwrap_or_default();
        profile.server = Some(self.client.server().to_string());
        profile.login = Some(self.login.to_string());
        profile.user_id = Some(user_id.to_string());
        profile.store = Some(kind);
        let tls = session.connect().tls(self.client.server());
        let absolute = |p: std::path::PathBuf| std::path::absolute(&p).unwrap_or(p);
        profile.ca_cert = tls.ca_cert.map(absolute);
        // SAYMON_PIN is for this run only: the profile keeps what it pinned.
        if tls.pin_source != crate::client::PinSource::Environment {
            profile.pin = tls.pin;
        }
        profile.client_cert = tls.client_cert.map(absolute);
        profile.client_key = tls.client_key.map(absolute);
        if self.sets_tls {
            profile.insecure = session.settings.insecure;
        }
        profile
    }
}

/// The store is proven and the lock is held: a token may be created.
pub(crate) struct Ready<'s, 'a, 'l> {
    issuer: Issuer<'s, 'a>,
    user_id: String,
    target: Option<Target>,
    /// The reserved replacement of `config.toml`, when the profile is to be written.
    profile: Option<fsutil::Reserved>,
    /// The rescue file, its write reserved, with a target.
    rescue: Option<FileStore>,
    /// The token lock a target was prepared under, borrowed until the token is stored.
    _lock: std::marker::PhantomData<&'l TokenLock>,
}

impl<'s, 'a, 'l> Ready<'s, 'a, 'l> {
    /// A token that already exists (a rescued one, checked with the server), to be kept
    /// as a new one is: no token is created.
    pub(crate) fn adopt(self, token: Secret) -> Fresh<'s, 'a, 'l> {
        Fresh { ready: self, token }
    }

    /// POST auth-token. On 403 the likely causes are named; an answer lost after the
    /// request was sent says that the token may have been replaced.
    pub(crate) async fn create(self) -> Result<Fresh<'s, 'a, 'l>> {
        let Issuer {
            session,
            client,
            login,
            auth,
            ..
        } = &self.issuer;
        let token = client
            .create_token(&self.user_id, auth)
            .await
            .map_err(|e| {
                if e.downcast_ref::<crate::client::Replaced>().is_some() {
                    return Error::new(
                        Exit::Failure,
                        format!(
                            "{}; the server has already replaced the previous token of {login} with it, so that one no longer works",
                            e.root_cause()
                        ),
                    )
                    .hint(format!(
                        "this server sends tokens saymon cannot take (SAYMON's are UUIDs): check --server, or report the token's form; {}",
                        again(session, "token refresh")
                    ))
                    .into();
                }
                if e.downcast_ref::<AnswerLost>().is_some() {
                    let exit = crate::error::exit_code(&e);
                    return Error::new(
                        exit,
                        format!(
                            "{e:#}; the server may have replaced the token of {login} all the same"
                        ),
                    )
                    .hint(match session.selected.profile() {
                        Some(_) => format!(
                            "run `saymon{} token refresh --if-invalid`: it makes a new token only if the stored one no longer works",
                            session.selected.profile_flag()
                        ),
                        None => again(session, "token refresh --if-invalid"),
                    })
                    .into();
                }
                match e.downcast_ref::<crate::error::ServerError>() {
                    Some(se) if se.status.as_u16() == 403 => on_rejection(
                        e,
                        format!("user {login} may not create this token: a token for another user needs the manage-users permission; check --user-id"),
                    ),
                    _ => on_rejection(e, password_hint(login)),
                }
            })
            .with_context(|| format!("cannot create a token for {login} on {}", client.server()))?;
        Ok(Fresh { ready: self, token })
    }
}

/// A token that exists on the server and nowhere else yet. Its value cannot be read
/// until `keep` has stored it.
pub(crate) struct Fresh<'s, 'a, 'l> {
    ready: Ready<'s, 'a, 'l>,
    token: Secret,
}

/// A token stored where it belongs (or, without a target, created for the caller alone).
/// Its `Debug` shows the token as `[redacted]`.
#[derive(Debug)]
pub(crate) struct Issued {
    pub token: Secret,
    pub user_id: String,
    /// Where it is stored; `None` when nothing stores it.
    pub saved: Option<TokenSource>,
}

/// A SAYMON user id is a 24-hex MongoDB ObjectId; anything that could not be one (or
/// could change the URL it is put in) is refused.
pub fn check_user_id(id: &str) -> Result<String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(id.to_string())
    } else {
        Err(Error::new(
            Exit::Usage,
            format!("invalid user id {:?}", crate::redact::server_text(id, 64)),
        )
        .hint("a SAYMON user id is 24 hex digits, like 5e21b752308c3c66d64e072c")
        .into())
    }
}

pub(crate) fn password_hint(login: &str) -> String {
    format!(
        "check the login ({login}; an e-mail address works too) and the password, and that the account is active"
    )
}

#[cfg(test)]
mod tests;
