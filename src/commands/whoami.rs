//! `saymon whoami`: the user the token in use belongs to, as the server sees it.

use anyhow::{Context, Result};
use clap::Args;
use serde_json::Value;

use crate::client::Auth;
use crate::credentials::Session;
use crate::error::on_rejection;
use crate::redact;
use crate::store::TokenSource;

#[derive(Debug, Args)]
pub struct WhoamiArgs {}

pub(crate) async fn run(_args: &WhoamiArgs, session: &Session<'_>) -> Result<()> {
    let (token, source) = session.token()?;
    let server = session.selected.require_server()?;
    let client = session.connect().client(&server)?;
    let mut user = client
        .current_user(&Auth::Token(&token))
        .await
        .map_err(|e| on_rejection(e, refused_hint(session, &source, &server)))
        .with_context(|| format!("cannot ask {server} who the token of {source} belongs to"))?;
    mask_token(&mut user);

    if session.out.json() {
        session.out.result_json(&user)?;
        return Ok(());
    }
    let field = |name: &str| {
        user.get(name)
            .and_then(Value::as_str)
            .map(|s| redact::server_text(s, 200))
    };
    let mut lines = vec![format!(
        "login:        {}",
        field("login").unwrap_or_default()
    )];
    if let Some(name) = field("displayName").filter(|n| !n.is_empty()) {
        lines.push(format!("display name: {name}"));
    }
    if let Some(email) = field("email").filter(|e| !e.is_empty()) {
        lines.push(format!("e-mail:       {email}"));
    }
    lines.push(format!("id:           {}", field("id").unwrap_or_default()));
    lines.push(format!("server:       {server}"));
    let from = match &source {
        _ if source.is_given() => source.to_string(),
        _ => format!(
            "{source} (profile {})",
            redact::inline(&session.selected.profile_name)
        ),
    };
    lines.push(format!("token from:   {from}"));
    session.out.result(&lines.join("\n"))?;
    Ok(())
}

/// What to do about a refused token: for a stored one, `token refresh` where a password
/// is remembered (the unattended fix), else `login`.
fn refused_hint(
    session: &Session<'_>,
    source: &TokenSource,
    server: &crate::server::ServerUrl,
) -> String {
    if source.is_given() {
        return crate::credentials::given_token_refused(source);
    }
    let remembered = session
        .selected
        .profile()
        .is_some_and(|profile| session.remembers_password(profile, server));
    let fix = if remembered {
        format!(
            "run `saymon{} token refresh`: it makes a new one with the remembered password",
            session.selected.profile_flag()
        )
    } else {
        format!("run `saymon login{}`", session.selected.profile_flag())
    };
    format!("the stored token was refused: a newer token replaced it, or it was revoked; {fix}")
}

/// whoami never prints a token: `authenticationToken`, when the server sends one, is masked.
fn mask_token(user: &mut Value) {
    if let Some(t) = user.get_mut("authenticationToken")
        && !t.is_null()
    {
        *t = Value::String("***".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_masked_null_kept() {
        let mut u = serde_json::json!({"id":"1","login":"a","authenticationToken":"sekrit"});
        mask_token(&mut u);
        assert_eq!(u["authenticationToken"], "***");
        let mut u = serde_json::json!({"id":"1","login":"a","authenticationToken":null});
        mask_token(&mut u);
        assert!(u["authenticationToken"].is_null());
    }
}
