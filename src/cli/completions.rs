//! `saymon completions SHELL`: the completion script. It is the registration clap_complete
//! makes for `COMPLETE=SHELL saymon`: at each Tab the shell asks the installed `saymon`,
//! which completes commands and flags from the clap definition and profile names from
//! the config. (clap_complete's other kind, a script that holds every flag itself, cannot
//! name profiles, and its five generators weighed 60 KB of the binary.)

use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Print the completion script for `args.shell` on stdout; an error when stdout cannot
/// take it (exit 1).
pub(crate) fn run(args: &CompletionsArgs) -> Result<()> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let shell: &dyn EnvCompleter = match args.shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Zsh => &Zsh,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::Elvish => &Elvish,
        _ => &Powershell,
    };
    let mut script = Vec::new();
    shell.write_registration("COMPLETE", "saymon", "saymon", "saymon", &mut script)?;
    std::io::Write::write_all(&mut std::io::stdout().lock(), &script)?;
    Ok(())
}
