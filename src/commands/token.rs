//! `saymon token create`, `print`, `refresh` and `revoke`.

use anyhow::{Context, Result};
use clap::Args;
use serde_json::json;

use super::CredentialArgs;
use crate::client::Auth;
use crate::config::StoreKind;
use crate::credentials::{CredentialFlags, Session, password_given};
use crate::error::{Error, Exit};
use crate::lifecycle::{Issued, Issuer, Remember, Target, TokenLock};
use crate::server::ServerUrl;
use crate::store::{SecretKind, SecretStore, StoreChoice};

mod print;
mod refresh;

pub(crate) use print::print;
pub(crate) use refresh::refresh;

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// Also store the token, creating the profile if there is none
    #[arg(long)]
    pub save: bool,

    /// Where to store it with --save [default: the profile's, else auto]
    #[arg(long, value_enum, value_name = "STORE", requires = "save")]
    pub store: Option<StoreChoice>,
}

#[derive(Debug, Args)]
pub struct TokenPrintArgs {
    /// Write the token (one line) to FILE, readable by you alone, instead of stdout
    #[arg(long, value_name = "FILE")]
    pub to: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct TokenRefreshArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// First ask the server whether the stored token still works; create one only if not
    #[arg(long)]
    pub if_invalid: bool,
}

#[derive(Debug, Args)]
pub struct TokenRevokeArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,
}

/// Create a token and print it bare. SAYMON keeps one token per user, so when the token
/// is for the profile's own user the stored token is replaced too (it is dead anyway).
/// The token is stored before it is printed: if stdout cannot take it, it is not lost.
pub(crate) async fn create(args: &TokenCreateArgs, session: &Session<'_>) -> Result<()> {
    if args.save {
        session.selected.check_new_profile()?;
    }
    let server = session.server_or_prompt()?;
    let login = session.login_name(&args.credentials.flags(), &server)?;
    let own_kind = session
        .selected
        .profile()
        .and_then(|p| p.store)
        .filter(|_| session.selected.profile_is(&server, &login));
    // Where the new token must be stored is checked before the password is asked for.
    let target = create_target(args, session, own_kind, &login)?;
    let password = session.password(&args.credentials.flags(), &login, &server)?;
    let client = session.connect().client(&server)?;
    let auth = Auth::Basic {
        login: &login,
        password: &password,
    };
    let issuer = Issuer {
        session,
        client: &client,
        login: &login,
        auth: &auth,
        sets_tls: false,
    };
    let user_id = issuer.user_id(&args.credentials.flags()).await?;
    let lock = match target {
        Some(_) => Some(TokenLock::acquire(session)?),
        None => None,
    };
    let target = lock
        .as_ref()
        .zip(target.map(|(kind, store)| Target { kind, store }));
    let issued = issuer
        .prepare(user_id, target)?
        .create()
        .await?
        .keep(Remember::Keep)?;

    deliver(session, &issued, &login, &server)?;
    session.out.note(&format!(
        "Created a new token for {login} on {server}; the user's previous token no longer works."
    ));
    if let Some(saved) = &issued.saved {
        let what = if own_kind.is_some() && !args.save {
            "The stored token was replaced too"
        } else {
            "Stored it"
        };
        session.out.note(&format!(
            "{what}: profile {} now uses the new token, in {saved}.",
            session.selected.profile_name
        ));
    }
    Ok(())
}

/// Where `token create` stores the new token: with --save, the store chosen for the new
/// profile; for the profile's own user, its store (proven writable now, before the
/// password is asked for); else nowhere.
fn create_target(
    args: &TokenCreateArgs,
    session: &Session<'_>,
    own_kind: Option<StoreKind>,
    login: &str,
) -> Result<Option<(StoreKind, Box<dyn SecretStore>)>> {
    if args.save {
        return session.choose_store(args.store).map(Some);
    }
    let Some(kind) = own_kind else {
        return Ok(None);
    };
    let store = session.stores().open(kind);
    store.prepare().with_context(|| {
        format!(
            "profile {} keeps the token of {login} in {}, which must be replaced with the new one",
            session.selected.profile_name,
            store.describe()
        )
    })?;
    Ok(Some((kind, store)))
}

/// Print the new token (bare, or as JSON). Stdout that cannot take it is exit 1 saying
/// where the token is stored, or that it was made and is lost when nothing stores it.
fn deliver(session: &Session<'_>, issued: &Issued, login: &str, server: &ServerUrl) -> Result<()> {
    crate::mask::register_with_ci(issued.token.expose().as_bytes());
    let delivered = if session.out.json() {
        session.out.result_json(&json!({
            "token": issued.token.expose(),
            "server": server.to_string(),
            "login": login,
            "user_id": issued.user_id,
        }))
    } else {
        session
            .out
            .result(issued.token.expose())
            .map_err(anyhow::Error::from)
    };
    if let Err(e) = delivered {
        let (message, hint) = match &issued.saved {
            Some(saved) => (
                format!(
                    "the new token could not be written to stdout ({e}); it is stored in {saved}"
                ),
                format!(
                    "print it with `saymon{} token print`",
                    session.selected.profile_flag()
                ),
            ),
            None => (
                format!(
                    "a new token was created for {login} on {server}, but could not be written to stdout ({e}); the user's previous token no longer works"
                ),
                "run `saymon token create` again with stdout open, or add --save to keep the token"
                    .to_string(),
            ),
        };
        return Err(Error::new(Exit::Failure, message).hint(hint).into());
    }
    Ok(())
}

/// Delete the token on the server, then forget it locally.
pub(crate) async fn revoke(args: &TokenRevokeArgs, session: &Session<'_>) -> Result<()> {
    session.selected.check_profile_exists()?;
    let (server, removed) = revoke_and_forget(
        session,
        &args.credentials.flags(),
        "the server refused: the token may already be replaced or revoked; to revoke whatever token the user has now, give the password (--password-stdin or --password-file)",
    )
    .await?;
    if session.out.json() {
        session.out.result_json(&json!({
            "profile": session.selected.profile_name,
            "server": server.to_string(),
            "revoked": true,
            "removed_locally": removed,
        }))?;
    }
    Ok(())
}

/// Revoke the user's token on the server (with the password when given, else with the
/// token in use), then remove the stored token. Returns whether one was removed.
/// Revoke the user's token on the server, then forget it here; `refused` is the hint when
/// the server refuses the credentials (it depends on what the command accepts).
pub(super) async fn revoke_and_forget(
    session: &Session<'_>,
    credentials: &CredentialFlags,
    refused: &str,
) -> Result<(ServerUrl, bool)> {
    let server = session.selected.require_server()?;
    let client = session.connect().client(&server)?;
    let context = || {
        format!(
            "cannot revoke the token of profile {} ({server})",
            session.selected.profile_name
        )
    };
    let by_password = password_given(credentials);
    let (token, password, login);
    let auth = if by_password {
        login = session.login_name(credentials, &server)?;
        password = session.password(credentials, &login, &server)?;
        Auth::Basic {
            login: &login,
            password: &password,
        }
    } else {
        let (t, _) = session.token()?;
        token = t;
        login = session
            .selected
            .profile()
            .and_then(|p| p.login.clone())
            .unwrap_or_default();
        Auth::Token(&token)
    };
    let user_id = Issuer {
        session,
        client: &client,
        login: &login,
        auth: &auth,
        sets_tls: false,
    }
    .user_id(credentials)
    .await
    .with_context(context)?;
    client
        .revoke_token(&user_id, &auth)
        .await
        .map_err(|e| crate::error::on_rejection(e, refused))
        .with_context(context)?;
    let forgotten =
        crate::lifecycle::forget(session, &server, &[SecretKind::Token]).with_context(|| {
            format!("the token was revoked on {server}, but could not be removed locally")
        })?;
    let removed = forgotten.as_ref().is_some_and(|f| !f.removed.is_empty());
    match forgotten {
        Some(f) => {
            let local = if removed {
                format!(" and removed it from {}", f.store)
            } else {
                String::new()
            };
            session.out.note(&format!(
                "Revoked the token of {} on the server{local} (profile {}).",
                f.account, session.selected.profile_name
            ));
        }
        None => session
            .out
            .note(&format!("Revoked the token of user {user_id} on {server}.")),
    }
    Ok((server, removed))
}
