//! The args of `login` and `logout`, and where a login and password come from.

use std::path::PathBuf;

use clap::Args;

use crate::credentials::CredentialFlags;
use crate::store::StoreChoice;

/// Where the login and password come from. The password is never a command-line value.
#[derive(Debug, Default, Args)]
pub struct CredentialArgs {
    /// Login name or e-mail [default: the profile's; else asked at a terminal]
    #[arg(long, env = "SAYMON_LOGIN", value_name = "NAME")]
    pub login: Option<String>,

    /// Read the password from the first line of stdin
    #[arg(long, conflicts_with = "password_file")]
    pub password_stdin: bool,

    /// Read the password from this file (its first line)
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// The user's id (24 hex digits) [default: the profile's; else asked from the server]
    #[arg(long, value_name = "ID")]
    pub user_id: Option<String>,
}

impl CredentialArgs {
    /// These flags as plain data, for the session and a token's life.
    pub(crate) fn flags(&self) -> CredentialFlags {
        CredentialFlags {
            login: self.login.clone(),
            password_stdin: self.password_stdin,
            password_file: self.password_file.clone(),
            user_id: self.user_id.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// Where to keep the token [default: the profile's, else auto]
    #[arg(long, value_enum, value_name = "STORE")]
    pub store: Option<StoreChoice>,

    /// Also keep the password, in the same store, so that `token refresh` needs no input
    /// (for cron). Without it, a password remembered before is forgotten.
    #[arg(long)]
    pub remember_password: bool,

    /// Store a token made elsewhere (by an admin, for an LDAP/SSO account, from a vault),
    /// read from stdin (hidden at a terminal): checked with the server first, then stored,
    /// and the profile takes its login and user id from the server's answer
    #[arg(long, conflicts_with_all = ["password_stdin", "password_file", "remember_password", "user_id"])]
    pub with_token: bool,

    /// Trust the server's certificate only if its SHA-256 fingerprint is this one (colons
    /// and case ignored), and pin it for the profile, as --ca-cert with that certificate
    /// would: for a self-signed server without a terminal to ask at
    #[arg(long, value_name = "sha256:HEX")]
    pub pin: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Also delete the token on the server (authenticated with the token itself)
    #[arg(long)]
    pub revoke: bool,
}
