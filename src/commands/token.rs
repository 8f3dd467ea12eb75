//! `saymon token create`, `print`, `refresh` and `revoke`.

use anyhow::{Context, Result};
use serde_json::json;

use super::login;
use crate::cli::{
    CredentialArgs, TokenCreateArgs, TokenPrintArgs, TokenRefreshArgs, TokenRevokeArgs,
};
use crate::client::Auth;
use crate::config::StoreKind;
use crate::credentials::Session;
use crate::credentials::password_given;
use crate::error::{Error, Exit};
use crate::fsutil;
use crate::server::ServerUrl;
use crate::store::{self, SecretKind};

/// Create a token and print it bare. SAYMON keeps one token per user, so when the token
/// is for the profile's own user the stored token is replaced too (it is dead anyway).
pub async fn create(args: &TokenCreateArgs, session: &Session<'_>) -> Result<()> {
    let server = session.server_or_prompt()?;
    let login = session.login_name(&args.credentials, &server)?;
    let own_profile =
        session.profile_is(&server, &login) && session.profile().and_then(|p| p.store).is_some();
    // Where the new token must be stored is checked before it exists (see `login`).
    let target = if args.save {
        Some(session.choose_store(args.store)?)
    } else if own_profile {
        let kind = session
            .profile()
            .and_then(|p| p.store)
            .expect("checked above");
        let store = session.store_of(kind);
        store.check().with_context(|| {
            format!(
                "profile {} keeps the token of {login} in {}, which must be replaced with the new one",
                session.profile_name,
                store.describe()
            )
        })?;
        Some((kind, store))
    } else {
        None
    };
    let password = session.password(&args.credentials, &login, &server)?;
    let client = session.client(&server)?;
    let auth = Auth::Basic {
        login: &login,
        password: &password,
    };
    // From here until the token is stored, no other saymon may create one.
    let _token_lock = match target {
        Some(_) => Some(fsutil::DirLock::token(&session.config_dir)?),
        None => None,
    };
    let user_id = login::user_id(session, &client, &args.credentials, &login, &auth).await?;
    let token = login::create_token(&client, &user_id, &login, &auth).await?;

    // Print first: whatever happens to the store, the caller has the token.
    if session.out.json() {
        session.out.result_json(&json!({
            "token": token.expose(),
            "server": server.to_string(),
            "login": login,
            "user_id": user_id,
        }))?;
    } else {
        session.out.result(token.expose())?;
    }
    session.out.note(&format!(
        "Created a new token for {login} on {server}; the user's previous token no longer works."
    ));
    if let Some((kind, store)) = target {
        let saved = login::save(
            session,
            &login::Owner {
                server: &server,
                login: &login,
                user_id: &user_id,
            },
            &token,
            kind,
            store.as_ref(),
            login::Remember::Keep,
        )?;
        let what = if own_profile && !args.save {
            "The stored token was replaced too"
        } else {
            "Stored it"
        };
        session.out.note(&format!(
            "{what}: profile {} now uses the new token, in {saved}.",
            session.profile_name
        ));
    }
    Ok(())
}

/// Print the token in use, bare: SAYMON_TOKEN, else the profile's stored token.
pub fn print(_args: &TokenPrintArgs, session: &Session<'_>) -> Result<()> {
    let (token, source) = session.token()?;
    if session.out.json() {
        session.out.result_json(&json!({
            "token": token.expose(),
            "source": source.kind(),
            "profile": session.profile_name,
        }))?;
    } else {
        session.out.result(token.expose())?;
    }
    Ok(())
}

/// Create a fresh token with the given or remembered password and replace the stored one.
/// Prints no token: cron mails whatever a job prints.
pub async fn refresh(args: &TokenRefreshArgs, session: &Session<'_>) -> Result<()> {
    let server = session.require_server()?;
    let login = session.login_name(&args.credentials, &server)?;
    let Some(kind) = session.profile().and_then(|p| p.store) else {
        return Err(Error::new(
            Exit::NoCredentials,
            format!(
                "profile {} has no stored token to refresh",
                session.profile_name
            ),
        )
        .hint(format!(
            "log in once: saymon login{} --store file --remember-password",
            session.profile_flag()
        ))
        .into());
    };
    let account = store::account(&login, &server.host_port());
    let store = session.store_of(kind);
    let context = || {
        format!(
            "cannot refresh the token of profile {} ({server})",
            session.profile_name
        )
    };
    store.check().with_context(context)?;
    let client = session.client(&server)?;
    // Refreshes serialize here: the next one sees this one's token.
    let _token_lock = fsutil::DirLock::token(&session.config_dir)?;

    if args.if_invalid
        && let Some(token) = store
            .get(&account, SecretKind::Token)
            .with_context(context)?
    {
        match client.current_user(&Auth::Token(&token)).await {
            Ok(_) => {
                session.out.note(&format!(
                    "The token of profile {} still works; no new one was made.",
                    session.profile_name
                ));
                return report_refresh(session, &server, &login, kind, false);
            }
            Err(e) if crate::error::exit_code(&e) == Exit::Rejected => {
                session
                    .out
                    .verbose("the stored token was refused; making a new one");
            }
            Err(e) => return Err(e.context(context())),
        }
    }

    let remembered = if password_given(&args.credentials) {
        None
    } else {
        store
            .get(&account, SecretKind::Password)
            .with_context(context)?
    };
    let password = match remembered {
        Some(password) => {
            session.out.verbose(&format!("password remembered in {}", store.describe()));
            password
        }
        None => session
            .password(&args.credentials, &login, &server)
            .map_err(|e| {
                if crate::error::exit_code(&e) != Exit::NoCredentials {
                    return e;
                }
                Error::new(
                    Exit::NoCredentials,
                    format!("no password remembered for {account}, none given, and no terminal to ask at"),
                )
                .hint(format!(
                    "remember it once with `saymon login{} --remember-password`, or pass --password-file FILE",
                    session.profile_flag()
                ))
                .into()
            })?,
    };
    let auth = Auth::Basic {
        login: &login,
        password: &password,
    };
    let user_id = login::user_id(session, &client, &args.credentials, &login, &auth)
        .await
        .map_err(|e| remembered_password_hint(e, session))?;
    let token = login::create_token(&client, &user_id, &login, &auth)
        .await
        .map_err(|e| remembered_password_hint(e, session))?;
    let saved = login::save(
        session,
        &login::Owner {
            server: &server,
            login: &login,
            user_id: &user_id,
        },
        &token,
        kind,
        store.as_ref(),
        login::Remember::Keep,
    )?;
    session.out.note(&format!(
        "Refreshed the token of {login} on {server} (profile {}), stored in {saved}. The old token no longer works: anything else that used it needs the new one (saymon token print).",
        session.profile_name
    ));
    report_refresh(session, &server, &login, kind, true)
}

fn remembered_password_hint(err: anyhow::Error, session: &Session<'_>) -> anyhow::Error {
    crate::error::on_rejection(
        err,
        format!(
            "the password was refused: if it changed, remember the new one with `saymon login{} --remember-password`",
            session.profile_flag()
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
            "profile": session.profile_name,
            "server": server.to_string(),
            "login": login,
            "store": kind.name(),
            "refreshed": refreshed,
        }))?;
    }
    Ok(())
}

/// Delete the token on the server, then forget it locally.
pub async fn revoke(args: &TokenRevokeArgs, session: &Session<'_>) -> Result<()> {
    let (server, removed) = revoke_and_forget(session, &args.credentials).await?;
    if session.out.json() {
        session.out.result_json(&json!({
            "profile": session.profile_name,
            "server": server.to_string(),
            "revoked": true,
            "removed_locally": removed,
        }))?;
    }
    Ok(())
}

/// Revoke the user's token on the server (with the password when given, else with the
/// token in use), then remove the stored token. Returns whether one was removed.
pub async fn revoke_and_forget(
    session: &Session<'_>,
    credentials: &CredentialArgs,
) -> Result<(ServerUrl, bool)> {
    let server = session.require_server()?;
    let client = session.client(&server)?;
    let context = || {
        format!(
            "cannot revoke the token of profile {} ({server})",
            session.profile_name
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
            .profile()
            .and_then(|p| p.login.clone())
            .unwrap_or_default();
        Auth::Token(&token)
    };
    let user_id = login::user_id(session, &client, credentials, &login, &auth)
        .await
        .with_context(context)?;
    client
        .revoke_token(&user_id, &auth)
        .await
        .map_err(|e| {
            crate::error::on_rejection(
                e,
                "the server refused: the token may already be replaced or revoked; to revoke whatever token the user has now, give the password (--password-stdin or --password-file)",
            )
        })
        .with_context(context)?;
    let mut removed = false;
    if let Some((kind, account)) = session.profile_store(&server) {
        let store = session.store_of(kind);
        removed = store.delete(&account, SecretKind::Token).with_context(|| {
            format!("the token was revoked on {server}, but could not be removed locally")
        })?;
        let local = if removed {
            format!(" and removed it from {}", store.describe())
        } else {
            String::new()
        };
        session.out.note(&format!(
            "Revoked the token of {account} on the server{local} (profile {}).",
            session.profile_name
        ));
    } else {
        session
            .out
            .note(&format!("Revoked the token of user {user_id} on {server}."));
    }
    Ok((server, removed))
}
