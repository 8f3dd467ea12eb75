//! `saymon logout`: forget the profile's stored secrets, wherever they are kept; with
//! `--revoke`, first delete the token on the server.

use anyhow::{Context, Result};
use serde_json::json;

use super::token;
use crate::cli::{CredentialArgs, LogoutArgs};
use crate::credentials::Session;
use crate::error::{Exit, exit_code};
use crate::store::SecretKind;

pub async fn run(args: &LogoutArgs, session: &Session<'_>) -> Result<()> {
    session.check_profile_exists()?;
    let name = &session.profile_name;
    let mut revoked = false;
    // With the token in use: logout takes no password. Nothing stored: nothing to revoke,
    // and logout --revoke ends as logout does.
    let has_token = args.revoke
        && match session.token() {
            Ok(_) => true,
            Err(e) if exit_code(&e) == Exit::NoCredentials => false,
            Err(e) => return Err(e),
        };
    if has_token {
        let refused = format!(
            "the token no longer works (replaced or revoked), so there is nothing to revoke with it: `saymon{} logout` forgets it here; `saymon{} token revoke --password-file FILE` ends whatever token the user has now",
            session.profile_flag(),
            session.profile_flag()
        );
        token::revoke_and_forget(session, &CredentialArgs::default(), &refused).await?;
        revoked = true;
    }
    let forgotten = match session.server()? {
        Some(server) => {
            crate::issue::forget(session, &server, &[SecretKind::Token, SecretKind::Password])
                .with_context(|| format!("cannot log out of profile {name}"))?
        }
        None => None,
    };
    let removed = forgotten
        .as_ref()
        .map(|f| f.removed.clone())
        .unwrap_or_default();
    let message = match &forgotten {
        None => format!("Nothing to remove: profile {name} has no stored token."),
        Some(f) if f.removed.is_empty() => format!(
            "Nothing to remove: no token of {} in {} (profile {name}).",
            f.account, f.store
        ),
        Some(f) => format!(
            "Removed the {} of {} from {} (profile {name}).",
            f.removed.join(" and "),
            f.account,
            f.store
        ),
    };
    if session.out.json() {
        session.out.result_json(&json!({
            "profile": name,
            "revoked": revoked,
            "removed": !removed.is_empty(),
            "removed_secrets": removed,
        }))?;
    } else if !(revoked && removed.is_empty()) {
        session.out.note(&message);
        if !revoked && removed.contains(&"token") {
            session.out.note(&format!(
                "The token still works on the server until it is replaced or revoked: `saymon{} logout --revoke` ends it there too.",
                session.profile_flag()
            ));
        }
    }
    if std::env::var_os("SAYMON_TOKEN").is_some() {
        session.out.warn(
            "SAYMON_TOKEN is still set in this environment and is used before any stored token",
        );
    }
    Ok(())
}
