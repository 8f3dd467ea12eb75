//! Fuzz target `error_body`: see `oracles::error_body` for what must hold.
#![no_main]

#[path = "../oracles.rs"]
mod oracles;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracles::error_body(data));
