//! `saymon logout`: forget the profile's stored token, wherever it is kept.

use anyhow::{Context, Result};
use serde_json::json;

use crate::cli::LogoutArgs;
use crate::credentials::Session;

pub fn run(_args: &LogoutArgs, session: &Session<'_>) -> Result<()> {
    let name = &session.profile_name;
    let target = session.profile().and_then(|p| p.store).zip(
        session
            .server()?
            .and_then(|server| session.account(&server)),
    );
    let (removed, message) = match target {
        None => (
            false,
            format!("Nothing to remove: profile {name} has no stored token."),
        ),
        Some((kind, account)) => {
            let store = session.store_of(kind);
            let removed = store
                .delete(&account)
                .with_context(|| format!("cannot log out of profile {name}"))?;
            let message = if removed {
                format!(
                    "Removed the token of {account} from {} (profile {name}).",
                    store.describe()
                )
            } else {
                format!(
                    "Nothing to remove: no token of {account} in {} (profile {name}).",
                    store.describe()
                )
            };
            (removed, message)
        }
    };
    if session.out.json() {
        session
            .out
            .result_json(&json!({"profile": name, "removed": removed}))?;
    } else {
        session.out.note(&message);
    }
    if std::env::var_os("SAYMON_TOKEN").is_some() {
        session.out.warn(
            "SAYMON_TOKEN is still set in this environment and is used before any stored token",
        );
    }
    Ok(())
}
