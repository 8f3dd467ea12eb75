//! The command line: clap types only, the top of them (each command's args are its own,
//! in `commands`). Doc comments are the help text and the man pages.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::settings::{OnCommandLine, OutputFormat, Settings};

pub(crate) mod completions;
mod man;
pub(crate) mod pages;
mod profile;
mod token;

use crate::commands::api::ApiArgs;
use crate::commands::doctor::DoctorArgs;
use crate::commands::exec::ExecArgs;
use crate::commands::login::LoginArgs;
use crate::commands::logout::LogoutArgs;
use crate::commands::proxy::ProxyArgs;
use crate::commands::status::StatusArgs;
use crate::commands::whoami::WhoamiArgs;
use completions::CompletionsArgs;
pub use man::MAN_SECTIONS;
pub(crate) use profile::ProfileCommand;
pub(crate) use token::TokenCommand;

/// Get, keep and use auth tokens for the REST API of a SAYMON monitoring server.
///
/// Results go to stdout; messages, prompts and warnings to stderr. A password or token is
/// never taken as a command-line argument.
#[derive(Debug, Parser)]
#[command(
    name = "saymon",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = pages::saymon_after_help()
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// SAYMON server: a URL, or a bare host that means https://HOST
    #[arg(long, global = true, env = "SAYMON_SERVER", value_name = "URL")]
    pub server: Option<String>,

    /// Profile to use [default: the config's default profile, else "default"]; status
    /// takes several, and globs ('prod-*')
    #[arg(long, global = true, env = "SAYMON_PROFILE", value_name = "NAME",
          action = clap::ArgAction::Append,
          add = clap_complete::engine::ArgValueCandidates::new(crate::config::profile_candidates))]
    pub profile: Vec<String>,

    /// Which options were typed on the command line rather than taken from their
    /// variables: set by `app` from clap's matches.
    #[arg(skip)]
    pub on_command_line: OnCommandLine,

    /// Also trust the CA certificates in this PEM file, and a server that presents one of
    /// them as its own (a self-signed lab certificate); remembered by login
    #[arg(long, global = true, env = "SAYMON_CA_CERT", value_name = "PEM")]
    pub ca_cert: Option<PathBuf>,

    /// Client certificate (PEM) for a server that asks for mutual TLS; remembered by login
    #[arg(long, global = true, env = "SAYMON_CLIENT_CERT", value_name = "PEM")]
    pub client_cert: Option<PathBuf>,

    /// Private key of --client-cert (PEM; mode 600), unless the certificate's file holds it;
    /// remembered by login
    #[arg(long, global = true, env = "SAYMON_CLIENT_KEY", value_name = "PEM")]
    pub client_key: Option<PathBuf>,

    /// Do not verify the server's TLS certificate; given at login, remembered for the
    /// profile's server until a login without it (warns on every use)
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Seconds the network work with a server may take, all of it: connecting, TLS, the
    /// answer (api streams its body: there each read gets this long)
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// How often a read (GET, HEAD) is tried again after a connection error, 429 or
    /// 502/503/504, within --timeout; 0 never (other requests are never retried)
    #[arg(long, global = true, value_name = "N", default_value_t = 2,
          value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,

    /// Result format on stdout
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Filter the JSON result with this jq expression (built in): strings print raw, one a
    /// line, other values as compact JSON (with --output json, every result as JSON)
    #[arg(long, global = true, value_name = "EXPR", allow_hyphen_values = true)]
    pub jq: Option<String>,

    /// The most memory --jq may use, in MiB: the answer (or --paginate's pages) it keeps,
    /// and what the filter builds while it runs; past it, exit 1
    #[arg(long, global = true, value_name = "MIB", default_value_t = 512,
          value_parser = clap::value_parser!(u32).range(1..=1_048_576))]
    pub max_mib: u32,

    /// Directory for config.toml and credentials.toml [default: ~/.config/saymon]
    #[arg(long, global = true, env = "SAYMON_CONFIG_DIR", value_name = "DIR")]
    pub config_dir: Option<PathBuf>,

    /// Print only results and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Log each request on stderr (tokens shown as ***, no Authorization)
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

impl GlobalArgs {
    /// These flags as plain data, built once before anything runs.
    pub(crate) fn settings(&self) -> Settings {
        Settings {
            server: self.server.clone(),
            profiles: self.profile.clone(),
            on_command_line: self.on_command_line,
            ca_cert: self.ca_cert.clone(),
            client_cert: self.client_cert.clone(),
            client_key: self.client_key.clone(),
            insecure: self.insecure,
            timeout: self.timeout,
            retries: self.retries,
            max_mib: self.max_mib,
            config_dir: self.config_dir.clone(),
            output: self.output,
            quiet: self.quiet,
            verbose: self.verbose,
            jq: self.jq.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a token with your login and password, store it, and remember the profile
    ///
    /// The password comes from --password-stdin, --password-file, SAYMON_PASSWORD or the
    /// file SAYMON_PASSWORD_FILE names, systemd's credential $CREDENTIALS_DIRECTORY/password,
    /// or a hidden prompt at a terminal, in that order.
    ///
    /// At a terminal, a certificate no CA vouches for is shown with its SHA-256
    /// fingerprint, and login asks whether to trust it for this server (trust on first use).
    #[command(after_help = pages::LOGIN.after_help())]
    Login(LoginArgs),
    /// Forget the profile's stored token and password (--revoke: delete the token on the
    /// server too)
    Logout(LogoutArgs),
    /// Create, print, refresh and revoke tokens
    #[command(subcommand, after_help = pages::TOKEN.after_help())]
    Token(TokenCommand),
    /// List the profiles, choose the default one, remove one
    #[command(subcommand, after_help = pages::PROFILE.after_help())]
    Profile(ProfileCommand),
    /// Show the user the stored token belongs to, as the server sees it
    Whoami(WhoamiArgs),
    /// Every profile: server, login, where its secrets live, whether its token works
    ///
    /// The servers are asked at once (32 at a time), each within --timeout; the table keeps
    /// the profiles' order and shows each server's answer time. `--profile` (several, or a
    /// glob such as 'prod-*') limits the check to those profiles.
    #[command(after_help = pages::STATUS.after_help())]
    Status(StatusArgs),
    /// Send any authenticated request to the SAYMON API and print the response body
    ///
    /// PATH is `objects`, `/objects` or `/node/api/objects` alike, with any query string;
    /// `api-token` is appended. A full URL is accepted only on the profile's own server.
    /// The method is -X, else POST when a body or fields are given, else GET. The body is
    /// printed on stdout as it arrives (pretty JSON at a terminal unless --raw); on an
    /// error status it is printed too, and stderr gets one line: exit 4 for 401/403, 6 for
    /// another 4xx, 1 for 5xx.
    #[command(after_help = pages::API.after_help())]
    Api(ApiArgs),
    /// Run a command with SAYMON_SERVER, SAYMON_TOKEN and SAYMON_PROFILE in its environment
    ///
    /// The command inherits stdin, and stdout and stderr where they are a terminal; where
    /// they are not (a log, a pipe), its output comes through saymon with the token shown
    /// as *** (--no-mask: untouched). saymon exits with its exit code (128+N when a signal
    /// N ended it, as a shell reports it). The token is passed in the environment only,
    /// never on a command line. Under GitHub Actions or Azure Pipelines the token is
    /// registered with the runner first, which masks it in the whole log. SAYMON_PASSWORD,
    /// SAYMON_PASSWORD_FILE and SAYMON_TOKEN_FILE are taken out of its environment; under
    /// systemd, every process of a unit may read the unit's credentials, so run exec in a
    /// unit whose credentials hold the token alone, never the password.
    #[command(after_help = pages::EXEC.after_help())]
    Exec(ExecArgs),
    /// Serve the profile's API on a private socket, adding the token to every request, so
    /// that scripts and dashboards never hold it
    ///
    /// Prints one line when ready: the socket's path (curl --unix-socket PATH
    /// http://localhost/node/api/...), or with --listen http://127.0.0.1:PORT. Each request
    /// under /node/api/ is forwarded with the token as api-token; any api-token or
    /// auth-token in its query, and its Authorization and Cookie headers, are removed
    /// first, and the token is masked as *** in every answer. An answer of the proxy's own
    /// (a refusal, the server out of reach, the token refused) carries `saymon-proxy:
    /// proxy` and a JSON body {"code", "message"}; the server's carry `saymon-proxy:
    /// server`. When the server refuses the token, the proxy reads the stored one again
    /// (another process may have rotated it), or with a password at hand without asking
    /// (SAYMON_PASSWORD…, or remembered) makes a new one as `token refresh` does, and
    /// resends the request once. One log line a
    /// request on stderr (-q: none; --output json: JSON lines). SIGTERM or Ctrl-C: stop,
    /// finish what is in flight (10 s at most), remove the socket, exit 0.
    ///
    /// Who can use the token through it: whoever can connect. The socket is 0600 in a
    /// directory of yours (one others may write is refused), so that is you and root; over
    /// TCP it is every local user, so prefer the socket; a web page cannot (a request with
    /// Origin or Sec-Fetch-*, or for a Host that is not localhost, is refused). With
    /// `-- COMMAND` nothing is printed: the command gets the line as SAYMON_PROXY. A client can call
    /// /node/api/ as the profile's user (GET and HEAD only with --read-only); it cannot
    /// read the token, send credentials of its own, make tokens or sessions, or reach
    /// another path or server.
    #[command(after_help = pages::PROXY.after_help())]
    Proxy(ProxyArgs),
    /// Check every step to a working token, one line each with the fix
    ///
    /// In order: the config and its permissions, the credentials file's, the keyring (for
    /// profiles that use it), DNS, TCP, the TLS handshake (the certificate's subject,
    /// issuer, names and expiry, and what verified it), SAYMON's answer to GET
    /// /node/api/version/hash, the token (users/current), and, when the token is refused
    /// but the password at hand works, that token authentication may be off on the
    /// server. Exit 0 when nothing failed, else the exit code of the first failure.
    #[command(after_help = pages::DOCTOR.after_help())]
    Doctor(DoctorArgs),
    /// Print a shell completion script
    ///
    /// The script asks the saymon on PATH at each Tab: commands, flags, and profile names
    /// with their servers.
    Completions(CompletionsArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn there_is_no_password_flag_that_takes_a_value() {
        let err = Cli::try_parse_from(["saymon", "login", "--password", "x"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
    }

    #[test]
    fn global_flags_after_the_command() {
        let cli =
            Cli::try_parse_from(["saymon", "whoami", "--server", "h", "--output", "json"]).unwrap();
        assert_eq!(cli.global.server.as_deref(), Some("h"));
        assert_eq!(cli.global.output, OutputFormat::Json);
    }

    #[test]
    fn store_requires_save_on_token_create() {
        assert!(Cli::try_parse_from(["saymon", "token", "create", "--store", "file"]).is_err());
        assert!(
            Cli::try_parse_from(["saymon", "token", "create", "--save", "--store", "file"]).is_ok()
        );
    }
}
