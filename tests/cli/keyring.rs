//! The keyring store against a real Secret Service (gnome-keyring), checked with another
//! client (secret-tool). These tests are ignored by a plain `cargo test` (reported as
//! ignored, not as passing); `.ci/with-keyring cargo test -- --include-ignored` runs them,
//! as CI does, on a private Secret Service, never a developer's own keyring. Run without
//! one, they fail.

use std::process::Command as StdCommand;

use crate::support::*;
use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

mod bus;
mod crowded;
mod faults;

/// Why these tests are ignored unless asked for.
pub(super) const NEEDS: &str =
    "needs a Secret Service: run under .ci/with-keyring with --include-ignored";

/// A command that sees the test session's private D-Bus (and so its Secret Service).
pub(super) fn keyring_cmd(env: &Env, server: &FakeSaymon) -> Command {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").ok();
    let private = std::env::var("SAYMON_KEYRING_SESSION").as_deref() == Ok("1");
    match bus {
        Some(bus) if private => {
            let mut cmd = env.at(server);
            cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
            if let Some(dir) = std::env::var_os("XDG_RUNTIME_DIR") {
                cmd.env("XDG_RUNTIME_DIR", dir);
            }
            cmd
        }
        _ => panic!("no private Secret Service session: {NEEDS}"),
    }
}

/// What another client of the Secret Service sees for `account`.
pub(super) fn secret_tool_lookup(account: &str) -> Option<String> {
    let out = StdCommand::new("secret-tool")
        .args(["lookup", "service", "saymon", "username", account])
        .output()
        .expect("secret-tool (Debian package libsecret-tools) must be installed");
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn login_whoami_token_create_logout_in_the_keyring() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let mut login = keyring_cmd(&env, &server);
    // auto: the keyring answers, so it is used, without a question.
    login
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN])
        .assert()
        .success()
        .stderr(contains("token stored in the keyring"));
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    let token = server.token_of(LOGIN).unwrap();
    assert_eq!(
        secret_tool_lookup(&account).as_deref(),
        Some(token.as_str())
    );
    assert!(
        !env.credentials_file().exists(),
        "nothing in the file store"
    );
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    assert!(config.contains("store = \"keyring\""), "{config}");
    assert!(!config.contains(&token));

    keyring_cmd(&env, &server)
        .arg("whoami")
        .assert()
        .success()
        .stdout(contains("token from:   the keyring (profile default)"));
    keyring_cmd(&env, &server)
        .args(["token", "print"])
        .assert()
        .success()
        .stdout(format!("{token}\n"));

    // A new token replaces the keyring item too.
    keyring_cmd(&env, &server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "create"])
        .assert()
        .success()
        .stderr(contains("The stored token was replaced too"));
    let new = server.token_of(LOGIN).unwrap();
    assert_ne!(new, token);
    assert_eq!(secret_tool_lookup(&account).as_deref(), Some(new.as_str()));

    keyring_cmd(&env, &server)
        .arg("logout")
        .assert()
        .success()
        .stderr(format!(
            "Removed the token of {account} from the keyring (profile default).\nThe token still works on the server until it is replaced or revoked: `saymon logout --revoke` ends it there too.\n"
        ));
    assert_eq!(
        secret_tool_lookup(&account),
        None,
        "logout removed the item"
    );
    keyring_cmd(&env, &server)
        .args(["token", "print"])
        .assert()
        .code(3);
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn a_keyring_profile_without_dbus_is_exit_7_with_the_fix() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let mut login = keyring_cmd(&env, &server);
    login
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "keyring"])
        .assert()
        .success();
    // As cron runs it: no D-Bus session.
    env.cmd()
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains("no D-Bus session"))
        .stderr(contains("saymon login --store file"));
    // Cleanup, so the test keyring is left as found.
    keyring_cmd(&env, &server).arg("logout").assert().success();
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn switching_a_profile_to_the_file_store_removes_the_keyring_copy() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let mut login = keyring_cmd(&env, &server);
    login
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "keyring"])
        .assert()
        .success();
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    assert!(secret_tool_lookup(&account).is_some());
    keyring_cmd(&env, &server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--store", "file"])
        .assert()
        .success()
        .stderr(contains("token stored in the file"))
        .stderr(contains("which profile default used before"));
    assert_eq!(secret_tool_lookup(&account), None);
    env.cmd().arg("whoami").assert().success();
}

pub(super) fn login_remembering_the_password(env: &Env, server: &FakeSaymon) {
    keyring_cmd(env, server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "keyring"])
        .arg("--remember-password")
        .assert()
        .success();
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn a_remembered_password_lives_in_the_keyring_beside_the_token() {
    let server = FakeSaymon::start();
    let env = Env::new();
    login_remembering_the_password(&env, &server);
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    let out = StdCommand::new("secret-tool")
        .args(["lookup", "service", "saymon-password", "username", &account])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), PASSWORD);
    // Refresh with it, no input.
    keyring_cmd(&env, &server)
        .args(["-q", "token", "refresh"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert_eq!(secret_tool_lookup(&account), server.token_of(LOGIN));
    keyring_cmd(&env, &server)
        .arg("logout")
        .assert()
        .success()
        .stderr(contains("Removed the token and password"));
    let out = StdCommand::new("secret-tool")
        .args(["lookup", "service", "saymon-password", "username", &account])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the password is gone too");
    assert_eq!(secret_tool_lookup(&account), None);
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn profile_remove_forgets_the_keyring_items_then_the_profile() {
    let server = FakeSaymon::start();
    let env = Env::new();
    login_remembering_the_password(&env, &server);
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    assert!(secret_tool_lookup(&account).is_some());
    keyring_cmd(&env, &server)
        .args(["profile", "remove", "default"])
        .assert()
        .success()
        .stderr("Removed profile default and its token and password.\nNo profile is left: `saymon login --server URL` makes one.\n");
    assert_eq!(secret_tool_lookup(&account), None);
    let out = StdCommand::new("secret-tool")
        .args(["lookup", "service", "saymon-password", "username", &account])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the password is gone too");
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    assert!(!config.contains("[profiles.default]"), "{config}");
}

pub(super) fn secret_tool(args: &[&str], input: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut child = StdCommand::new("secret-tool")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("secret-tool (Debian package libsecret-tools) must be installed");
    let mut stdin = child.stdin.take().unwrap();
    if let Some(input) = input {
        stdin.write_all(input.as_bytes()).unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success() || args[0] == "lookup", "{out:?}");
    out
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn entries_of_other_clients_are_read_and_duplicates_named() {
    let server = FakeSaymon::start();
    let env = Env::new();
    keyring_cmd(&env, &server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "keyring"])
        .assert()
        .success();
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    let search = secret_tool(
        &["search", "--all", "service", "saymon", "username", &account],
        None,
    );
    let listed = String::from_utf8_lossy(&search.stdout);
    assert!(
        listed.contains(&format!("label = saymon token for {account}")),
        "{listed}"
    );

    // The item as another client (an older saymon, keyring-rs, secret-tool) writes it.
    let token = server.token_of(LOGIN).unwrap();
    secret_tool(&["clear", "service", "saymon", "username", &account], None);
    secret_tool(
        &[
            "store",
            "--label=written elsewhere",
            "service",
            "saymon",
            "username",
            &account,
        ],
        Some(&token),
    );
    keyring_cmd(&env, &server).arg("whoami").assert().success();
    // As `echo "$T" | secret-tool store …` leaves it: with a newline, trimmed on reading.
    secret_tool(&["clear", "service", "saymon", "username", &account], None);
    secret_tool(
        &[
            "store",
            "--label=echoed",
            "service",
            "saymon",
            "username",
            &account,
        ],
        Some(&format!("{token}\n")),
    );
    keyring_cmd(&env, &server)
        .args(["token", "print"])
        .assert()
        .success()
        .stdout(format!("{token}\n"));
    keyring_cmd(&env, &server).arg("whoami").assert().success();
    // One that cannot be a token is refused, named by its source, never sent.
    secret_tool(&["clear", "service", "saymon", "username", &account], None);
    secret_tool(
        &[
            "store",
            "--label=bad",
            "service",
            "saymon",
            "username",
            &account,
        ],
        Some("abc def&x=1"),
    );
    let before = server.seen().len();
    keyring_cmd(&env, &server)
        .arg("whoami")
        .assert()
        .code(1)
        .stderr(contains(format!(
            "the token from the keyring (account {account}) cannot be a SAYMON token"
        )))
        .stderr(contains("abc def").not());
    assert_eq!(server.seen().len(), before, "nothing was sent");
    secret_tool(&["clear", "service", "saymon", "username", &account], None);
    secret_tool(
        &[
            "store",
            "--label=written elsewhere",
            "service",
            "saymon",
            "username",
            &account,
        ],
        Some(&token),
    );
    let doctor = keyring_cmd(&env, &server).arg("doctor").output().unwrap();
    let report = String::from_utf8_lossy(&doctor.stdout);
    let keyring_line = report.lines().find(|l| l.contains(" keyring ")).unwrap();
    let words: Vec<&str> = keyring_line.split_whitespace().collect();
    assert_eq!(
        words[..5],
        ["✔", "keyring", "the", "keyring", "answered"],
        "{report}"
    );

    // A second item that matches too: named, not guessed between.
    secret_tool(
        &[
            "store",
            "--label=dup",
            "service",
            "saymon",
            "username",
            &account,
            "extra",
            "1",
        ],
        Some("other"),
    );
    let crowded = format!(
        "the keyring holds 2 items for the token of {account} (service saymon): 2 that other clients stored ("
    );
    keyring_cmd(&env, &server)
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains(crowded.as_str()))
        .stderr(contains(format!(
            "hint: none of them is saymon's: `secret-tool clear service saymon username {account}` removes them"
        )));
    // Found before a token is made: retrying after the POST could not mend it.
    let made = server.token_creations();
    keyring_cmd(&env, &server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "refresh"])
        .assert()
        .code(7)
        .stderr(contains("no token was created"))
        .stderr(contains(crowded.as_str()));
    assert_eq!(server.token_creations(), made);
    secret_tool(&["clear", "service", "saymon", "username", &account], None);
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn the_token_and_password_never_cross_the_bus_in_clear() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let capture = env.dir.path().join("bus-capture");
    // dbus-monitor (Debian package dbus-bin) sees every message on the session bus.
    let mut monitor = StdCommand::new("dbus-monitor")
        .args(["--session", "--binary"])
        .stdout(std::fs::File::create(&capture).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("dbus-monitor (Debian package dbus-bin) must be installed");
    // It is listening once it has written its own first message.
    for _ in 0..100 {
        if std::fs::metadata(&capture).unwrap().len() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    login_remembering_the_password(&env, &server);
    keyring_cmd(&env, &server).arg("whoami").assert().success();
    keyring_cmd(&env, &server).arg("logout").assert().success();
    std::thread::sleep(std::time::Duration::from_millis(300));
    monitor.kill().unwrap();
    monitor.wait().unwrap();
    let seen = std::fs::read(&capture).unwrap();
    let has = |needle: &[u8]| seen.windows(needle.len()).any(|w| w == needle);
    // The monitor saw our traffic…
    for member in ["OpenSession", "CreateItem", "GetSecret", "Delete"] {
        assert!(has(member.as_bytes()), "{member} not seen on the bus");
    }
    // …and neither secret in it.
    let token = server.token_of(LOGIN).unwrap();
    assert!(!has(token.as_bytes()), "the token crossed the bus in clear");
    assert!(
        !has(PASSWORD.as_bytes()),
        "the password crossed the bus in clear"
    );
}
