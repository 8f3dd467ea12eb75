//! CI logs that never show the token: the workflow commands that register it with GitHub
//! Actions and Azure Pipelines, and `exec` masking it (and a remembered password) in the
//! command's output that is not a terminal.

use std::io::Read;
use std::process::{Command as StdCommand, Stdio};

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::pty::Pty;
use crate::support::*;

const TOKEN: &str = "a5f946dc-4c21-4ccd-b78b-f0a5fce94f4d";

/// `saymon exec -- sh -c SCRIPT` with SAYMON_TOKEN and SAYMON_SERVER in the environment.
fn exec_sh(env: &Env, script: &str) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.env("SAYMON_SERVER", "https://saymon.example")
        .env("SAYMON_TOKEN", TOKEN)
        .args(["exec", "--", "sh", "-c", script]);
    cmd
}

#[test]
fn exec_masks_the_token_in_piped_output_even_split_across_writes() {
    let env = Env::new();
    exec_sh(
        &env,
        "echo \"token=$SAYMON_TOKEN\"; echo \"err $SAYMON_TOKEN\" >&2; printf 'a5f946dc-4c21'; sleep 0.2; printf '%s\\n' '-4ccd-b78b-f0a5fce94f4d.'",
    )
    .assert()
    .success()
    .stdout("token=***\n***.\n")
    .stderr("err ***\n");
    // --no-mask: untouched.
    env.cmd()
        .env("SAYMON_SERVER", "https://saymon.example")
        .env("SAYMON_TOKEN", TOKEN)
        .args(["exec", "--no-mask", "--", "sh", "-c", "echo $SAYMON_TOKEN"])
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
}

#[test]
fn exec_output_stays_byte_for_byte_but_the_token() {
    let env = Env::new();
    // 3 MB of every byte value, with the token at odd places (one at the very end).
    let mut data: Vec<u8> = (0..=255u8).cycle().take(3 << 20).collect();
    let mut want = data.clone();
    for at in [0usize, 65_535, 1 << 20, (3 << 20) - TOKEN.len()] {
        data[at..at + TOKEN.len()].copy_from_slice(TOKEN.as_bytes());
    }
    // The masked version: each token becomes ***, the rest as it was.
    want.clear();
    let mut i = 0;
    while i < data.len() {
        if data[i..].starts_with(TOKEN.as_bytes()) {
            want.extend_from_slice(b"***");
            i += TOKEN.len();
        } else {
            want.push(data[i]);
            i += 1;
        }
    }
    let file = env.dir.path().join("data.bin");
    std::fs::write(&file, &data).unwrap();
    let out = env
        .cmd()
        .env("SAYMON_SERVER", "https://saymon.example")
        .env("SAYMON_TOKEN", TOKEN)
        .args(["exec", "--", "cat"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout == want, "the output differs beyond the tokens");
}

#[test]
fn exit_codes_and_signals_are_the_command_s_as_before() {
    let env = Env::new();
    exec_sh(&env, "echo out; exit 3")
        .assert()
        .code(3)
        .stdout("out\n");
    exec_sh(&env, "kill -TERM $$").assert().code(143);
    // A process the command leaves running holds the pipe: saymon does not wait for it.
    exec_sh(&env, "sleep 60 & echo started")
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success()
        .stdout("started\n");
}

#[test]
fn a_reader_that_goes_away_ends_the_command_as_it_would_without_saymon() {
    let env = Env::new();
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_saymon"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_SERVER", "https://saymon.example")
        .env("SAYMON_TOKEN", TOKEN)
        .args(["exec", "--", "yes", TOKEN])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = [0u8; 4];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    assert_eq!(&first, b"***\n");
    drop(child.stdout.take());
    // yes's next write fails (EPIPE, or SIGPIPE) and it ends; so does saymon.
    let status = child.wait().unwrap();
    assert!(!status.success(), "{status:?}");
}

#[test]
fn a_remembered_password_is_masked_too() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    env.login_plain(&server, false, &["--remember-password"]);
    env.cmd()
        .args(["exec", "--", "printf", "%s\\n"])
        .arg(PASSWORD)
        .assert()
        .success()
        .stdout("***\n");
}

#[test]
fn at_a_terminal_the_command_s_output_is_its_own() {
    let env = Env::new();
    let mut cmd = env.terminal_cmd();
    cmd.env("SAYMON_SERVER", "https://saymon.example")
        .env("SAYMON_TOKEN", TOKEN)
        .args([
            "exec",
            "--",
            "sh",
            "-c",
            "test -t 1 && echo \"tty $SAYMON_TOKEN\"",
        ]);
    let mut term = Pty::spawn(cmd);
    term.expect(&format!("tty {TOKEN}"));
    assert_eq!(term.wait(), 0, "{}", term.screen);
}

#[test]
fn github_actions_and_azure_are_told_to_mask_the_token() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let token = server.token_of(LOGIN).unwrap();
    // stdout keeps only the token, for $(saymon token print); the command is on stderr.
    env.cmd()
        .env("GITHUB_ACTIONS", "true")
        .args(["token", "print"])
        .assert()
        .success()
        .stdout(format!("{token}\n"))
        .stderr(format!("::add-mask::{token}\n"));
    env.cmd()
        .env("TF_BUILD", "True")
        .args(["-q", "token", "print"])
        .assert()
        .success()
        .stdout(format!("{token}\n"))
        .stderr(format!("##vso[task.setsecret]{token}\n"));
    // A new token is registered before it is printed.
    let out = env
        .at(&server)
        .env("GITHUB_ACTIONS", "true")
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["-q", "token", "create"])
        .assert()
        .success()
        .get_output()
        .clone();
    let (stdout, stderr) = outputs(&out);
    let new = server.token_of(LOGIN).unwrap();
    assert_eq!(stdout, format!("{new}\n"));
    assert_eq!(stderr, format!("::add-mask::{new}\n"));
    // exec registers the token it hands over.
    env.cmd()
        .env("GITHUB_ACTIONS", "true")
        .args(["exec", "--", "true"])
        .assert()
        .success()
        .stderr(format!("::add-mask::{new}\n"));
    // Elsewhere, nothing of the sort.
    env.cmd()
        .env("GITHUB_ACTIONS", "false")
        .args(["token", "print"])
        .assert()
        .success()
        .stderr(contains("add-mask").not());
}

#[test]
fn stdout_and_stderr_to_one_file_keep_their_order() {
    let env = Env::new();
    let log = env.dir.path().join("log");
    let file = std::fs::File::create(&log).unwrap();
    let status = StdCommand::new(env!("CARGO_BIN_EXE_saymon"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_SERVER", "https://saymon.example")
        .env("SAYMON_TOKEN", TOKEN)
        .args(["exec", "--", "sh", "-c"])
        .arg("for i in 1 2 3 4 5 6; do echo \"out$i $SAYMON_TOKEN\"; echo err$i >&2; done")
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    assert!(status.success());
    let want: String = (1..=6).map(|i| format!("out{i} ***\nerr{i}\n")).collect();
    assert_eq!(std::fs::read_to_string(&log).unwrap(), want);
}

#[test]
fn what_is_held_back_when_a_left_running_process_holds_the_pipe_is_written_masked() {
    let env = Env::new();
    // The command prints the token but its last character, and leaves a process that
    // prints that character later: saymon stops waiting for it (after 0.5 s of silence)
    // and writes what it held back, which may be the start of a token, as `***`.
    exec_sh(
        &env,
        "printf 'count: %s' \"${SAYMON_TOKEN%?}\"; (sleep 3; printf '%s\\n' \"${SAYMON_TOKEN#\"${SAYMON_TOKEN%?}\"}\") &",
    )
    .timeout(std::time::Duration::from_secs(30))
    .assert()
    .success()
    .stdout("count: ***");
    // Bytes that cannot start a token are not held back: they come as they are.
    exec_sh(&env, "printf 'count: 7'; sleep 3 &")
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success()
        .stdout("count: 7");
}

#[test]
fn output_that_cannot_be_written_is_an_error_not_a_silent_loss() {
    let env = Env::new();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = StdCommand::new(env!("CARGO_BIN_EXE_saymon"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_SERVER", "https://saymon.example")
        .env("SAYMON_TOKEN", TOKEN)
        .args(["exec", "--", "echo", "hello"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the command's output could not be written: No space left on device"),
        "{stderr}"
    );
}

#[test]
fn a_token_cut_short_at_the_end_of_the_output_is_masked_too() {
    // All but the last character, then the end: before, the 35 characters came out in
    // clear (the masker held them back, then gave them up at the end).
    let env = Env::new();
    exec_sh(&env, "printf '%s' \"${SAYMON_TOKEN%?}\"")
        .assert()
        .success()
        .stdout("***");
    exec_sh(
        &env,
        "printf 'done: %s' \"${SAYMON_TOKEN%???????????????????}\"; exit 3",
    )
    .assert()
    .code(3)
    .stdout("done: ***");
    // What cannot begin the token passes as it is.
    exec_sh(&env, "printf 'count: 5'")
        .assert()
        .success()
        .stdout("count: 5");
}
