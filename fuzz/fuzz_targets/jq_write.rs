//! Fuzz target `jq_write`: see `oracles::jq_write` for what must hold.
#![no_main]

#[path = "../oracles.rs"]
mod oracles;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracles::jq_write(data));
