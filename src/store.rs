//! Secret stores behind one small trait: the OS keyring and a private file.

pub(crate) mod file;
pub(crate) mod keyring;

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config::StoreKind;
use crate::secret::Secret;
use crate::server::ServerUrl;

/// What is kept for an account: its token, and its password only where the user asked
/// for that (`login --remember-password`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecretKind {
    Token,
    Password,
}

impl SecretKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            SecretKind::Token => "token",
            SecretKind::Password => "password",
        }
    }
}

/// One change to a store: set a secret of an account (`Some`) or remove it (`None`).
pub(crate) struct Change<'a> {
    pub account: &'a str,
    pub kind: SecretKind,
    pub value: Option<&'a Secret>,
}

/// `--store`: where `login` keeps the token (the help shows each value's doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StoreChoice {
    /// The keyring when it answers; else, at a terminal, ask before using the file
    Auto,
    /// The OS keyring (Secret Service, Keychain, Credential Manager)
    Keyring,
    /// credentials.toml in the config dir, readable only by you (mode 0600)
    File,
}

/// Opens the store of a kind for a run: `RunStores` (the keyring's one connection, the
/// config dir's file), or a test's.
pub(crate) trait OpenStore: Send + Sync {
    /// The store of `kind`; opening does no I/O (the store's calls do).
    fn open(&self, kind: StoreKind) -> Box<dyn SecretStore>;
}

/// The run's stores: the keyring through its one connection, and the file in `config_dir`.
pub(crate) struct RunStores {
    pub keyring: keyring::KeyringStore,
    pub config_dir: std::path::PathBuf,
}

impl OpenStore for RunStores {
    fn open(&self, kind: StoreKind) -> Box<dyn SecretStore> {
        match kind {
            StoreKind::Keyring => Box::new(self.keyring.clone()),
            StoreKind::File => Box::new(file::FileStore::new(&self.config_dir)),
        }
    }
}

/// Where a profile's secrets live. Accounts are named by `account`.
/// Errors that mean "this store cannot be used" carry exit code 7 and a hint.
pub(crate) trait SecretStore {
    /// For messages: `the keyring` or `the file /path/credentials.toml`.
    fn describe(&self) -> String;
    /// Prove that the next `write` will succeed, and hold what it needs until then: a new
    /// token kills the old one on the server, so it must not be created before its place
    /// is certain. Called under the token lock (see `lifecycle`).
    fn prepare(&self) -> Result<()>;
    /// A quick check that `prepare` can succeed, made before a password is asked for, so
    /// that nobody types one for nothing. It needs no lock and leaves nothing behind: a
    /// reservation made outside the token lock could be swept away by another process.
    fn check(&self) -> Result<()> {
        self.prepare()
    }
    /// The stored secret; `None` means nothing is stored ("not logged in").
    fn get(&self, account: &str, kind: SecretKind) -> Result<Option<Secret>>;
    /// Apply `changes` (in one atomic write where the store can). Returns, per change,
    /// whether the secret was there before.
    fn write(&self, changes: &[Change<'_>]) -> Result<Vec<bool>>;

    /// Store one secret (the tests' shorthand for `write`).
    #[cfg(test)]
    fn set(&self, account: &str, kind: SecretKind, secret: &Secret) -> Result<()> {
        self.write(&[Change {
            account,
            kind,
            value: Some(secret),
        }])
        .map(drop)
    }

    /// Remove the secret; `false` when there was none.
    fn delete(&self, account: &str, kind: SecretKind) -> Result<bool> {
        let had = self.write(&[Change {
            account,
            kind,
            value: None,
        }])?;
        Ok(had.first().copied().unwrap_or(false))
    }

    /// Before a token is made for `account`: would its entries be written without
    /// surprise? The keyring refuses to guess between duplicate entries, an error that
    /// retrying after the POST could not mend. Nothing is written.
    fn check_account(&self, _account: &str) -> Result<()> {
        Ok(())
    }

    /// Whether a write may stall for seconds (a keyring daemon that hangs): a new token
    /// is then put in the rescue file first, so that no signal or kill during the wait
    /// can lose it (see `lifecycle`).
    fn may_stall(&self) -> bool {
        false
    }

    /// Drop whatever connection the store holds, so that the next call starts afresh:
    /// a new token's failed write is tried once more this way (see `lifecycle`).
    fn reconnect(&self) {}
}

/// The account of a login on a server: `<login>@<host[:port]>` for https (the name saymon
/// has always used), `<login>@http://<host[:port]>` for plain http. A token stored for one
/// origin (scheme, host, port) is so never found for another.
pub(crate) fn account(login: &str, server: &ServerUrl) -> String {
    if server.is_https() {
        format!("{login}@{}", server.host_port())
    } else {
        format!("{login}@http://{}", server.host_port())
    }
}

/// The name saymon 0.1 gave the account of an http server (`<login>@<host[:port]>`, the
/// scheme left out). An entry found under it belongs to the http server only when the
/// profile that made it names that very server; it is then moved to `account`.
pub(crate) fn legacy_account(login: &str, server: &ServerUrl) -> Option<String> {
    (!server.is_https()).then(|| format!("{login}@{}", server.host_port()))
}

/// Where the token in use came from: given for this run (SAYMON_TOKEN, the file
/// SAYMON_TOKEN_FILE names, systemd's `$CREDENTIALS_DIRECTORY/token`), or stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenSource {
    /// SAYMON_TOKEN.
    Environment,
    /// The file SAYMON_TOKEN_FILE names (a docker or Kubernetes secret).
    EnvironmentFile(PathBuf),
    /// `$CREDENTIALS_DIRECTORY/token`: a systemd credential (`LoadCredential=token:…`).
    Credential(PathBuf),
    Keyring,
    File(PathBuf),
    /// The rescue file: the token was made but its store failed (see `lifecycle`).
    Rescued(PathBuf),
}

impl TokenSource {
    pub(crate) fn of_store(kind: StoreKind, config_dir: &Path) -> TokenSource {
        match kind {
            StoreKind::Keyring => TokenSource::Keyring,
            StoreKind::File => TokenSource::File(config_dir.join(file::CREDENTIALS_FILE)),
        }
    }

    /// A short machine-readable name: environment, environment_file, credential,
    /// keyring, file, rescued.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            TokenSource::Environment => "environment",
            TokenSource::EnvironmentFile(_) => "environment_file",
            TokenSource::Credential(_) => "credential",
            TokenSource::Keyring => "keyring",
            TokenSource::File(_) => "file",
            TokenSource::Rescued(_) => "rescued",
        }
    }

    /// Whether the token was given for this run from outside the stores (a variable, a
    /// file one names, a systemd credential): it wins over the stored token, and may
    /// never have been a token of this server.
    pub(crate) fn is_given(&self) -> bool {
        matches!(
            self,
            TokenSource::Environment | TokenSource::EnvironmentFile(_) | TokenSource::Credential(_)
        )
    }

    /// The file the token was read from, if it came from one.
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            TokenSource::EnvironmentFile(path)
            | TokenSource::Credential(path)
            | TokenSource::File(path)
            | TokenSource::Rescued(path) => Some(path),
            TokenSource::Environment | TokenSource::Keyring => None,
        }
    }
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Environment => f.write_str("SAYMON_TOKEN (environment)"),
            TokenSource::EnvironmentFile(path) => {
                write!(f, "SAYMON_TOKEN_FILE ({})", path.display())
            }
            TokenSource::Credential(path) => write!(f, "systemd credential {}", path.display()),
            TokenSource::Keyring => f.write_str("the keyring"),
            TokenSource::File(path) => write!(f, "the file {}", path.display()),
            TokenSource::Rescued(path) => write!(f, "the rescue file {}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_carry_the_scheme_unless_https() {
        let https = ServerUrl::parse("https://h:8443").unwrap();
        let http = ServerUrl::parse("http://h:8443").unwrap();
        assert_eq!(account("a", &https), "a@h:8443");
        assert_eq!(account("a", &http), "a@http://h:8443");
        assert_eq!(account("a", &ServerUrl::parse("h").unwrap()), "a@h");
        assert_eq!(legacy_account("a", &http).as_deref(), Some("a@h:8443"));
        assert_eq!(legacy_account("a", &https), None);
    }
}
