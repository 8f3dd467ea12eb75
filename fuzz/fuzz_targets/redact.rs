//! Fuzz target `redact`: see `oracles::redact_text` for what must hold.
#![no_main]

#[path = "../oracles.rs"]
mod oracles;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracles::redact_text(data));
