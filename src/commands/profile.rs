//! `saymon profile list | use NAME | remove NAME`: see the profiles, choose the default one,
//! and remove one with its secrets. config.toml is changed under its lock, atomically.

use anyhow::{Context, Result};
use clap::Args;
use serde_json::{Value, json};

use super::token;
use crate::config::{self, StoreKind};
use crate::credentials::CredentialFlags;
use crate::credentials::Session;
use crate::error::{Error, Exit, exit_code};
use crate::redact;
use crate::store::SecretKind;

#[derive(Debug, Args)]
pub struct ProfileListArgs {}

#[derive(Debug, Args)]
pub struct ProfileUseArgs {
    /// The profile to make the default
    #[arg(value_name = "NAME",
          add = clap_complete::engine::ArgValueCandidates::new(crate::config::profile_candidates))]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ProfileRemoveArgs {
    /// The profile to remove
    #[arg(value_name = "NAME",
          add = clap_complete::engine::ArgValueCandidates::new(crate::config::profile_candidates))]
    pub name: String,

    /// First delete the profile's token on the server (authenticated with the token itself)
    #[arg(long, conflicts_with = "keep_secrets")]
    pub revoke: bool,

    /// Remove only the profile: its token and password stay where they are kept (for a
    /// keyring that cannot be reached here, e.g. over SSH), and saymon says where
    #[arg(long)]
    pub keep_secrets: bool,
}

/// Every profile as a table (`*` marks the profile in use, "(default)" the default, with
/// the legend on stderr), or with `--output json` an array of
/// `{name, server, login, store, default}`.
pub(crate) fn list(_args: &ProfileListArgs, session: &Session<'_>) -> Result<()> {
    let default = session.selected.config.default_profile.as_deref();
    let profiles = &session.selected.config.profiles;
    if session.out.json() {
        let all: Vec<Value> = profiles
            .iter()
            .map(|(name, p)| {
                json!({
                    "name": name,
                    "server": p.server,
                    "login": p.login,
                    "store": p.store.map(StoreKind::name),
                    "default": Some(name.as_str()) == default,
                })
            })
            .collect();
        return session.out.result_json(&Value::Array(all));
    }
    if profiles.is_empty() {
        session.out.note(&format!(
            "No profiles in {}: `saymon login --server URL` makes one.",
            session.selected.config_dir.display()
        ));
        return Ok(());
    }
    let mut lines = vec![
        ["PROFILE", "SERVER", "LOGIN", "STORE"]
            .map(String::from)
            .to_vec(),
    ];
    // As in status: `*` marks the profile in use, "(default)" the default.
    for (name, p) in profiles {
        let mark = if *name == session.selected.profile_name {
            "*"
        } else {
            " "
        };
        let tag = if Some(name.as_str()) == default {
            " (default)"
        } else {
            ""
        };
        let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        lines.push(vec![
            format!("{mark}{name}{tag}"),
            shown(&p.server),
            shown(&p.login),
            p.store.map_or("-", StoreKind::name).to_string(),
        ]);
    }
    session.out.result(&crate::output::table(&lines))?;
    if profiles.contains_key(&session.selected.profile_name) {
        session.out.note(super::status::SELECTED_LEGEND);
    }
    Ok(())
}

/// Make NAME the default profile. Exit 3 when there is no profile NAME.
pub(crate) fn use_(args: &ProfileUseArgs, session: &Session<'_>) -> Result<()> {
    let name = existing(session, &args.name)?;
    config::update(&session.selected.config_dir, |config| {
        config.default_profile = Some(name.clone());
    })?;
    if session.out.json() {
        session.out.result_json(&json!({ "default": name }))?;
    } else {
        session.out.note(&format!(
            "Profile {} is the default now: commands without --profile use it.",
            shown(&name)
        ));
    }
    warn_overridden(session);
    Ok(())
}

/// Remove NAME: with --revoke its token is deleted on the server first; then its token and
/// password are forgotten in whichever store holds them (and the rescue file), and the
/// profile leaves config.toml; with --keep-secrets they stay, and where is said. Removing
/// the default says which profile is the default now. Exit 3 for an unknown NAME; a store
/// that cannot be used is exit 7 and keeps the profile (for the keyring, the hint names
/// --keep-secrets).
pub(crate) async fn remove(args: &ProfileRemoveArgs, session: &Session<'_>) -> Result<()> {
    let name = existing(session, &args.name)?;
    // NAME as config.toml has it: --server, the TLS flags and SAYMON_TOKEN are for the
    // selected profile, and would point the revocation and the removal elsewhere.
    let settings = session.settings.for_named_profile(&name);
    let named = session.named(&settings);
    let sharing = session.profiles_sharing_secrets(&name);
    if args.revoke && !sharing.is_empty() {
        return Err(Error::new(
            Exit::Usage,
            format!(
                "profile {} uses the same token (the same login, server and store): --revoke would end it there too",
                sharing.join(", ")
            ),
        )
        .hint("remove that profile too, or drop --revoke (the token stays for it)")
        .into());
    }
    let revoked = args.revoke && revoke(&named, &name).await?;
    let server = named.selected.server()?;
    let stored = server.as_ref().and_then(|s| named.profile_store(s));
    let forgotten = match &server {
        Some(server) if sharing.is_empty() && !args.keep_secrets => {
            crate::lifecycle::forget(&named, server, &[SecretKind::Token, SecretKind::Password])
                .map_err(|e| keyring_hint(e, &name, stored.as_ref()))
                .with_context(|| format!("cannot remove profile {}", shown(&name)))?
        }
        _ => None,
    };
    let removed = forgotten.map(|f| f.removed).unwrap_or_default();
    // --keep-secrets: where the secrets stay (nothing to say when another profile keeps
    // them anyway, or nothing was ever stored).
    let kept = stored.filter(|_| args.keep_secrets && sharing.is_empty());
    let after = config::update(&session.selected.config_dir, |config| {
        config.profiles.remove(&name);
        if config.default_profile.as_deref() == Some(name.as_str()) {
            // The first profile left, by name, is the default now (as `login` makes the
            // first profile the default).
            config.default_profile = config.profiles.keys().next().cloned();
        }
    })?;
    // A certificate saymon pinned for it goes too, unless another profile trusts it.
    super::login::forget_pinned(session, &name, None);
    let was_default = session.selected.config.default_profile.as_deref() == Some(name.as_str());
    if session.out.json() {
        let left = session.stores().warn_keyring_left();
        session.out.result_json(&json!({
            "profile": name,
            "revoked": revoked,
            "removed_secrets": removed,
            "kept_secrets": kept.as_ref().map(|(kind, account)| json!({
                "store": kind.name(),
                "account": account,
            })),
            "left_in_keyring": left.iter().map(|l| json!({
                "secret": l.kind.name(),
                "account": l.account,
                "labels": l.labels,
            })).collect::<Vec<_>>(),
            "default": after.default_profile,
        }))?;
        return Ok(());
    }
    let secrets = if removed.is_empty() {
        String::new()
    } else {
        format!(" and its {}", removed.join(" and "))
    };
    session
        .out
        .note(&format!("Removed profile {}{secrets}.", shown(&name)));
    session.stores().warn_keyring_left();
    if !sharing.is_empty() {
        session.out.note(&format!(
            "Its token stays: profile {} uses it too.",
            sharing.join(", ")
        ));
    }
    if let Some((kind, account)) = &kept {
        session
            .out
            .note(&session.stores().kept_secrets_note(*kind, account));
    }
    if was_default {
        session.out.note(&match &after.default_profile {
            Some(now) => format!("The default profile is {} now.", shown(now)),
            None => "No profile is left: `saymon login --server URL` makes one.".to_string(),
        });
    }
    Ok(())
}

/// A keyring that cannot be used while NAME's secrets are removed: the profile stays,
/// and the hint says how to remove it all the same (--keep-secrets) and what then stays.
/// Other errors pass unchanged.
fn keyring_hint(
    mut err: anyhow::Error,
    name: &str,
    stored: Option<&(StoreKind, String)>,
) -> anyhow::Error {
    let Some((StoreKind::Keyring, account)) = stored else {
        return err;
    };
    if exit_code(&err) != Exit::StoreUnusable {
        return err;
    }
    if let Some(e) = err.downcast_mut::<Error>() {
        e.hint = Some(format!(
            "the profile is kept; run this where the keyring answers (the desktop session), or `saymon profile remove {} --keep-secrets` removes the profile and leaves its token in the keyring (account {account})",
            shlex::try_quote(name).map_or_else(|_| name.into(), |q| q.into_owned())
        ));
    }
    err
}

/// --revoke: delete the profile's token on the server with the token itself. `false`
/// when the profile stores no token (nothing to revoke).
async fn revoke(named: &Session<'_>, name: &str) -> Result<bool> {
    match named.token() {
        Ok(_) => {}
        Err(e) if exit_code(&e) == Exit::NoCredentials => return Ok(false),
        Err(e) => return Err(e),
    }
    let refused = format!(
        "the token no longer works (replaced or revoked), so there is nothing to revoke with it: `saymon profile remove {}` removes the profile without --revoke",
        shown(name)
    );
    token::revoke_and_forget(named, &CredentialFlags::default(), &refused).await?;
    Ok(true)
}

/// `name`, when it is a profile; else exit 3 naming the profiles there are.
fn existing(session: &Session<'_>, name: &str) -> Result<String> {
    if session.selected.config.profile(name).is_some() {
        return Ok(name.to_string());
    }
    let names: Vec<String> = session
        .selected
        .config
        .profiles
        .keys()
        .map(|n| shown(n))
        .collect();
    let hint = if names.is_empty() {
        "there are no profiles: `saymon login --server URL` makes one".to_string()
    } else {
        format!("the profiles are: {}", names.join(", "))
    };
    Err(Error::new(
        Exit::NoCredentials,
        format!("there is no profile {}", shown(name)),
    )
    .hint(hint)
    .into())
}

/// SAYMON_PROFILE (or --profile) chooses a profile before the default does: say so, or
/// `profile use` seems to do nothing.
fn warn_overridden(session: &Session<'_>) {
    if let Some(chosen) = session.settings.profile() {
        session.out.warn(&format!(
            "{} selects profile {} in this environment, before the default",
            if session.settings.on_command_line.profile {
                "--profile"
            } else {
                "SAYMON_PROFILE"
            },
            shown(chosen)
        ));
    }
}

/// A profile name for a message: escaped as every name is (`redact::inline`), and quoted
/// when it is empty or holds white space, which would otherwise not show.
pub(super) fn shown(name: &str) -> String {
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        format!("\"{}\"", redact::inline(name))
    } else {
        redact::inline(name)
    }
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn names_that_would_not_show_are_quoted() {
        assert_eq!(shown("prod"), "prod");
        assert_eq!(shown(""), "\"\"");
        assert_eq!(shown("a b"), "\"a b\"");
        assert_eq!(shown("a\nb"), "\"a\\u{a}b\"");
    }
}
