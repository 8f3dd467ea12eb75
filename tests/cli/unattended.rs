//! The other commands cron and CI run unattended (a cleared environment, no terminal, no
//! D-Bus): `exec` and its exit codes and signals, `status` that never shows a secret,
//! `token revoke` and `logout --revoke`.

use crate::support;

use std::process::{Command as StdCommand, Stdio};

use crate::support::*;
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn exec_passes_server_token_profile_and_the_exit_code() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron_login(&server, "prod");
    let token = server.token_of(LOGIN).unwrap();
    let seen = env.dir.path().join("seen");
    let script = format!(
        "printf '%s\\n' \"$SAYMON_SERVER\" \"$SAYMON_PROFILE\" \"$SAYMON_TOKEN\" > '{}'; echo out; echo err >&2; exit 42",
        seen.display()
    );
    env.cron()
        .args(["--profile", "prod", "exec", "--", "sh", "-c", &script])
        .assert()
        .code(42)
        .stdout("out\n")
        .stderr("err\n");
    let lines: Vec<String> = std::fs::read_to_string(&seen)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(lines, [server.url.clone(), "prod".into(), token.clone()]);

    // stdin is inherited; a signal is reported as a shell does (128 + N).
    env.cron()
        .args(["--profile", "prod", "exec", "--", "cat"])
        .write_stdin("piped")
        .assert()
        .success()
        .stdout("piped");
    env.cron()
        .args([
            "--profile",
            "prod",
            "exec",
            "--",
            "sh",
            "-c",
            "kill -TERM $$",
        ])
        .assert()
        .code(143);
    env.cron()
        .args(["--profile", "prod", "exec", "--", "no-such-command-saymon"])
        .assert()
        .code(127)
        .stderr(contains("cannot run no-such-command-saymon"))
        .stderr(contains(
            "hint: check the command's name and that it is on PATH",
        ));
    // -v says where the token came from, never the token.
    env.cron()
        .args(["-v", "--profile", "prod", "exec", "--", "true"])
        .assert()
        .success()
        .stderr(contains("SAYMON_TOKEN from the file"))
        .stderr(contains(token.as_str()).not());
    // Not logged in: exit 3 and the command does not run.
    env.cron()
        .args(["--profile", "nope", "exec", "--", "sh", "-c", "exit 9"])
        .assert()
        .code(3);
}

#[test]
fn status_in_text_and_json_never_shows_a_secret() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron_login(&server, "prod");
    // A second profile for a second user whose token the server then forgets.
    server.add_user(support::server::User {
        id: "5e21b752308c3c66d64e0777".into(),
        login: "bob".into(),
        email: "bob@example.com".into(),
        password: "bob-canary".into(),
        display_name: "Bob".into(),
        token: None,
    });
    env.cron()
        .args(["--profile", "old", "--server", &server.url, "--ca-cert"])
        .arg(&server.ca_file)
        .args([
            "login",
            "--login",
            "bob",
            "--store",
            "file",
            "--password-stdin",
        ])
        .write_stdin("bob-canary\n")
        .assert()
        .success();
    let bob_token = server.token_of("bob").unwrap();
    server.state.lock().unwrap().users[1].token = None;
    let token = server.token_of(LOGIN).unwrap();

    let out = env
        .cron()
        // Selected by SAYMON_PROFILE: every profile is listed (--profile would limit it).
        .env("SAYMON_PROFILE", "prod")
        .args(["status"])
        .assert()
        .success()
        .get_output()
        .clone();
    let (stdout, stderr) = outputs(&out);
    assert!(stdout.starts_with("PROFILE"), "{stdout}");
    let prod = stdout
        .lines()
        .find(|l| l.starts_with("*prod"))
        .expect(&stdout);
    assert!(
        prod.contains(&server.url) && prod.contains("admin") && prod.contains(USER_ID),
        "{prod}"
    );
    assert!(
        prod.contains("file") && prod.contains("works (as admin)"),
        "{prod}"
    );
    let old = stdout
        .lines()
        .find(|l| l.starts_with(" old"))
        .expect(&stdout);
    assert!(old.contains("rejected: the server answered 401"), "{old}");
    // A note for a person: on stderr, with the legend; stdout is the table alone.
    assert!(stderr.contains(&format!(
        "The file store is {}",
        env.cron_config_dir().join("credentials.toml").display()
    )));
    assert!(
        stderr.contains("* the profile commands use now"),
        "{stderr}"
    );
    assert!(!stdout.contains("The file store"), "{stdout}");
    for secret in [token.as_str(), bob_token.as_str(), PASSWORD, "bob-canary"] {
        assert!(!stdout.contains(secret) && !stderr.contains(secret));
    }

    let out = env
        .cron()
        // Selected by SAYMON_PROFILE: every profile is listed (--profile would limit it).
        .env("SAYMON_PROFILE", "prod")
        .args(["status", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    for secret in [token.as_str(), bob_token.as_str(), PASSWORD, "bob-canary"] {
        assert!(!text.contains(secret));
    }
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["selected"], "prod");
    let profiles = doc["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 2);
    let prod = profiles.iter().find(|p| p["name"] == "prod").unwrap();
    assert_eq!(prod["token"], "works");
    assert_eq!(prod["token_source"], "file");
    assert_eq!(prod["store"], "file");
    assert_eq!(prod["user_id"], USER_ID);
    assert_eq!(prod["default"], true);
    let old = profiles.iter().find(|p| p["name"] == "old").unwrap();
    assert_eq!(old["token"], "rejected");

    // The selected profile decides the exit code; SAYMON_TOKEN wins for it.
    env.cron()
        .args(["--profile", "old", "status"])
        .assert()
        .code(4);
    env.cron()
        .env("SAYMON_TOKEN", &token)
        .args(["--profile", "old", "status", "--output", "json"])
        .assert()
        .success()
        .stdout(contains("\"token_source\":\"environment\""));
    let seen = server.seen().len();
    env.cron()
        .args(["--profile", "old", "status", "--offline"])
        .assert()
        .success();
    assert_eq!(server.seen().len(), seen, "--offline asks no server");
    env.cron()
        .args(["--profile", "none", "status"])
        .assert()
        .code(3);
    drop(server);
}

#[test]
fn status_with_nothing_configured_is_exit_3_and_unreachable_is_5() {
    let env = Env::new();
    env.cron()
        .arg("status")
        .assert()
        .code(3)
        .stderr(contains("no profiles"));
    env.cron()
        .env("SAYMON_TOKEN", "t-canary")
        .args(["--server", "http://127.0.0.1:9", "status"])
        .assert()
        .code(5)
        .stdout(contains("unreachable"))
        .stderr(contains("t-canary").not());
}

#[test]
fn token_revoke_and_logout_revoke() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron_login(&server, "default");
    env.cron()
        .args(["token", "revoke"])
        .assert()
        .success()
        .stderr(contains("Revoked the token of"))
        .stderr(contains("removed it from the file"));
    assert_eq!(server.token_of(LOGIN), None, "revoked on the server");
    let last = server.seen().pop().unwrap();
    assert_eq!(
        (last.method.as_str(), last.basic_login),
        ("DELETE", None),
        "with the token"
    );
    env.cron().arg("whoami").assert().code(3);
    // With the token gone, the password revokes what the user has now.
    Env::new().login_file(&server);
    env.cron()
        .args(["token", "revoke", "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
    assert_eq!(server.token_of(LOGIN), None);
    assert_eq!(
        server.seen().pop().unwrap().basic_login.as_deref(),
        Some(LOGIN)
    );

    // logout --revoke: the server forgets the token, we forget token and password.
    env.cron().args(["token", "refresh"]).assert().success();
    env.cron()
        .args(["logout", "--revoke"])
        .assert()
        .success()
        .stderr(contains("Revoked the token"))
        .stderr(contains("Removed the password"));
    assert_eq!(server.token_of(LOGIN), None);
    let creds = std::fs::read_to_string(env.cron_config_dir().join("credentials.toml")).unwrap();
    assert!(
        !creds.contains(PASSWORD) && !creds.contains("token ="),
        "{creds}"
    );
    // A refused token: exit 4, and the stored one is kept for the user to deal with.
    env.cron_login(&server, "default");
    Env::new().login_file(&server);
    env.cron()
        .args(["token", "revoke"])
        .assert()
        .code(4)
        .stderr(contains("--password-stdin"));
    // logout --revoke with that dead token: the hint names what logout can do, and the
    // command that takes a password (logout itself takes none).
    env.cron()
        .args(["logout", "--revoke"])
        .assert()
        .code(4)
        .stderr(contains("`saymon logout` forgets it here"))
        .stderr(contains("`saymon token revoke --password-file FILE`"))
        .stderr(contains("give the password").not());
    env.cron()
        .args(["logout", "--password-file", "/dev/null"])
        .assert()
        .code(2);
    // Nothing stored: logout --revoke ends as logout does, exit 0.
    env.cron().arg("logout").assert().success();
    env.cron()
        .args(["logout", "--revoke"])
        .assert()
        .success()
        .stderr(contains("Nothing to remove"));
}

#[test]
fn exec_passes_sigterm_on_to_the_command() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron_login(&server, "default");
    let ready = env.dir.path().join("ready");
    let script = format!(
        // Bounded, so that a failing test leaves nothing running.
        "trap 'exit 9' TERM; touch '{}'; i=0; while [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done",
        ready.display()
    );
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_saymon"))
        .env_clear()
        .env("HOME", env.home())
        .args(["exec", "--", "sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !ready.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the command never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: kill with a pid we spawned.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(9),
        "the command's trap decided: {status:?}"
    );
}
