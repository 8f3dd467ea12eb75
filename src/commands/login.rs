//! `saymon login`: create a token with login + password, store it, remember the profile.

use anyhow::{Context, Result};
use serde_json::json;

use crate::cli::LoginArgs;
use crate::client::Auth;
use crate::credentials::Session;
use crate::issue::{Issuer, Remember, Target, TokenLock};

pub async fn run(args: &LoginArgs, session: &Session<'_>) -> Result<()> {
    let server = session.server_or_prompt()?;
    let login = session.login_name(&args.credentials, &server)?;
    let context = || {
        format!(
            "cannot log in to {server} (profile {})",
            session.profile_name
        )
    };
    // The store is chosen (and, for auto, agreed to) before the password is asked for.
    let (kind, store) = session.choose_store(args.store).with_context(context)?;
    let password = session.password(&args.credentials, &login, &server)?;
    let client = session.client(&server)?;
    let auth = Auth::Basic {
        login: &login,
        password: &password,
    };
    let issuer = Issuer {
        session,
        client: &client,
        login: &login,
        auth: &auth,
        sets_tls: true,
    };
    let user_id = issuer.user_id(&args.credentials).await?;
    let lock = TokenLock::acquire(session)?;
    let ready = issuer
        .prepare(user_id, Some((&lock, Target { kind, store })))
        .with_context(context)?;
    let remember = if args.remember_password {
        Remember::Store(&password)
    } else {
        Remember::Forget
    };
    let issued = ready.create().await?.keep(remember)?;
    let saved = issued.saved.expect("login always stores");

    if session.out.json() {
        session.out.result_json(&json!({
            "profile": session.profile_name,
            "server": server.to_string(),
            "login": login,
            "user_id": issued.user_id,
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
