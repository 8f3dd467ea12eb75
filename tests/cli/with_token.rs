//! `saymon login --with-token`: a token made elsewhere, from stdin (hidden at a terminal),
//! checked with the server before anything is stored.

use predicates::str::contains;

use crate::support::pty::Pty;
use crate::support::*;

/// A token the server knows for admin, made as an admin would (the password login of
/// another machine), and the number of tokens made so far.
fn token_made_elsewhere(server: &FakeSaymon) -> (String, usize) {
    let elsewhere = Env::new();
    elsewhere.login_file(server);
    (server.token_of(LOGIN).unwrap(), server.token_creations())
}

fn with_token(env: &Env, server: &FakeSaymon) -> assert_cmd::Command {
    let mut cmd = env.at(server);
    cmd.args(["login", "--with-token", "--store", "file"]);
    cmd
}

#[test]
fn a_token_the_server_takes_is_stored_with_the_login_and_id_it_names() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let (token, made) = token_made_elsewhere(&server);
    with_token(&env, &server)
        .write_stdin(format!("  {token}\n"))
        .assert()
        .success()
        .stdout("")
        .stderr(format!(
            "Logged in to {} as admin (profile default); token stored in the file {}\n",
            server.url,
            env.credentials_file().display()
        ));
    // No token was made: the one given is the one in use.
    assert_eq!(server.token_creations(), made);
    assert_eq!(server.token_of(LOGIN), Some(token.clone()));
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    assert!(config.contains("login = \"admin\""), "{config}");
    assert!(
        config.contains(&format!("user_id = \"{USER_ID}\"")),
        "{config}"
    );
    assert_eq!(mode(&env.credentials_file()) & 0o777, 0o600);
    env.cmd()
        .args(["token", "print"])
        .assert()
        .success()
        .stdout(format!("{token}\n"));
    env.cmd().arg("whoami").assert().success();
}

#[test]
fn a_refused_token_is_exit_4_and_nothing_is_stored_or_changed() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let (token, _) = token_made_elsewhere(&server);
    // An existing profile, which must stay as it is.
    env.login_file(&server);
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    let credentials = std::fs::read_to_string(env.credentials_file()).unwrap();
    let out = with_token(&env, &server)
        .write_stdin(format!("{token}\n"))
        .assert()
        .code(4)
        .stderr(contains("the server refused this token"))
        .stderr(contains("nothing was stored"))
        .get_output()
        .clone();
    let (stdout, stderr) = outputs(&out);
    assert!(!stdout.contains(&token) && !stderr.contains(&token));
    assert_eq!(std::fs::read_to_string(env.config_file()).unwrap(), config);
    assert_eq!(
        std::fs::read_to_string(env.credentials_file()).unwrap(),
        credentials
    );
}

#[test]
fn what_cannot_be_a_token_never_reaches_the_server() {
    let server = FakeSaymon::start();
    let env = Env::new();
    for (input, why) in [
        ("", "an empty string"),
        ("two tokens\n", "white space"),
        ("abc&admin=1\n", "the character '&'"),
    ] {
        with_token(&env, &server)
            .write_stdin(input)
            .assert()
            .code(1)
            .stderr(contains("the token from stdin cannot be a SAYMON token"))
            .stderr(contains(why));
    }
    with_token(&env, &server)
        .write_stdin("a".repeat(100_000))
        .assert()
        .code(1)
        .stderr(contains("longer than a token can be"));
    assert!(server.seen().is_empty(), "{:?}", server.seen());
    assert!(!env.config_file().exists());
}

#[test]
fn password_flags_do_not_go_with_a_token() {
    let server = FakeSaymon::start();
    let env = Env::new();
    for flag in [
        &["--remember-password"][..],
        &["--password-stdin"],
        &["--password-file", "/dev/null"],
        &["--user-id", USER_ID],
    ] {
        with_token(&env, &server)
            .args(flag)
            .write_stdin("tok\n")
            .assert()
            .code(2)
            .stderr(contains("cannot be used with"));
    }
    assert!(server.seen().is_empty());
}

#[test]
fn a_login_that_is_not_the_token_s_user_stores_nothing() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let (token, _) = token_made_elsewhere(&server);
    with_token(&env, &server)
        .args(["--login", "robot"])
        .write_stdin(format!("{token}\n"))
        .assert()
        .code(4)
        .stderr(contains("the token belongs to admin, not to robot"));
    assert!(!env.config_file().exists());
    // The user's e-mail names the same user.
    with_token(&env, &server)
        .args(["--login", EMAIL])
        .write_stdin(format!("{token}\n"))
        .assert()
        .success();
}

#[test]
fn the_token_shows_nowhere_even_with_verbose() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let (token, _) = token_made_elsewhere(&server);
    for json in [false, true] {
        let mut cmd = with_token(&env, &server);
        if json {
            cmd.args(["--output", "json"]);
        }
        let out = cmd
            .arg("-v")
            .write_stdin(format!("{token}\n"))
            .assert()
            .success()
            .stderr(contains("api-token=***"))
            .get_output()
            .clone();
        let (stdout, stderr) = outputs(&out);
        assert!(
            !stdout.contains(&token) && !stderr.contains(&token),
            "{stdout}\n{stderr}"
        );
    }
}

#[test]
fn at_a_terminal_the_token_is_asked_for_hidden() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let (token, _) = token_made_elsewhere(&server);
    let mut cmd = env.terminal_cmd();
    cmd.env("SAYMON_CA_CERT", &server.ca_file).args([
        "--server",
        &server.url,
        "login",
        "--with-token",
        "--store",
        "file",
    ]);
    let mut term = Pty::spawn(cmd);
    term.expect("Token: ");
    term.wait_for_hidden_input();
    term.send(&format!("{token}\n"));
    term.expect("Logged in to");
    assert_eq!(term.wait(), 0, "{}", term.screen);
    assert!(
        !term.screen.contains(&token),
        "the token was echoed:\n{}",
        term.screen
    );
    env.cmd()
        .args(["token", "print"])
        .assert()
        .stdout(format!("{token}\n"));
}
