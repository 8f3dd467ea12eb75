//! saymon: a command-line client for the REST API of SAYMON monitoring servers.
//! The binary (`main.rs`) calls `main` (`app`): parse, run the command, map errors to
//! exit codes.
//!
//! The modules in layers, each importing only from the layers below it (no circles;
//! `tests/cli/layers.rs` holds this list true):
//!
//! 1. `redact`, `secret`, `concurrent`, `mask`, `settings`: how text is shown safely,
//!    secrets that never print, several futures at once, secrets masked in a stream, what
//!    the command line asks of a run (plain data).
//! 2. `sys`: the standard descriptors and the terminal.
//! 3. `error`, `json`: exit codes and errors; how deep JSON may nest.
//! 4. `token`, `fsutil`, `server`, `prompt`, `jq`: what a token may be, private files and
//!    locks, a server's address, asking at a terminal, `--jq`.
//! 5. `config`, `response`, `output`: profiles, what a server answers, where results go.
//! 6. `client`, `store`: the HTTP client, the secret stores.
//! 7. `credentials`: where each setting comes from.
//! 8. `lifecycle`: a token's life.
//! 9. `commands`: one module a command, each with its own args (a clap struct).
//! 10. `cli`: the command line (clap) made of the commands' args, and the help pages.
//! 11. `app`: the program: parse, pick the command, run it, report.

// `pub` only for the surface below; every `unsafe` block says why it is sound.
#![warn(unreachable_pub)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

mod app;
mod cli;
mod client;
mod commands;
mod concurrent;
mod config;
mod credentials;
mod error;
mod fsutil;
mod jq;
mod json;
mod lifecycle;
mod mask;
mod output;
mod prompt;
mod redact;
mod response;
mod secret;
mod server;
mod settings;
mod store;
mod sys;
mod token;

// The public surface, all of it, in one place; everything else is the crate's own, so
// that the compiler finds what nothing uses.

/// The whole program (`main.rs` calls it).
pub use app::main;
/// Run from `.init_array` by `main.rs`, before Rust's runtime changes what they record.
#[cfg(unix)]
pub use sys::{record_closed_standard_fds, record_inherited_sigpipe};

/// The command line as the generated files and man pages render it (tests/cli/generated).
pub mod command_line {
    pub use crate::cli::pages::{PAGES, Page, SAYMON_EXAMPLES, saymon_after_help};
    pub use crate::cli::{Cli, MAN_SECTIONS};
    pub use crate::error::{Exit, STATUSES, Status};
}

/// The parsers of what a server, a file or a command line sends, which the fuzz targets
/// (fuzz/oracles.rs, and the tests that replay their seeds) drive.
pub mod parsers {
    pub use crate::client::certificate::{date, describe};
    pub use crate::commands::api::{parse_headers, split_field, typed_value};
    pub use crate::config::parse as parse_config;
    pub use crate::jq::Jq;
    pub use crate::lifecycle::check_user_id;
    pub use crate::mask::{MASK, Masker, ParamMasker};
    pub use crate::response::{parse_error_body, parse_token, parse_user};
    pub use crate::server::ServerUrl;
    pub use crate::store::file::parse as parse_credentials;
    pub use crate::token::{MAX_TOKEN_LEN, check_token};

    /// How text from a server is shown.
    pub mod redact {
        pub use crate::redact::{is_unsafe, json, server_text, terminal, token_params, url};
    }
}
