//! Fuzz target `dbus_message`: see `oracles::dbus_message` for what must hold.
#![no_main]

#[path = "../oracles.rs"]
mod oracles;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracles::dbus_message(data));
