//! One file per command; this one only dispatches.

pub(crate) mod api;
mod completions;
mod doctor;
pub(crate) mod exec;
mod login;
mod logout;
mod profile;
mod status;
mod token;
mod whoami;

use anyhow::Result;

use crate::cli::{Cli, Command, ProfileCommand, TokenCommand};
use crate::credentials::Session;
use crate::output::Output;

pub(crate) async fn run(cli: &Cli, out: &Output) -> Result<()> {
    if let Command::Completions(args) = &cli.command {
        return completions::run(args);
    }
    let settings = cli.global.settings();
    if settings.profiles.len() > 1 && !matches!(cli.command, Command::Status(_)) {
        return Err(crate::error::Error::new(
            crate::error::Exit::Usage,
            format!(
                "--profile was given {} times; only status takes several",
                settings.profiles.len()
            ),
        )
        .hint("give one --profile")
        .into());
    }
    // doctor loads the config itself: a broken one is its first finding, not a stop.
    if let Command::Doctor(args) = &cli.command {
        return doctor::run(args, &settings, out).await;
    }
    let session = Session::load(&settings, out)?;
    match &cli.command {
        Command::Login(args) => login::run(args, &session).await,
        Command::Logout(args) => logout::run(args, &session).await,
        Command::Token(TokenCommand::Create(args)) => token::create(args, &session).await,
        Command::Token(TokenCommand::Print(args)) => token::print(args, &session),
        Command::Token(TokenCommand::Refresh(args)) => token::refresh(args, &session).await,
        Command::Token(TokenCommand::Revoke(args)) => token::revoke(args, &session).await,
        Command::Profile(ProfileCommand::List(args)) => profile::list(args, &session),
        Command::Profile(ProfileCommand::Use(args)) => profile::use_(args, &session),
        Command::Profile(ProfileCommand::Remove(args)) => profile::remove(args, &session).await,
        Command::Whoami(args) => whoami::run(args, &session).await,
        Command::Status(args) => status::run(args, &session).await,
        Command::Api(args) => api::run(args, &session).await,
        Command::Exec(args) => exec::run(args, &session),
        Command::Completions(_) | Command::Doctor(_) => unreachable!("handled above"),
    }
}
