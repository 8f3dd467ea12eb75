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
    let status = Command::new(program)
        .args(rest)
        .env("SAYMON_SERVER", server.to_string())
        .env("SAYMON_PROFILE", &session.profile_name)
        .env("SAYMON_TOKEN", token.expose())
        .status();
    let status = match status {
        Ok(status) => status,
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
