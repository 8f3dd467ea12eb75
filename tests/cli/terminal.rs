//! The interactive paths on a real pseudo-terminal: prompts for server and login, the
//! hidden password prompt, and the question before falling back to the file store.

use std::process::Command;

use crate::support::pty::Pty;
use crate::support::*;

fn on_terminal(env: &Env, server: &FakeSaymon, args: &[&str]) -> Pty {
    let mut cmd = env.terminal_cmd();
    cmd.env("SAYMON_CA_CERT", &server.ca_file).args(args);
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
    // Only the bare reachability check before any question: nothing with credentials.
    for seen in server.seen() {
        assert_eq!(seen.path, "/node/api/version/hash");
        assert_eq!((seen.query, seen.basic_login), (None, None));
    }
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
    // Three tries, as sudo gives; then one clear error.
    for round in 1..=3 {
        term.expect_times("Password for admin", round);
        term.wait_for_hidden_input();
        term.send("mistyped-canary\n");
    }
    assert_eq!(term.wait(), 4, "{}", term.screen);
    assert_eq!(
        term.screen.matches("Sorry, try again.").count(),
        2,
        "{}",
        term.screen
    );
    assert_eq!(server.token_creations(), 0);
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
            .contains("{\r\n  \"id\": \"1\",\r\n  \"name\": \"Server room\","),
        "{:?}",
        term.screen
    );
    let mut term = on_terminal(&env, &server, &["api", "--raw", "objects/1"]);
    assert_eq!(term.wait(), 0, "{}", term.screen);
    assert!(
        term.screen
            .contains(r#"{"id":"1","name":"Server room","class_id":"2"}"#),
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

/// `saymon ARGS` on a terminal, logged in, with TERM and NO_COLOR as given.
fn run_on_terminal(
    env: &Env,
    server: &FakeSaymon,
    args: &[&str],
    colour: (&str, Option<&str>),
) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_saymon"));
    cmd.env_clear()
        .env("HOME", env.home())
        .env("TERM", colour.0)
        .env("RUST_BACKTRACE", "0")
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_CA_CERT", &server.ca_file)
        .args(args);
    if let Some(no_color) = colour.1 {
        cmd.env("NO_COLOR", no_color);
    }
    let mut term = Pty::spawn(cmd);
    let code = term.wait();
    (code, term.screen.replace("\r\n", "\n"))
}

#[test]
fn errors_are_coloured_only_where_colour_is_wanted() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let whoami = ["--profile", "nobody", "whoami"];
    let red = "saymon: \u{1b}[31merror\u{1b}[0m: not logged in";
    // An empty NO_COLOR does not count (no-color.org).
    for no_color in [None, Some("")] {
        let (code, screen) = run_on_terminal(&env, &server, &whoami, ("xterm", no_color));
        assert_eq!(code, 3);
        assert!(screen.contains(red), "{no_color:?}: {screen:?}");
    }
    for colour in [("xterm", Some("1")), ("dumb", None)] {
        let (_, screen) = run_on_terminal(&env, &server, &whoami, colour);
        assert!(
            screen.contains("saymon: error: not logged in"),
            "{colour:?}: {screen:?}"
        );
        assert!(!screen.contains('\u{1b}'), "{colour:?}: {screen:?}");
    }
}

#[test]
fn json_at_a_terminal_is_pretty_in_the_servers_key_order() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let plain = ("dumb", Some("1"));
    // The fake sends id, name, class_id: sorted keys would put class_id first.
    let (code, screen) = run_on_terminal(&env, &server, &["api", "objects"], plain);
    assert_eq!(code, 0, "{screen}");
    let (id, name, class) = (
        screen.find("\"id\"").unwrap(),
        screen.find("\"name\"").unwrap(),
        screen.find("\"class_id\"").unwrap(),
    );
    assert!(id < name && name < class, "{screen}");
    assert!(
        screen.starts_with("[\n  {\n    \"id\": \"1\","),
        "{screen:?}"
    );
    // An error's body: pretty too, its line ended before the error line.
    let (code, screen) = run_on_terminal(&env, &server, &["api", "objects/999"], plain);
    assert_eq!(code, 6);
    assert!(
        screen.starts_with("{\n  \"code\": \"NotFound\",\n  \"message\": \"Object not found.\"\n}\nsaymon: error: the server answered 404"),
        "{screen:?}"
    );
    // --paginate: one pretty array, written as pages arrive.
    let (code, screen) = run_on_terminal(
        &env,
        &server,
        &["api", "incidents", "--paginate", "--page-size", "100"],
        plain,
    );
    assert_eq!(code, 0, "{screen}");
    assert!(screen.starts_with("[\n  {\n    \"id\": 0,\n"), "{screen:?}");
    assert!(screen.trim_end().ends_with("}\n]"), "{screen:?}");
    assert_eq!(screen.matches("\"name\": \"incident").count(), 250);
}

/// `login` on a terminal with the server and login given: only the password is asked.
fn password_login(env: &Env, server: &FakeSaymon) -> Pty {
    let args = [
        "login",
        "--server",
        &server.url,
        "--login",
        LOGIN,
        "--store",
        "file",
    ];
    on_terminal(env, server, &args)
}

/// Whether the terminal echoes input now.
fn echoes(term: &Pty) -> bool {
    // SAFETY: tcgetattr fills the zeroed struct; the master reports the pty's modes.
    let mut modes: libc::termios = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::tcgetattr(term.fd(), &mut modes) }, 0);
    modes.c_lflag & libc::ECHO != 0
}

#[test]
fn a_password_typed_the_instant_the_prompt_appears_is_not_echoed() {
    let server = FakeSaymon::start();
    for round in 0..5 {
        let env = Env::new();
        let mut term = password_login(&env, &server);
        term.expect("Password for admin on");
        term.expect(": ");
        // No waiting for the echo to go off: it must be off before the prompt shows.
        term.send(&format!("{PASSWORD}\n"));
        assert_eq!(term.wait(), 0, "round {round}: {}", term.screen);
        assert!(
            !term.screen.contains(PASSWORD),
            "round {round}: the password was echoed:\n{}",
            term.screen
        );
    }
}

#[test]
fn ctrl_c_at_the_password_prompt_gives_the_terminal_its_echo_back() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let mut term = password_login(&env, &server);
    term.expect("Password for admin on");
    term.wait_for_hidden_input();
    term.send("\u{3}");
    let code = term.wait();
    assert_ne!(code, 0, "{}", term.screen);
    assert!(echoes(&term), "echo is still off after Ctrl-C");
    assert_eq!(server.token_creations(), 0);
}

#[test]
fn a_mistyped_password_is_asked_again_and_the_next_one_works() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let mut term = password_login(&env, &server);
    term.expect("Password for admin");
    term.wait_for_hidden_input();
    term.send("mistyped-canary\n");
    term.expect("Sorry, try again.");
    term.wait_for_hidden_input();
    term.send(&format!("{PASSWORD}\n"));
    assert_eq!(term.wait(), 0, "{}", term.screen);
    assert!(term.screen.contains("Logged in to"), "{}", term.screen);
    assert_eq!(server.token_creations(), 1);
}

#[test]
fn an_untrusted_server_is_named_before_the_password_is_asked_for() {
    let server = FakeSaymon::start();
    let env = Env::new();
    // No SAYMON_CA_CERT: the test CA is unknown here.
    let mut cmd = env.terminal_cmd();
    cmd.args([
        "login",
        "--server",
        &server.url,
        "--login",
        LOGIN,
        "--store",
        "file",
    ]);
    let mut term = Pty::spawn(cmd);
    // Trust on first use asks first; declined, the certificate's error ends the login.
    term.expect("Trust this certificate for");
    term.send("\n");
    assert_eq!(term.wait(), 5, "{}", term.screen);
    assert!(term.screen.contains("is not trusted"), "{}", term.screen);
    assert!(!term.screen.contains("Password for"), "{}", term.screen);
}

#[test]
fn time_spent_typing_the_password_does_not_count_against_timeout() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let args = [
        "--timeout",
        "1",
        "login",
        "--server",
        &server.url,
        "--login",
        LOGIN,
        "--store",
        "file",
    ];
    let mut term = on_terminal(&env, &server, &args);
    term.expect("Password for admin");
    term.wait_for_hidden_input();
    // A person takes longer than --timeout to type; the server answers at once.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    term.send(&format!("{PASSWORD}\n"));
    assert_eq!(term.wait(), 0, "{}", term.screen);
    assert!(term.screen.contains("Logged in to"), "{}", term.screen);
}

#[test]
fn time_spent_typing_the_password_for_a_refresh_does_not_count_against_timeout() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    // Another login replaced the stored token: --if-invalid's check fails, the password is asked.
    Env::new().login_file(&server);
    let mut term = on_terminal(
        &env,
        &server,
        &["--timeout", "1", "token", "refresh", "--if-invalid"],
    );
    term.expect("Password for admin");
    term.wait_for_hidden_input();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    term.send(&format!("{PASSWORD}\n"));
    assert_eq!(term.wait(), 0, "{}", term.screen);
    assert!(
        term.screen.contains("Refreshed the token"),
        "{}",
        term.screen
    );
}

#[test]
fn the_store_question_never_shows_a_password_typed_into_it() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let mut term = on_terminal(
        &env,
        &server,
        &["--server", &server.url, "login", "--login", LOGIN],
    );
    term.expect("Before any password is asked: where should the new token be kept?");
    term.expect("[y/N] ");
    // Someone expecting the password prompt types the password here.
    term.send("hunter2-typed-here\n");
    term.expect("Please answer yes or no");
    term.expect_times("[y/N] ", 2);
    term.wait_for_hidden_input();
    term.send("y\n");
    term.expect("[y/N] yes");
    term.expect(&format!(
        "Password for admin on 127.0.0.1:{}: ",
        server.addr.port()
    ));
    term.wait_for_hidden_input();
    term.send(&format!("{PASSWORD}\n"));
    term.expect("Logged in to");
    assert_eq!(term.wait(), 0, "{}", term.screen);
    assert!(
        !term.screen.contains("hunter2-typed-here"),
        "the answer was echoed:\n{}",
        term.screen
    );
}

/// `saymon login` for the password only, run on a terminal by `sh -c SCRIPT`, in which
/// `"$0" "$@"` is that saymon command.
fn password_login_in_sh(env: &Env, server: &FakeSaymon, script: &str) -> Pty {
    let mut cmd = Command::new("sh");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.home())
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_CA_CERT", &server.ca_file)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .env("TERM", "dumb")
        .args(["-c", script, env!("CARGO_BIN_EXE_saymon")])
        .args([
            "login",
            "--server",
            &server.url,
            "--login",
            LOGIN,
            "--store",
            "file",
        ]);
    Pty::spawn(cmd)
}

#[test]
fn ctrl_d_at_the_password_prompt_cancels_as_ctrl_c_does() {
    let server = FakeSaymon::start();
    let env = Env::new();
    // What the shell says of each: 130, and no error (nothing failed: the person stopped).
    // (The trap keeps the shell itself alive on Ctrl-C; saymon gets SIGINT's default.)
    let script = "trap : INT; \"$0\" \"$@\"; echo \"status: $?\"";
    for key in ["\u{3}", "\u{4}"] {
        let mut term = password_login_in_sh(&env, &server, script);
        term.expect("Password for");
        term.wait_for_hidden_input();
        term.send(key);
        term.expect("status: ");
        assert_eq!(term.wait(), 0, "{key:?}: {}", term.screen);
        let prompt = term.screen.find("Password for").unwrap();
        let after = &term.screen[prompt..];
        let after = &after[after.find(": ").unwrap() + 2..];
        if key == "\u{4}" {
            // Ctrl-D ends the prompt's line (after Ctrl-C an interactive shell does).
            assert_eq!(after, "\r\nstatus: 130\r\n", "{}", term.screen);
        } else {
            assert_eq!(after.trim_start(), "status: 130\r\n", "{}", term.screen);
        }
        assert!(echoes(&term), "{key:?}: echo is still off");
    }
    assert_eq!(server.token_creations(), 0);
}

#[test]
fn ctrl_z_at_the_password_prompt_then_fg_keeps_the_password_hidden() {
    let server = FakeSaymon::start();
    let env = Env::new();
    // A shell with job control (`set -m`): Ctrl-Z stops saymon, the shell says so, then
    // `fg` continues it, as a person at an interactive shell does.
    let script = "set -m; \"$0\" \"$@\"; echo \"stopped: $?\"; fg";
    let mut term = password_login_in_sh(&env, &server, script);
    term.expect("Password for admin on");
    term.wait_for_hidden_input();
    term.send("half-canary");
    term.send("\u{1a}");
    term.expect("stopped: 148");
    // Continued: echo off again (without it, this waits in vain).
    term.wait_for_hidden_input();
    // The line typed before Ctrl-Z was dropped by the terminal: the rest alone is wrong.
    term.send("rest-canary\n");
    term.expect("Sorry, try again.");
    term.wait_for_hidden_input();
    term.send(&format!("{PASSWORD}\n"));
    term.expect("Logged in to");
    assert_eq!(term.wait(), 0, "{}", term.screen);
    for typed in ["half-canary", "rest-canary", PASSWORD] {
        assert!(
            !term.screen.contains(typed),
            "{typed} was echoed:\n{}",
            term.screen
        );
    }
    assert_eq!(server.token_creations(), 1);
}

#[test]
fn with_stderr_redirected_login_says_why_nothing_was_asked() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let log = env.dir.path().join("log");
    let mut cmd = Command::new("sh");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.home())
        .env("TERM", "dumb")
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .args(["-c", "exec \"$0\" login 2>\"$1\""])
        .arg(env!("CARGO_BIN_EXE_saymon"))
        .arg(&log);
    let mut term = Pty::spawn(cmd);
    assert_eq!(term.wait(), 2, "{}", term.screen);
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(
        stderr.contains(
            "no server given for profile default (nothing was asked: stderr is not a terminal"
        ),
        "{stderr}"
    );
    let _ = server;
}

#[test]
fn login_checks_the_server_before_the_first_question() {
    let server = FakeSaymon::start();
    let env = Env::new();
    // No --ca-cert: the test CA is unknown, which must show before "Login for …".
    let mut cmd = env.terminal_cmd();
    cmd.args(["--server", &server.url, "login"]);
    let mut term = Pty::spawn(cmd);
    // The certificate is the first question (trust on first use); declined, it ends here.
    term.expect("Trust this certificate for");
    term.send("n\n");
    assert_eq!(term.wait(), 5, "{}", term.screen);
    assert!(term.screen.contains("is not trusted"), "{}", term.screen);
    assert!(!term.screen.contains("Login for"), "{}", term.screen);
}
