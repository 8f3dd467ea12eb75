//! The proxy making a new token itself, as `token refresh` does, when the server refused
//! the token and nothing newer is stored: only for a stored token, only with a password at
//! hand without asking (handed over: SAYMON_PASSWORD, SAYMON_PASSWORD_FILE, the systemd
//! credential; else remembered by `login --remember-password`), and under the token lock,
//! so that a refresh elsewhere at the same moment makes one token, not two.

use anyhow::Result;

use crate::client::{Auth, Client};
use crate::credentials::{CredentialFlags, Session, env_password};
use crate::lifecycle::{Issuer, Remember, Target, TokenLock};
use crate::secret::Secret;
use crate::store::SecretKind;

/// A new token in place of `refused`, stored where the profile keeps its token; None when
/// the proxy may not make one (no stored token, no password at hand). Errors: the
/// password refused (exit 4), the store or the server failing, as `token refresh`'s.
pub(super) async fn refresh(
    session: &Session<'_>,
    client: &Client<'_>,
    refused: &Secret,
) -> Result<Option<Secret>> {
    let Some(profile) = session.selected.profile() else {
        return Ok(None);
    };
    let (Some(kind), Some(login)) = (profile.store, profile.login.as_deref()) else {
        return Ok(None);
    };
    let server = client.server();
    let store = session.stores().open(kind);
    let password = match env_password()? {
        Some((password, _)) => password,
        None => match session.stored_secret(store.as_ref(), server, SecretKind::Password)? {
            Some(password) => password,
            None => return Ok(None),
        },
    };
    // Refreshes serialize here: one made meanwhile (the timer, cron) is taken as it is.
    let lock = TokenLock::acquire_aside(session).await?;
    if let Ok((token, _)) = session.token()
        && token.expose() != refused.expose()
    {
        return Ok(Some(token));
    }
    // The client's deadline counts from its first request, long ago: this is new work.
    client.restart_deadline();
    let auth = Auth::Basic {
        login,
        password: &password,
    };
    let issuer = Issuer {
        session,
        client,
        login,
        auth: &auth,
        sets_tls: false,
    };
    let user_id = issuer.user_id(&CredentialFlags::default()).await?;
    let issued = issuer
        .prepare(user_id, Some((&lock, Target { kind, store })))?
        .create()
        .await?
        .keep(Remember::Keep)?;
    session.out.verbose(&format!(
        "the token was refused and none newer is stored: made a new one for {login}"
    ));
    Ok(Some(issued.token))
}
