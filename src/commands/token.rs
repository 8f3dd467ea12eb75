//! `saymon token create`, `print`, `refresh` and `revoke`.

use anyhow::{Context, Result};
use clap::Args;
use serde_json::json;

use super::CredentialArgs;
use crate::client::{Auth, Client};
use crate::config::StoreKind;
use crate::credentials::{CredentialFlags, Session, password_given};
use crate::error::{Error, Exit};
use crate::lifecycle::{Issued, Issuer, Remember, Target, TokenLock};
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::{self, SecretKind, SecretStore, StoreChoice};

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
        session.check_new_profile()?;
    }
    let server = session.server_or_prompt()?;
    let login = session.login_name(&args.credentials.flags(), &server)?;
    let own_kind = session
        .profile()
        .and_then(|p| p.store)
        .filter(|_| session.profile_is(&server, &login));
    // Where the new token must be stored is checked before the password is asked for.
    let target = create_target(args, session, own_kind, &login)?;
    let password = session.password(&args.credentials.flags(), &login, &server)?;
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
            session.profile_name
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
    let store = session.store_of(kind);
    store.prepare().with_context(|| {
        format!(
            "profile {} keeps the token of {login} in {}, which must be replaced with the new one",
            session.profile_name,
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
                    session.profile_flag()
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

/// Print the token in use, bare: the one handed over in the environment (SAYMON_TOKEN,
/// SAYMON_TOKEN_FILE, systemd's credential), else the profile's stored token. With `--to
/// FILE`, write it there instead (one line, mode 0600, atomically replaced: a reader, such
/// as systemd loading it as another service's credential, sees the old token or the new
/// one). Errors: no token (exit 3), FILE one of saymon's own files (exit 2), FILE not
/// writable (exit 7, as a store that cannot be written).
pub(crate) fn print(args: &TokenPrintArgs, session: &Session<'_>) -> Result<()> {
    let (token, source) = session.token()?;
    if let Some(path) = &args.to {
        check_destination(path, session)?;
        let mut line = token.expose().as_bytes().to_vec();
        line.push(b'\n');
        let written = crate::fsutil::write_atomic(path, &line);
        zeroize::Zeroize::zeroize(&mut line);
        written?;
        session.out.note(&format!(
            "Wrote the token of profile {} ({source}) to {}.",
            session.profile_name,
            path.display()
        ));
        if session.out.json() {
            session.out.result_json(&json!({
                "file": path.display().to_string(),
                "source": source.kind(),
                "profile": session.profile_name,
            }))?;
        }
        return Ok(());
    }
    crate::mask::register_with_ci(token.expose().as_bytes());
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

/// Where `token print --to` may write. Exit 2 for `-` (without `--to` the token goes to
/// stdout), a directory, or one of saymon's own files in the config dir (a bare token over
/// credentials.toml would lose every stored secret); exit 7 for a directory another user
/// may write in (without the sticky bit) or owns, who could replace the token that other
/// services load.
fn check_destination(path: &std::path::Path, session: &Session<'_>) -> Result<()> {
    let usage = |message: String, hint: &str| -> anyhow::Error {
        Error::new(Exit::Usage, message).hint(hint).into()
    };
    if path.as_os_str() == "-" {
        return Err(usage(
            "--to - would write a file named -".into(),
            "leave out --to to print the token on stdout, or write --to ./- for a file of that name",
        ));
    }
    if path.is_dir() || path.as_os_str().to_string_lossy().ends_with('/') {
        return Err(usage(
            format!("--to {} is a directory", path.display()),
            "give the file's path, e.g. --to /var/lib/saymon/prod.token",
        ));
    }
    refuse_shared_dir(path)?;
    refuse_own_file(path, session)
}

/// Exit 7 when the directory `path` goes into may be written by another user: group or
/// others may write it and it has no sticky bit, or another user (not root) owns it.
#[cfg(unix)]
fn refuse_shared_dir(path: &std::path::Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let dir = crate::fsutil::parent(path);
    let Ok(meta) = std::fs::metadata(dir) else {
        return Ok(()); // made, private, by the write
    };
    let me = rustix::process::geteuid().as_raw();
    let shared = meta.mode() & 0o022 != 0 && meta.mode() & 0o1000 == 0;
    let foreign = meta.uid() != me && meta.uid() != 0;
    if shared || foreign {
        let who = if foreign {
            format!("belongs to another user (uid {})", meta.uid())
        } else {
            format!(
                "may be written by others (mode {:03o})",
                meta.mode() & 0o777
            )
        };
        return Err(Error::new(
            Exit::StoreUnusable,
            format!(
                "--to {}: the directory {who}, who could replace the token there",
                path.display()
            ),
        )
        .hint(format!(
            "write it into a directory of your own, e.g. --to /var/lib/saymon/prod.token (or chmod go-w {})",
            dir.display()
        ))
        .into());
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_shared_dir(_path: &std::path::Path) -> Result<()> {
    Ok(())
}

/// `token print --to` must not overwrite saymon's own files in the config dir.
fn refuse_own_file(path: &std::path::Path, session: &Session<'_>) -> Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let dir = crate::fsutil::parent(path);
    let same_dir = match (dir.canonicalize(), session.config_dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let own = ["config.toml", "credentials.toml", "rescued-tokens.toml"];
    if same_dir && (own.contains(&name) || name.starts_with('.')) {
        return Err(Error::new(
            Exit::Usage,
            format!(
                "--to {} is one of saymon's own files in its config dir",
                path.display()
            ),
        )
        .hint("write the token to a file of its own, e.g. --to /var/lib/saymon/prod.token")
        .into());
    }
    Ok(())
}

/// Create a fresh token with the given or remembered password and replace the stored one.
/// Prints no token: cron mails whatever a job prints.
pub(crate) async fn refresh(args: &TokenRefreshArgs, session: &Session<'_>) -> Result<()> {
    session.check_profile_exists()?;
    let server = session.require_server()?;
    let login = session.login_name(&args.credentials.flags(), &server)?;
    let kind = stored_kind(session)?;
    let store = session.store_of(kind);
    let context = || {
        format!(
            "cannot refresh the token of profile {} ({server})",
            session.profile_name
        )
    };
    let client = session.client(&server)?;
    // Refreshes serialize here: the next one sees this one's token.
    let lock = TokenLock::acquire(session)?;
    if args.if_invalid
        && still_works(session, &client, &server)
            .await
            .with_context(context)?
    {
        session.out.note(&format!(
            "The token of profile {} still works; no new one was made.",
            session.profile_name
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
        session.profile_name
    ));
    report_refresh(session, &server, &login, kind, true)
}

/// The store of the profile's token; exit 3 when the profile stores none.
fn stored_kind(session: &Session<'_>) -> Result<StoreKind> {
    session.profile().and_then(|p| p.store).ok_or_else(|| {
        Error::new(
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
    let Some(profile) = session.profile() else {
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
                session.profile_flag()
            ))
            .into()
        })
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
pub(crate) async fn revoke(args: &TokenRevokeArgs, session: &Session<'_>) -> Result<()> {
    session.check_profile_exists()?;
    let (server, removed) = revoke_and_forget(
        session,
        &args.credentials.flags(),
        "the server refused: the token may already be replaced or revoked; to revoke whatever token the user has now, give the password (--password-stdin or --password-file)",
    )
    .await?;
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
/// Revoke the user's token on the server, then forget it here; `refused` is the hint when
/// the server refuses the credentials (it depends on what the command accepts).
pub(super) async fn revoke_and_forget(
    session: &Session<'_>,
    credentials: &CredentialFlags,
    refused: &str,
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
                f.account, session.profile_name
            ));
        }
        None => session
            .out
            .note(&format!("Revoked the token of user {user_id} on {server}.")),
    }
    Ok((server, removed))
}
