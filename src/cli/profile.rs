//! The args of `profile list | use | remove`.

use clap::{Args, Subcommand};

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

#[derive(Debug, Args)]
pub struct ProfileListArgs {}

#[derive(Debug, Args)]
pub struct ProfileUseArgs {
    /// The profile to make the default
    #[arg(value_name = "NAME",
          add = clap_complete::engine::ArgValueCandidates::new(crate::config::profile_candidates))]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ProfileRemoveArgs {
    /// The profile to remove
    #[arg(value_name = "NAME",
          add = clap_complete::engine::ArgValueCandidates::new(crate::config::profile_candidates))]
    pub name: String,

    /// First delete the profile's token on the server (authenticated with the token itself)
    #[arg(long, conflicts_with = "keep_secrets")]
    pub revoke: bool,

    /// Remove only the profile: its token and password stay where they are kept (for a
    /// keyring that cannot be reached here, e.g. over SSH), and saymon says where
    #[arg(long)]
    pub keep_secrets: bool,
}
