//! The integration tests, as one test binary: every module runs the real `saymon` binary
//! (or the demo) the way its users do, against the in-process fake SAYMON server of
//! `support`. One binary links the dependency tree once instead of once per file.
//!
//! Run one group with `cargo test --test cli <module>::`, e.g. `cargo test --test cli doctor::`.

mod support;

mod answers;
mod api;
mod cron;
mod demo;
mod doc_lines;
mod docs;
mod doctor;
mod end_to_end;
mod env_token;
mod exec;
mod faults;
mod fuzz_seeds;
mod generated;
mod hints;
mod hostile;
mod jq;
mod keyring;
mod layers;
mod leaks;
mod login;
mod masking;
mod network;
mod pins;
mod preview;
mod profile;
mod proxy;
mod rescue;
mod scripting;
mod secret_files;
mod secrets;
mod status;
mod systemd;
mod terminal;
mod tls;
mod trust;
mod unattended;
mod with_token;
