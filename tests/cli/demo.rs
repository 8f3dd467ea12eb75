//! The newcomer's demo (`cargo run --release --example demo`): it runs the real binary
//! through every step and leaves nothing behind, also when interrupted.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// target/<profile>/examples/demo, built with the tests (`cargo test` builds examples).
fn demo() -> PathBuf {
    let me = std::env::current_exe().unwrap();
    let profile_dir = me.parent().unwrap().parent().unwrap();
    let demo = profile_dir.join("examples/demo");
    assert!(demo.exists(), "{} not built", demo.display());
    demo
}

/// The config dir the demo announces in its second line.
fn announced_dir(line: &str) -> PathBuf {
    let start = line.find("config in ").unwrap() + "config in ".len();
    let end = line[start..].find(" for this demo").unwrap();
    PathBuf::from(&line[start..start + end])
}

#[test]
fn the_demo_runs_every_step_and_cleans_up() {
    let out = Command::new(demo())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for step in [
        "| saymon --server https://127.0.0.1:",
        "$ saymon whoami",
        "$ saymon status",
        "$ saymon api objects",
        "$ echo \"$PASSWORD\" | saymon token refresh --password-stdin",
        "$ saymon exec -- sh -c",
        "$ saymon logout",
        "works (as admin)",
        "Server room",
        "Done. Everything the demo made is gone again.",
    ] {
        assert!(stdout.contains(step), "{step}:\n{stdout}");
    }
    // The environment the command lines run in is shown once, so that they run as shown.
    for shown in [
        "  alias saymon=",
        "  export SAYMON_CONFIG_DIR=",
        " SAYMON_CA_CERT=",
        "  PASSWORD=$(cat ",
    ] {
        assert!(stdout.contains(shown), "{shown}:\n{stdout}");
    }
    let line = stdout.lines().find(|l| l.contains("config in ")).unwrap();
    assert!(!announced_dir(line).exists(), "{stdout}");
    // The password is piped, never shown.
    assert!(!stdout.contains("canary"), "{stdout}");
}

#[test]
fn ctrl_c_stops_the_demo_and_still_cleans_up() {
    let mut child = Command::new(demo())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut dir = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.contains("config in ") {
            dir = Some(announced_dir(&line));
            break;
        }
    }
    let dir = dir.expect("the demo names its config dir");
    // Ctrl-C at a terminal signals the whole foreground group.
    // SAFETY: kill(2) on the child's own process group.
    unsafe { libc::kill(-(child.id() as i32), libc::SIGINT) };
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().unwrap();
    assert!(!status.success(), "{rest:?}");
    assert!(!dir.exists(), "{} left behind: {rest:?}", dir.display());
}

#[test]
fn the_demo_serves_a_self_signed_stand_in_that_login_trusts_by_its_pin_until_ctrl_c() {
    let mut child = Command::new(demo())
        .arg("--serve")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("A SAYMON stand-in listens on ")
        .and_then(|rest| rest.strip_suffix(" until Ctrl-C."))
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    let second = lines.next().unwrap().unwrap();
    let fingerprint = second.rsplit("SHA-256 ").next().unwrap().to_string();
    // What it printed is enough to log in, pinning the certificate it named.
    let env = crate::support::Env::new();
    env.cmd()
        .env("SAYMON_SERVER", &url)
        .env("SAYMON_PASSWORD", crate::support::PASSWORD)
        .args(["login", "--login", "admin", "--store", "file"])
        .args(["--pin", &format!("SHA-256 {fingerprint}")])
        .assert()
        .success();
    env.cmd().arg("whoami").assert().success();
    // Ctrl-C stops it.
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l == "Stopped."), "{rest:?}");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
}
