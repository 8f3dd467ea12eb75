//! `saymon login`: create a token with login + password, store it, remember the profile.

use anyhow::{Context, Result};
use serde_json::json;

use crate::cli::{CredentialArgs, LoginArgs};
use crate::client::{Auth, Client};
use crate::config::{self, StoreKind};
use crate::credentials::{Session, TokenSource};
use crate::error::{Error, Exit, on_rejection};
use crate::fsutil;
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::{self, SecretKind, SecretStore};

pub async fn run(args: &LoginArgs, session: &Session<'_>) -> Result<()> {
    let server = session.server_or_prompt()?;
    let login = session.login_name(&args.credentials, &server)?;
    // The store first: a new token replaces the old one on the server, so a token that
    // cannot be stored would be a token lost.
    let (kind, store) = session.choose_store(args.store).with_context(|| {
        format!(
            "cannot log in to {server} (profile {})",
            session.profile_name
        )
    })?;
    let password = session.password(&args.credentials, &login, &server)?;
    let client = session.client(&server)?;
    let auth = Auth::Basic {
        login: &login,
        password: &password,
    };
    // From here until the token is stored, no other saymon may create one.
    let _token_lock = fsutil::DirLock::token(&session.config_dir)?;
    let user_id = user_id(session, &client, &args.credentials, &login, &auth).await?;
    let token = create_token(&client, &user_id, &login, &auth).await?;
    let remember = if args.remember_password {
        Remember::Store(&password)
    } else {
        Remember::Forget
    };
    let owner = Owner {
        server: &server,
        login: &login,
        user_id: &user_id,
    };
    let saved = save(session, &owner, &token, kind, store.as_ref(), remember)?;

    if session.out.json() {
        session.out.result_json(&json!({
            "profile": session.profile_name,
            "server": server.to_string(),
            "login": login,
            "user_id": user_id,
            "store": kind.name(),
            "token_source": saved.to_string(),
        }))?;
    } else {
        session.out.note(&format!(
            "Logged in to {server} as {login} (profile {}); token stored in {saved}",
            session.profile_name
        ));
    }
    Ok(())
}

/// The user id: --user-id, else the profile's (same login and server), else asked from
/// the server with the same Basic credentials.
pub async fn user_id(
    session: &Session<'_>,
    client: &Client<'_>,
    args: &CredentialArgs,
    login: &str,
    auth: &Auth<'_>,
) -> Result<String> {
    if let Some(id) = &args.user_id {
        return check_user_id(id);
    }
    if session.profile_is(client.server(), login)
        && let Some(id) = session.profile().and_then(|p| p.user_id.clone())
    {
        return Ok(id);
    }
    let user = client
        .current_user(auth)
        .await
        .map_err(|e| match auth {
            Auth::Basic { .. } => on_rejection(e, password_hint(login)),
            Auth::Token(_) => on_rejection(
                e,
                "the token was refused: a newer token replaced it, or it was revoked",
            ),
        })
        .with_context(|| format!("cannot sign in as {login} on {}", client.server()))?;
    let id = user["id"].as_str().unwrap_or_default();
    check_user_id(id).context("the server sent a strange user id")
}

fn check_user_id(id: &str) -> Result<String> {
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

fn password_hint(login: &str) -> String {
    format!(
        "check the login ({login}; an e-mail address works too) and the password, and that the account is active"
    )
}

/// POST auth-token; on 403 the likely causes are named.
pub async fn create_token(
    client: &Client<'_>,
    user_id: &str,
    login: &str,
    auth: &Auth<'_>,
) -> Result<Secret> {
    client
        .create_token(user_id, auth)
        .await
        .map_err(|e| match e.downcast_ref::<crate::error::ServerError>() {
            Some(se) if se.status.as_u16() == 403 => on_rejection(
                e,
                format!("user {login} may not create this token: a token for another user needs the manage-users permission; check --user-id"),
            ),
            _ => on_rejection(e, password_hint(login)),
        })
        .with_context(|| format!("cannot create a token for {login} on {}", client.server()))
}

/// What `save` does with the password.
pub enum Remember<'a> {
    /// Keep it in the store beside the token (`login --remember-password`).
    Store(&'a Secret),
    /// Remove one remembered before (`login` without the flag).
    Forget,
    /// Leave the store's password as it is (`token create --save`, `token refresh`).
    Keep,
}

/// Whose a new token is.
pub struct Owner<'a> {
    pub server: &'a ServerUrl,
    pub login: &'a str,
    pub user_id: &'a str,
}

/// Store `token` (and per `remember` the password) for its owner in `store` and write the
/// profile. Returns where it went.
pub fn save(
    session: &Session<'_>,
    owner: &Owner<'_>,
    token: &Secret,
    kind: StoreKind,
    store: &dyn SecretStore,
    remember: Remember<'_>,
) -> Result<TokenSource> {
    let Owner {
        server,
        login,
        user_id,
    } = *owner;
    let account = store::account(login, &server.host_port());
    store.set(&account, SecretKind::Token, token).with_context(|| {
        format!(
            "the new token for {login} on {server} could not be stored in {}, and it has replaced the old one on the server",
            store.describe()
        )
    })?;
    match remember {
        Remember::Store(password) => store
            .set(&account, SecretKind::Password, password)
            .context("the token is stored, but the password could not be")?,
        Remember::Forget => {
            if store.delete(&account, SecretKind::Password)? {
                session.out.note(&format!(
                    "Forgot the password remembered for {account} (pass --remember-password to keep one)."
                ));
            }
        }
        Remember::Keep => {}
    }
    forget_previous_account(session, &account, kind);
    let ca_cert = session
        .ca_cert()
        .map(|p| std::path::absolute(&p).unwrap_or(p));
    let name = session.profile_name.clone();
    config::update(&session.config_dir, |config| {
        let profile = config.profiles.entry(name.clone()).or_default();
        profile.server = Some(server.to_string());
        profile.login = Some(login.to_string());
        profile.user_id = Some(user_id.to_string());
        profile.store = Some(kind);
        profile.ca_cert = ca_cert;
        if config.default_profile.is_none() {
            config.default_profile = Some(name);
        }
    })
    .with_context(|| {
        format!(
            "the token is stored in {}, but profile {} could not be saved",
            store.describe(),
            session.profile_name
        )
    })?;
    Ok(TokenSource::of_store(kind, &session.config_dir))
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
            .and_then(|s| ServerUrl::parse(s).ok()),
    ) else {
        return;
    };
    let old = store::account(login, &server.host_port());
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
