//! `saymon logout`: forget the profile's stored secrets, wherever they are kept; with
//! `--revoke`, first delete the token on the server.

use anyhow::{Context, Result};
use serde_json::json;

use super::token;
use crate::cli::{CredentialArgs, LogoutArgs};
use crate::credentials::Session;
use crate::store::SecretKind;

pub async fn run(args: &LogoutArgs, session: &Session<'_>) -> Result<()> {
    let name = &session.profile_name;
    let mut revoked = false;
    if args.revoke {
        // With the token in use: logout takes no password.
        token::revoke_and_forget(session, &CredentialArgs::default()).await?;
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
    }
    if std::env::var_os("SAYMON_TOKEN").is_some() {
        session.out.warn(
            "SAYMON_TOKEN is still set in this environment and is used before any stored token",
        );
    }
    Ok(())
}
