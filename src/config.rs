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
/// parse is an error naming the file and line, and is left untouched. A config dir or file
/// that others may change (or that another user owns) is refused, as ssh refuses such a
/// `~/.ssh`: whoever can edit it can point the profile, and so the password and token, at
/// their own server.
pub fn load(dir: &Path) -> Result<Config> {
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

/// Refuse `path` when group or others may write it, or when it belongs to another user
/// (root excepted, as ssh does). A missing path is fine: we create it private.
#[cfg(unix)]
fn check_private(path: &Path, fix: &str) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(_) => return Ok(()),
    };
    let shown = path.display();
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me && meta.uid() != 0 {
        return Err(Error::new(
            Exit::StoreUnusable,
            format!(
                "{shown} belongs to another user (uid {}), who could point your profiles at another server",
                meta.uid()
            ),
        )
        .hint(format!(
            "use your own config dir (--config-dir DIR), or take it over: chown $(id -u) {shown}"
        ))
        .into());
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o022 != 0 {
        return Err(Error::new(
            Exit::StoreUnusable,
            format!(
                "{shown} may be changed by others (mode {mode:03o}), who could point your profiles at another server"
            ),
        )
        .hint(format!("{fix} {shown}"))
        .into());
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _fix: &str) -> Result<()> {
    Ok(())
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
/// atomically (nothing is written when nothing changed). Another process's change made in
/// between is kept.
pub fn update(dir: &Path, change: impl FnOnce(&mut Config)) -> Result<Config> {
    update_reserved(dir, None, change)
}

/// `update`, writing into space reserved beforehand (see `issue`) when there is some.
pub fn update_reserved(
    dir: &Path,
    reserved: Option<fsutil::Reserved>,
    change: impl FnOnce(&mut Config),
) -> Result<Config> {
    let _lock = fsutil::DirLock::acquire(dir)?;
    let path = dir.join(CONFIG_FILE);
    fsutil::sweep_temp_files(&path, false, reserved.as_ref().map(fsutil::Reserved::path));
    let mut config = load(dir)?;
    let before = config.clone();
    change(&mut config);
    if config == before && path.exists() {
        return Ok(config);
    }
    let text = toml::to_string_pretty(&config).context("cannot serialize the config")?;
    let header = "# saymon configuration: profiles, no secrets. Written by `saymon login`.\n\n";
    let contents = format!("{header}{text}");
    match reserved {
        Some(reserved) if reserved.fits(contents.len()) => reserved.commit(contents.as_bytes())?,
        _ => fsutil::write_atomic(&path, contents.as_bytes())?,
    }
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
