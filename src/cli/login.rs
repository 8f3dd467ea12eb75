//! The args of `login` and `logout`, and where a login and password come from.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

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

#[derive(Debug, Args)]
#[command(
    after_help = "The password comes from --password-stdin, --password-file, \
SAYMON_PASSWORD or the file SAYMON_PASSWORD_FILE names, systemd's credential \
$CREDENTIALS_DIRECTORY/password, or a hidden prompt at a terminal, in that order.

Examples:
  saymon --server https://saymon.example.com login          # asks for what is missing
  saymon --profile lab --server lab.example login --ca-cert lab.pem
  saymon --profile prod --server https://saymon.example.com login \\
      --login robot --store file --remember-password --password-file ~/robot.password
  saymon --server https://lab.example:8443 login --pin sha256:AB:CD:…   # a self-signed lab server
  vault kv get -field=token secret/saymon | saymon --server saymon.example.com login --with-token

At a terminal, a certificate no CA vouches for is shown with its SHA-256 fingerprint, and
login asks whether to trust it for this server (trust on first use)."
)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreChoice {
    /// The keyring when it answers; else, at a terminal, ask before using the file
    Auto,
    /// The OS keyring (Secret Service, Keychain, Credential Manager)
    Keyring,
    /// credentials.toml in the config dir, readable only by you (mode 0600)
    File,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Also delete the token on the server (authenticated with the token itself)
    #[arg(long)]
    pub revoke: bool,
}
