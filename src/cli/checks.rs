//! The args of the commands that look: `status`, `whoami`, `doctor`, `completions`.

use clap::Args;

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check every profile (at once), not only the selected one
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Do not ask the servers whether the tokens work
    #[arg(long)]
    pub offline: bool,

    /// Exit 0 only when every profile checked has a working token (else the first
    /// failure's code), not just the selected one
    #[arg(long)]
    pub all_ok: bool,
}

#[derive(Debug, Args)]
pub struct WhoamiArgs {}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
