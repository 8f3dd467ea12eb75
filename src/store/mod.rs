//! Secret stores behind one small trait: the OS keyring and a private file.

pub mod file;
pub mod keyring;

use anyhow::Result;

use crate::secret::Secret;
use crate::server::ServerUrl;

/// What is kept for an account: its token, and its password only where the user asked
/// for that (`login --remember-password`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    Token,
    Password,
}

impl SecretKind {
    pub fn name(self) -> &'static str {
        match self {
            SecretKind::Token => "token",
            SecretKind::Password => "password",
        }
    }
}

/// One change to a store: set a secret of an account (`Some`) or remove it (`None`).
pub struct Change<'a> {
    pub account: &'a str,
    pub kind: SecretKind,
    pub value: Option<&'a Secret>,
}

/// Where a profile's secrets live. Accounts are named by `account`.
/// Errors that mean "this store cannot be used" carry exit code 7 and a hint.
pub trait SecretStore {
    /// For messages: `the keyring` or `the file /path/credentials.toml`.
    fn describe(&self) -> String;
    /// Prove that the next `write` will succeed, and hold what it needs until then: a new
    /// token kills the old one on the server, so it must not be created before its place
    /// is certain. Called under the token lock (see `issue`).
    fn prepare(&self) -> Result<()>;
    /// The stored secret; `None` means nothing is stored ("not logged in").
    fn get(&self, account: &str, kind: SecretKind) -> Result<Option<Secret>>;
    /// Apply `changes` (in one atomic write where the store can). Returns, per change,
    /// whether the secret was there before.
    fn write(&self, changes: &[Change<'_>]) -> Result<Vec<bool>>;

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
}

/// The account of a login on a server: `<login>@<host[:port]>` for https (the name saymon
/// has always used), `<login>@http://<host[:port]>` for plain http. A token stored for one
/// origin (scheme, host, port) is so never found for another.
pub fn account(login: &str, server: &ServerUrl) -> String {
    if server.is_https() {
        format!("{login}@{}", server.host_port())
    } else {
        format!("{login}@http://{}", server.host_port())
    }
}

/// The name saymon 0.1 gave the account of an http server (`<login>@<host[:port]>`, the
/// scheme left out). An entry found under it belongs to the http server only when the
/// profile that made it names that very server; it is then moved to `account`.
pub fn legacy_account(login: &str, server: &ServerUrl) -> Option<String> {
    (!server.is_https()).then(|| format!("{login}@{}", server.host_port()))
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
