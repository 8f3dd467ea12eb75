//! The keyring when it fails: locked, stopped right after the token POST, stalled by
//! SIGSTOP while a token waits to be stored, and a password that cannot be remembered
//! beside a stored token. Each test runs its own gnome-keyring when it must stop it.

use std::process::Command as StdCommand;

use super::*;
use predicates::str::contains;

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn a_locked_keyring_is_exit_7_at_once_with_the_way_out() {
    // Locking the shared test session's keyring would fail the tests beside this one, so it
    // starts a Secret Service of its own (.ci/with-keyring, outside the current session).
    let env = Env::new();
    env.write_keyring_profile("https://saymon.example", LOGIN);
    let script = r#"
        printf tok | secret-tool store --label=t service saymon username admin@saymon.example
        dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
            org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
        "$SAYMON_BIN" token print
    "#;
    let out = own_keyring(&env, script, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains(
            "the keyring is locked or refused access: it is locked, and its unlock prompt was dismissed"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: unlock it in your desktop session"),
        "{stderr}"
    );
}

/// Run `script` (bash) with a Secret Service of its own (.ci/with-keyring outside the
/// current session), for tests that lock or stop it, which would fail the tests beside
/// them on the shared one. `$SAYMON_BIN` is saymon, `$SAYMON_KEYRING_DAEMON` the daemon's
/// pid; the config dir is `env`'s.
fn own_keyring(env: &Env, script: &str, vars: &[(&str, &str)]) -> std::process::Output {
    StdCommand::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/with-keyring"))
        .args(["bash", "-c", script])
        .env_remove("SAYMON_KEYRING_SESSION")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("SAYMON_TOKEN")
        .env("SAYMON_BIN", env!("CARGO_BIN_EXE_saymon"))
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("HOME", env.home())
        .env("RUST_BACKTRACE", "0")
        .envs(vars.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// The cue: when the server creates its second token, the keyring daemon (its pid in
/// `pid_file`, written by the script from `$SAYMON_KEYRING_DAEMON`) stops, before saymon
/// can store the token.
fn stop_the_keyring_at_the_second_token(server: &FakeSaymon, pid_file: &std::path::Path) {
    let made = std::sync::atomic::AtomicUsize::new(0);
    let pid_path = pid_file.to_path_buf();
    server.state.lock().unwrap().on_token_created = Some(Box::new(move || {
        if made.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 1 {
            let pid: i32 = std::fs::read_to_string(&pid_path)
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            // SAFETY: a plain kill(2) of the test's own keyring daemon.
            assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0);
        }
    }));
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn a_token_made_as_the_keyring_stops_is_rescued_used_and_moved() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let pid_file = env.dir.path().join("daemon.pid");
    // The cue: the second token (the refresh's) is created, and before saymon can store
    // it the keyring daemon stops.
    stop_the_keyring_at_the_second_token(&server, &pid_file);
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    let script = r#"
        echo "$SAYMON_KEYRING_DAEMON" > "$PID_FILE"
        "$SAYMON_BIN" login --login admin --store keyring --remember-password 2>/dev/null || exit 10
        unset SAYMON_PASSWORD
        "$SAYMON_BIN" --timeout 2 token refresh; echo "refresh=$?"
        "$SAYMON_BIN" whoami; echo "whoami=$?"
        "$SAYMON_BIN" token print; echo "print=$?"
        kill -CONT "$SAYMON_KEYRING_DAEMON"
        "$SAYMON_BIN" login --store keyring; echo "move=$?"
        echo "keyring=$(secret-tool lookup service saymon username "$ACCOUNT")"
        "$SAYMON_BIN" whoami; echo "whoami=$?"
        # The move kept the remembered password: the next unattended refresh works.
        "$SAYMON_BIN" -q token refresh; echo "refresh=$?"
    "#;
    let out = own_keyring(
        &env,
        script,
        &[
            ("PID_FILE", pid_file.to_str().unwrap()),
            ("ACCOUNT", &account),
            ("SAYMON_SERVER", &server.url),
            ("SAYMON_CA_CERT", server.ca_file.to_str().unwrap()),
            ("SAYMON_PASSWORD", PASSWORD),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The refresh's token (the second) was rescued and moved; the last refresh made the third.
    let token = server.issued()[1].clone();
    assert_eq!(
        server.token_creations(),
        3,
        "the move made no token\n{stderr}"
    );
    assert!(stdout.contains("refresh=7"), "{stdout}\n{stderr}");
    assert!(stdout.contains("refresh=0"), "{stdout}\n{stderr}");
    let rescue = env.config_dir().join("rescued-tokens.toml");
    assert!(
        stderr.contains(&format!(
            "it is kept in the file {} (mode 0600), and saymon uses it from there",
            rescue.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("trying once more"), "{stderr}");
    assert!(
        stderr.contains("hint: once the keyring works again, run `saymon login --store keyring`"),
        "{stderr}"
    );
    // While the daemon is stopped, the rescued token is used, and said to be.
    assert!(
        stdout.contains(&format!(
            "token from:   the rescue file {}",
            rescue.display()
        )),
        "{stdout}"
    );
    assert!(stdout.contains("whoami=0\n"), "{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("{token}\nprint=0")), "{stdout}");
    // Moved, without a new token, and used from the keyring.
    assert!(stdout.contains("move=0"), "{stdout}\n{stderr}");
    assert!(
        stderr
            .contains("Moved the rescued token of admin into the keyring; no new token was made."),
        "{stderr}"
    );
    assert!(stdout.contains(&format!("keyring={token}\n")), "{stdout}");
    assert!(
        stdout.contains("token from:   the keyring (profile default)"),
        "{stdout}"
    );
    assert!(!stdout.contains("whoami=4"), "{stdout}");
    let left = std::fs::read_to_string(&rescue).unwrap_or_default();
    assert!(
        !left.contains(&token),
        "the rescue file keeps no moved token"
    );
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn six_keyring_profiles_with_a_stopped_daemon_wait_once() {
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let mut config = String::new();
    for n in 1..=6 {
        config.push_str(&format!(
            "[profiles.p{n}]\nserver = \"https://127.0.0.1:1\"\nlogin = \"admin\"\nstore = \"keyring\"\n"
        ));
    }
    std::fs::write(env.config_file(), config).unwrap();
    let script = r#"
        secret-tool search --all service saymon >/dev/null 2>&1
        kill -STOP "$SAYMON_KEYRING_DAEMON"
        ms() { date +%s%3N; }
        t=$(ms); "$SAYMON_BIN" --timeout 2 status --offline; echo "status=$? $(( $(ms) - t )) ms"
        t=$(ms); "$SAYMON_BIN" --timeout 2 doctor --all; echo "doctor=$? $(( $(ms) - t )) ms"
        kill -CONT "$SAYMON_KEYRING_DAEMON"
    "#;
    let out = own_keyring(&env, script, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let took = |what: &str| -> u64 {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{what}=")))
            .unwrap_or_else(|| panic!("{stdout}\n{stderr}"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    // One wait of --timeout for the run, not one for each of the six profiles (12 s).
    assert!(took("status") < 5000, "{stdout}\n{stderr}");
    assert!(took("doctor") < 5000, "{stdout}\n{stderr}");
    let said = stdout.matches("the keyring did not answer within").count()
        + stderr.matches("the keyring did not answer within").count();
    assert!(
        said >= 12,
        "each profile's row says so:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("earlier in this run"),
        "the later rows say it at once:\n{stdout}"
    );
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn a_password_that_cannot_be_remembered_beside_a_stored_token_says_the_token_is_safe() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    // Two password items for the account: the keyring cannot tell which to update.
    for extra in ["1", "2"] {
        secret_tool(
            &[
                "store",
                "--label=dup",
                "service",
                "saymon-password",
                "username",
                &account,
                "extra",
                extra,
            ],
            Some("old"),
        );
    }
    keyring_cmd(&env, &server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "keyring"])
        .arg("--remember-password")
        .assert()
        .code(7)
        .stderr(contains(
            "the new token is stored in the keyring, but the password could not be remembered there: the keyring holds 2 items for the password of",
        ))
        .stderr(contains("hint: the token works"));
    assert_eq!(secret_tool_lookup(&account), server.token_of(LOGIN));
    keyring_cmd(&env, &server).arg("whoami").assert().success();
    secret_tool(
        &["clear", "service", "saymon-password", "username", &account],
        None,
    );
    keyring_cmd(&env, &server).arg("logout").assert().success();
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn a_token_survives_sigterm_while_the_keyring_stalls_and_logout_removes_it() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let pid_file = env.dir.path().join("daemon.pid");
    stop_the_keyring_at_the_second_token(&server, &pid_file);
    // Killed while it waits for the stopped keyring, as cron's timeout(1) would.
    let script = r#"
        echo "$SAYMON_KEYRING_DAEMON" > "$PID_FILE"
        "$SAYMON_BIN" login --login admin --store keyring 2>/dev/null || exit 10
        "$SAYMON_BIN" --timeout 5 token refresh 2>/dev/null &
        pid=$!
        sleep 2
        kill -TERM "$pid"; wait "$pid"; echo "refresh=$?"
        "$SAYMON_BIN" whoami; echo "whoami=$?"
        "$SAYMON_BIN" --timeout 1 logout; echo "logout=$?"
        kill -CONT "$SAYMON_KEYRING_DAEMON"
    "#;
    let out = own_keyring(
        &env,
        script,
        &[
            ("PID_FILE", pid_file.to_str().unwrap()),
            ("SAYMON_SERVER", &server.url),
            ("SAYMON_CA_CERT", server.ca_file.to_str().unwrap()),
            ("SAYMON_PASSWORD", PASSWORD),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(server.token_creations(), 2, "{stdout}\n{stderr}");
    assert!(stdout.contains("refresh=143"), "{stdout}\n{stderr}");
    // The token the killed refresh made is in the rescue file, and works.
    assert!(
        stdout.contains("token from:   the rescue file"),
        "{stdout}\n{stderr}"
    );
    assert!(stdout.contains("whoami=0"), "{stdout}\n{stderr}");
    // logout cannot reach the keyring, but the rescue file is a plain file: it is emptied.
    assert!(stdout.contains("logout=7"), "{stdout}\n{stderr}");
    let token = server.token_of(LOGIN).unwrap();
    let rescue =
        std::fs::read_to_string(env.config_dir().join("rescued-tokens.toml")).unwrap_or_default();
    assert!(!rescue.contains(&token), "{rescue}");
}
