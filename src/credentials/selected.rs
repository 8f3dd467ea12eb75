//! The profile a run works on, resolved once: the settings, the config and its directory,
//! the selected profile's name. Plain data, built before any command runs; its methods say
//! what the profile and the flags give (the server, the flags a hint repeats), asking no
//! one and reading nothing.

use std::path::PathBuf;

use anyhow::Result;

use crate::config::{self, Config, Profile};
use crate::error::{Error, Exit};
use crate::server::ServerUrl;
use crate::settings::Settings;

use super::precedence::{self, ServerFrom};

/// The selected profile and what it is read from.
#[derive(Clone)]
pub(crate) struct Selected<'a> {
    pub settings: &'a Settings,
    /// The config directory (--config-dir, SAYMON_CONFIG_DIR, the platform's).
    pub config_dir: PathBuf,
    /// config.toml as read at the start of the run.
    pub config: Config,
    /// The selected profile's name (`precedence::profile_name`).
    pub profile_name: String,
}

impl<'a> Selected<'a> {
    /// The selection `settings` make in `config` (read from `config_dir`).
    pub(crate) fn new(settings: &'a Settings, config_dir: PathBuf, config: Config) -> Self {
        let profile_name = precedence::profile_name(settings, &config);
        Selected {
            settings,
            config_dir,
            config,
            profile_name,
        }
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

    /// Profile `name`'s server: for the selected profile --server / SAYMON_SERVER win, as
    /// for every command; another profile has its own (`status`, `doctor --all`).
    pub(crate) fn server_of(&self, name: &str) -> Result<Option<ServerUrl>> {
        if name == self.profile_name {
            return self.server();
        }
        self.profile_server(name)
    }
}

/// A server address from `source` (a flag, a variable, a profile), exit 2 naming it.
fn parse_server(text: &str, source: &str) -> Result<ServerUrl> {
    ServerUrl::parse(text)
        .map_err(|e| anyhow::Error::from(e).context(format!("the server address from {source}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::exit_code;

    fn config(profiles: &[(&str, Option<&str>)]) -> Config {
        let mut config = Config::default();
        for (name, server) in profiles {
            let profile = Profile {
                server: server.map(str::to_string),
                login: Some("admin".into()),
                ..Profile::default()
            };
            config.profiles.insert(name.to_string(), profile);
        }
        config
    }

    fn selected<'a>(settings: &'a Settings, config: Config) -> Selected<'a> {
        Selected::new(settings, PathBuf::from("/cfg"), config)
    }

    #[test]
    fn a_bad_server_address_names_where_it_came_from() {
        let profile_only = Settings::default();
        let bad_profile = selected(&profile_only, config(&[("default", Some("ht!tp://x"))]));
        let err = bad_profile.server().unwrap_err();
        assert!(
            format!("{err:#}")
                .contains("the server address from profile default in /cfg/config.toml"),
            "{err:#}"
        );
        let mut flag = Settings {
            server: Some("ht!tp://y".into()),
            ..Settings::default()
        };
        flag.on_command_line.server = true;
        let err = selected(&flag, config(&[])).server().unwrap_err();
        assert!(format!("{err:#}").contains("from --server"), "{err:#}");
        assert_eq!(exit_code(&err), Exit::Usage);
        let variable = Settings {
            server: Some("ht!tp://y".into()),
            ..Settings::default()
        };
        let err = selected(&variable, config(&[])).server().unwrap_err();
        assert!(format!("{err:#}").contains("from SAYMON_SERVER"), "{err:#}");
    }

    #[test]
    fn another_profiles_server_is_its_own_whatever_the_flags_say() {
        let settings = Settings {
            server: Some("https://flag.example".into()),
            ..Settings::default()
        };
        let config = config(&[("default", None), ("lab", Some("https://lab.example"))]);
        let selected = selected(&settings, config);
        let own = selected.server_of("default").unwrap().unwrap();
        assert_eq!(
            own.to_string(),
            ServerUrl::parse("https://flag.example")
                .unwrap()
                .to_string()
        );
        let lab = selected.server_of("lab").unwrap().unwrap();
        assert_eq!(
            lab.to_string(),
            ServerUrl::parse("https://lab.example").unwrap().to_string()
        );
    }

    #[test]
    fn hints_repeat_the_profile_and_a_typed_config_dir_quoted() {
        let plain = Settings::default();
        assert_eq!(selected(&plain, config(&[])).profile_flag(), "");
        let mut odd = Settings {
            profiles: vec!["lab".into()],
            config_dir: Some(PathBuf::from("/my dir/it's")),
            ..Settings::default()
        };
        odd.on_command_line.config_dir = true;
        assert_eq!(
            selected(&odd, config(&[])).profile_flag(),
            " --config-dir '/my dir/it'\\''s' --profile lab"
        );
        // From SAYMON_CONFIG_DIR: the variable is still set for the next command.
        odd.on_command_line.config_dir = false;
        assert_eq!(selected(&odd, config(&[])).profile_flag(), " --profile lab");
    }

    #[test]
    fn a_mistyped_profile_is_told_the_closest_and_the_rest() {
        let settings = Settings {
            profiles: vec!["prdo".into()],
            ..Settings::default()
        };
        let selected = selected(&settings, config(&[("prod", None), ("lab", None)]));
        let hint = selected.unknown_profile_hint().unwrap();
        assert!(hint.starts_with("did you mean --profile prod? "), "{hint}");
        assert!(hint.contains("the profiles are: lab, prod"), "{hint}");
        let err = selected.check_profile_exists().unwrap_err();
        assert_eq!(exit_code(&err), Exit::NoCredentials);
        // --server names a server to work with anyway.
        let with_server = Settings {
            server: Some("https://x.example".into()),
            ..settings.clone()
        };
        let config = self::config(&[("prod", None)]);
        assert!(
            self::selected(&with_server, config)
                .check_profile_exists()
                .is_ok()
        );
    }

    #[test]
    fn a_new_profile_needs_a_name_a_file_can_have() {
        let bad = Settings {
            profiles: vec!["a b/../c".into()],
            ..Settings::default()
        };
        let err = selected(&bad, config(&[])).check_new_profile().unwrap_err();
        assert_eq!(exit_code(&err), Exit::Usage);
        let good = Settings {
            profiles: vec!["lab-2".into()],
            ..Settings::default()
        };
        assert!(selected(&good, config(&[])).check_new_profile().is_ok());
        let err = selected(&good, config(&[])).require_server().unwrap_err();
        assert!(format!("{err:#}").contains("no server given, and profile lab-2 has none"));
        assert_eq!(exit_code(&err), Exit::Usage);
    }

    #[test]
    fn the_profile_is_this_login_on_this_server_only() {
        let settings = Settings::default();
        let selected = selected(&settings, config(&[("default", Some("saymon.example"))]));
        let server = ServerUrl::parse("https://saymon.example").unwrap();
        assert!(selected.profile_is(&server, "admin"));
        assert!(!selected.profile_is(&server, "other"));
        let elsewhere = ServerUrl::parse("https://other.example").unwrap();
        assert!(!selected.profile_is(&elsewhere, "admin"));
    }
}
