//! Fuzz target `cli_values`: see `oracles::cli_values` for what must hold.
#![no_main]

#[path = "../oracles.rs"]
mod oracles;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracles::cli_values(data));
