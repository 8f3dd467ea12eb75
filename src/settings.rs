//! What the command line and the environment ask of a run, as plain data: built once from
//! the parsed command line (`cli::GlobalArgs::settings`) before anything runs, then read
//! by the session, the output and the commands. No I/O.

use std::path::PathBuf;

/// The global options, each already merged with the variable that stands for it
/// (`SAYMON_SERVER` for `--server`, …): which source won is clap's to decide, once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Settings {
    /// `--server` / `SAYMON_SERVER`: a URL or a bare host, as typed.
    pub server: Option<String>,
    /// `--profile` / `SAYMON_PROFILE`, each one given, in order (`status` takes several,
    /// and globs); every other command uses the last.
    pub profiles: Vec<String>,
    /// Which of these came from the command line, not from the variable that stands for it.
    pub on_command_line: OnCommandLine,
    /// `--ca-cert` / `SAYMON_CA_CERT`: a PEM file of CA certificates to trust too.
    pub ca_cert: Option<PathBuf>,
    /// `--client-cert` / `SAYMON_CLIENT_CERT`: the client certificate for mutual TLS.
    pub client_cert: Option<PathBuf>,
    /// `--client-key` / `SAYMON_CLIENT_KEY`: its key, unless the certificate's file holds it.
    pub client_key: Option<PathBuf>,
    /// `--insecure`: the server's certificate is not verified.
    pub insecure: bool,
    /// `--timeout`: the seconds the network work with a server may take, all of it.
    pub timeout: u64,
    /// `--retries`: how often a read is tried again after a transient failure.
    pub retries: u32,
    /// `--max-mib`: the most memory, in MiB, `--jq` and the pages it keeps may use.
    pub max_mib: u32,
    /// `--config-dir` / `SAYMON_CONFIG_DIR`: where config.toml and credentials.toml are.
    pub config_dir: Option<PathBuf>,
    /// `--output`: the results' format on stdout.
    pub output: OutputFormat,
    /// `-q`: only results and errors.
    pub quiet: bool,
    /// `-v`: each request logged on stderr.
    pub verbose: bool,
    /// `--jq`: the filter's text, compiled by `Output::new`.
    pub jq: Option<String>,
}

/// `--output`: text for a person, or JSON documents for a script. (clap's `ValueEnum`
/// only names the values for the command line.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

/// Which options were typed on the command line (`--profile`) rather than taken from the
/// variable that stands for each (`SAYMON_PROFILE`): messages name the one that was used,
/// and some rules trust only what was typed (a pinned profile's `--ca-cert`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OnCommandLine {
    /// `--profile`, not `SAYMON_PROFILE`.
    pub profile: bool,
    /// `--server`, not `SAYMON_SERVER`.
    pub server: bool,
    /// `--ca-cert`, not `SAYMON_CA_CERT`.
    pub ca_cert: bool,
    /// `--config-dir`, not `SAYMON_CONFIG_DIR`.
    pub config_dir: bool,
}

impl Settings {
    /// The profile asked for (`--profile`, else `SAYMON_PROFILE`): the last one given, as
    /// a flag given twice is for every other command; None when neither is.
    pub(crate) fn profile(&self) -> Option<&str> {
        self.profiles.last().map(String::as_str)
    }

    /// These settings for the profile `name` exactly as config.toml has it: the options
    /// that apply to the selected profile only (the server, the TLS files, --insecure) are
    /// cleared (`profile remove NAME` revokes with the profile's own).
    pub(crate) fn for_named_profile(&self, name: &str) -> Settings {
        Settings {
            server: None,
            profiles: vec![name.to_string()],
            ca_cert: None,
            client_cert: None,
            client_key: None,
            insecure: false,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_profile_given_is_the_one_and_a_named_profile_drops_the_selected_ones_options() {
        let settings = Settings {
            server: Some("https://a".into()),
            profiles: vec!["one".into(), "two".into()],
            ca_cert: Some("/ca.pem".into()),
            insecure: true,
            timeout: 7,
            ..Settings::default()
        };
        assert_eq!(settings.profile(), Some("two"));
        assert_eq!(Settings::default().profile(), None);
        let named = settings.for_named_profile("lab");
        assert_eq!(named.profile(), Some("lab"));
        assert_eq!(
            (named.server, named.ca_cert, named.insecure),
            (None, None, false)
        );
        assert_eq!(named.timeout, 7, "how long a request may take still holds");
    }
}
