//! The typed errors that decide an exit code, and `exit_code` that finds them.

use std::fmt;

/// The documented exit codes (README, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 1: unexpected failure: server error, malformed response, local I/O.
    Failure = 1,
    /// 2: usage error.
    Usage = 2,
    /// 3: no credentials: not logged in, no token, no password source.
    NoCredentials = 3,
    /// 4: the server rejected the credentials or the token.
    Rejected = 4,
    /// 5: the server could not be reached.
    Unreachable = 5,
    /// 6: `api`: the server answered another 4xx.
    ClientError = 6,
    /// 7: the secret store cannot be used.
    StoreUnusable = 7,
    /// 70: an internal error, a bug (saymon panicked); EX_SOFTWARE of sysexits.h.
    Internal = 70,
}

/// The exit code of a prompt the person at it cancelled (Ctrl-C, or Ctrl-D at a hidden
/// prompt): what a shell reports for SIGINT, 128 + 2.
pub(crate) const CANCELLED: u8 = 130;

/// An exit status saymon documents: success, one of its error codes, a cancelled prompt,
/// or (`exec`) the exit code of the command it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success,
    Error(Exit),
    Cancelled,
    Command,
}

impl Status {
    /// The code as the tables show it: `0`, `7`, `130`, or `other` for `Command`.
    pub fn code(self) -> String {
        match self {
            Status::Success => "0".into(),
            Status::Error(exit) => (exit as u8).to_string(),
            Status::Cancelled => CANCELLED.to_string(),
            Status::Command => "other".into(),
        }
    }

    /// What the status means, in a few words (`saymon --help`); `STATUSES` says it whole.
    pub fn short(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Error(Exit::Failure) => {
                "failure: a server error, a malformed answer, local I/O"
            }
            Status::Error(Exit::Usage) => "usage error",
            Status::Error(Exit::NoCredentials) => {
                "no credentials: not logged in, no password source"
            }
            Status::Error(Exit::Rejected) => "the server rejected the credentials or the token",
            Status::Error(Exit::Unreachable) => "the server could not be reached",
            Status::Error(Exit::ClientError) => "api: the server answered another 4xx",
            Status::Error(Exit::StoreUnusable) => {
                "a secret cannot be kept safe (keyring, file modes)"
            }
            Status::Error(Exit::Internal) => "an internal error, a bug",
            Status::Cancelled => "cancelled at a prompt",
            Status::Command => "exec: the command's own exit code",
        }
    }
}

/// Every exit status and what it means, in the words of README's "Exit codes" list (a test
/// holds the two equal; `code` spans in backticks) and of `man saymon`. Each command's own
/// statuses are listed in `cli::pages`.
pub const STATUSES: &[(Status, &str)] = &[
    (Status::Success, "success"),
    (
        Status::Error(Exit::Failure),
        "unexpected failure: server error (5xx), malformed response (or a head too large to read), a redirect not followed, local I/O (stdout that cannot be written, also for `--help`), unreadable config, a `--jq` filter that failed",
    ),
    (
        Status::Error(Exit::Usage),
        "usage error (bad flags or arguments, bad server address, a `--jq` syntax error)",
    ),
    (
        Status::Error(Exit::NoCredentials),
        "no credentials: not logged in, no such profile, no token stored, no password source and no terminal, a secret file that cannot be read, is empty or too large",
    ),
    (
        Status::Error(Exit::Rejected),
        "the server rejected the credentials or token (401, 403)",
    ),
    (
        Status::Error(Exit::Unreachable),
        "the server could not be reached: DNS, connect, TLS, timeout",
    ),
    (
        Status::Error(Exit::ClientError),
        "`api`: the server answered another 4xx (the body is still printed)",
    ),
    (
        Status::Error(Exit::StoreUnusable),
        "a secret cannot be kept safe: keyring unreachable, locked or not answering; credentials file (or a `--client-key` or secret file) readable by others, or corrupt; config dir or `config.toml` that others may change; or a new token could only be kept in the rescue file",
    ),
    (
        Status::Error(Exit::Internal),
        "an internal error, a bug: one line, `saymon: internal error: … (please report)`, never a panic's backtrace",
    ),
    (
        Status::Cancelled,
        "Ctrl-C or Ctrl-D at a password or token prompt: cancelled, nothing sent",
    ),
    (
        Status::Command,
        "`exec`: the command's own exit code (128+N for signal N, 127 not found, 126 not runnable)",
    ),
];

/// An error that carries its exit code and, optionally, the next step for the user.
/// Its message must never contain a secret.
#[derive(Debug)]
pub struct Error {
    pub exit: Exit,
    pub message: String,
    pub hint: Option<String>,
}

impl Error {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Error {
            exit,
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// A non-2xx answer from the server: its status and what SAYMON said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    pub status: reqwest::StatusCode,
    /// SAYMON's error name, e.g. `InvalidCredentials`.
    pub code: Option<String>,
    /// SAYMON's message (the inner one when `message` is itself JSON), or a short
    /// sanitized excerpt of a body that is not SAYMON's JSON.
    pub message: Option<String>,
    /// What the user should do, set by the command that knows the situation.
    pub hint: Option<String>,
}

impl ServerError {
    /// One line: `401 Unauthorized: Invalid API token. (Unauthorized)`.
    pub fn summary(&self) -> String {
        let mut s = self.status.to_string();
        if let Some(m) = &self.message {
            s.push_str(": ");
            s.push_str(m);
        }
        if let Some(c) = &self.code {
            s.push_str(&format!(" ({c})"));
        }
        s
    }

    /// 401 or 403: the credentials or token were refused.
    pub fn is_rejection(&self) -> bool {
        matches!(self.status.as_u16(), 401 | 403)
    }

    pub fn exit(&self) -> Exit {
        if self.is_rejection() {
            Exit::Rejected
        } else {
            Exit::Failure
        }
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.summary())
    }
}

impl std::error::Error for ServerError {}

/// Give a server's rejection (401, 403) in `err` the hint that fits the situation; any
/// other error passes unchanged.
/// The error keeps its context ("cannot create a token for … on …"): only the hint is set.
pub(crate) fn on_rejection(mut err: anyhow::Error, hint: impl Into<String>) -> anyhow::Error {
    if let Some(se) = err.downcast_mut::<ServerError>()
        && se.is_rejection()
    {
        se.hint = Some(hint.into());
    }
    err
}

/// Not a failure of ours: exit with this code and print nothing (`exec` passing on the
/// exit code of the command it ran).
#[derive(Debug)]
pub(crate) struct Exited(pub u8);

impl fmt::Display for Exited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the command exited with code {}", self.0)
    }
}

impl std::error::Error for Exited {}

/// Shorthand for `Err(Error::new(..).into())`.
pub(crate) fn fail<T>(exit: Exit, message: impl Into<String>) -> anyhow::Result<T> {
    Err(Error::new(exit, message).into())
}

/// The first typed error in the chain decides; anything else is an unexpected failure.
pub(crate) fn exit_code(err: &anyhow::Error) -> Exit {
    // A typed error attached with `.context(..)` is found by anyhow's own downcast only.
    if let Some(e) = err.downcast_ref::<Error>() {
        return e.exit;
    }
    for e in err.chain() {
        if let Some(e) = e.downcast_ref::<Error>() {
            return e.exit;
        }
        if let Some(e) = e.downcast_ref::<ServerError>() {
            return e.exit();
        }
    }
    Exit::Failure
}

/// The next step for an error that names none of its own, by exit code: every error
/// `saymon` prints ends with a hint line (see `main::report`).
pub(crate) fn fallback_hint(exit: Exit) -> &'static str {
    match exit {
        Exit::Failure => "`saymon -v …` shows each step; `saymon doctor` checks the setup",
        Exit::Usage => {
            "`saymon --help` (or `saymon COMMAND --help`) shows the commands and their flags"
        }
        Exit::NoCredentials => "run `saymon login`, or set SAYMON_TOKEN (CI)",
        Exit::Rejected => {
            "`saymon whoami` tells whether the token still works; `saymon login` makes a new one"
        }
        Exit::Unreachable => {
            "`saymon doctor` checks each step to the server: DNS, TCP, TLS, SAYMON"
        }
        Exit::ClientError => {
            "the message says what the server did not accept; `saymon -v …` shows the request"
        }
        Exit::StoreUnusable => {
            "`saymon doctor` checks the config dir, the credentials file and the keyring"
        }
        Exit::Internal => INTERNAL_HINT,
    }
}

const INTERNAL_HINT: &str =
    "this is a bug in saymon: please report it, with the command (and no secrets) that caused it";

/// Make a panic, should one remain, one line and exit 70: `saymon: internal error: …
/// (please report)` and a hint, never "thread 'main' panicked" or a backtrace hint. The
/// message is shown as server text is (inert, bounded); a `Secret` prints `[redacted]`.
pub(crate) fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a panic");
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        // jq's thread runs a filter the user wrote through jaq: a panic there is the
        // filter's failure (a string repeated past what can be addressed), exit 1 as its
        // other limits are, not saymon's internal error.
        if std::thread::current().name() == Some("jq") {
            crate::sys::to_stderr(&format!(
                "saymon: error: --jq: the filter failed inside the jq engine: {}",
                crate::redact::server_text(what, 300)
            ));
            crate::sys::to_stderr(
                "hint: simplify the filter (smaller repeats and ranges); if it is fine as jq, please report it",
            );
            std::process::exit(Exit::Failure as i32);
        }
        crate::sys::to_stderr(&format!(
            "saymon: internal error: {}{place} (please report)",
            crate::redact::server_text(what, 300)
        ));
        crate::sys::to_stderr(&format!("hint: {INTERNAL_HINT}"));
        std::process::exit(Exit::Internal as i32);
    }));
}

/// The hint of the first typed error in the chain that has one.
pub(crate) fn hint(err: &anyhow::Error) -> Option<&str> {
    if let Some(hint) = err.downcast_ref::<Error>().and_then(|e| e.hint.as_deref()) {
        return Some(hint);
    }
    err.chain().find_map(|e| {
        if let Some(e) = e.downcast_ref::<Error>() {
            e.hint.as_deref()
        } else {
            e.downcast_ref::<ServerError>()
                .and_then(|e| e.hint.as_deref())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_show_their_codes() {
        let codes: Vec<String> = STATUSES.iter().map(|(s, _)| s.code()).collect();
        assert_eq!(
            codes,
            ["0", "1", "2", "3", "4", "5", "6", "7", "70", "130", "other"]
        );
    }

    #[test]
    fn typed_error_as_context_decides() {
        let inner = anyhow::Error::from(Error::new(Exit::Failure, "inner").hint("inner hint"));
        let err = inner.context(Error::new(Exit::NoCredentials, "outer").hint("outer hint"));
        assert_eq!(exit_code(&err), Exit::NoCredentials);
        assert_eq!(hint(&err), Some("outer hint"));
    }

    #[test]
    fn exit_code_found_under_context() {
        let err = anyhow::Error::from(Error::new(Exit::Rejected, "no").hint("log in"))
            .context("creating a token");
        assert_eq!(exit_code(&err), Exit::Rejected);
        assert_eq!(hint(&err), Some("log in"));
        assert_eq!(exit_code(&anyhow::anyhow!("io")), Exit::Failure);

        let server = |code: u16| ServerError {
            status: reqwest::StatusCode::from_u16(code).unwrap(),
            code: None,
            message: None,
            hint: None,
        };
        let err = on_rejection(server(401).into(), "check the password");
        assert_eq!(exit_code(&err), Exit::Rejected);
        assert_eq!(hint(&err), Some("check the password"));
        let err = on_rejection(server(500).into(), "check the password");
        assert_eq!(exit_code(&err), Exit::Failure);
        assert_eq!(hint(&err), None);
    }
}
