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
    let target = match session.server()? {
        Some(server) => session.profile_store(&server),
        None => None,
    };
    let mut removed = Vec::new();
    let message = match target {
        None => format!("Nothing to remove: profile {name} has no stored token."),
        Some((kind, account)) => {
            let store = session.store_of(kind);
            for secret in [SecretKind::Token, SecretKind::Password] {
                if store
                    .delete(&account, secret)
                    .with_context(|| format!("cannot log out of profile {name}"))?
                {
                    removed.push(secret.name());
                }
            }
            if removed.is_empty() {
                format!(
                    "Nothing to remove: no token of {account} in {} (profile {name}).",
                    store.describe()
                )
            } else {
                format!(
                    "Removed the {} of {account} from {} (profile {name}).",
                    removed.join(" and "),
                    store.describe()
                )
            }
        }
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
