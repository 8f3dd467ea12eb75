//! Token rotation as cron runs it: a cleared environment (HOME and PATH only), no
//! terminal, no D-Bus, several jobs at once, and the README's crontab line itself.

use crate::support;

use std::process::{Command as StdCommand, Stdio};

use crate::support::*;
use predicates::str::contains;

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
    env.cron_login(&server, "default");
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
    env.cron_login(&server, "default");
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
    env.cron_login(&server, "default");
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
    env.cron_login(&server, "default");
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
    env.cron_login(&server, "default");
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
    env.cron_login(&server, "default");
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
fn the_readme_cron_recipe_needs_no_password_file_and_rotates_the_token_silently() {
    // The quick start's "Cron or systemd": its login line, run at a terminal as written
    // (whatever EDITOR holds: it needs none, and no password file), then its crontab line
    // as cron runs it. docs/unattended.md explains them.
    let readme = markdown::read("README.md");
    let section = markdown::section(&readme, "### Cron or systemd");
    let block = section
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
    let login = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README's cron recipe logs in")
        .replace("\\\n", " ");
    let login = login.split(" #").next().unwrap().trim();
    assert!(!login.contains("--password"), "no password file: {login}");

    let server = FakeSaymon::start();
    let env = Env::new();
    // As written, but for what only a real server has (its name and a public CA: here the
    // test server's URL and CA) and its user for robot; the config where cron finds it.
    let mut words = login.split_whitespace();
    assert_eq!(words.next(), Some("saymon"));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.home())
        .env("EDITOR", "code --wait")
        .env("NO_COLOR", "1")
        .env("TERM", "dumb");
    for word in words {
        match word {
            "https://saymon.example.com" => cmd.arg(&server.url),
            "robot" => cmd.arg(LOGIN),
            "login" => cmd.arg("--ca-cert").arg(&server.ca_file).arg(word),
            _ => cmd.arg(word),
        };
    }
    let mut term = support::pty::Pty::spawn(cmd);
    term.expect("Password for admin on");
    term.wait_for_hidden_input();
    term.send(&format!("{PASSWORD}\n"));
    assert_eq!(term.wait(), 0, "{}", term.screen);
    assert!(
        std::fs::read_to_string(env.cron_config_dir().join("credentials.toml"))
            .unwrap()
            .contains("password"),
        "the password is remembered in the store"
    );
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
