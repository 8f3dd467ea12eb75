//! `saymon token create` and `saymon token print`.

use anyhow::{Context, Result};
use serde_json::json;

use super::login;
use crate::cli::{TokenCreateArgs, TokenPrintArgs};
use crate::client::Auth;
use crate::credentials::Session;
use crate::fsutil;

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
        Some(_) => Some(fsutil::DirLock::acquire_named(
            &session.config_dir,
            fsutil::TOKEN_LOCK,
        )?),
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
            &server,
            &login,
            &user_id,
            kind,
            store.as_ref(),
            &token,
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
