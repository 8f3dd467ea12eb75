//! The one place that knows precedence: where the profile, server, login, password, token
//! and secret store come from, and which source won, so that messages and `-v` can say it.
//! The rules are `precedence.rs`'s (plain data in, the winner out; its tests are the
//! table below) and `handed.rs`'s (what the environment and secret files hand over); the
//! `Session` adds the asking, the reading and the words.
//!
//! - profile:  --profile, SAYMON_PROFILE, the config's default profile, "default"
//! - server:   --server, SAYMON_SERVER, the profile's
//! - login:    --login, SAYMON_LOGIN, the profile's, a prompt at a terminal
//! - password: --password-stdin, --password-file, SAYMON_PASSWORD, SAYMON_PASSWORD_FILE,
//!   `$CREDENTIALS_DIRECTORY/password`, (`token refresh`) the remembered one, a hidden prompt
//! - token:    SAYMON_TOKEN, SAYMON_TOKEN_FILE, `$CREDENTIALS_DIRECTORY/token`, the profile's
//!   stored token
//! - store:    --store, the profile's, auto (the keyring, else ask, else fail)

use std::path::PathBuf;
#[cfg(test)]
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;

use crate::config::{self, Config};
use crate::error::{Error, Exit};
use crate::output::Output;
use crate::prompt::{Ask, Terminal};
use crate::server::ServerUrl;
use crate::settings::Settings;
#[cfg(test)]
use crate::store::OpenStore;
use crate::store::keyring::KeyringStore;

mod connect;
mod handed;
mod precedence;
mod secrets;
mod selected;
mod stored;
mod stores;
#[cfg(test)]
mod tests;

use precedence::Trust;

pub(crate) use handed::{
    empty_env_token_note, env_password, env_token, env_token_set, env_token_source, given_name,
    given_token_refused, given_token_wins,
};
pub(crate) use secrets::{no_password, password_given};
pub(crate) use selected::Selected;
pub(crate) use stored::stored_secret;
pub(crate) use stores::Stores;

/// Where a command's login, password and user id come from, as its flags give them
/// (`--login`/SAYMON_LOGIN, `--password-stdin`, `--password-file`, `--user-id`): plain
/// data (`commands::CredentialArgs::flags` makes it).
#[derive(Debug, Clone, Default)]
pub(crate) struct CredentialFlags {
    /// The login name or e-mail, when given.
    pub login: Option<String>,
    /// Read the password from stdin's first line.
    pub password_stdin: bool,
    /// Read the password from this file's first line.
    pub password_file: Option<PathBuf>,
    /// The user's id (24 hex digits), when given.
    pub user_id: Option<String>,
}

/// What every command starts from: the factory of a run's services. It holds the
/// settings and the selected profile (`Selected`, plain data) and hands out the services
/// a command uses: `connect()` (TLS and the HTTP client), `stores()` (the secret stores),
/// `ask()` (the prompt), `out` (the output), and the secrets (`login_name`, `password`,
/// `token`). A clone shares the run's keyring connection.
#[derive(Clone)]
pub(crate) struct Session<'a> {
    pub settings: &'a Settings,
    pub out: &'a Output,
    /// The selected profile, its config and where it is read from.
    pub selected: Selected<'a>,
    pub interactive: bool,
    /// Whether a token handed over in the environment (SAYMON_TOKEN, …) applies (to the
    /// selected profile); not for `named`'s sessions.
    env_token_applies: bool,
    /// What this run decided about trust: SAYMON_PIN, a pin `login` just made, and
    /// whether `login` decides anew (`precedence::Trust`).
    trust: Trust,
    /// Where the questions go: the terminal, or a test's answers.
    ask: &'a dyn Ask,
    /// The run's secret stores (`Stores`): the keyring's one connection, the file, the
    /// rescue file.
    stores: Stores<'a>,
}

impl<'a> Session<'a> {
    pub(crate) fn load(settings: &'a Settings, out: &'a Output) -> Result<Self> {
        let config_dir = config::config_dir(settings.config_dir.as_deref())?;
        let config = config::load(&config_dir)?;
        let mut session = Self::with(settings, out, config_dir, config);
        session.trust.env_pin = connect::env_pin(settings.insecure)?;
        Ok(session)
    }

    /// A session without the config, for `doctor` when the config cannot be read.
    pub(crate) fn without_config(settings: &'a Settings, out: &'a Output) -> Result<Self> {
        let config_dir = config::config_dir(settings.config_dir.as_deref())?;
        let mut session = Self::with(settings, out, config_dir, Config::default());
        session.trust.env_pin = connect::env_pin(settings.insecure)?;
        Ok(session)
    }

    fn with(settings: &'a Settings, out: &'a Output, config_dir: PathBuf, config: Config) -> Self {
        let interactive = crate::sys::interactive();
        let keyring = KeyringStore::new(Duration::from_secs(settings.timeout), interactive);
        let stores = Stores::new(keyring, config_dir.clone(), out);
        Session {
            settings,
            out,
            selected: Selected::new(settings, config_dir, config),
            interactive,
            env_token_applies: true,
            trust: Trust::default(),
            ask: &Terminal,
            stores,
        }
    }

    /// This session for `login`, which decides the trust anew: the profile's remembered
    /// `--insecure` does not apply (a login without the flag verifies the certificate
    /// before anything is sent).
    /// With `pin_given` (`login --pin`), the profile's pin and its file are set aside too:
    /// the new pin is checked against what the server shows, whatever became of the old.
    pub(crate) fn trusting_anew(&self, pin_given: bool) -> Session<'a> {
        let mut session = self.clone();
        session.trust.trust_anew = true;
        session.trust.pin_anew = pin_given;
        session
    }

    /// This session with the server certificate in `file` (fingerprint `pin`) pinned:
    /// it is the CA in force from now on, and the profile `login` writes keeps it.
    pub(crate) fn with_pin(&self, file: PathBuf, pin: String) -> Session<'a> {
        let mut session = self.clone();
        session.trust.pinned = Some((file, pin));
        session
    }

    /// A session for the profile `name` exactly as config.toml has it, for a command that
    /// names a profile as its argument (`profile remove NAME`): the flags and variables
    /// that apply to the selected profile (--server, the TLS files, SAYMON_TOKEN) do not.
    /// `settings` are this session's for that profile (`Settings::for_named_profile`).
    pub(crate) fn named<'b>(&'b self, settings: &'b Settings) -> Session<'b> {
        Session {
            settings,
            selected: Selected {
                settings,
                profile_name: settings.profile().unwrap_or_default().to_string(),
                ..self.selected.clone()
            },
            env_token_applies: false,
            trust: Trust::default(),
            ..self.clone()
        }
    }

    /// This session with a person who answers through `ask` (a test's answers): as at a
    /// terminal, questions are asked.
    #[cfg(test)]
    pub(crate) fn asking(&self, ask: &'a dyn Ask) -> Session<'a> {
        Session {
            ask,
            interactive: true,
            ..self.clone()
        }
    }

    /// This session with the stores `open` opens (a test's) in place of the run's.
    #[cfg(test)]
    pub(crate) fn with_stores(&self, open: Arc<dyn OpenStore + 'a>) -> Session<'a> {
        Session {
            stores: self.stores.opened_by(open),
            ..self.clone()
        }
    }

    /// The run's secret stores.
    pub(crate) fn stores(&self) -> &Stores<'a> {
        &self.stores
    }

    /// Where the questions go (the terminal, unless a test answers).
    pub(crate) fn ask(&self) -> &dyn Ask {
        self.ask
    }

    /// The server, or for a person at a terminal a prompt for it.
    pub(crate) fn server_or_prompt(&self) -> Result<ServerUrl> {
        if let Some(server) = self.selected.server()? {
            return Ok(server);
        }
        if self.interactive {
            let answer = self.ask.line("SAYMON server (host or URL): ")?;
            return Ok(ServerUrl::parse(&answer)?);
        }
        Err(Error::new(
            Exit::Usage,
            format!(
                "no server given for profile {}{}",
                self.selected.profile_name,
                crate::sys::not_asked()
            ),
        )
        .hint("pass --server URL or set SAYMON_SERVER")
        .into())
    }
}
