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

use crate::cli::CredentialArgs;
use crate::client::{AnswerLost, Auth, Client};
use crate::config::{self, StoreKind};
use crate::credentials::Session;
use crate::error::{Error, Exit, on_rejection};
use crate::fsutil::{self, DirLock};
use crate::secret::Secret;
use crate::store::file::FileStore;
use crate::store::{self, Change, SecretKind, SecretStore, TokenSource};

mod forget;
pub use forget::{Forgotten, forget};

/// The token lock, held from before the store is prepared until the token is stored.
pub struct TokenLock {
    _held: DirLock,
}

impl TokenLock {
    /// Wait for other saymon runs that are making a token, at most `--timeout` seconds,
    /// saying once that we wait.
    pub fn acquire(session: &Session<'_>) -> Result<TokenLock> {
        let waiting = || {
            session.out.note(&format!(
                "Waiting for another saymon that is making a token (up to {} s)…",
                session.global.timeout
            ))
        };
        let wait = Duration::from_secs(session.global.timeout);
        DirLock::token(&session.config_dir, wait, &waiting).map(|held| TokenLock { _held: held })
    }
}

/// Where a new token goes: a store, already chosen (and for `auto`, already agreed to).
pub struct Target {
    pub kind: StoreKind,
    pub store: Box<dyn SecretStore>,
}

/// What happens to a remembered password when the token is stored.
pub enum Remember<'a> {
    /// Keep it in the store beside the token (`login --remember-password`).
    Store(&'a Secret),
    /// Remove one remembered before (`login` without the flag).
    Forget,
    /// Leave the store's password as it is (`token create`, `token refresh`).
    Keep,
}

/// Who is making a token, where, and how they authenticate.
pub struct Issuer<'s, 'a> {
    pub session: &'s Session<'a>,
    pub client: &'s Client<'a>,
    pub login: &'s str,
    pub auth: &'s Auth<'s>,
    /// `login`: the profile takes this run's `--insecure` (set, or cleared without it);
    /// other commands keep the profile's.
    pub sets_tls: bool,
}

impl<'s, 'a> Issuer<'s, 'a> {
    /// The user id: --user-id, else the profile's (same login and server), else asked
    /// from the server with the same credentials.
    pub async fn user_id(&self, args: &CredentialArgs) -> Result<String> {
        let (session, client, login) = (self.session, self.client, self.login);
        if let Some(id) = &args.user_id {
            return check_user_id(id);
        }
        if session.profile_is(client.server(), login)
            && let Some(id) = session.profile().and_then(|p| p.user_id.clone())
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
    pub fn prepare<'l>(
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
                let file = self.session.rescue();
                file.prepare().with_context(|| {
                    format!(
                        "no token was created: {}, where a token goes if its store fails, could not be prepared",
                        file.describe()
                    )
                })?;
                rescue = Some(file);
                let wanted = self.profile_after(&user_id, target.kind);
                if self.session.profile() != Some(&wanted) {
                    let path = self.session.config_dir.join(config::CONFIG_FILE);
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
        let mut profile = session.profile().cloned().unwrap_or_default();
        profile.server = Some(self.client.server().to_string());
        profile.login = Some(self.login.to_string());
        profile.user_id = Some(user_id.to_string());
        profile.store = Some(kind);
        let tls = session.tls(self.client.server());
        let absolute = |p: std::path::PathBuf| std::path::absolute(&p).unwrap_or(p);
        profile.ca_cert = tls.ca_cert.map(absolute);
        profile.client_cert = tls.client_cert.map(absolute);
        profile.client_key = tls.client_key.map(absolute);
        if self.sets_tls {
            profile.insecure = session.global.insecure;
        }
        profile
    }
}

/// The store is proven and the lock is held: a token may be created.
pub struct Ready<'s, 'a, 'l> {
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
    pub fn adopt(self, token: Secret) -> Fresh<'s, 'a, 'l> {
        Fresh { ready: self, token }
    }

    /// POST auth-token. On 403 the likely causes are named; an answer lost after the
    /// request was sent says that the token may have been replaced.
    pub async fn create(self) -> Result<Fresh<'s, 'a, 'l>> {
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
                    .hint(match session.profile() {
                        Some(_) => format!(
                            "run `saymon{} token refresh --if-invalid`: it makes a new token only if the stored one no longer works",
                            session.profile_flag()
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
pub struct Fresh<'s, 'a, 'l> {
    ready: Ready<'s, 'a, 'l>,
    token: Secret,
}

/// A token stored where it belongs (or, without a target, created for the caller alone).
pub struct Issued {
    pub token: Secret,
    pub user_id: String,
    /// Where it is stored; `None` when nothing stores it.
    pub saved: Option<TokenSource>,
}

impl<'s, 'a, 'l> Fresh<'s, 'a, 'l> {
    /// Store the token (and per `remember` the password) for its owner, write the
    /// profile, and only then hand the token out. A store that fails is tried once more on
    /// a fresh connection, then the token goes to the rescue file (exit 7, saying where);
    /// a password that cannot be remembered beside a stored token is exit 7 too, saying
    /// the token is safe. The profile is written in every case, so that the token has a
    /// home.
    pub fn keep(self, remember: Remember<'_>) -> Result<Issued> {
        let Fresh { ready, token } = self;
        let user_id = ready.user_id;
        let Some(target) = ready.target else {
            return Ok(Issued {
                token,
                user_id,
                saved: None,
            });
        };
        let rescue = ready
            .rescue
            .expect("a target is prepared with the rescue file");
        let session = ready.issuer.session;
        let (login, server) = (ready.issuer.login, ready.issuer.client.server());
        let store = target.store.as_ref();
        let account = store::account(login, server);
        let legacy = session.own_legacy_account(server, login);

        let password_asked = matches!(remember, Remember::Store(_));
        let saved = keep_token(session, store, &rescue, &account, &token).map_err(|failed| {
            failed.into_error(
                login,
                server,
                store,
                &rescue,
                session,
                target.kind,
                password_asked,
            )
        });
        let remembered = match &saved {
            Ok(_) => keep_password(session, store, &account, legacy.as_deref(), remember),
            Err(_) => Ok(()),
        };
        if let Some(legacy) = legacy.as_deref() {
            // The entries under the name saymon 0.1 used for this http server are superseded.
            let stale = [SecretKind::Token, SecretKind::Password].map(|kind| Change {
                account: legacy,
                kind,
                value: None,
            });
            if saved.is_ok()
                && let Err(e) = store.write(&stale)
            {
                session.out.warn(&format!(
                    "could not remove the old entries of {legacy} from {}: {e:#}",
                    store.describe()
                ));
            }
        }
        forget_previous_account(session, &account, target.kind);
        let wanted = ready.issuer.profile_after(&user_id, target.kind);
        let name = session.profile_name.clone();
        let where_ = match &saved {
            Ok(_) => store.describe(),
            Err(_) => rescue.describe(),
        };
        config::update_reserved(&session.config_dir, ready.profile, |config| {
            config.profiles.insert(name.clone(), wanted);
            if config.default_profile.is_none() {
                config.default_profile = Some(name);
            }
        })
        .with_context(|| {
            format!(
                "the token is stored in {where_}, but profile {} could not be saved",
                session.profile_name
            )
        })?;
        saved?;
        remembered?;
        if crate::credentials::env_token_set() {
            session.out.warn(
                "SAYMON_TOKEN is set in this environment: commands use it before the token just stored (unset SAYMON_TOKEN to use the stored one)",
            );
        }
        Ok(Issued {
            token,
            user_id,
            saved: Some(TokenSource::of_store(target.kind, &session.config_dir)),
        })
    }
}

/// Why a new token is not in its store.
enum Unstored {
    /// In the rescue file, because the store failed twice (the last error).
    Rescued(anyhow::Error),
    /// Nowhere: the store and then the rescue file failed.
    Lost(anyhow::Error, anyhow::Error),
}

impl Unstored {
    /// The error to give: exit 7, with where the token is and how to move it.
    #[allow(clippy::too_many_arguments)]
    fn into_error(
        self,
        login: &str,
        server: &crate::server::ServerUrl,
        store: &dyn SecretStore,
        rescue: &FileStore,
        session: &Session<'_>,
        kind: StoreKind,
        password_asked: bool,
    ) -> anyhow::Error {
        let (not_remembered, remember) = if password_asked {
            (
                "; the password was not remembered",
                " --remember-password (it asks for the password again)",
            )
        } else {
            ("", "")
        };
        match self {
            Unstored::Rescued(e) => Error::new(
                Exit::StoreUnusable,
                format!(
                    "the new token for {login} on {server} could not be stored in {} ({e:#}); it is kept in {} (mode 0600), and saymon uses it from there{not_remembered}",
                    store.describe(),
                    rescue.describe()
                ),
            )
            .hint(format!(
                "once {} works again, run `saymon login{} --store {}{remember}`: it moves the token there without making a new one",
                store.describe(),
                session.profile_flag(),
                kind.name()
            ))
            .into(),
            Unstored::Lost(e, r) => Error::new(
                Exit::StoreUnusable,
                format!(
                    "the new token for {login} on {server} could not be stored in {} ({e:#}) nor in {} ({r:#}), and it has replaced the old one on the server",
                    store.describe(),
                    rescue.describe(),
                ),
            )
            .hint(format!(
                "make {} or the config dir writable, then run `saymon login{}` again",
                store.describe(),
                session.profile_flag()
            ))
            .into(),
        }
    }
}

/// Store `token` for `account`: in `store`, tried twice (the second time on a fresh
/// connection), else in the rescue file. A store that may stall (the keyring) gets the
/// token only after the rescue file holds it, so that a signal, a kill or a time-out
/// while it waits cannot lose it. A rescued token of the account is removed once the
/// store holds the new one.
fn keep_token(
    session: &Session<'_>,
    store: &dyn SecretStore,
    rescue: &FileStore,
    account: &str,
    token: &Secret,
) -> std::result::Result<(), Unstored> {
    let change = [Change {
        account,
        kind: SecretKind::Token,
        value: Some(token),
    }];
    let rescued_first = if store.may_stall() {
        rescue.write(&change).map(drop)
    } else {
        Err(anyhow::anyhow!("not written first"))
    };
    let stored = store.write(&change).or_else(|first| {
        session.out.warn(&format!(
            "the new token could not be stored in {} ({first:#}); trying once more",
            store.describe(),
        ));
        store.reconnect();
        store.write(&change)
    });
    match stored {
        Ok(_) => {
            if let Err(e) = rescue.delete(account, SecretKind::Token) {
                session.out.warn(&format!(
                    "could not remove the old rescued token of {account} from {}: {e:#}",
                    rescue.describe()
                ));
            }
            Ok(())
        }
        Err(e) if rescued_first.is_ok() => Err(Unstored::Rescued(e)),
        Err(e) => match rescue.write(&change) {
            Ok(_) => Err(Unstored::Rescued(e)),
            Err(r) => Err(Unstored::Lost(e, r)),
        },
    }
}

/// Remember, forget or keep the password beside a stored token (per `remember`); an
/// entry that saymon 0.1 kept under `legacy` moves to `account` when nothing else is
/// asked. Exit 7 when the store fails, saying that the token is stored all the same.
fn keep_password(
    session: &Session<'_>,
    store: &dyn SecretStore,
    account: &str,
    legacy: Option<&str>,
    remember: Remember<'_>,
) -> Result<()> {
    let legacy_password = match (&remember, legacy) {
        (Remember::Keep, Some(legacy)) => store.get(legacy, SecretKind::Password).ok().flatten(),
        _ => None,
    };
    let value = match remember {
        Remember::Store(password) => Some(Some(password)),
        Remember::Forget => Some(None),
        Remember::Keep => legacy_password.as_ref().map(Some),
    };
    let Some(value) = value else {
        return Ok(());
    };
    let change = [Change {
        account,
        kind: SecretKind::Password,
        value,
    }];
    match store.write(&change) {
        Ok(had) => {
            if value.is_none() && had.first() == Some(&true) {
                session.out.note(&format!(
                    "Forgot the password remembered for {account} (pass --remember-password to keep one)."
                ));
            }
            Ok(())
        }
        Err(e) => Err(Error::new(
            Exit::StoreUnusable,
            format!(
                "the new token is stored in {}, but the password could not be {} there: {e:#}",
                store.describe(),
                if value.is_some() {
                    "remembered"
                } else {
                    "forgotten"
                },
            ),
        )
        .hint(format!(
            "the token works; run `saymon login{} {}` again once {} works",
            session.profile_flag(),
            if value.is_some() {
                "--remember-password"
            } else {
                "(without --remember-password)"
            },
            store.describe()
        ))
        .into()),
    }
}

/// How to try again after a token went astray: `command` for a profile that exists, else
/// (a first login, whose profile was not saved) the same login once more.
fn again(session: &Session<'_>, command: &str) -> String {
    match session.profile() {
        Some(_) => format!("`saymon{} {command}` tries again", session.profile_flag()),
        None => format!(
            "profile {} was not saved: run the same `saymon login` again (it makes a new token)",
            crate::redact::inline(&session.profile_name)
        ),
    }
}

/// When a profile switches to another login, server or store, the token it kept before
/// would be left behind where nothing reads it: remove it (best effort).
fn forget_previous_account(session: &Session<'_>, new_account: &str, new_kind: StoreKind) {
    let Some(profile) = session.profile() else {
        return;
    };
    let (Some(kind), Some(login), Some(server)) = (
        profile.store,
        profile.login.as_deref(),
        profile
            .server
            .as_deref()
            .and_then(|s| crate::server::ServerUrl::parse(s).ok()),
    ) else {
        return;
    };
    let old = store::account(login, &server);
    if old == new_account && kind == new_kind {
        return;
    }
    let store = session.store_of(kind);
    for secret in [SecretKind::Token, SecretKind::Password] {
        match store.delete(&old, secret) {
            Ok(true) => session.out.note(&format!(
                "Removed the {} of {old}, which profile {} used before, from {}",
                secret.name(),
                session.profile_name,
                store.describe()
            )),
            Ok(false) => {}
            Err(e) => session.out.warn(&format!(
                "could not remove the old {} of {old} from {}: {e:#}",
                secret.name(),
                store.describe()
            )),
        }
    }
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

pub fn password_hint(login: &str) -> String {
    format!(
        "check the login ({login}; an e-mail address works too) and the password, and that the account is active"
    )
}
