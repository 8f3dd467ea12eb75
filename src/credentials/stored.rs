//! The secrets a profile has stored, read by the account's name (`store::account`): a
//! token passes `token::accept_token`, and an entry saymon 0.1 stored under the scheme-less
//! name of an http account is moved to the account's name on the way (said in `-v`).
//! Here, not in `store`: the stores keep secrets under names, and know no profile.

use anyhow::Result;

use crate::config::Profile;
use crate::output::Output;
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::{Change, SecretKind, SecretStore, account, legacy_account};

/// The name saymon 0.1 gave `profile`'s account on `server`, when the profile was made for
/// this very http server by this login: only then is an entry under it this server's.
pub(crate) fn legacy_account_of(
    profile: &Profile,
    server: &ServerUrl,
    login: &str,
) -> Option<String> {
    let own = profile.login.as_deref() == Some(login)
        && profile
            .server
            .as_deref()
            .and_then(|s| ServerUrl::parse(s).ok())
            .is_some_and(|s| s.same_origin_as(server));
    if own {
        legacy_account(login, server)
    } else {
        None
    }
}

/// A secret of `profile`'s login on `server` from `store`; a token passes
/// `token::accept_token` (exit 1 when it cannot be one). An entry that saymon 0.1 stored
/// under the scheme-less name of an http account is moved to the account's name on the
/// way (best effort), so that it keeps working for the server it was made for, and only
/// for that one.
pub(crate) fn stored_secret(
    profile: &Profile,
    store: &dyn SecretStore,
    server: &ServerUrl,
    kind: SecretKind,
    out: &Output,
) -> Result<Option<Secret>> {
    let secret = found_secret(profile, store, server, kind, out)?;
    match (secret, kind) {
        (Some(token), SecretKind::Token) => {
            let account = profile
                .login
                .as_deref()
                .map(|login| account(login, server))
                .unwrap_or_default();
            accept_stored_token(token, store, &account).map(Some)
        }
        (secret, _) => Ok(secret),
    }
}

/// A token read from `store` for `account`, through `token::accept_token`, its source
/// named as `the keyring (account a@h)`.
pub(crate) fn accept_stored_token(
    token: Secret,
    store: &dyn SecretStore,
    account: &str,
) -> Result<Secret> {
    let source = format!("{} (account {account})", store.describe());
    crate::token::accept_token(token, &source)
}

fn found_secret(
    profile: &Profile,
    store: &dyn SecretStore,
    server: &ServerUrl,
    kind: SecretKind,
    out: &Output,
) -> Result<Option<Secret>> {
    let Some(login) = profile.login.as_deref() else {
        return Ok(None);
    };
    let account = account(login, server);
    if let Some(secret) = store.get(&account, kind)? {
        return Ok(Some(secret));
    }
    let Some(legacy) = legacy_account_of(profile, server, login) else {
        return Ok(None);
    };
    let Some(secret) = store.get(&legacy, kind)? else {
        return Ok(None);
    };
    let moved = store.write(&[
        Change {
            account: &account,
            kind,
            value: Some(&secret),
        },
        Change {
            account: &legacy,
            kind,
            value: None,
        },
    ]);
    match moved {
        Ok(_) => out.verbose(&format!(
            "moved the {} of {legacy} to {account} in {}",
            kind.name(),
            store.describe()
        )),
        Err(e) => out.verbose(&format!(
            "could not move the {} of {legacy} to {account}: {e:#}",
            kind.name()
        )),
    }
    Ok(Some(secret))
}
