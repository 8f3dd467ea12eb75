//! The interactive paths on a real pseudo-terminal: prompts for server and login, the
//! hidden password prompt, and the question before falling back to the file store.

mod support;

use std::process::Command;

use support::pty::Pty;
use support::*;

fn on_terminal(env: &Env, server: &FakeSaymon, args: &[&str]) -> Pty {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_saymon"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.home())
        .env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_CA_CERT", &server.ca_file)
        .args(args);
    Pty::spawn(cmd)
}

#[test]
fn login_asks_for_what_is_missing_and_hides_the_password() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let mut term = on_terminal(&env, &server, &["login"]);
    term.expect("SAYMON server (host or URL): ");
    term.send(&format!("{}\n", server.url));
    term.expect(&format!("Login for {}: ", server.url));
    term.send("admin\n");
    // No D-Bus here: the keyring cannot be used, and we are asked before the file is.
    term.expect("The keyring cannot be reached");
    let question = format!(
        "Keep the token in the file {} (readable only by you) instead? [y/N] ",
        env.credentials_file().display()
    );
    term.expect(&question);
    term.send("y\n");
    term.expect(&format!(
        "Password for admin on 127.0.0.1:{}: ",
        server.addr.port()
    ));
    term.wait_for_hidden_input();
    term.send(&format!("{PASSWORD}\n"));
    term.expect("Logged in to");
    assert_eq!(term.wait(), 0, "{}", term.screen);
    assert!(
        !term.screen.contains(PASSWORD),
        "the password was echoed:\n{}",
        term.screen
    );
    assert!(term.screen.contains(&format!(
        "Logged in to {} as admin (profile default); token stored in the file {}",
        server.url,
        env.credentials_file().display()
    )));
    let token = server.token_of(LOGIN).unwrap();
    assert!(!term.screen.contains(&token));
    env.cmd()
        .args(["token", "print"])
        .assert()
        .stdout(format!("{token}\n"));
}

#[test]
fn declining_the_file_store_creates_no_token() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let mut term = on_terminal(
        &env,
        &server,
        &["--server", &server.url, "login", "--login", LOGIN],
    );
    term.expect("[y/N] ");
    term.send("\n");
    assert_eq!(term.wait(), 7, "{}", term.screen);
    assert!(
        term.screen.contains("the file was declined"),
        "{}",
        term.screen
    );
    assert!(server.seen().is_empty());
    assert!(!env.credentials_file().exists());
}

#[test]
fn a_mistyped_password_at_the_prompt_is_one_clear_error() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let mut term = on_terminal(
        &env,
        &server,
        &[
            "--server",
            &server.url,
            "login",
            "--login",
            LOGIN,
            "--store",
            "file",
        ],
    );
    term.expect("Password for admin");
    term.wait_for_hidden_input();
    term.send("mistyped-canary\n");
    assert_eq!(term.wait(), 4, "{}", term.screen);
    assert!(
        term.screen.contains("Invalid login or password."),
        "{}",
        term.screen
    );
    assert!(
        term.screen.contains("hint: check the login"),
        "{}",
        term.screen
    );
    assert!(!term.screen.contains("mistyped-canary"), "{}", term.screen);
}

#[test]
fn api_pretty_prints_json_at_a_terminal_unless_raw() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let mut term = on_terminal(&env, &server, &["api", "objects/1"]);
    assert_eq!(term.wait(), 0, "{}", term.screen);
    assert!(
        term.screen
            .contains("{\r\n  \"class_id\": \"2\",\r\n  \"id\": \"1\","),
        "{:?}",
        term.screen
    );
    let mut term = on_terminal(&env, &server, &["api", "--raw", "objects/1"]);
    assert_eq!(term.wait(), 0, "{}", term.screen);
    assert!(
        term.screen
            .contains(r#"{"class_id":"2","id":"1","name":"Server room"}"#),
        "{:?}",
        term.screen
    );
}

#[test]
fn ctrl_c_during_exec_is_the_command_s_to_handle() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    // The command traps Ctrl-C and exits 7; saymon waits and passes that on.
    let script = "trap 'echo trapped; exit 7' INT; echo ready; while :; do sleep 0.1; done";
    let mut term = on_terminal(&env, &server, &["exec", "--", "sh", "-c", script]);
    term.expect("ready");
    term.send("\x03");
    assert_eq!(term.wait(), 7, "{}", term.screen);
    assert!(term.screen.contains("trapped"), "{}", term.screen);
}
