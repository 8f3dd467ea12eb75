//! Unattended use as cron and CI run it: a cleared environment (HOME and PATH only), no
//! terminal, no D-Bus, several jobs at once.

use crate::support;

use std::process::{Command as StdCommand, Stdio};

use crate::support::*;
use predicates::prelude::*;
use predicates::str::contains;

/// `login --store file --remember-password` the way a cron set-up script would run it.
fn cron_login(env: &Env, server: &FakeSaymon, profile: &str) {
    env.cron()
        .args(["--profile", profile, "--server", &server.url, "--ca-cert"])
        .arg(&server.ca_file)
        .args([
            "login",
            "--login",
            LOGIN,
            "--store",
            "file",
            "--remember-password",
            "--password-stdin",
        ])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
}

fn credentials(env: &Env) -> toml::Table {
    let path = env.cron_config_dir().join("credentials.toml");
    std::fs::read_to_string(path).unwrap().parse().unwrap()
}

fn account(server: &FakeSaymon) -> String {
    format!("admin@127.0.0.1:{}", server.addr.port())
}

#[test]
fn refresh_with_the_remembered_password_replaces_the_token_and_prints_none() {
    let server = FakeSaymon::start();
    let env = Env::new();
    cron_login(&env, &server, "default");
    let creds = credentials(&env);
    assert_eq!(
        creds["accounts"][&account(&server)]["password"].as_str(),
        Some(PASSWORD)
    );
    assert_eq!(mode(&env.cron_config_dir().join("credentials.toml")), 0o600);
    let old = server.token_of(LOGIN).unwrap();

    let out = env
        .cron()
        .args(["token", "refresh"])
        .assert()
        .success()
        .stdout("")
        .stderr(contains("The old token no longer works"))
        .get_output()
        .clone();
    let new = server.token_of(LOGIN).unwrap();
    assert_ne!(old, new);
    let (_, stderr) = outputs(&out);
    assert!(!stderr.contains(&new) && !stderr.contains(&old) && !stderr.contains(PASSWORD));
    assert_eq!(
        credentials(&env)["accounts"][&account(&server)]["token"].as_str(),
        Some(new.as_str())
    );
    // The password stays remembered.
    assert_eq!(
        credentials(&env)["accounts"][&account(&server)]["password"].as_str(),
        Some(PASSWORD)
    );
    // -q: nothing at all for cron to mail.
    env.cron()
        .args(["-q", "token", "refresh"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    env.cron().arg("whoami").assert().success();
}

#[test]
fn refresh_if_invalid_makes_a_token_only_when_the_old_one_is_refused() {
    let server = FakeSaymon::start();
    let env = Env::new();
    cron_login(&env, &server, "default");
    assert_eq!(server.token_creations(), 1);
    env.cron()
        .args(["token", "refresh", "--if-invalid"])
        .assert()
        .success()
        .stderr(contains("still works"));
    assert_eq!(
        server.token_creations(),
        1,
        "no new token while the old one works"
    );

    // Someone else makes a token: ours is dead now.
    Env::new().login_file(&server);
    assert_eq!(server.token_creations(), 2);
    env.cron().arg("whoami").assert().code(4);
    env.cron()
        .args(["token", "refresh", "--if-invalid", "--output", "json"])
        .assert()
        .success()
        .stdout(contains("\"refreshed\":true"));
    assert_eq!(server.token_creations(), 3);
    env.cron().arg("whoami").assert().success();

    // A server that cannot be reached is not a refused token: exit 5, nothing made.
    server.set_mode(Mode::Html502);
    env.cron()
        .args(["token", "refresh", "--if-invalid"])
        .assert()
        .code(1)
        .stderr(contains("502 Bad Gateway"));
    assert_eq!(server.token_creations(), 3);
}

#[test]
fn without_remember_password_refresh_needs_a_password_and_says_how() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron()
        .args(["--server", &server.url, "--ca-cert"])
        .arg(&server.ca_file)
        .args([
            "login",
            "--login",
            LOGIN,
            "--store",
            "file",
            "--password-stdin",
        ])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
    assert!(
        credentials(&env)["accounts"][&account(&server)]
            .get("password")
            .is_none()
    );
    env.cron()
        .args(["token", "refresh"])
        .assert()
        .code(3)
        .stderr(contains("no password remembered"))
        .stderr(contains("--remember-password"));
    // A password file works instead.
    let file = env.dir.path().join("pw");
    std::fs::write(&file, PASSWORD).unwrap();
    support::chmod(&file, 0o600);
    env.cron()
        .args(["token", "refresh", "--password-file"])
        .arg(&file)
        .assert()
        .success();
    // A later login without the flag forgets a remembered password.
    cron_login(&env, &server, "default");
    env.cron()
        .args(["--server", &server.url, "login", "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success()
        .stderr(contains("Forgot the password remembered"));
    assert!(
        credentials(&env)["accounts"][&account(&server)]
            .get("password")
            .is_none()
    );
}

#[test]
fn a_changed_password_is_exit_4_with_the_fix() {
    let server = FakeSaymon::start();
    let env = Env::new();
    cron_login(&env, &server, "default");
    server.state.lock().unwrap().users[0].password = "changed".into();
    env.cron()
        .args(["token", "refresh"])
        .assert()
        .code(4)
        .stderr(contains("Invalid login or password."))
        .stderr(contains("--remember-password"));
}

#[test]
fn twenty_refreshes_at_once_all_succeed_and_leave_the_working_token() {
    let server = FakeSaymon::start();
    let env = Env::new();
    cron_login(&env, &server, "default");
    let children: Vec<_> = (0..20)
        .map(|_| {
            StdCommand::new(env!("CARGO_BIN_EXE_saymon"))
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", env.home())
                .args(["-q", "token", "refresh"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty() && out.stderr.is_empty());
    }
    assert_eq!(server.token_creations(), 21);
    let stored = credentials(&env)["accounts"][&account(&server)]["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        Some(stored),
        server.token_of(LOGIN),
        "the store holds the token the server accepts"
    );
    env.cron().arg("whoami").assert().success();
    // No temp files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(env.cron_config_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn twenty_if_invalid_refreshes_at_once_make_one_token() {
    let server = FakeSaymon::start();
    let env = Env::new();
    cron_login(&env, &server, "default");
    Env::new().login_file(&server); // ours is dead now
    let before = server.token_creations();
    let children: Vec<_> = (0..20)
        .map(|_| {
            StdCommand::new(env!("CARGO_BIN_EXE_saymon"))
                .env_clear()
                .env("HOME", env.home())
                .args(["-q", "token", "refresh", "--if-invalid"])
                .stdin(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    assert_eq!(server.token_creations(), before + 1);
    env.cron().arg("whoami").assert().success();
}

#[test]
fn a_keyring_profile_under_cron_is_exit_7_with_the_switch() {
    let server = FakeSaymon::start();
    let env = Env::new();
    std::fs::create_dir_all(env.cron_config_dir()).unwrap();
    std::fs::write(
        env.cron_config_dir().join("config.toml"),
        format!(
            "default_profile = \"prod\"\n[profiles.prod]\nserver = \"{}\"\nlogin = \"admin\"\nuser_id = \"{USER_ID}\"\nstore = \"keyring\"\n",
            server.url
        ),
    )
    .unwrap();
    for args in [
        &["token", "refresh"][..],
        &["whoami"],
        &["token", "print"],
        &["exec", "--", "true"],
    ] {
        env.cron()
            .args(args)
            .assert()
            .code(7)
            .stderr(contains("the keyring cannot be reached"))
            .stderr(contains("saymon login --store file"));
    }
    env.cron()
        .arg("status")
        .assert()
        .code(7)
        .stdout(contains("store unusable: the keyring cannot be reached"))
        .stderr(contains("its store cannot be used"));
}

#[test]
fn exec_passes_server_token_profile_and_the_exit_code() {
    let server = FakeSaymon::start();
    let env = Env::new();
    cron_login(&env, &server, "prod");
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
    cron_login(&env, &server, "prod");
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
    assert!(stdout.contains(&format!(
        "The file store is {}",
        env.cron_config_dir().join("credentials.toml").display()
    )));
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
    cron_login(&env, &server, "default");
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
    cron_login(&env, &server, "default");
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
fn the_readme_crontab_line_rotates_the_token_silently() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("```crontab\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a ```crontab block");
    let line = block.lines().find(|l| !l.trim().is_empty()).unwrap();
    // Five schedule fields, then the command, which cron runs with sh.
    let command = line
        .split_whitespace()
        .skip(5)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(command.contains("token refresh"), "{command}");

    let server = FakeSaymon::start();
    let env = Env::new();
    cron_login(&env, &server, "prod");
    let old = server.token_of(LOGIN).unwrap();
    // Installed where `cargo install` puts it.
    let bin = env.home().join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_saymon"), bin.join("saymon")).unwrap();
    let out = StdCommand::new("sh")
        .args(["-c", &command])
        .env_clear()
        .env("HOME", env.home())
        .env("PATH", "/usr/bin:/bin")
        .env("SHELL", "/bin/sh")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "cron would mail this"
    );
    assert_ne!(server.token_of(LOGIN).unwrap(), old, "rotated");
    env.cron()
        .args(["--profile", "prod", "whoami"])
        .assert()
        .success();
}

#[test]
fn exec_passes_sigterm_on_to_the_command() {
    let server = FakeSaymon::start();
    let env = Env::new();
    cron_login(&env, &server, "default");
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
