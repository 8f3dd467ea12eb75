//! One module a command. Each takes its args (its own clap struct, defined beside it: the
//! doc comments are its help), the run's `Session`, and returns what it did or an error
//! with its exit code; `app` picks the command.

pub(crate) mod api;
pub(crate) mod doctor;
pub(crate) mod exec;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod profile;
pub(crate) mod proxy;
pub(crate) mod status;
pub(crate) mod token;
pub(crate) mod whoami;

use std::path::PathBuf;

use clap::Args;

use crate::credentials::CredentialFlags;

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
