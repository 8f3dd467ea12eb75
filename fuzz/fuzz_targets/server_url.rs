//! Fuzz target `server_url`: see `oracles::server_url` for what must hold.
#![no_main]

#[path = "../oracles.rs"]
mod oracles;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracles::server_url(data));
