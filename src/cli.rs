//! The command line: clap types only. Doc comments are the help text and the man pages.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Get, keep and use auth tokens for the REST API of a SAYMON monitoring server.
///
/// Results go to stdout; messages, prompts and warnings to stderr. A password or token is
/// never taken as a command-line argument.
#[derive(Debug, Parser)]
#[command(
    name = "saymon",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
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

    /// Whether --profile was given on the command line (not SAYMON_PROFILE): set by main.
    #[arg(skip)]
    pub profile_on_command_line: bool,

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

/// The sections of `man saymon` that clap does not make, as (title, [(term, text)]):
/// rendered into man/saymon.1 with the rest (tests/cli/generated.rs), never hand-edited.
pub const MAN_SECTIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "EXIT STATUS",
        &[
            ("0", "Success."),
            (
                "1",
                "Unexpected failure: a server error (5xx), a malformed answer, local I/O, an unreadable config, a --jq filter that failed.",
            ),
            (
                "2",
                "Usage error: bad flags or arguments, a bad server address, a --jq syntax error.",
            ),
            (
                "3",
                "No credentials: not logged in, no token stored, no password source and no terminal.",
            ),
            (
                "4",
                "The server rejected the credentials or the token (401, 403).",
            ),
            (
                "5",
                "The server could not be reached: DNS, connect, TLS, timeout.",
            ),
            (
                "6",
                "api: the server answered another 4xx (the body is still printed).",
            ),
            (
                "7",
                "A secret cannot be kept safe: the keyring unreachable, locked or not answering, the credentials file (or a --client-key file) readable by others, or corrupt; or a new token could only be kept in the rescue file.",
            ),
            (
                "70",
                "An internal error (a bug): one line, saymon: internal error: ... (please report).",
            ),
            (
                "other",
                "exec: the command's own exit code (128+N for signal N, 127 not found, 126 not runnable).",
            ),
        ],
    ),
    (
        "ENVIRONMENT",
        &[
            ("SAYMON_SERVER", "The server, as --server."),
            (
                "SAYMON_PROFILE",
                "The profile to use, as --profile (it selects; for status it does not limit).",
            ),
            ("SAYMON_LOGIN", "The login, as --login."),
            (
                "SAYMON_PASSWORD",
                "The password, for login, token create, refresh and revoke; removed from exec's command.",
            ),
            (
                "SAYMON_TOKEN",
                "A token to use instead of the stored one (CI); exec sets it for its command.",
            ),
            (
                "SAYMON_CA_CERT",
                "A CA or server certificate file to trust, as --ca-cert; exec sets it for its command.",
            ),
            (
                "SAYMON_CLIENT_CERT, SAYMON_CLIENT_KEY",
                "The client certificate and key for mutual TLS, as --client-cert and --client-key.",
            ),
            (
                "SAYMON_CONFIG_DIR",
                "The config directory, as --config-dir.",
            ),
            (
                "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
                "Proxies (and their lowercase forms); a server on this machine is never reached through one.",
            ),
            (
                "SSL_CERT_FILE, SSL_CERT_DIR",
                "Where the system's trust store is read from (Linux), as OpenSSL reads them.",
            ),
            (
                "NO_COLOR",
                "When set to anything but the empty string, no colour.",
            ),
            ("TERM", "dumb: no colour."),
            (
                "COMPLETE",
                "A shell name: print that shell's completion registration, or answer its completion request, and exit.",
            ),
        ],
    ),
    (
        "FILES",
        &[
            (
                "~/.config/saymon/",
                "The config directory (the platform's config dir plus saymon; --config-dir, SAYMON_CONFIG_DIR), mode 0700.",
            ),
            (
                "config.toml",
                "Profiles: server, login, user id, store, TLS files. No secrets. Refused when others can write it.",
            ),
            (
                "credentials.toml",
                "Tokens (and passwords remembered by login --remember-password) of profiles that use the file store, mode 0600; refused when others can read it.",
            ),
            (
                "rescued-tokens.toml",
                "A new token whose store failed after it was made, mode 0600; used by every command until login moves it into the store.",
            ),
            (
                ".lock, .token.lock",
                "Locks that serialize writes, and the life of a new token, between concurrent runs.",
            ),
        ],
    ),
    (
        "EXAMPLES",
        &[
            (
                "saymon --server https://saymon.example.com login",
                "Log in, asking for what is missing; the token is stored.",
            ),
            (
                "saymon api 'objects?fields=id,name' --jq '.[] | .name'",
                "The objects' names, filtered without jq installed.",
            ),
            (
                "saymon api incidents --paginate > incidents.json",
                "Every incident, all pages, one JSON array; check the exit code.",
            ),
            (
                "printf '%s\\n' \"$PW\" | saymon token refresh --password-stdin",
                "Rotate the stored token from cron.",
            ),
            (
                "saymon exec -- sh -c 'curl -fsS \"$SAYMON_SERVER/node/api/objects?api-token=$SAYMON_TOKEN\"'",
                "Hand the token to another tool in its environment only.",
            ),
            (
                "saymon doctor --all",
                "Check every profile: config, keyring, DNS, TCP, TLS, server, token.",
            ),
        ],
    ),
];

impl GlobalArgs {
    /// The one profile asked for by name (--profile or SAYMON_PROFILE), if any: the last
    /// one given, as a flag given twice is for every other command.
    pub fn profile(&self) -> Option<&str> {
        self.profile.last().map(String::as_str)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a token with your login and password, store it, and remember the profile
    Login(LoginArgs),
    /// Forget the profile's stored token and password (--revoke: delete the token on the
    /// server too)
    Logout(LogoutArgs),
    /// Create, print, refresh and revoke tokens
    #[command(
        subcommand,
        after_help = "Examples:
  curl \"https://saymon.example.com/node/api/objects?api-token=$(saymon token print)\"
  saymon -q --profile prod token refresh          # nightly, from cron
  saymon token create --login robot --password-file ~/robot.password"
    )]
    Token(TokenCommand),
    /// Show the user the stored token belongs to, as the server sees it
    Whoami(WhoamiArgs),
    /// Every profile: server, login, where its secrets live, whether its token works
    ///
    /// The servers are asked at once (32 at a time), each within --timeout; the table keeps
    /// the profiles' order and shows each server's answer time. `--profile` (several, or a
    /// glob such as 'prod-*') limits the check to those profiles.
    #[command(after_help = "Examples:
  saymon status
  saymon status --profile 'prod-*' --all-ok       # exit 0 only if every prod token works
  saymon status --offline --output json")]
    Status(StatusArgs),
    /// Send any authenticated request to the SAYMON API and print the response body
    ///
    /// PATH is `objects`, `/objects` or `/node/api/objects` alike, with any query string;
    /// `api-token` is appended. A full URL is accepted only on the profile's own server.
    /// The method is -X, else POST when a body or fields are given, else GET. The body is
    /// printed on stdout as it arrives (pretty JSON at a terminal unless --raw); on an
    /// error status it is printed too, and stderr gets one line: exit 4 for 401/403, 6 for
    /// another 4xx, 1 for 5xx.
    #[command(after_help = "Examples:
  saymon api 'objects?fields=id,name' | jq -r '.[] | [.id, .name] | @tsv'
  saymon api \"objects/$ID/history?metrics=cpu&from=$FROM_MS&to=$TO_MS\"
  saymon api -X GET incidents -F limit=20
  saymon api objects/$ID/stat -d '{\"cpu\": 42.5}'
  saymon api -X PATCH objects/$ID -d @object.json
  saymon api incidents --paginate --jq 'map(select(.state == 1)) | length'")]
    Api(ApiArgs),
    /// Run a command with SAYMON_SERVER, SAYMON_TOKEN and SAYMON_PROFILE in its environment
    ///
    /// The command inherits stdin, stdout and stderr, and saymon exits with its exit code
    /// (128+N when a signal N ended it, as a shell reports it). The token is passed in the
    /// environment only, never on a command line.
    #[command(after_help = "Examples:
  saymon exec -- sh -c 'curl -fsS \"$SAYMON_SERVER/node/api/objects?api-token=$SAYMON_TOKEN\"'
  saymon --profile prod exec -- ./update-dashboards.sh
  saymon --profile lab exec -- python3 sync.py      # reads os.environ[\"SAYMON_TOKEN\"]")]
    Exec(ExecArgs),
    /// Check every step to a working token, one line each with the fix
    ///
    /// In order: the config and its permissions, the credentials file's, the keyring (for
    /// profiles that use it), DNS, TCP, the TLS handshake (the certificate's subject,
    /// issuer, names and expiry, and what verified it), SAYMON's answer to GET
    /// /node/api/version/hash, the token (users/current), and, when the token is refused
    /// but the password at hand works, that token authentication may be off on the
    /// server. Exit 0 when nothing failed, else the exit code of the first failure.
    #[command(after_help = "Examples:
  saymon doctor
  saymon doctor --all --output json | jq '.profiles[] | select(.checks[].state == \"fail\") | .profile'")]
    Doctor(DoctorArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check every profile (at once), not only the selected one
    #[arg(long)]
    pub all: bool,
}

/// Where the login and password come from. The password is never a command-line value.
#[derive(Debug, Default, Args)]
pub struct CredentialArgs {
    /// Login name or e-mail [default: the profile's; else asked at a terminal]
    #[arg(long, env = "SAYMON_LOGIN", value_name = "NAME")]
    pub login: Option<String>,

    /// Read the password from the first line of stdin
    #[arg(long, conflicts_with = "password_file")]
    pub password_stdin: bool,

    /// Read the password from this file (its first line)
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// The user's id (24 hex digits) [default: the profile's; else asked from the server]
    #[arg(long, value_name = "ID")]
    pub user_id: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The password comes from --password-stdin, --password-file, \
SAYMON_PASSWORD, or a hidden prompt at a terminal, in that order.

Examples:
  saymon --server https://saymon.example.com login          # asks for what is missing
  saymon --profile lab --server lab.example login --ca-cert lab.pem
  saymon --profile prod --server https://saymon.example.com login \\
      --login robot --store file --remember-password --password-file ~/robot.password"
)]
pub struct LoginArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// Where to keep the token [default: the profile's, else auto]
    #[arg(long, value_enum, value_name = "STORE")]
    pub store: Option<StoreChoice>,

    /// Also keep the password, in the same store, so that `token refresh` needs no input
    /// (for cron). Without it, a password remembered before is forgotten.
    #[arg(long)]
    pub remember_password: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreChoice {
    /// The keyring when it answers; else, at a terminal, ask before using the file
    Auto,
    /// The OS keyring (Secret Service, Keychain, Credential Manager)
    Keyring,
    /// credentials.toml in the config dir, readable only by you (mode 0600)
    File,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Also delete the token on the server (authenticated with the token itself)
    #[arg(long)]
    pub revoke: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a new token and print it, bare, on stdout
    ///
    /// SAYMON keeps one token per user: the new token replaces the old one on the server,
    /// and so also replaces the token stored for the profile when it is the same user.
    Create(TokenCreateArgs),
    /// Print the token in use (SAYMON_TOKEN, else the stored one), bare, on stdout
    Print(TokenPrintArgs),
    /// Create a fresh token and replace the stored one (for cron); prints no token
    ///
    /// The password is the one given (--password-stdin, --password-file, SAYMON_PASSWORD),
    /// else the one remembered by `login --remember-password`, else asked at a terminal.
    /// The new token kills the old one on the server: anything else holding the old token
    /// needs the new one (`saymon token print`, `saymon exec`).
    Refresh(TokenRefreshArgs),
    /// Delete the user's token on the server and forget it locally
    ///
    /// Authenticates with the token in use, or with the password when one is given.
    Revoke(TokenRevokeArgs),
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// Also store the token, creating the profile if there is none
    #[arg(long)]
    pub save: bool,

    /// Where to store it with --save [default: the profile's, else auto]
    #[arg(long, value_enum, value_name = "STORE", requires = "save")]
    pub store: Option<StoreChoice>,
}

#[derive(Debug, Args)]
pub struct TokenPrintArgs {}

#[derive(Debug, Args)]
pub struct TokenRefreshArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// First ask the server whether the stored token still works; create one only if not
    #[arg(long)]
    pub if_invalid: bool,
}

#[derive(Debug, Args)]
pub struct TokenRevokeArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,
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
pub struct ApiArgs {
    /// API path (objects, /objects, /node/api/objects), with any query; or a full URL on
    /// the profile's server
    #[arg(value_name = "PATH")]
    pub path: String,

    /// HTTP method [default: POST with a body or fields, else GET]
    #[arg(short = 'X', long = "method", value_name = "METHOD")]
    pub method: Option<String>,

    /// Request body: JSON text, @FILE, or @- for stdin (sent as application/json unless
    /// -H sets a Content-Type)
    #[arg(short = 'd', long = "data", value_name = "DATA", conflicts_with_all = ["raw_fields", "fields"])]
    pub data: Option<String>,

    /// A string field: part of a JSON object body (POST, PUT, PATCH) or a query
    /// parameter (GET, DELETE)
    #[arg(short = 'f', long = "raw-field", value_name = "KEY=VALUE")]
    pub raw_fields: Vec<String>,

    /// A typed field: true, false, null and numbers become JSON values; @FILE reads the
    /// value from a file
    #[arg(short = 'F', long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,

    /// An extra request header
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Print the status line and response headers before the body
    #[arg(short = 'i', long = "include")]
    pub include: bool,

    /// Print the body exactly as received, also at a terminal
    #[arg(long)]
    pub raw: bool,

    /// GET every page (`limit` and `skip`, advancing skip by the items received, until a
    /// page is shorter than the page size) and print one JSON array of all items, written
    /// as pages arrive. If a page fails, the array so far is closed (stdout stays valid
    /// JSON) and the exit code is that page's: scripts must check it. A page size above
    /// the server's own cap ends early: keep it at or below that cap
    #[arg(long, conflicts_with_all = ["data", "include", "raw"])]
    pub paginate: bool,

    /// Items per page for --paginate [default: a `limit` in PATH or -F, else 100]
    #[arg(long, value_name = "N", requires = "paginate",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub page_size: Option<u32>,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The command and its arguments, after `--`
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct WhoamiArgs {}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
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
