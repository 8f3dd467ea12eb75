//! `saymon login`: create a token with login + password, store it, remember the profile.

use anyhow::{Context, Result};
use clap::Args;
use serde_json::json;

use super::CredentialArgs;
use crate::client::Auth;
use crate::client::Client;
use crate::config::StoreKind;
use crate::credentials::{Session, password_given};
use crate::error::{Error, Exit, exit_code, on_rejection};
use crate::lifecycle::{Issuer, Remember, Target, TokenLock, check_user_id, password_hint};
use crate::redact;
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::{SecretStore, StoreChoice, TokenSource};
use crate::token::accept_token;

mod trust;

pub(super) use trust::forget_pinned;

#[derive(Debug, Args)]
pub struct LoginArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// Where to keep the token [default: the profile's, else auto]
    #[arg(long, value_enum, value_name = "STORE")]
    pub store: Option<StoreChoice>,

    /// Also keep the password, in the same store, so that `token refresh` needs no input
    /// (for cron). Without it, a password remembered before is forgotten.
    #[arg(long)]
    pub remember_password: bool,

    /// Store a token made elsewhere (by an admin, for an LDAP/SSO account, from a vault),
    /// read from stdin (hidden at a terminal): checked with the server first, then stored,
    /// and the profile takes its login and user id from the server's answer
    #[arg(long, conflicts_with_all = ["password_stdin", "password_file", "remember_password", "user_id"])]
    pub with_token: bool,

    /// Trust the server's certificate only if its SHA-256 fingerprint is this one (colons
    /// and case ignored), and pin it for the profile, as --ca-cert with that certificate
    /// would: for a self-signed server without a terminal to ask at
    #[arg(long, value_name = "sha256:HEX")]
    pub pin: Option<String>,
}

/// How often a person at a terminal may type the password (as sudo allows).
const TRIES: u32 = 3;

pub(crate) async fn run(args: &LoginArgs, session: &Session<'_>) -> Result<()> {
    // A login decides the trust anew: a profile's remembered --insecure does not carry
    // over to a login without the flag, which verifies before anything is sent.
    let session = &session.trusting_anew(args.pin.is_some());
    session.selected.check_new_profile()?;
    let server = session.server_or_prompt()?;
    let context = || {
        format!(
            "cannot log in to {server} (profile {})",
            session.selected.profile_name
        )
    };
    let client = session.connect().client(&server)?;
    // A person about to type a login and password first learns whether the server can be
    // reached and trusted: a TLS problem shows before the first question (nothing secret
    // is sent). A certificate pinned now (trust on first use, --pin) is the CA from here on.
    let Some(pin) = trust::check(args, session, &client, &context).await? else {
        return log_in(args, session, &client, &context).await;
    };
    // The certificate is trusted for good only when the login succeeds.
    let pinned = session.with_pin(pin.file.clone(), pin.fingerprint.clone());
    let result = match pinned.connect().client(&server) {
        Ok(client) => log_in(args, &pinned, &client, &context).await,
        Err(e) => Err(e),
    };
    pin.settle(session, result.is_ok());
    result
}

/// Log in to the client's server with the session's TLS settings: a token made elsewhere
/// (`--with-token`), a rescued token moved, or a new token made with the password.
async fn log_in(
    args: &LoginArgs,
    session: &Session<'_>,
    client: &Client<'_>,
    context: &dyn Fn() -> String,
) -> Result<()> {
    let server = client.server();
    if args.with_token {
        return with_token(args, session, client, context).await;
    }
    let prompted = session.interactive && !password_given(&args.credentials.flags());
    let login = session.login_name(&args.credentials.flags(), server)?;
    // Without a terminal, a missing password is said (exit 3) before the store is chosen,
    // unless a rescued token waits to be moved (that needs none).
    let rescued = || {
        session
            .stores()
            .rescued_token(&login, server)
            .ok()
            .flatten()
    };
    if !session.interactive && !password_given(&args.credentials.flags()) && rescued().is_none() {
        return Err(crate::credentials::no_password(&login, server));
    }
    // The store is chosen (and, for auto, agreed to) before the password is asked for.
    let (kind, store) = session.choose_store(args.store).with_context(context)?;
    // Several keyring items for the account (another client stored one beside saymon's):
    // saymon's own go now, before the password is asked for.
    session
        .stores()
        .tidy_keyring(kind, &login, server)
        .with_context(context)?;
    // A token that a failed store left in the rescue file is moved, not replaced.
    let store = match move_rescued(args, session, client, &login, server, kind, store)
        .await
        .with_context(context)?
    {
        Moved::Done => return Ok(()),
        Moved::Nothing(store) => store,
    };
    let (password, checked_id) =
        password_and_id(args, session, client, &login, prompted, context).await?;
    let auth = Auth::Basic {
        login: &login,
        password: &password,
    };
    let issuer = Issuer {
        session,
        client,
        login: &login,
        auth: &auth,
        sets_tls: true,
    };
    let user_id = match checked_id {
        Some(id) => id,
        None => issuer.user_id(&args.credentials.flags()).await?,
    };
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

    report(
        session,
        server,
        &login,
        &issued.user_id,
        kind.name(),
        &saved,
    )?;
    session.out.note(&format!(
        "SAYMON keeps one token per user: the previous token of {login} no longer works, wherever it was used (another machine, a cron job). Give each job its own SAYMON user."
    ));
    Ok(())
}

/// The password and, when it was typed at a terminal, the user id: each typed password is
/// tried first (users/current), so that a typo is asked again (`TRIES` times in all).
/// Otherwise (given by a flag or a variable) it is returned unchecked, without an id: the
/// issuer finds the id. Exit 4 for a password the server refuses (under `context`).
async fn password_and_id(
    args: &LoginArgs,
    session: &Session<'_>,
    client: &Client<'_>,
    login: &str,
    prompted: bool,
    context: &dyn Fn() -> String,
) -> Result<(Secret, Option<String>)> {
    let server = client.server();
    let mut tries = 1;
    loop {
        let password = session.password(&args.credentials.flags(), login, server)?;
        if !prompted {
            return Ok((password, None));
        }
        // The time a person took to answer is not the server's: --timeout starts again.
        client.restart_deadline();
        let auth = Auth::Basic {
            login,
            password: &password,
        };
        match client.current_user(&auth).await {
            Ok(user) => {
                let id = match &args.credentials.user_id {
                    Some(id) => check_user_id(id)?,
                    None => check_user_id(user["id"].as_str().unwrap_or_default())
                        .context("the server sent a strange user id")?,
                };
                return Ok((password, Some(id)));
            }
            Err(e) if exit_code(&e) == Exit::Rejected && tries < TRIES => {
                tries += 1;
                session.out.note("Sorry, try again.");
            }
            Err(e) => return Err(on_rejection(e, password_hint(login))).with_context(context),
        }
    }
}

/// `login --with-token`: a token made elsewhere, read from stdin (a hidden prompt at a
/// terminal), through the one token check, then checked with the server (users/current):
/// only a token the server takes is stored, and the profile takes its login and user id
/// from the answer. A refused token is exit 4 and nothing is stored or changed; a
/// `--login` that is not the token's user is exit 4 too. A password remembered for the
/// same account is left as it is.
async fn with_token(
    args: &LoginArgs,
    session: &Session<'_>,
    client: &Client<'_>,
    context: &dyn Fn() -> String,
) -> Result<()> {
    let server = client.server();
    let token = read_token(session)?;
    let user = client
        .current_user(&Auth::Token(&token))
        .await
        .map_err(|e| {
            on_rejection(
                e,
                "the server refused this token (mistyped, revoked, or replaced by a newer one): nothing was stored; get a current token, or log in with a password",
            )
        })
        .with_context(context)?;
    let login = user_login(&user)?;
    if let Some(given) = &args.credentials.login
        && given != &login
        && user["email"].as_str() != Some(given.as_str())
    {
        return Err(Error::new(
            Exit::Rejected,
            format!(
                "the token belongs to {}, not to {}: nothing was stored",
                redact::inline(&login),
                redact::inline(given)
            ),
        )
        .hint("drop --login (and SAYMON_LOGIN): the token says whose it is")
        .into());
    }
    let user_id = check_user_id(user["id"].as_str().unwrap_or_default())
        .context("the server sent a strange user id")?;
    let (kind, store) = session.choose_store(args.store).with_context(context)?;
    session
        .stores()
        .tidy_keyring(kind, &login, server)
        .with_context(context)?;
    let lock = TokenLock::acquire(session)?;
    let checked = token.clone();
    let auth = Auth::Token(&checked);
    let issuer = Issuer {
        session,
        client,
        login: &login,
        auth: &auth,
        sets_tls: true,
    };
    let issued = issuer
        .prepare(user_id, Some((&lock, Target { kind, store })))
        .with_context(context)?
        .adopt(token)
        .keep(Remember::Keep)?;
    let saved = issued.saved.expect("login always stores");
    report(
        session,
        server,
        &login,
        &issued.user_id,
        kind.name(),
        &saved,
    )
}

/// The token of `login --with-token`: stdin's text (at most a few KiB), or at a terminal a
/// hidden prompt, through `token::accept_token` (exit 1 for what cannot be a token).
fn read_token(session: &Session<'_>) -> Result<Secret> {
    let text = if session.interactive {
        session
            .ask()
            .hidden("Token: ")
            .context("cannot read the token")?
    } else {
        use std::io::Read;
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .take(8 << 10)
            .read_to_string(&mut text)
            .context("cannot read the token from stdin")?;
        text
    };
    accept_token(Secret::new(text), "stdin")
}

/// The login in a user object the server sent: a short line of text, or exit 1.
fn user_login(user: &serde_json::Value) -> Result<String> {
    let login = user["login"].as_str().unwrap_or_default();
    if login.is_empty() || login.len() > 256 || login.chars().any(char::is_control) {
        return Err(Error::new(
            Exit::Failure,
            format!(
                "the server sent a strange login: {:?}",
                redact::server_text(login, 64)
            ),
        )
        .into());
    }
    Ok(login.to_string())
}

enum Moved {
    Done,
    /// Nothing to move: the store, for a new token.
    Nothing(Box<dyn SecretStore>),
}

/// Move the token of `login` on `server` that waits in the rescue file into `store`,
/// without making a new one; with `--remember-password`, the password (checked with the
/// server first) goes beside it, else a remembered one stays. The token is read again and
/// checked with the server under the token lock: a refresh in between may have replaced
/// it. A rescued token that cannot be one, or that the server refuses, is removed, and a
/// new token is made as usual.
async fn move_rescued(
    args: &LoginArgs,
    session: &Session<'_>,
    client: &Client<'_>,
    login: &str,
    server: &ServerUrl,
    kind: StoreKind,
    store: Box<dyn SecretStore>,
) -> Result<Moved> {
    // A first look, without the lock; the token is read again under it.
    if !session.stores().rescue_waits(login, server)? {
        return Ok(Moved::Nothing(store));
    }
    let password = if args.remember_password {
        let password = session.password(&args.credentials.flags(), login, server)?;
        client.restart_deadline();
        let auth = Auth::Basic {
            login,
            password: &password,
        };
        client
            .current_user(&auth)
            .await
            .map_err(|e| on_rejection(e, password_hint(login)))?;
        Some(password)
    } else {
        None
    };
    let lock = TokenLock::acquire(session)?;
    let token = match session.stores().rescued_token(login, server) {
        Ok(Some(token)) => token,
        Ok(None) => return Ok(Moved::Nothing(store)),
        Err(e) if exit_code(&e) == Exit::Failure => {
            let rescue = session.stores().drop_rescued(login, server)?;
            session.out.warn(&format!(
                "{e:#}; it is removed from {rescue}, and a new token is made"
            ));
            return Ok(Moved::Nothing(store));
        }
        Err(e) => return Err(e),
    };
    let user = match client.current_user(&Auth::Token(&token)).await {
        Ok(user) => user,
        Err(e) if exit_code(&e) == Exit::Rejected => {
            session.out.note(
                "The rescued token no longer works (a newer token replaced it, or it was revoked); making a new one.",
            );
            session.stores().drop_rescued(login, server)?;
            return Ok(Moved::Nothing(store));
        }
        Err(e) => return Err(e),
    };
    let user_id = match &args.credentials.user_id {
        Some(id) => check_user_id(id)?,
        None => check_user_id(user["id"].as_str().unwrap_or_default())
            .context("the server sent a strange user id")?,
    };
    let checked = token.clone();
    let auth = Auth::Token(&checked);
    let issuer = Issuer {
        session,
        client,
        login,
        auth: &auth,
        sets_tls: true,
    };
    let remember = match &password {
        Some(password) => Remember::Store(password),
        None => Remember::Keep,
    };
    let issued = issuer
        .prepare(user_id, Some((&lock, Target { kind, store })))?
        .adopt(token)
        .keep(remember)?;
    let saved = issued.saved.expect("login always stores");
    session.out.note(&format!(
        "Moved the rescued token of {login} into {saved}; no new token was made."
    ));
    report(session, server, login, &issued.user_id, kind.name(), &saved)?;
    Ok(Moved::Done)
}

fn report(
    session: &Session<'_>,
    server: &ServerUrl,
    login: &str,
    user_id: &str,
    store: &str,
    saved: &TokenSource,
) -> Result<()> {
    if session.out.json() {
        session.out.result_json(&json!({
            "profile": session.selected.profile_name,
            "server": server.to_string(),
            "login": login,
            "user_id": user_id,
            "store": store,
            "token_source": saved.to_string(),
        }))?;
    } else {
        session.out.note(&format!(
            "Logged in to {server} as {login} (profile {}); token stored in {saved}",
            session.selected.profile_name
        ));
    }
    Ok(())
}
