//! Profiles in `config.toml` (no secrets), and where the config dir is.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Exit};
use crate::fsutil;

pub const CONFIG_FILE: &str = "config.toml";
pub const DEFAULT_PROFILE: &str = "default";

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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
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

/// `--config-dir`, else SAYMON_CONFIG_DIR (both reach us through clap), else the
/// platform's config dir plus `saymon`.
pub fn config_dir(flag: Option<&Path>) -> Result<PathBuf> {
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
/// parse is an error naming the file and line, and is left untouched.
pub fn load(dir: &Path) -> Result<Config> {
    let path = dir.join(CONFIG_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
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
pub fn toml_error_line(text: &str, e: &toml::de::Error) -> String {
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
/// atomically. Another process's change made in between is kept.
pub fn update(dir: &Path, change: impl FnOnce(&mut Config)) -> Result<Config> {
    let _lock = fsutil::DirLock::acquire(dir)?;
    let mut config = load(dir)?;
    change(&mut config);
    let text = toml::to_string_pretty(&config).context("cannot serialize the config")?;
    let header = "# saymon configuration: profiles, no secrets. Written by `saymon login`.\n\n";
    fsutil::write_atomic(&dir.join(CONFIG_FILE), format!("{header}{text}").as_bytes())?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

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
                ca_cert: None,
            },
        );
        config.default_profile = Some("prod".into());
        let text = toml::to_string_pretty(&config).unwrap();
        assert_eq!(parse(&text).unwrap(), config);
        assert_eq!(config.profile_name(None), "prod");
        assert_eq!(config.profile_name(Some("x")), "x");
        assert_eq!(Config::default().profile_name(None), "default");
    }

    #[test]
    fn garbage_names_the_line() {
        let err = parse("default_profile = \"a\"\n[profiles.a]\nserver = \n").unwrap_err();
        assert!(err.starts_with("line 3: "), "{err}");
        let err = parse("[profiles.a]\nstore = \"floppy\"\n").unwrap_err();
        assert!(err.starts_with("line 2: "), "{err}");
    }
}
