//! Secret stores behind one small trait: the OS keyring and a private file.

pub mod file;
pub mod keyring;

use anyhow::Result;

use crate::secret::Secret;

/// Where a profile's token lives. Accounts are `<login>@<host[:port]>`.
/// Errors that mean "this store cannot be used" carry exit code 7 and a hint.
pub trait SecretStore {
    /// For messages: `the keyring` or `the file /path/credentials.toml`.
    fn describe(&self) -> String;
    /// Can a secret be written here now? Checked before a token is created, since a new
    /// token kills the old one on the server and a token that cannot be stored is lost.
    fn check(&self) -> Result<()>;
    /// The stored secret; `None` means nothing is stored ("not logged in").
    fn get(&self, account: &str) -> Result<Option<Secret>>;
    fn set(&self, account: &str, secret: &Secret) -> Result<()>;
    /// Remove the secret; `false` when there was none.
    fn delete(&self, account: &str) -> Result<bool>;
}

/// The account name of a login on a server.
pub fn account(login: &str, host_port: &str) -> String {
    format!("{login}@{host_port}")
}
