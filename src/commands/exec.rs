//! `saymon exec -- CMD ARGS…`: run a command with the server and token in its environment.

use std::io;
use std::process::Command;

use anyhow::Result;
use clap::Args;

use crate::credentials::Session;
use crate::error::{Error, Exit, Exited};
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::{SecretKind, TokenSource};

mod masked;

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Pass the command's output through untouched: without it, the token (and a
    /// remembered password) is shown as *** in each of its stdout and stderr that is not
    /// a terminal
    #[arg(long)]
    pub no_mask: bool,

    /// The command and its arguments, after `--`
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<std::ffi::OsString>,
}

/// Run the command, masked unless `--no-mask`. Returns when it ended: `Exited` with its
/// exit code (128+N for signal N; 127 not found, 126 not runnable) when not 0. Errors,
/// before the command runs: no token (exit 3), no server, stdout closed (exit 1); after:
/// its output that could not be written (exit 1).
pub(crate) fn run(args: &ExecArgs, session: &Session<'_>) -> Result<()> {
    // As `token print` does: a result with nowhere to go is an error, not a silent loss
    // (the command's output would go to the /dev/null Rust's runtime opened on fd 1).
    if crate::sys::stdout_open().is_err() {
        return Err(Error::new(
            Exit::Failure,
            "stdout is closed: the command's output would have nowhere to go; it was not run",
        )
        .hint("give saymon a stdout (`>/dev/null` to discard the command's output)")
        .into());
    }
    let (token, source) = session.token()?;
    let server = session.selected.require_server()?;
    let (program, rest) = args.command.split_first().expect("clap requires a command");
    session.out.verbose(&format!(
        "running {} with SAYMON_SERVER={server}, SAYMON_PROFILE={}, SAYMON_TOKEN from {source}",
        program.to_string_lossy(),
        session.selected.profile_name
    ));
    let mut command = Command::new(program);
    command
        .args(rest)
        .env("SAYMON_SERVER", server.to_string())
        .env("SAYMON_PROFILE", &session.selected.profile_name)
        .env("SAYMON_TOKEN", token.expose())
        // The command gets the token as SAYMON_TOKEN alone (a saymon inside would refuse
        // it beside SAYMON_TOKEN_FILE), and never the password. CREDENTIALS_DIRECTORY
        // stays: it is the unit's, and SAYMON_TOKEN wins over its token.
        .env_remove("SAYMON_TOKEN_FILE")
        .env_remove("SAYMON_PASSWORD")
        .env_remove("SAYMON_PASSWORD_FILE");
    // The CA in force, so that `curl --cacert "$SAYMON_CA_CERT"` trusts what saymon does.
    match session.connect().ca_cert() {
        Some(path) => command.env("SAYMON_CA_CERT", std::path::absolute(&path).unwrap_or(path)),
        None => command.env_remove("SAYMON_CA_CERT"),
    };
    crate::mask::register_with_ci(token.expose().as_bytes());
    let mut plan = (!args.no_mask).then(|| {
        let secrets = secrets_to_mask(session, &server, token.clone(), &source);
        masked::Plan::new(secrets)
    });
    if let Some(plan) = &mut plan {
        plan.prepare(&mut command)?;
    }
    // Before the spawn, so that no signal falls between it and our waiting.
    crate::sys::signals::leave_to_the_command(&mut command);
    let child = command.spawn();
    // The command holds the write end of a shared pipe: ours must close, or the copy
    // would never see its end.
    drop(command);
    let status = match child {
        Ok(mut child) => {
            crate::sys::signals::forward_to(child.id());
            let copies = plan
                .as_mut()
                .map(|p| p.start(child.stdout.take(), child.stderr.take()));
            let status = child.wait()?;
            let failed = copies.and_then(masked::Copies::finish);
            if let Some(e) = failed
                && status.success()
            {
                return Err(Error::new(
                    Exit::Failure,
                    format!("the command's output could not be written: {e}"),
                )
                .hint("check where stdout and stderr go (a full disk?); `--no-mask` hands them to the command itself")
                .into());
            }
            status
        }
        Err(e) => return Err(cannot_run(program, &e)),
    };
    command_exit(status)
}

/// `program` could not be started: said (error and hint), and saymon's exit as a shell's:
/// 127 for a command not found, 126 for one that cannot run. Also `proxy -- CMD`'s.
pub(crate) fn cannot_run(program: &std::ffi::OsStr, e: &io::Error) -> anyhow::Error {
    let code = if e.kind() == io::ErrorKind::NotFound {
        127
    } else {
        126
    };
    crate::sys::to_stderr(&format!(
        "saymon: error: cannot run {}: {e}",
        program.to_string_lossy()
    ));
    crate::sys::to_stderr(if code == 127 {
        "hint: check the command's name and that it is on PATH, or give its full path"
    } else {
        "hint: check that the command is a program you may run (chmod +x, not a directory)"
    });
    Exited(code).into()
}

/// saymon's exit for a command that ended with `status`: its code, or 128+N for a signal
/// N (as a shell reports it). Also `proxy -- CMD`'s.
pub(crate) fn command_exit(status: std::process::ExitStatus) -> Result<()> {
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

/// What `exec` masks in the command's output: the token, and the password remembered
/// beside it (read only when the token is the store's; a store that cannot be read adds
/// nothing: the command gets no password to print).
fn secrets_to_mask(
    session: &Session<'_>,
    server: &ServerUrl,
    token: Secret,
    source: &TokenSource,
) -> Vec<Secret> {
    let mut secrets = vec![token];
    if !source.is_given()
        && let Some((kind, _)) = session.profile_store(server)
        && let Ok(Some(password)) = session.stored_secret(
            session.stores().open(kind).as_ref(),
            server,
            SecretKind::Password,
        )
    {
        secrets.push(password);
    }
    secrets
}
