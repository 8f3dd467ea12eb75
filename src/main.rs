//! `saymon`: parse the command line, run the command, print any error as one line with a
//! hint, and exit with the documented code.

use std::process::ExitCode;

/// Runs before Rust's runtime replaces closed standard descriptors with /dev/null.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_CLOSED_FDS: extern "C" fn() = saymon::record_closed_standard_fds;

/// Runs before Rust's runtime ignores SIGPIPE for itself: whether `exec`'s command should
/// get it ignored, as the caller had it.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_SIGPIPE: extern "C" fn() = saymon::record_inherited_sigpipe;

fn main() -> ExitCode {
    saymon::main()
}
