//! The precedence table of docs/credentials.md ("Where credentials come from, in order") as
//! plain functions of plain data: the options (`Settings`: clap has merged each flag with
//! its variable and `app` noted which was typed), the profile from config.toml, and what
//! this run decided (a pin `login` just made). No I/O and no environment, so that each row
//! of the table is a unit test below; `Session` calls these and does the asking, the
//! reading and the error words.
//!
//! The login, password and token rows read the environment and files: they are
//! `handed.rs`'s, with their own table tests.

use std::path::PathBuf;

use crate::client::PinSource;
use crate::config::{Config, Profile, StoreKind};
use crate::server::ServerUrl;
use crate::settings::Settings;
use crate::store::StoreChoice;

/// The profile row: `--profile` / `SAYMON_PROFILE` (the last one given), the config's
/// `default_profile`, `default`.
pub(crate) fn profile_name(settings: &Settings, config: &Config) -> String {
    config.profile_name(settings.profile())
}

/// Where a server address comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ServerFrom {
    /// `--server`.
    Flag,
    /// `SAYMON_SERVER`.
    Variable,
    /// The selected profile's `server` in config.toml.
    Profile,
}

/// The server row: `--server`, `SAYMON_SERVER`, the profile's. The text as typed, and
/// where it came from (the caller parses it and names the source on a bad address).
pub(crate) fn server<'a>(
    settings: &'a Settings,
    profile: Option<&'a Profile>,
) -> Option<(&'a str, ServerFrom)> {
    if let Some(text) = settings.server.as_deref() {
        let from = match settings.on_command_line.server {
            true => ServerFrom::Flag,
            false => ServerFrom::Variable,
        };
        return Some((text, from));
    }
    Some((profile?.server.as_deref()?, ServerFrom::Profile))
}

/// The login row, as far as it is plain data: `--login` / `SAYMON_LOGIN` (blank counts as
/// not given), else the profile's. None: a prompt at a terminal, else an error.
pub(crate) fn login(flag: Option<&str>, profile: Option<&Profile>) -> Option<String> {
    if let Some(login) = flag.map(str::trim).filter(|l| !l.is_empty()) {
        return Some(login.to_string());
    }
    profile?.login.clone()
}

/// The secret store row: `--store`, the profile's, `auto`.
pub(crate) fn store(flag: Option<StoreChoice>, profile: Option<&Profile>) -> StoreChoice {
    flag.unwrap_or(match profile.and_then(|p| p.store) {
        Some(StoreKind::Keyring) => StoreChoice::Keyring,
        Some(StoreKind::File) => StoreChoice::File,
        None => StoreChoice::Auto,
    })
}

/// What this run decided about trust, beside the options and the profile.
#[derive(Debug, Clone, Default)]
pub(crate) struct Trust {
    /// `SAYMON_PIN`, checked: the fingerprint of the only certificate to trust, this run.
    pub env_pin: Option<String>,
    /// A certificate `login` just pinned: its file and fingerprint.
    pub pinned: Option<(PathBuf, String)>,
    /// `login --pin`: the profile's pin and its file are set aside.
    pub pin_anew: bool,
    /// `login`: the profile's remembered `--insecure` is set aside.
    pub trust_anew: bool,
}

/// Whether `--ca-cert` was typed (`SAYMON_CA_CERT` does not replace a profile's pin: the
/// environment may hold it for other servers).
fn ca_cert_typed(settings: &Settings) -> bool {
    settings.ca_cert.is_some() && settings.on_command_line.ca_cert
}

/// The CA certificate row: `--ca-cert`, `SAYMON_CA_CERT`, the profile's; but a profile
/// with a pin keeps its pinned file unless `--ca-cert` was typed, and the file `login`
/// just pinned beats everything.
pub(crate) fn ca_cert(
    settings: &Settings,
    profile: Option<&Profile>,
    trust: &Trust,
) -> Option<PathBuf> {
    if let Some((file, _)) = &trust.pinned {
        return Some(file.clone());
    }
    let pinned_profile = profile.is_some_and(|p| p.pin.is_some());
    if pinned_profile && trust.pin_anew {
        return settings.ca_cert.clone();
    }
    if pinned_profile && !ca_cert_typed(settings) {
        return profile.and_then(|p| p.ca_cert.clone());
    }
    settings
        .ca_cert
        .clone()
        .or_else(|| profile.and_then(|p| p.ca_cert.clone()))
}

/// The pinned certificate row: `SAYMON_PIN`, the pin `login` just made, the profile's
/// (unless `--ca-cert` was typed, or `login --pin` pins anew). `profile_flag` names the
/// profile in the words of a pin error (` --profile P`).
pub(crate) fn pin(
    settings: &Settings,
    profile: Option<&Profile>,
    trust: &Trust,
    profile_flag: String,
) -> Option<(String, PinSource)> {
    if let Some(pin) = &trust.env_pin {
        return Some((pin.clone(), PinSource::Environment));
    }
    let login = PinSource::Login { flag: profile_flag };
    if let Some((_, pin)) = &trust.pinned {
        return Some((pin.clone(), login));
    }
    if ca_cert_typed(settings) || trust.pin_anew {
        return None;
    }
    profile.and_then(|p| p.pin.clone()).map(|p| (p, login))
}

/// The client certificate row: `--client-cert`/`--client-key` or their variables (either
/// one replaces the profile's pair: they go together), else the profile's pair.
pub(crate) fn client_pair(
    settings: &Settings,
    profile: Option<&Profile>,
) -> (Option<PathBuf>, Option<PathBuf>) {
    if settings.client_cert.is_some() || settings.client_key.is_some() {
        return (settings.client_cert.clone(), settings.client_key.clone());
    }
    (
        profile.and_then(|p| p.client_cert.clone()),
        profile.and_then(|p| p.client_key.clone()),
    )
}

/// Whether the certificate of `server` goes unverified: `--insecure`, or the profile's
/// remembered `login --insecure` when `server` is the profile's own (and this is not a
/// `login`, which decides anew).
pub(crate) fn insecure(
    settings: &Settings,
    profile: Option<&Profile>,
    trust: &Trust,
    server: &ServerUrl,
) -> bool {
    settings.insecure
        || !trust.trust_anew && profile.is_some_and(|p| p.insecure && own_server(p, server))
}

/// Whether `server` is the profile's own (same scheme, host and port).
pub(crate) fn own_server(profile: &Profile, server: &ServerUrl) -> bool {
    profile
        .server
        .as_deref()
        .and_then(|s| ServerUrl::parse(s).ok())
        .is_some_and(|s| s.same_origin_as(server))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::OnCommandLine;

    fn profile() -> Profile {
        Profile {
            server: Some("https://profile.example".into()),
            login: Some("profile-login".into()),
            store: Some(StoreKind::File),
            ca_cert: Some("/profile-ca.pem".into()),
            client_cert: Some("/profile-cert.pem".into()),
            client_key: Some("/profile-key.pem".into()),
            ..Profile::default()
        }
    }

    fn pinned_profile() -> Profile {
        Profile {
            pin: Some("sha256:profile".into()),
            ca_cert: Some("/pinned.pem".into()),
            ..profile()
        }
    }

    fn typed(on_command_line: OnCommandLine) -> Settings {
        Settings {
            on_command_line,
            ..Settings::default()
        }
    }

    #[test]
    fn profile_flag_or_variable_then_the_configs_default_then_default() {
        let mut config = Config::default();
        assert_eq!(profile_name(&Settings::default(), &config), "default");
        config.default_profile = Some("lab".into());
        assert_eq!(profile_name(&Settings::default(), &config), "lab");
        let given = Settings {
            profiles: vec!["first".into(), "prod".into()],
            ..Settings::default()
        };
        assert_eq!(profile_name(&given, &config), "prod", "the last one given");
    }

    #[test]
    fn server_flag_then_variable_then_the_profiles() {
        let p = profile();
        assert_eq!(server(&Settings::default(), None), None);
        assert_eq!(
            server(&Settings::default(), Some(&p)),
            Some(("https://profile.example", ServerFrom::Profile))
        );
        let variable = Settings {
            server: Some("env.example".into()),
            ..Settings::default()
        };
        assert_eq!(
            server(&variable, Some(&p)),
            Some(("env.example", ServerFrom::Variable))
        );
        let flag = Settings {
            server: Some("flag.example".into()),
            ..typed(OnCommandLine {
                server: true,
                ..OnCommandLine::default()
            })
        };
        assert_eq!(
            server(&flag, Some(&p)),
            Some(("flag.example", ServerFrom::Flag))
        );
    }

    #[test]
    fn login_flag_or_variable_then_the_profiles_then_none_for_a_prompt() {
        let p = profile();
        assert_eq!(login(Some(" ana "), Some(&p)).as_deref(), Some("ana"));
        assert_eq!(
            login(Some("  "), Some(&p)).as_deref(),
            Some("profile-login"),
            "blank is not given"
        );
        assert_eq!(login(None, Some(&p)).as_deref(), Some("profile-login"));
        assert_eq!(login(None, None), None);
    }

    #[test]
    fn store_flag_then_the_profiles_then_auto() {
        let p = profile();
        assert_eq!(
            store(Some(StoreChoice::Keyring), Some(&p)),
            StoreChoice::Keyring
        );
        assert_eq!(store(None, Some(&p)), StoreChoice::File);
        assert_eq!(store(None, None), StoreChoice::Auto);
        let auto = Profile {
            store: None,
            ..profile()
        };
        assert_eq!(store(None, Some(&auto)), StoreChoice::Auto);
    }

    #[test]
    fn ca_cert_flag_or_variable_then_the_profiles() {
        let p = profile();
        let none = Trust::default();
        assert_eq!(
            ca_cert(&Settings::default(), Some(&p), &none),
            Some("/profile-ca.pem".into())
        );
        let variable = Settings {
            ca_cert: Some("/env-ca.pem".into()),
            ..Settings::default()
        };
        assert_eq!(
            ca_cert(&variable, Some(&p), &none),
            Some("/env-ca.pem".into())
        );
        assert_eq!(ca_cert(&Settings::default(), None, &none), None);
    }

    #[test]
    fn a_pinned_profile_keeps_its_file_unless_ca_cert_is_typed() {
        let p = pinned_profile();
        let none = Trust::default();
        let variable = Settings {
            ca_cert: Some("/env-ca.pem".into()),
            ..Settings::default()
        };
        assert_eq!(
            ca_cert(&variable, Some(&p), &none),
            Some("/pinned.pem".into()),
            "SAYMON_CA_CERT does not replace a pin"
        );
        assert_eq!(
            pin(&variable, Some(&p), &none, String::new()).map(|(pin, _)| pin),
            Some("sha256:profile".into())
        );
        let typed_flag = Settings {
            ca_cert: Some("/flag-ca.pem".into()),
            ..typed(OnCommandLine {
                ca_cert: true,
                ..OnCommandLine::default()
            })
        };
        assert_eq!(
            ca_cert(&typed_flag, Some(&p), &none),
            Some("/flag-ca.pem".into())
        );
        assert_eq!(pin(&typed_flag, Some(&p), &none, String::new()), None);
    }

    #[test]
    fn pin_environment_then_the_one_just_pinned_then_the_profiles() {
        let p = pinned_profile();
        let flag = " --profile lab".to_string();
        assert_eq!(
            pin(
                &Settings::default(),
                Some(&p),
                &Trust::default(),
                flag.clone()
            ),
            Some((
                "sha256:profile".into(),
                PinSource::Login { flag: flag.clone() }
            ))
        );
        let just_pinned = Trust {
            pinned: Some(("/new.pem".into(), "sha256:new".into())),
            ..Trust::default()
        };
        assert_eq!(
            pin(&Settings::default(), Some(&p), &just_pinned, flag.clone()).map(|(p, _)| p),
            Some("sha256:new".into())
        );
        assert_eq!(
            ca_cert(&Settings::default(), Some(&p), &just_pinned),
            Some("/new.pem".into())
        );
        let env = Trust {
            env_pin: Some("sha256:env".into()),
            ..just_pinned
        };
        assert_eq!(
            pin(&Settings::default(), Some(&p), &env, flag),
            Some(("sha256:env".into(), PinSource::Environment))
        );
    }

    #[test]
    fn login_pin_sets_the_profiles_pin_and_file_aside() {
        let p = pinned_profile();
        let anew = Trust {
            pin_anew: true,
            ..Trust::default()
        };
        assert_eq!(
            pin(&Settings::default(), Some(&p), &anew, String::new()),
            None
        );
        assert_eq!(ca_cert(&Settings::default(), Some(&p), &anew), None);
    }

    #[test]
    fn client_pair_flags_or_variables_replace_the_profiles_pair_whole() {
        let p = profile();
        assert_eq!(
            client_pair(&Settings::default(), Some(&p)),
            (
                Some("/profile-cert.pem".into()),
                Some("/profile-key.pem".into())
            )
        );
        let cert_only = Settings {
            client_cert: Some("/both.pem".into()),
            ..Settings::default()
        };
        assert_eq!(
            client_pair(&cert_only, Some(&p)),
            (Some("/both.pem".into()), None),
            "the key is not taken from the profile's pair"
        );
    }

    #[test]
    fn insecure_flag_or_the_profiles_for_its_own_server_unless_login_decides_anew() {
        let p = Profile {
            insecure: true,
            ..profile()
        };
        let own = ServerUrl::parse("https://profile.example").unwrap();
        let other = ServerUrl::parse("https://other.example").unwrap();
        let none = Trust::default();
        assert!(insecure(&Settings::default(), Some(&p), &none, &own));
        assert!(!insecure(&Settings::default(), Some(&p), &none, &other));
        let login = Trust {
            trust_anew: true,
            ..Trust::default()
        };
        assert!(!insecure(&Settings::default(), Some(&p), &login, &own));
        let flag = Settings {
            insecure: true,
            ..Settings::default()
        };
        assert!(insecure(&flag, None, &login, &other));
    }
}
