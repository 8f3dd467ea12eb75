//! Rules 3 and 4 of `lifecycle`: a new token is stored before anyone sees it, tried twice in
//! its store, else kept in the rescue file; then the password (when asked), the profile,
//! and the clean-up of what the profile kept before.

use anyhow::{Context, Result};

use crate::config::{self, StoreKind};
use crate::credentials::Session;
use crate::error::{Error, Exit};
use crate::fsutil::{self};
use crate::secret::Secret;
use crate::store::file::FileStore;
use crate::store::{self, Change, SecretKind, SecretStore, TokenSource};

use super::{Fresh, Issued, Remember};

impl<'s, 'a, 'l> Fresh<'s, 'a, 'l> {
    /// Store the token (and per `remember` the password) for its owner, write the
    /// profile, and only then hand the token out. A store that fails is tried once more on
    /// a fresh connection, then the token goes to the rescue file (exit 7, saying where);
    /// a password that cannot be remembered beside a stored token is exit 7 too, saying
    /// the token is safe. The profile is written in every case, so that the token has a
    /// home.
    pub(crate) fn keep(self, remember: Remember<'_>) -> Result<Issued> {
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
            if matches!(failed, Unstored::Lost(..)) {
                show_once(&token);
            }
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
        if saved.is_ok()
            && let Some(legacy) = legacy.as_deref()
        {
            drop_legacy_entries(session, store, legacy);
        }
        forget_previous_account(session, &account, target.kind);
        let where_ = match &saved {
            Ok(_) => store.describe(),
            Err(_) => rescue.describe(),
        };
        let profile = ready.issuer.profile_after(&user_id, target.kind);
        write_profile(session, ready.profile, profile, &where_)?;
        saved?;
        remembered?;
        if let Some(given) = crate::credentials::env_token_source() {
            session.out.warn(&crate::credentials::given_token_wins(
                &given,
                "the token just stored",
            ));
        }
        Ok(Issued {
            token,
            user_id,
            saved: Some(TokenSource::of_store(
                target.kind,
                &session.selected.config_dir,
            )),
        })
    }
}

/// Remove the entries under the name saymon 0.1 used for this http server: the new
/// token and password, stored under today's name, supersede them (a failure warns).
fn drop_legacy_entries(session: &Session<'_>, store: &dyn SecretStore, legacy: &str) {
    let stale = [SecretKind::Token, SecretKind::Password].map(|kind| Change {
        account: legacy,
        kind,
        value: None,
    });
    if let Err(e) = store.write(&stale) {
        session.out.warn(&format!(
            "could not remove the old entries of {legacy} from {}: {e:#}",
            store.describe()
        ));
    }
}

/// Write `profile` as the session's profile (and the default when there is none) into
/// the `config.toml` write reserved before the token was made; `where_` names the token's
/// store for the error, which says the token itself is safe.
fn write_profile(
    session: &Session<'_>,
    reserved: Option<fsutil::Reserved>,
    profile: config::Profile,
    where_: &str,
) -> Result<()> {
    let name = session.selected.profile_name.clone();
    config::update_reserved(&session.selected.config_dir, reserved, |config| {
        config.profiles.insert(name.clone(), profile);
        if config.default_profile.is_none() {
            config.default_profile = Some(name);
        }
    })
    .with_context(|| {
        format!(
            "the token is stored in {where_}, but profile {} could not be saved",
            session.selected.profile_name
        )
    })?;
    Ok(())
}

/// Why a new token is not in its store.
enum Unstored {
    /// In the rescue file, because the store failed twice (the last error).
    Rescued(anyhow::Error),
    /// Not in its file: the store and then the rescue file failed, but a write that
    /// could not be renamed left the token in this temp file, where it is read from.
    Stranded(anyhow::Error, std::path::PathBuf),
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
                session.selected.profile_flag(),
                kind.name()
            ))
            .into(),
            Unstored::Stranded(e, file) => Error::new(
                Exit::StoreUnusable,
                format!(
                    "the new token for {login} on {server} could not be stored in {} ({e:#}) nor in {}, but it is kept in {} (mode 0600), and saymon uses it from there{not_remembered}",
                    store.describe(),
                    rescue.describe(),
                    file.display()
                ),
            )
            .hint(format!(
                "make the config dir writable again, then run `saymon login{} --store {}{remember}`: it moves the token without making a new one",
                session.selected.profile_flag(),
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
                session.selected.profile_flag()
            ))
            .into(),
        }
    }
}

/// A token that no file could take is shown once to the person at the terminal, so that
/// they can keep it (`saymon login --with-token` stores it later); never on a stderr that
/// is not a terminal (a log, a CI job's output).
fn show_once(token: &Secret) {
    use std::io::{IsTerminal, Write};
    let mut stderr = std::io::stderr();
    if stderr.is_terminal() {
        let _ = writeln!(
            stderr,
            "saymon: no file could take the new token; here it is, once (keep it, then `saymon login --with-token` stores it):\n{}",
            token.expose()
        );
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
    // A write whose rename failed keeps what it wrote, and every reader finds it there.
    let stranded_in = || {
        rescue
            .token_and_file(account)
            .ok()
            .flatten()
            .filter(|(kept, _)| kept.expose() == token.expose())
            .map(|(_, file)| file)
    };
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
            Err(r) => Err(match stranded_in() {
                Some(file) => Unstored::Stranded(e, file),
                None => Unstored::Lost(e, r),
            }),
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
            session.selected.profile_flag(),
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
pub(super) fn again(session: &Session<'_>, command: &str) -> String {
    match session.selected.profile() {
        Some(_) => format!(
            "`saymon{} {command}` tries again",
            session.selected.profile_flag()
        ),
        None => format!(
            "profile {} was not saved: run the same `saymon login` again (it makes a new token)",
            crate::redact::inline(&session.selected.profile_name)
        ),
    }
}

/// When a profile switches to another login, server or store, the token it kept before
/// would be left behind where nothing reads it: remove it (best effort).
fn forget_previous_account(session: &Session<'_>, new_account: &str, new_kind: StoreKind) {
    let Some(profile) = session.selected.profile() else {
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
    let store = session.stores().open(kind);
    for secret in [SecretKind::Token, SecretKind::Password] {
        match store.delete(&old, secret) {
            Ok(true) => session.out.note(&format!(
                "Removed the {} of {old}, which profile {} used before, from {}",
                secret.name(),
                session.selected.profile_name,
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
