//! Secret stores behind one small trait: the OS keyring and a private file.

pub mod file;
pub mod keyring;

use anyhow::Result;

use crate::secret::Secret;

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

/// Where a profile's secrets live. Accounts are `<login>@<host[:port]>`.
/// Errors that mean "this store cannot be used" carry exit code 7 and a hint.
pub trait SecretStore {
    /// For messages: `the keyring` or `the file /path/credentials.toml`.
    fn describe(&self) -> String;
    /// Can a secret be written here now? Checked before a token is created, since a new
    /// token kills the old one on the server and a token that cannot be stored is lost.
    fn check(&self) -> Result<()>;
    /// The stored secret; `None` means nothing is stored ("not logged in").
    fn get(&self, account: &str, kind: SecretKind) -> Result<Option<Secret>>;
    fn set(&self, account: &str, kind: SecretKind, secret: &Secret) -> Result<()>;
    /// Remove the secret; `false` when there was none.
    fn delete(&self, account: &str, kind: SecretKind) -> Result<bool>;
}

/// The account name of a login on a server.
pub fn account(login: &str, host_port: &str) -> String {
    format!("{login}@{host_port}")
}
