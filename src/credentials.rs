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

use crate::config::{self, Config, Profile};
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
mod stored;
mod stores;
#[cfg(test)]
mod tests;

use precedence::{ServerFrom, Trust};

pub(crate) use handed::{
    empty_env_token_note, env_password, env_token, env_token_set, env_token_source, given_name,
    given_token_refused, given_token_wins,
};
pub(crate) use secrets::{no_password, password_given};
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

/// The state every command starts from: options, config, the selected profile. A clone
/// shares the run's keyring connection.
#[derive(Clone)]
pub(crate) struct Session<'a> {
    pub settings: &'a Settings,
    pub out: &'a Output,
    pub config_dir: PathBuf,
    pub config: Config,
    pub profile_name: String,
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
        let profile_name = precedence::profile_name(settings, &config);
        let interactive = crate::sys::interactive();
        let keyring = KeyringStore::new(Duration::from_secs(settings.timeout), interactive);
        let stores = Stores::new(keyring, config_dir.clone(), out);
        Session {
            settings,
            out,
            config_dir,
            config,
            profile_name,
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
            profile_name: settings.profile().unwrap_or_default().to_string(),
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

    pub(crate) fn profile(&self) -> Option<&Profile> {
        self.config.profile(&self.profile_name)
    }

    /// Before a command that may create the selected profile: exit 2 when it does not
    /// exist and its name is not one a new profile may have (`config::valid_profile_name`).
    pub(crate) fn check_new_profile(&self) -> Result<()> {
        if self.profile().is_some() || config::valid_profile_name(&self.profile_name) {
            return Ok(());
        }
        Err(Error::new(
            Exit::Usage,
            format!(
                "cannot create profile {}: a profile name is letters, digits, '.', '_' and '-' (at most 64)",
                crate::redact::server_text(&self.profile_name, 64)
            ),
        )
        .hint("pick a name such as prod, lab-2 or saymon.example")
        .into())
    }

    /// The server from --server / SAYMON_SERVER, else the profile's. A bad address is
    /// exit 2 naming where it came from.
    pub(crate) fn server(&self) -> Result<Option<ServerUrl>> {
        self.server_from(self.settings, &self.profile_name)
    }

    /// Profile `name`'s own server, from config.toml.
    fn profile_server(&self, name: &str) -> Result<Option<ServerUrl>> {
        self.server_from(&Settings::default(), name)
    }

    /// The server `settings` and profile `name` give (`precedence::server`), parsed; a bad
    /// address is exit 2 naming where it came from.
    fn server_from(&self, settings: &Settings, name: &str) -> Result<Option<ServerUrl>> {
        let Some((text, from)) = precedence::server(settings, self.config.profile(name)) else {
            return Ok(None);
        };
        let source = match from {
            ServerFrom::Flag => "--server".to_string(),
            ServerFrom::Variable => "SAYMON_SERVER".to_string(),
            ServerFrom::Profile => format!(
                "profile {} in {}",
                crate::redact::inline(name),
                self.config_dir.join(config::CONFIG_FILE).display()
            ),
        };
        parse_server(text, &source).map(Some)
    }

    /// The server, or for a person at a terminal a prompt for it.
    pub(crate) fn server_or_prompt(&self) -> Result<ServerUrl> {
        if let Some(server) = self.server()? {
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
                self.profile_name,
                crate::sys::not_asked()
            ),
        )
        .hint("pass --server URL or set SAYMON_SERVER")
        .into())
    }

    /// Whether the selected profile is this login on this server, so that what the
    /// profile remembers (the user id, the stored token) belongs to it.
    pub(crate) fn profile_is(&self, server: &ServerUrl, login: &str) -> bool {
        self.profile().is_some_and(|p| {
            p.login.as_deref() == Some(login)
                && p.server
                    .as_deref()
                    .and_then(|s| ServerUrl::parse(s).ok())
                    .as_ref()
                    == Some(server)
        })
    }

    /// The server a token is used with: --server / SAYMON_SERVER, else the profile's.
    pub(crate) fn require_server(&self) -> Result<ServerUrl> {
        self.server()?.ok_or_else(|| {
            Error::new(
                Exit::Usage,
                format!(
                    "no server given, and profile {} has none",
                    self.profile_name
                ),
            )
            .hint("pass --server URL or set SAYMON_SERVER")
            .into()
        })
    }

    /// Before a command that works on a profile that must exist (logout, token refresh,
    /// token revoke, doctor): a selected profile that does not exist while others do is a
    /// mistyped `--profile` (exit 3, listing the profiles and the closest), unless
    /// `--server` names a server to work with anyway.
    pub(crate) fn check_profile_exists(&self) -> Result<()> {
        if self.settings.server.is_some() {
            return Ok(());
        }
        match self.unknown_profile_hint() {
            Some(hint) => Err(Error::new(
                Exit::NoCredentials,
                format!(
                    "there is no profile {}",
                    crate::redact::inline(&self.profile_name)
                ),
            )
            .hint(hint)
            .into()),
            None => Ok(()),
        }
    }

    /// For a profile that does not exist while others do (a mistyped `--profile`): the
    /// existing names, the closest first when one is close.
    pub(crate) fn unknown_profile_hint(&self) -> Option<String> {
        let names: Vec<&String> = self.config.profiles.keys().collect();
        if names.is_empty() || self.profile().is_some() {
            return None;
        }
        let closest = names
            .iter()
            .map(|n| (strsim::jaro_winkler(n, &self.profile_name), n))
            .filter(|(score, _)| *score > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, n)| format!("did you mean --profile {}? ", crate::redact::inline(n)));
        let list: Vec<String> = names.iter().map(|n| crate::redact::inline(n)).collect();
        Some(format!(
            "{}the profiles are: {} (`saymon login --profile NAME` makes a new one)",
            closest.unwrap_or_default(),
            list.join(", ")
        ))
    }

    /// ` --profile NAME` when the profile is not the default one, and ` --config-dir DIR`
    /// when the config dir came from that flag, for hints that name a command to run.
    pub(crate) fn profile_flag(&self) -> String {
        let mut flags = String::new();
        if let Some(dir) = &self.settings.config_dir
            && self.settings.on_command_line.config_dir
        {
            let dir = dir.display().to_string();
            if dir.contains(|c: char| !(c.is_ascii_alphanumeric() || "/._-~".contains(c))) {
                flags.push_str(&format!(" --config-dir '{}'", dir.replace('\'', "'\\''")));
            } else {
                flags.push_str(&format!(" --config-dir {dir}"));
            }
        }
        if self.profile_name != config::DEFAULT_PROFILE {
            // An odd name made before the naming rule is shown escaped, never raw.
            flags.push_str(&format!(
                " --profile {}",
                crate::redact::inline(&self.profile_name)
            ));
        }
        flags
    }
}

/// A server address from `source` (a flag, a variable, a profile), exit 2 naming it.
fn parse_server(text: &str, source: &str) -> Result<ServerUrl> {
    ServerUrl::parse(text)
        .map_err(|e| anyhow::Error::from(e).context(format!("the server address from {source}")))
}
