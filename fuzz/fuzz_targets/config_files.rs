//! Fuzz target `config_files`: see `oracles::config_files` for what must hold.
#![no_main]

#[path = "../oracles.rs"]
mod oracles;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracles::config_files(data));
