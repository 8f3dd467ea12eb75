//! `saymon doctor`: every step between this machine and a working token, checked in order,
//! one line each: ✔, ⚠ (works, but see to it) or ✘ with the fix; `-` when a step could
//! not be tried because an earlier one failed. Exit 0 when nothing failed, else the exit
//! code of the first failure.

mod checks;
mod network;
mod report;

use anyhow::Result;
use clap::Args;

use crate::client::Tls;
use crate::credentials::Session;
use crate::error::{Error, Exit};
use crate::output::Output;
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::settings::Settings;
use crate::store::TokenSource;

use checks::{config_check, credentials_check, local};
use network::network;
use report::{Check, State, report};

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check every profile (at once), not only the selected one
    #[arg(long)]
    pub all: bool,
}

/// How many profiles `--all` checks at once.
const AT_ONCE: usize = 32;

/// One profile to check, with what its local checks found.
struct Target {
    name: String,
    server: Result<ServerUrl>,
    tls: Tls,
    login: Option<String>,
    checks: Vec<Check>,
    token: Option<(Secret, TokenSource)>,
    /// Why there is no token, when a store failed (already a ✘ above) or none is stored.
    no_token: Option<anyhow::Error>,
    /// The token handed over in the environment (SAYMON_TOKEN_FILE, a credential) could
    /// not be used: a ✘ above, and no stored token stands in for it, as for every command.
    given_failed: bool,
    password: Option<Secret>,
}

pub(crate) async fn run(args: &DoctorArgs, settings: &Settings, out: &Output) -> Result<()> {
    let mut checks = Vec::new();
    let (session, config_read) = match Session::load(settings, out) {
        Ok(session) => {
            checks.push(config_check(&session));
            (session, true)
        }
        Err(e) => {
            checks.push(Check::fail("config", &e));
            (Session::without_config(settings, out)?, false)
        }
    };
    checks.push(credentials_check(&session));

    // An unreadable config has no profiles to check: that is its one failure, not a
    // second one about a profile without a server (--server still names one to check).
    let names: Vec<String> = if !config_read && settings.server.is_none() {
        Vec::new()
    } else if args.all {
        session.selected.config.profiles.keys().cloned().collect()
    } else {
        vec![session.selected.profile_name.clone()]
    };
    if names.is_empty() && config_read {
        checks.push(Check::fail(
            "profiles",
            &Error::new(
                Exit::NoCredentials,
                format!("no profiles in {}", session.selected.config_dir.display()),
            )
            .hint("run `saymon login --server URL`")
            .into(),
        ));
    }
    // A mistyped --profile: that is the finding, with the profiles there are.
    let names = match session.selected.check_profile_exists() {
        Err(e) if config_read && !args.all => {
            checks.push(Check::fail("profile", &e));
            Vec::new()
        }
        _ => names,
    };
    let mut targets: Vec<Target> = names.iter().map(|name| local(&session, name)).collect();
    if !config_read {
        // No profile could be read: its token is not missing, it is unknown.
        for target in &mut targets {
            if target.token.is_none() {
                target.no_token = None;
            }
        }
    }
    let targets =
        crate::concurrent::join_bounded(targets.into_iter().map(|t| network(&session, t)), AT_ONCE)
            .await;

    report(&session, &checks, &targets)?;
    let first_failure = checks
        .iter()
        .chain(targets.iter().flat_map(|t| &t.checks))
        .find(|c| c.state == State::Fail);
    let failures = checks
        .iter()
        .chain(targets.iter().flat_map(|t| &t.checks))
        .filter(|c| c.state == State::Fail)
        .count();
    match first_failure {
        None => Ok(()),
        Some(first) => {
            let mut error = Error::new(
                first.exit.unwrap_or(Exit::Failure),
                if failures == 1 {
                    format!("1 check failed: {}", first.name)
                } else {
                    format!("{failures} checks failed, the first: {}", first.name)
                },
            );
            if let Some(fix) = &first.fix {
                error = error.hint(fix.clone());
            }
            Err(error.into())
        }
    }
}
