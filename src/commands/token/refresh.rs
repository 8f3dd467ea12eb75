//! `saymon token refresh`: a fresh token with the given or remembered password, in place
//! of the stored one (for cron and the systemd timer).

use anyhow::{Context, Result};
use serde_json::json;

use super::TokenRefreshArgs;
use crate::client::{Auth, Client};
use crate::config::StoreKind;
use crate::credentials::{Session, password_given};
use crate::error::{Error, Exit};
use crate::lifecycle::{Issuer, Remember, Target, TokenLock};
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::{self, SecretKind};

/// Create a fresh token with the given or remembered password and replace the stored one.
/// Prints no token: cron mails whatever a job prints.
pub(crate) async fn refresh(args: &TokenRefreshArgs, session: &Session<'_>) -> Result<()> {
    session.selected.check_profile_exists()?;
    let server = session.selected.require_server()?;
    let login = session.login_name(&args.credentials.flags(), &server)?;
    let kind = stored_kind(session)?;
    let store = session.stores().open(kind);
    let context = || {
        format!(
            "cannot refresh the token of profile {} ({server})",
            session.selected.profile_name
        )
    };
    let client = session.connect().client(&server)?;
    // Refreshes serialize here: the next one sees this one's token.
    let lock = TokenLock::acquire(session)?;
    if args.if_invalid
        && still_works(session, &client, &server)
            .await
            .with_context(context)?
    {
        session.out.note(&format!(
            "The token of profile {} still works; no new one was made.",
            session.selected.profile_name
        ));
        return report_refresh(session, &server, &login, kind, false);
    }
    let remembered = if password_given(&args.credentials.flags()) {
        None
    } else {
        session
            .stored_secret(store.as_ref(), &server, SecretKind::Password)
            .with_context(context)?
    };
    let password = match remembered {
        Some(password) => {
            session
                .out
                .verbose(&format!("password remembered in {}", store.describe()));
            password
        }
        None => refresh_password(args, session, &client, &login, &server)?,
    };
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
    let user_id = issuer
        .user_id(&args.credentials.flags())
        .await
        .map_err(|e| remembered_password_hint(e, session))?;
    let issued = issuer
        .prepare(user_id, Some((&lock, Target { kind, store })))
        .with_context(context)?
        .create()
        .await
        .map_err(|e| remembered_password_hint(e, session))?
        .keep(Remember::Keep)?;
    let saved = issued.saved.expect("a refresh always stores");
    let print = if crate::credentials::env_token_set() {
        ""
    } else {
        " (saymon token print)"
    };
    session.out.note(&format!(
        "Refreshed the token of {login} on {server} (profile {}), stored in {saved}. The old token no longer works: anything else that used it needs the new one{print}.",
        session.selected.profile_name
    ));
    report_refresh(session, &server, &login, kind, true)
}

/// The store of the profile's token; exit 3 when the profile stores none.
fn stored_kind(session: &Session<'_>) -> Result<StoreKind> {
    session
        .selected
        .profile()
        .and_then(|p| p.store)
        .ok_or_else(|| {
            Error::new(
                Exit::NoCredentials,
                format!(
                    "profile {} has no stored token to refresh",
                    session.selected.profile_name
                ),
            )
            .hint(format!(
                "log in once: saymon login{} --store file --remember-password",
                session.selected.profile_flag()
            ))
            .into()
        })
}

/// For --if-invalid: whether the stored token still works (the server accepts it). A
/// refused or missing token is `false`; any other failure (the server down) an error.
async fn still_works(
    session: &Session<'_>,
    client: &Client<'_>,
    server: &ServerUrl,
) -> Result<bool> {
    let Some(profile) = session.selected.profile() else {
        return Ok(false);
    };
    let Some((token, _)) = session.stored_token(profile, server)? else {
        return Ok(false);
    };
    match client.current_user(&Auth::Token(&token)).await {
        Ok(_) => Ok(true),
        Err(e) if crate::error::exit_code(&e) == Exit::Rejected => {
            session
                .out
                .verbose("the stored token was refused; making a new one");
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// The password for a refresh when none is remembered: given (a flag, the environment),
/// or asked at a terminal; without either, exit 3 saying how to remember one.
fn refresh_password(
    args: &TokenRefreshArgs,
    session: &Session<'_>,
    client: &Client<'_>,
    login: &str,
    server: &ServerUrl,
) -> Result<Secret> {
    if session.interactive && !password_given(&args.credentials.flags()) {
        // Asked for at the terminal, after --if-invalid's check: a person's time is not
        // the server's, so --timeout starts again with the next request.
        let password = session.password(&args.credentials.flags(), login, server)?;
        client.restart_deadline();
        return Ok(password);
    }
    session
        .password(&args.credentials.flags(), login, server)
        .map_err(|e| {
            // A given password that cannot be used (an empty one, a file that cannot be
            // read) is its own error, naming its source.
            if crate::error::exit_code(&e) != Exit::NoCredentials
                || password_given(&args.credentials.flags())
            {
                return e;
            }
            let account = store::account(login, server);
            Error::new(
                Exit::NoCredentials,
                format!("no password remembered for {account}, none given, and no terminal to ask at"),
            )
            .hint(format!(
                "remember it once with `saymon login{} --remember-password`, or pass --password-file FILE",
                session.selected.profile_flag()
            ))
            .into()
        })
}

fn remembered_password_hint(err: anyhow::Error, session: &Session<'_>) -> anyhow::Error {
    crate::error::on_rejection(
        err,
        format!(
            "the password was refused: if it changed, remember the new one with `saymon login{} --remember-password`",
            session.selected.profile_flag()
        ),
    )
}

fn report_refresh(
    session: &Session<'_>,
    server: &ServerUrl,
    login: &str,
    kind: StoreKind,
    refreshed: bool,
) -> Result<()> {
    if session.out.json() {
        session.out.result_json(&json!({
            "profile": session.selected.profile_name,
            "server": server.to_string(),
            "login": login,
            "store": kind.name(),
            "refreshed": refreshed,
        }))?;
    }
    Ok(())
}
