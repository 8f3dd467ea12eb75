//! `saymon logout`: forget the profile's stored secrets, wherever they are kept; with
//! `--revoke`, first delete the token on the server. Other profiles that keep their
//! secrets in the same entry (the same login, server and store) are logged out with it,
//! and named.

use anyhow::{Context, Result};
use clap::Args;
use serde_json::json;

use super::profile::shown;
use super::token;
use crate::credentials::CredentialFlags;
use crate::credentials::Session;
use crate::error::{Exit, exit_code};
use crate::store::SecretKind;

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Also delete the token on the server (authenticated with the token itself)
    #[arg(long)]
    pub revoke: bool,
}

pub(crate) async fn run(args: &LogoutArgs, session: &Session<'_>) -> Result<()> {
    session.selected.check_profile_exists()?;
    let name = &session.selected.profile_name;
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
            session.selected.profile_flag(),
            session.selected.profile_flag()
        );
        token::revoke_and_forget(session, &CredentialFlags::default(), &refused).await?;
        revoked = true;
    }
    let server = session.selected.server()?;
    // The profiles that keep their secrets in the same entry (the same login on the same
    // server, in the same store): a logout here logs them out too, and says so.
    let sharing = server
        .as_ref()
        .and_then(|server| session.profile_store(server))
        .map(|(kind, account)| session.profiles_sharing(name, kind, &account))
        .unwrap_or_default();
    let forgotten = match &server {
        Some(server) => {
            crate::lifecycle::forget(session, server, &[SecretKind::Token, SecretKind::Password])
                .with_context(|| format!("cannot log out of profile {}", shown(name)))?
        }
        None => None,
    };
    let removed = forgotten
        .as_ref()
        .map(|f| f.removed.clone())
        .unwrap_or_default();
    let also = if (revoked || !removed.is_empty()) && !sharing.is_empty() {
        sharing.clone()
    } else {
        Vec::new()
    };
    let name = shown(name);
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
        let left = session.stores().warn_keyring_left();
        session.out.result_json(&json!({
            "profile": session.selected.profile_name,
            "revoked": revoked,
            "removed": !removed.is_empty(),
            "removed_secrets": removed,
            "also_logged_out": also,
            "left_in_keyring": left.iter().map(|l| json!({
                "secret": l.kind.name(),
                "account": l.account,
                "labels": l.labels,
            })).collect::<Vec<_>>(),
        }))?;
    } else {
        if !(revoked && removed.is_empty()) {
            session.out.note(&message);
        }
        session.stores().warn_keyring_left();
        if !also.is_empty() {
            let (profiles, are) = if also.len() == 1 {
                ("Profile", "is")
            } else {
                ("Profiles", "are")
            };
            session.out.note(&format!(
                "{profiles} {} kept the same token (the same login, server and store) and {are} logged out too.",
                also.join(", ")
            ));
        }
        if !revoked && removed.contains(&"token") {
            session.out.note(&format!(
                "The token still works on the server until it is replaced or revoked: `saymon{} logout --revoke` ends it there too.",
                session.selected.profile_flag()
            ));
        }
    }
    if let Some(given) = crate::credentials::env_token_source() {
        session.out.warn(&format!(
            "{} is still set in this environment and is used before any stored token",
            crate::credentials::given_name(&given)
        ));
    }
    Ok(())
}
