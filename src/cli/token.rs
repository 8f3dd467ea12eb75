//! `token create | print | refresh | revoke`: the subcommands (their args are in
//! `commands::token`).

use clap::Subcommand;

use crate::commands::token::{TokenCreateArgs, TokenPrintArgs, TokenRefreshArgs, TokenRevokeArgs};

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a new token and print it, bare, on stdout
    ///
    /// SAYMON keeps one token per user: the new token replaces the old one on the server,
    /// and so also replaces the token stored for the profile when it is the same user.
    Create(TokenCreateArgs),
    /// Print the token in use (SAYMON_TOKEN, SAYMON_TOKEN_FILE, the systemd credential,
    /// else the stored one), bare, on stdout
    ///
    /// With --to FILE it is written to FILE instead (mode 0600, replaced at once, never
    /// torn): the file other services load as a systemd credential, as the
    /// saymon-token-refresh@ unit keeps it after each rotation.
    #[command(after_help = super::pages::TOKEN_PRINT.after_help())]
    Print(TokenPrintArgs),
    /// Create a fresh token and replace the stored one (for cron); prints no token
    ///
    /// The password is the one given (--password-stdin, --password-file, SAYMON_PASSWORD,
    /// SAYMON_PASSWORD_FILE, systemd's credential $CREDENTIALS_DIRECTORY/password), else
    /// the one remembered by `login --remember-password`, else asked at a terminal.
    /// The new token kills the old one on the server: anything else holding the old token
    /// needs the new one (`saymon token print`, `saymon exec`).
    #[command(after_help = super::pages::TOKEN_REFRESH.after_help())]
    Refresh(TokenRefreshArgs),
    /// Delete the user's token on the server and forget it locally
    ///
    /// Authenticates with the token in use, or with the password when one is given.
    Revoke(TokenRevokeArgs),
}
