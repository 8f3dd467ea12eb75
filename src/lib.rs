//! saymon: a command-line client for the REST API of SAYMON monitoring servers.
//! The binary (`main.rs`) parses, runs `commands::run`, and maps errors to exit codes.

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
pub mod mask;
pub mod output;
pub mod prompt;
pub mod redact;
pub mod secret;
pub mod server;
pub mod store;
