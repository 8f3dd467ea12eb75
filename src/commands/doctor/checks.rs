//! The local steps of `doctor`: the config file, the credentials file, and for each
//! profile its server, its TLS files and where its token and password are kept.

use std::time::Instant;

use crate::config::{self, Profile, StoreKind};
use crate::credentials::stored_secret;
use crate::credentials::{Session, env_password, env_token};
use crate::error::{Error, Exit};
use crate::server::ServerUrl;
use crate::store::{SecretKind, TokenSource};

use super::Target;
use super::report::Check;

pub(super) fn config_check(session: &Session<'_>) -> Check {
    let path = session.selected.config_dir.join(config::CONFIG_FILE);
    if !path.exists() {
        return Check::pass(
            "config",
            format!("{}: none yet (no profiles)", path.display()),
        );
    }
    let count = session.selected.config.profiles.len();
    Check::pass(
        "config",
        format!(
            "{}: {count} profile{}, only you can change it",
            path.display(),
            if count == 1 { "" } else { "s" }
        ),
    )
}

pub(super) fn credentials_check(session: &Session<'_>) -> Check {
    let file = session.stores().credentials_file();
    let path = file.display().to_string();
    if !file.exists() {
        return Check::skip(
            "credentials",
            format!("{path}: none (no secret kept in a file)"),
        );
    }
    // Reading it checks its mode and that it parses.
    match session.stores().check_credentials_file() {
        Ok(()) => Check::pass("credentials", format!("{path}: only you can read it")),
        Err(e) => Check::fail("credentials", &e),
    }
}

/// A profile's local checks (its store), and what the network checks need.
pub(super) fn local(session: &Session<'_>, name: &str) -> Target {
    let selected = name == session.selected.profile_name;
    let profile = session
        .selected
        .config
        .profile(name)
        .cloned()
        .unwrap_or_default();
    // The global --server, TLS flags and the token and password in the environment
    // (SAYMON_TOKEN, SAYMON_TOKEN_FILE, …) apply to the selected profile only.
    let server = session.selected.server_of(name).and_then(|server| {
        server.ok_or_else(|| {
            let hint = if selected {
                "run `saymon login --server URL`, or pass --server".to_string()
            } else {
                format!("run `saymon login --profile {name} --server URL`")
            };
            Error::new(Exit::Usage, format!("profile {name} has no server"))
                .hint(hint)
                .into()
        })
    });
    let tls = server
        .as_ref()
        .map(|server| session.connect().tls_of(name, server))
        .unwrap_or_default();
    let mut target = Target {
        name: name.to_string(),
        login: profile.login.clone(),
        server,
        tls,
        checks: Vec::new(),
        token: None,
        no_token: None,
        given_failed: false,
        password: None,
    };
    if selected {
        match env_token() {
            Ok(Some(token)) => target.token = Some(token),
            Ok(None) => {}
            Err(e) => {
                target.checks.push(Check::fail("token", &e));
                target.given_failed = true;
            }
        }
        match env_password() {
            Ok(password) => target.password = password.map(|(password, _)| password),
            Err(e) => target.checks.push(Check::fail("password", &e)),
        }
    }
    let Ok(server) = target.server.as_ref().map(Clone::clone) else {
        return target;
    };
    // A rescued token (see `lifecycle`) wins over the store's, as for every command.
    if target.token.is_none()
        && !target.given_failed
        && let Some(login) = profile.login.as_deref()
        && let Ok(Some(token)) = session.stores().rescued_token(login, &server)
    {
        let source = TokenSource::Rescued(session.stores().rescue_file());
        target.checks.push(Check::warn(
            "rescue",
            format!("a new token waits in {source}: its store could not take it"),
            format!(
                "move it with `saymon login{} --store {}` once the store works",
                profile_flag(session, name),
                profile.store.map_or("keyring", |k| k.name())
            ),
        ));
        target.token = Some((token, source));
    }
    match profile.store {
        Some(kind) => stored(session, &profile, kind, &server, &mut target),
        None if target.token.is_none() => {
            target.no_token = Some(
                Error::new(
                    Exit::NoCredentials,
                    format!(
                        "profile {name} has no stored token{}",
                        if selected {
                            crate::credentials::empty_env_token_note()
                        } else {
                            String::new()
                        }
                    ),
                )
                .hint(format!("run `saymon login{}`", profile_flag(session, name)))
                .into(),
            );
        }
        None => {}
    }
    target
}

/// The profile's token (unless SAYMON_TOKEN wins) and remembered password from its store;
/// for the keyring, a check of its own.
pub(super) fn stored(
    session: &Session<'_>,
    profile: &Profile,
    kind: StoreKind,
    server: &ServerUrl,
    target: &mut Target,
) {
    let store = session.stores().open(kind);
    let started = Instant::now();
    let token = stored_secret(
        profile,
        store.as_ref(),
        server,
        SecretKind::Token,
        session.out,
    );
    if kind == StoreKind::Keyring {
        target.checks.push(match &token {
            Ok(_) => Check::pass(
                "keyring",
                format!(
                    "{} answered in {} ms",
                    store.describe(),
                    started.elapsed().as_millis()
                ),
            ),
            Err(e) => Check::fail("keyring", e),
        });
    }
    match token {
        Ok(Some(token)) if target.token.is_none() && !target.given_failed => {
            target.token = Some((
                token,
                TokenSource::of_store(kind, &session.selected.config_dir),
            ));
        }
        Ok(None) if target.token.is_none() => {
            target.no_token = Some(
                Error::new(
                    Exit::NoCredentials,
                    format!("no token stored for profile {}", target.name),
                )
                .hint(format!(
                    "run `saymon login{}`",
                    profile_flag(session, &target.name)
                ))
                .into(),
            );
        }
        Err(e) if target.token.is_none() => target.no_token = Some(e),
        _ => {}
    }
    if target.password.is_none()
        && let Ok(Some(password)) = stored_secret(
            profile,
            store.as_ref(),
            server,
            SecretKind::Password,
            session.out,
        )
    {
        target.password = Some(password);
    }
}

pub(super) fn profile_flag(session: &Session<'_>, name: &str) -> String {
    if name == config::DEFAULT_PROFILE && session.selected.config.default_profile.is_none() {
        String::new()
    } else {
        format!(" --profile {name}")
    }
}
