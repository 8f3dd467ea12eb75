//! Profiles in `config.toml` (no secrets), and where the config dir is.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Exit};
use crate::fsutil;

mod private;
pub(crate) use private::check_own_private;
use private::check_private;

pub(crate) const CONFIG_FILE: &str = "config.toml";
pub(crate) const DEFAULT_PROFILE: &str = "default";

/// Where a profile's secrets live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    Keyring,
    File,
}

impl StoreKind {
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Keyring => "keyring",
            StoreKind::File => "file",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `keyring` or `file`; `auto` (as `--store auto`) is the same as none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "store_or_auto"
    )]
    pub store: Option<StoreKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
    /// The SHA-256 fingerprint of the server certificate that `ca_cert` holds, when it was
    /// trusted on first use or with `login --pin` (as `certificate::fingerprint` writes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
    /// `login --client-cert`/`--client-key`: the identity for mutual TLS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_cert: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_key: Option<PathBuf>,
    /// `login --insecure`: the server's certificate is not verified (warned every run).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
}

/// `store = "auto"` means what no `store` means: the keyring when it answers.
fn store_or_auto<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<StoreKind>, D::Error> {
    #[derive(Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Written {
        Keyring,
        File,
        Auto,
    }
    Ok(match Written::deserialize(d)? {
        Written::Keyring => Some(StoreKind::Keyring),
        Written::File => Some(StoreKind::File),
        Written::Auto => None,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

impl Config {
    /// The profile to use: the flag or SAYMON_PROFILE, else the default one, else "default".
    pub fn profile_name(&self, requested: Option<&str>) -> String {
        requested
            .or(self.default_profile.as_deref())
            .unwrap_or(DEFAULT_PROFILE)
            .to_string()
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }
}

/// Whether `name` may be a new profile's: letters, digits, `.`, `_`, `-` (ASCII), at most
/// 64 characters. Existing profiles with other names keep working, shown escaped.
pub(crate) fn valid_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// The config's profile names, each with its server, for shell completion of --profile
/// (`COMPLETE=bash saymon`, see docs/install.md): the config of SAYMON_CONFIG_DIR or the
/// default place; nothing when it cannot be read. A name with characters a shell would
/// expand is escaped with backslashes; one with control characters is not offered.
pub(crate) fn profile_candidates() -> Vec<clap_complete::engine::CompletionCandidate> {
    let dir = std::env::var_os("SAYMON_CONFIG_DIR").map(PathBuf::from);
    let Ok(dir) = config_dir(dir.as_deref()) else {
        return Vec::new();
    };
    let Ok(config) = load(&dir) else {
        return Vec::new();
    };
    config
        .profiles
        .iter()
        .filter(|(name, _)| !name.chars().any(crate::redact::is_unsafe))
        .map(|(name, profile)| {
            // A name the shell would expand or split (`*`, a space) is offered escaped.
            let escaped: String = name
                .chars()
                .flat_map(|c| {
                    let plain = c.is_alphanumeric() || "._-@:+,".contains(c);
                    (!plain).then_some('\\').into_iter().chain([c])
                })
                .collect();
            let candidate = clap_complete::engine::CompletionCandidate::new(escaped);
            match &profile.server {
                Some(server) => candidate.help(Some(crate::redact::terminal(server).into())),
                None => candidate,
            }
        })
        .collect()
}

/// `--config-dir`, else SAYMON_CONFIG_DIR (both reach us through clap), else the
/// platform's config dir plus `saymon`.
pub(crate) fn config_dir(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir.to_path_buf());
    }
    match dirs::config_dir() {
        Some(dir) => Ok(dir.join("saymon")),
        None => Err(Error::new(
            Exit::Usage,
            "cannot tell where the config directory is (no HOME?)",
        )
        .hint("pass --config-dir DIR or set SAYMON_CONFIG_DIR")
        .into()),
    }
}

/// Read `config.toml` in `dir`; a missing file is an empty config. A file that does not
/// parse is an error naming the file and line, and is left untouched. A config dir or file
/// that others may change (or that another user owns) is refused, as ssh refuses such a
/// `~/.ssh`: whoever can edit it can point the profile, and so the password and token, at
/// their own server.
pub(crate) fn load(dir: &Path) -> Result<Config> {
    let path = dir.join(CONFIG_FILE);
    check_private(dir, "chmod 700")?;
    let text = match fs::read(&path) {
        Ok(bytes) => {
            check_private(&path, "chmod 600")?;
            String::from_utf8(bytes).map_err(|e| {
                let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                Error::new(
                    Exit::Failure,
                    format!("{} line {line}: not UTF-8 text", path.display()),
                )
                .hint(format!(
                    "fix or move away {}; saymon does not overwrite it",
                    path.display()
                ))
            })?
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => {
            return Err(Error::new(
                Exit::Failure,
                format!("cannot read {}: {e}", path.display()),
            )
            .hint(format!(
                "make it readable for you (chmod 600 {}), or pass --config-dir DIR",
                path.display()
            ))
            .into());
        }
    };
    parse(&text).map_err(|e| {
        Error::new(Exit::Failure, format!("{} {e}", path.display()))
            .hint(format!(
                "fix or move away {}; saymon does not overwrite it",
                path.display()
            ))
            .into()
    })
}

/// Parse config text; the error is one line: "line N: what is wrong".
pub fn parse(text: &str) -> std::result::Result<Config, String> {
    toml::from_str(text).map_err(|e| toml_error_line(text, &e))
}

/// A toml error as one line with its line number.
pub(crate) fn toml_error_line(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message,
    }
}

/// Change the config under the directory lock: re-read it, apply `change`, write it
/// atomically (nothing is written when nothing changed). Another process's change made in
/// between is kept.
pub(crate) fn update(dir: &Path, change: impl FnOnce(&mut Config)) -> Result<Config> {
    update_reserved(dir, None, change)
}

/// `update`, writing into space reserved beforehand (see `lifecycle`) when there is some.
pub(crate) fn update_reserved(
    dir: &Path,
    reserved: Option<fsutil::Reserved>,
    change: impl FnOnce(&mut Config),
) -> Result<Config> {
    let _lock = fsutil::DirLock::acquire(dir)?;
    let path = dir.join(CONFIG_FILE);
    fsutil::sweep_temp_files(
        &path,
        false,
        reserved.as_ref().map(fsutil::Reserved::path),
        &[],
    );
    let mut config = load(dir)?;
    let before = config.clone();
    change(&mut config);
    if config == before && path.exists() {
        return Ok(config);
    }
    let text = toml::to_string_pretty(&config).context("cannot serialize the config")?;
    let header = "# saymon configuration: profiles, no secrets. Written by `saymon login`.\n\n";
    let contents = format!("{header}{text}");
    fsutil::replace(&path, reserved, contents.as_bytes())?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_auto_is_no_store() {
        let config =
            parse("[profiles.a]\nstore = \"auto\"\n[profiles.b]\nstore = \"file\"\n[profiles.c]\n")
                .unwrap();
        assert_eq!(config.profile("a").unwrap().store, None);
        assert_eq!(config.profile("b").unwrap().store, Some(StoreKind::File));
        assert_eq!(config.profile("c").unwrap().store, None);
        assert!(parse("[profiles.a]\nstore = \"vault\"\n").is_err());
    }

    #[test]
    fn round_trip() {
        let mut config = Config::default();
        config.profiles.insert(
            "prod".into(),
            Profile {
                server: Some("https://s.example.com".into()),
                login: Some("admin".into()),
                user_id: Some("5e21b752308c3c66d64e072c".into()),
                store: Some(StoreKind::File),
                ca_cert: Some("/etc/saymon/certs/prod.pem".into()),
                pin: Some("AB:CD".into()),
                client_cert: Some("/etc/saymon/client.pem".into()),
                client_key: Some("/etc/saymon/client.key".into()),
                insecure: true,
            },
        );
        config.default_profile = Some("prod".into());
        let text = toml::to_string_pretty(&config).unwrap();
        assert_eq!(parse(&text).unwrap(), config);
        assert_eq!(config.profile_name(None), "prod");
        assert_eq!(config.profile_name(Some("x")), "x");
        assert_eq!(Config::default().profile_name(None), "default");
    }

    #[cfg(unix)]
    #[test]
    fn load_reads_refuses_and_names_lines() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        assert_eq!(load(dir.path()).unwrap(), Config::default(), "none yet");

        fs::write(&path, "default_profile = \"p\"\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(
            load(dir.path()).unwrap().default_profile.as_deref(),
            Some("p")
        );

        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
        let err = load(dir.path()).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), Exit::StoreUnusable);
        assert!(crate::error::hint(&err).unwrap().starts_with("chmod 700 "));
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o620)).unwrap();
        let err = load(dir.path()).unwrap_err();
        assert!(crate::error::hint(&err).unwrap().starts_with("chmod 600 "));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();

        fs::write(&path, b"# one\n# two\nserver = \"\xff\"\n").unwrap();
        let err = load(dir.path()).unwrap_err();
        assert!(err.to_string().ends_with("line 3: not UTF-8 text"), "{err}");
        assert_eq!(crate::error::exit_code(&err), Exit::Failure);

        // Unreadable (here: not a file) is an error, never an empty config.
        fs::remove_file(&path).unwrap();
        fs::create_dir(&path).unwrap();
        let err = load(dir.path()).unwrap_err();
        assert!(err.to_string().starts_with("cannot read "), "{err}");
        assert!(crate::error::hint(&err).unwrap().contains("chmod 600"));
    }

    #[test]
    fn update_writes_only_a_change_and_keeps_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        let written = update(dir.path(), |c| c.default_profile = Some("a".into())).unwrap();
        assert_eq!(
            written.default_profile.as_deref(),
            Some("a"),
            "returns the new config"
        );
        let first = fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        update(dir.path(), |c| c.default_profile = Some("a".into())).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().modified().unwrap(),
            first,
            "unchanged: not written"
        );
        update(dir.path(), |c| {
            c.profiles.insert("b".into(), Profile::default());
        })
        .unwrap();
        let config = load(dir.path()).unwrap();
        assert_eq!(config.default_profile.as_deref(), Some("a"));
        assert!(config.profile("b").is_some() && config.profile("c").is_none());
        assert_eq!(StoreKind::Keyring.name(), "keyring");
        assert_eq!(StoreKind::File.name(), "file");
    }

    #[cfg(unix)]
    #[test]
    fn update_writes_into_the_reservation_when_it_fits() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        let inode = |p: &Path| fs::metadata(p).unwrap().ino();

        let reserved = fsutil::Reserved::new(&path, 4096).unwrap();
        let reserved_inode = inode(reserved.path());
        update_reserved(dir.path(), Some(reserved), |c| {
            c.default_profile = Some("a".into())
        })
        .unwrap();
        assert_eq!(
            inode(&path),
            reserved_inode,
            "the reserved file became the config"
        );

        // Too small for the new text: written the ordinary way, the reservation dropped.
        let reserved = fsutil::Reserved::new(&path, 0).unwrap();
        let (reserved_inode, reserved_path) =
            (inode(reserved.path()), reserved.path().to_path_buf());
        update_reserved(dir.path(), Some(reserved), |c| {
            c.default_profile = Some("a much longer profile name than before".into())
        })
        .unwrap();
        assert_ne!(inode(&path), reserved_inode);
        assert!(!reserved_path.exists());
        assert_eq!(
            load(dir.path()).unwrap().default_profile.as_deref(),
            Some("a much longer profile name than before")
        );
    }

    #[test]
    fn the_config_dir_is_the_flag_or_the_platform_s() {
        assert_eq!(
            config_dir(Some(Path::new("/x/y"))).unwrap(),
            Path::new("/x/y")
        );
        if let Some(platform) = dirs::config_dir() {
            assert_eq!(config_dir(None).unwrap(), platform.join("saymon"));
        }
    }

    #[test]
    fn garbage_names_the_line() {
        let err = parse("default_profile = \"a\"\n[profiles.a]\nserver = \n").unwrap_err();
        assert!(err.starts_with("line 3: "), "{err}");
        let err = parse("[profiles.a]\nstore = \"floppy\"\n").unwrap_err();
        assert!(err.starts_with("line 2: "), "{err}");
    }
}
