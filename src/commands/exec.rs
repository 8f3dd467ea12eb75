//! `saymon exec -- CMD ARGS…`: run a command with the server and token in its environment.

use std::io;
use std::process::Command;

use anyhow::Result;

use crate::cli::ExecArgs;
use crate::credentials::Session;
use crate::error::{Error, Exit, Exited};

pub fn run(args: &ExecArgs, session: &Session<'_>) -> Result<()> {
    let (token, source) = session.token()?;
    let server = session.require_server()?;
    let (program, rest) = args.command.split_first().expect("clap requires a command");
    session.out.verbose(&format!(
        "running {} with SAYMON_SERVER={server}, SAYMON_PROFILE={}, SAYMON_TOKEN from {source}",
        program.to_string_lossy(),
        session.profile_name
    ));
    let child = Command::new(program)
        .args(rest)
        .env("SAYMON_SERVER", server.to_string())
        .env("SAYMON_PROFILE", &session.profile_name)
        .env("SAYMON_TOKEN", token.expose())
        .spawn();
    let status = match child {
        Ok(mut child) => {
            ignore_terminal_interrupts();
            child.wait()?
        }
        Err(e) => {
            // As a shell does: 127 for a command not found, 126 for one that cannot run.
            let code = if e.kind() == io::ErrorKind::NotFound {
                127
            } else {
                126
            };
            eprintln!(
                "saymon: error: cannot run {}: {e}",
                program.to_string_lossy()
            );
            return Err(Exited(code).into());
        }
    };
    if let Some(code) = status.code() {
        return match code {
            0 => Ok(()),
            code => Err(Exited(u8::try_from(code).unwrap_or(1)).into()),
        };
    }
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return Err(Exited(u8::try_from(128 + signal).unwrap_or(255)).into());
    }
    Err(Error::new(Exit::Failure, format!("the command ended with {status}")).into())
}

/// Ctrl-C and Ctrl-\\ at a terminal go to the whole foreground process group: the
/// command decides what they mean, and we wait to report how it ended, as a shell does.
/// (The command was spawned before this, so it keeps the default dispositions.)
fn ignore_terminal_interrupts() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN has no preconditions.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGQUIT, libc::SIG_IGN);
    }
}
