//! saymon: a command-line client for the REST API of SAYMON monitoring servers.
//! The binary (`main.rs`) parses, runs `commands::run`, and maps errors to exit codes.
//!
//! The modules in layers, each importing only from the layers below it (no circles;
//! `tests/cli/layers.rs` holds this list true):
//!
//! 1. `redact`, `secret`, `concurrent`, `mask`: how text is shown safely, secrets that
//!    never print, several futures at once, secrets masked in a stream.
//! 2. `sys`: the standard descriptors and the terminal.
//! 3. `error`, `json`: exit codes and errors; how deep JSON may nest.
//! 4. `token`, `fsutil`, `server`, `prompt`, `jq`: what a token may be, private files and
//!    locks, a server's address, asking at a terminal, `--jq`.
//! 5. `config`, `answer`, `output`: profiles, what a server answers, where results go.
//! 6. `client`, `store`: the HTTP client, the secret stores.
//! 7. `credentials`: where each setting comes from.
//! 8. `issue`: a token's life.
//! 9. `commands`: one module a command.
//! 10. `cli`: the command line (clap), above everything.
//!
//! Not yet so: `commands`, `credentials` and `issue` still read clap's `GlobalArgs` from
//! `cli` (issue 25 moves them to settings resolved once).

pub mod answer;
pub mod cli;
pub mod client;
pub mod commands;
pub mod concurrent;
pub mod config;
pub mod credentials;
pub mod error;
pub mod fsutil;
pub mod issue;
pub mod jq;
pub mod json;
pub mod mask;
pub mod output;
pub mod prompt;
pub mod redact;
pub mod secret;
pub mod server;
pub mod store;
pub mod sys;
pub mod token;
