//! The program: parse the command line, run the command, print any error as one line with
//! a hint, and exit with the documented code. `main.rs` only calls `main` here.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command, ProfileCommand, TokenCommand};
use crate::commands::{api, doctor, exec, login, logout, profile, proxy, status, token, whoami};
use crate::credentials::Session;
use crate::error::{self, Exit};
use crate::output::Output;
use crate::redact;
use crate::settings::Settings;

/// The whole program, from the command line to its exit code.
pub fn main() -> ExitCode {
    // A list of D-Bus session addresses is settled to the one that answers, for the
    // keyring. SAFETY: first thing, before any thread starts (it may set a variable).
    #[cfg(all(unix, not(target_os = "macos")))]
    unsafe {
        crate::store::keyring::settle_session_bus()
    };
    // Before any secret is read: no core dump or debugger may copy it out of memory.
    crate::secret::harden_process();
    error::install_panic_hook();
    // A panic has been told in one line by the hook: its exit code is the documented one.
    std::panic::catch_unwind(run).unwrap_or(ExitCode::from(Exit::Internal as u8))
}

fn run() -> ExitCode {
    // A debug build panics on request, so that the tests can see what a user would.
    #[cfg(debug_assertions)]
    if std::env::var_os("SAYMON_DEBUG_PANIC").is_some() {
        panic!("on request (SAYMON_DEBUG_PANIC)");
    }
    // COMPLETE=SHELL: answer the shell's completion request (profile names for --profile)
    // and exit; otherwise nothing.
    clap_complete::CompleteEnv::with_factory(Cli::command).complete();
    let parsed = without_empty_variables(Cli::command())
        .try_get_matches()
        .and_then(|matches| {
            let mut cli = Cli::from_arg_matches(&matches)?;
            // Globals are propagated to the subcommand's matches: look at every level.
            let mut level = Some(&matches);
            while let Some(m) = level {
                let typed = |id| m.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
                let seen = &mut cli.global.on_command_line;
                seen.profile |= typed("profile");
                seen.server |= typed("server");
                seen.ca_cert |= typed("ca_cert");
                seen.config_dir |= typed("config_dir");
                level = m.subcommand().map(|(_, sub)| sub);
            }
            Ok(cli)
        });
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err)
            if err.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            // `saymon` or `saymon token` alone: the help, where to start and the exit
            // codes, for a person; exit 2, for a script, as a missing command is.
            let rendered = err.render();
            let text = match crate::sys::colour(io::stderr().is_terminal()) {
                true => rendered.ansi().to_string(),
                false => rendered.to_string(),
            };
            let _ = io::stderr().lock().write_all(text.as_bytes());
            return ExitCode::from(Exit::Usage as u8);
        }
        Err(err) if err.use_stderr() => {
            report(&usage_error(err));
            return ExitCode::from(Exit::Usage as u8);
        }
        Err(err) => return help_or_version(&err),
    };
    // rustls with the ring provider: reqwest is built without a provider of its own.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // What the command line and its variables ask, resolved once: the rest reads this.
    let settings = cli.global.settings();
    let out = match Output::new(&settings) {
        Ok(out) => out,
        Err(err) => {
            report(&err);
            return ExitCode::from(error::exit_code(&err) as u8);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            crate::sys::to_stderr(&format!("saymon: error: cannot start: {err}"));
            return ExitCode::from(Exit::Failure as u8);
        }
    };
    match runtime.block_on(dispatch(&cli, &settings, &out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            if let Some(error::Exited(code)) = err.downcast_ref::<error::Exited>() {
                return ExitCode::from(*code);
            }
            report(&err);
            ExitCode::from(error::exit_code(&err) as u8)
        }
    }
}

/// Run the command `cli` names with `settings` (its global options, resolved), printing
/// to `out`.
async fn dispatch(cli: &Cli, settings: &Settings, out: &Output) -> anyhow::Result<()> {
    if let Command::Completions(args) = &cli.command {
        return crate::cli::completions::run(args);
    }
    // `saymon --profile a COMMAND --profile b`: clap keeps the values of one side only,
    // and which profile a command works on must not be a guess.
    if settings.on_command_line.profile && profile_flags_typed() > settings.profiles.len() {
        return Err(crate::error::Error::new(
            Exit::Usage,
            "--profile was given both before and after the command",
        )
        .hint("give --profile after the command only (status takes several: `saymon status --profile a --profile b`)")
        .into());
    }
    if settings.profiles.len() > 1 && !matches!(cli.command, Command::Status(_)) {
        return Err(crate::error::Error::new(
            Exit::Usage,
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
        return doctor::run(args, settings, out).await;
    }
    let session = Session::load(settings, out)?;
    // Each command's future boxed: one small state machine here, not every command's
    // inlined into one (4 KB less binary, and a smaller future on the stack).
    let run: std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<()>> + '_>> =
        match &cli.command {
            Command::Login(args) => Box::pin(login::run(args, &session)),
            Command::Logout(args) => Box::pin(logout::run(args, &session)),
            Command::Token(TokenCommand::Create(args)) => Box::pin(token::create(args, &session)),
            Command::Token(TokenCommand::Print(args)) => return token::print(args, &session),
            Command::Token(TokenCommand::Refresh(args)) => Box::pin(token::refresh(args, &session)),
            Command::Token(TokenCommand::Revoke(args)) => Box::pin(token::revoke(args, &session)),
            Command::Profile(ProfileCommand::List(args)) => return profile::list(args, &session),
            Command::Profile(ProfileCommand::Use(args)) => return profile::use_(args, &session),
            Command::Profile(ProfileCommand::Remove(args)) => {
                Box::pin(profile::remove(args, &session))
            }
            Command::Whoami(args) => Box::pin(whoami::run(args, &session)),
            Command::Status(args) => Box::pin(status::run(args, &session)),
            Command::Api(args) => Box::pin(api::run(args, &session)),
            Command::Exec(args) => return exec::run(args, &session),
            Command::Proxy(args) => Box::pin(proxy::run(args, &session)),
            Command::Completions(_) | Command::Doctor(_) => unreachable!("handled above"),
        };
    run.await
}

/// How many times `--profile` was typed, before any `--` (what follows is a command's).
fn profile_flags_typed() -> usize {
    std::env::args_os()
        .skip(1)
        .take_while(|arg| arg != "--")
        .filter(|arg| {
            let arg = arg.as_encoded_bytes();
            arg == b"--profile" || arg.starts_with(b"--profile=")
        })
        .count()
}

/// `command` with every option's variable that is set but empty taken as unset, at every
/// level: `SAYMON_PROFILE=` (a CI matrix's empty cell) is no profile named "", and
/// `SAYMON_CA_CERT=` is no CA file, not "a value is required for --ca-cert".
fn without_empty_variables(mut command: clap::Command) -> clap::Command {
    let empty: Vec<clap::Id> = command
        .get_arguments()
        .filter(|arg| {
            arg.get_env()
                .is_some_and(|var| std::env::var_os(var).is_some_and(|v| v.is_empty()))
        })
        .map(|arg| arg.get_id().clone())
        .collect();
    for id in empty {
        command = command.mut_arg(id, |arg| arg.env(None::<&str>));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, without_empty_variables);
    }
    command
}

/// `--help` or `--version` (clap's answer that is not an error) on stdout: exit 0, or 1
/// saying so when stdout cannot take it (closed, a full disk); a closed pipe is quiet.
fn help_or_version(answer: &clap::Error) -> ExitCode {
    let what = match answer.kind() {
        clap::error::ErrorKind::DisplayVersion => "the version",
        _ => "the help",
    };
    let rendered = answer.render();
    let text = match crate::sys::colour(io::stdout().is_terminal()) {
        true => rendered.ansi().to_string(),
        false => rendered.to_string(),
    };
    let written = crate::sys::stdout_open().and_then(|()| {
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            report(
                &error::Error::new(Exit::Failure, format!("cannot write {what} to stdout: {e}"))
                    .hint("check where stdout goes: a full disk, a closed file")
                    .into(),
            );
            ExitCode::from(Exit::Failure as u8)
        }
    }
}

/// clap's usage error in saymon's form: its message as the error (one line), and its
/// suggestion ("a similar argument exists: '--dry-run'") as the hint, else the command's
/// `--help`. Exit 2, as every usage error.
fn usage_error(mut err: clap::Error) -> anyhow::Error {
    use clap::error::{ContextKind, ContextValue};
    let no_command = err.kind() == clap::error::ErrorKind::MissingSubcommand;
    let mut tips = Vec::new();
    for (kind, noun) in [
        (ContextKind::SuggestedSubcommand, "subcommand"),
        (ContextKind::SuggestedArg, "argument"),
        (ContextKind::SuggestedValue, "value"),
    ] {
        let similar = match err.remove(kind) {
            Some(ContextValue::String(one)) => vec![one],
            Some(ContextValue::Strings(some)) => some,
            _ => continue,
        };
        let quoted: Vec<String> = similar.iter().map(|s| format!("'{s}'")).collect();
        tips.push(match quoted.len() {
            0 => continue,
            1 => format!("a similar {noun} exists: {}", quoted[0]),
            _ => format!("some similar {noun}s exist: {}", quoted.join(", ")),
        });
    }
    if let Some(ContextValue::StyledStrs(more)) = err.remove(ContextKind::Suggested) {
        tips.extend(more.iter().map(ToString::to_string));
    }
    // The command the error is about, from clap's usage line ("Usage: saymon api …").
    let command = match err.remove(ContextKind::Usage) {
        Some(ContextValue::StyledStr(usage)) => usage
            .to_string()
            .split_whitespace()
            .skip(1)
            .take_while(|w| {
                w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !w.starts_with('-')
            })
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    };
    // With its suggestions and usage taken out, clap renders "error: MESSAGE" and, after
    // a blank line, where to find help: the message is the first paragraph. Rendered
    // without styles, as it is: plain text would also strip what the user typed that
    // looks like an escape sequence, which `report` shows escaped instead.
    let plain = Cli::command().styles(clap::builder::styling::Styles::plain());
    let rendered = err.with_cmd(&plain).render().ansi().to_string();
    let message = rendered.strip_prefix("error: ").unwrap_or(&rendered);
    let message = message.split("\n\n").next().unwrap_or(message);
    let message = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let hint = match tips.is_empty() {
        false => tips.join("; "),
        true if command.is_empty() => error::fallback_hint(Exit::Usage).to_string(),
        true if no_command && command == "saymon" => "start here: `saymon login` (it asks for what is missing); `saymon --help` shows every command and the exit codes".to_string(),
        true => format!("`{command} --help` shows what it takes"),
    };
    error::Error::new(Exit::Usage, message).hint(hint).into()
}

/// `saymon: error: what happened: why` and, where there is one, `hint: what to do`.
fn report(err: &anyhow::Error) {
    let color = crate::sys::colour(io::stderr().is_terminal());
    let paint = |colour: anstyle::AnsiColor| match color {
        true => anstyle::Style::new().fg_color(Some(colour.into())),
        false => anstyle::Style::new(),
    };
    let (red, yellow) = (
        paint(anstyle::AnsiColor::Red),
        paint(anstyle::AnsiColor::Yellow),
    );
    // Made safe before the colours are added: the text may quote a server or a certificate.
    // No token this run holds, and no api-token=… value, shows (`redact::for_stderr`).
    let message = redact::terminal(&redact::for_stderr(&format!("{err:#}").replace('\n', " ")));
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "saymon: {red}error{red:#}: {message}");
    // Every error ends with the next step: its own, else one for its exit code.
    let hint = error::hint(err).unwrap_or_else(|| error::fallback_hint(error::exit_code(err)));
    let _ = writeln!(
        stderr,
        "{yellow}hint{yellow:#}: {}",
        redact::terminal(&redact::for_stderr(hint))
    );
}

/// Output cut short by a closed pipe (`saymon ... | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
