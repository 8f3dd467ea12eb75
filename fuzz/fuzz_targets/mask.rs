//! Fuzz target `mask`: see `oracles::mask` for what must hold.
#![no_main]

#[path = "../oracles.rs"]
mod oracles;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracles::mask(data));
