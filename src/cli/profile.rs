//! `profile list | use | remove`: the subcommands (their args are in `commands::profile`).

use clap::Subcommand;

use crate::commands::profile::{ProfileListArgs, ProfileRemoveArgs, ProfileUseArgs};

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Every profile: its server, login, store, and which is the default
    List(ProfileListArgs),
    /// Make NAME the default profile (the one used without --profile)
    Use(ProfileUseArgs),
    /// Forget NAME's token and password in whichever store holds them, then remove it from
    /// config.toml (--revoke: delete the token on the server first; --keep-secrets: leave
    /// them)
    Remove(ProfileRemoveArgs),
}
