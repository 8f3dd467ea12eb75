//! The everyday commands end to end (`token create | print`, `whoami`, `logout`, the
//! config and credentials files, `-v`, usage errors, a keyring that fails): the real
//! binary against the fake SAYMON server over HTTPS, with the file store in a temp dir and
//! no D-Bus, no terminal, a cleared environment. `login` has its own module.

use crate::support;

use crate::support::*;
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn token_create_prints_the_token_and_replaces_the_stored_one() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let old = server.token_of(LOGIN).unwrap();
    let out = env
        .at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "create"])
        .assert()
        .success()
        .stderr(contains("previous token no longer works"))
        .stderr(contains("The stored token was replaced too"))
        .get_output()
        .clone();
    let new = server.token_of(LOGIN).unwrap();
    assert_ne!(old, new);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{new}\n"));
    env.cmd()
        .args(["token", "print"])
        .assert()
        .stdout(format!("{new}\n"));
    env.cmd().arg("whoami").assert().success();
    // The old token is dead on the server.
    env.at(&server)
        .env("SAYMON_TOKEN", &old)
        .arg("whoami")
        .assert()
        .code(4)
        .stderr(contains("Invalid API token. (Unauthorized)"))
        .stderr(contains("SAYMON_TOKEN was refused"));
}

#[test]
fn token_create_save_makes_a_profile() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args([
            "--profile",
            "ci",
            "token",
            "create",
            "--login",
            LOGIN,
            "--save",
            "--store",
            "file",
        ])
        .assert()
        .success()
        .stderr(contains("Stored it: profile ci now uses the new token"));
    let token = server.token_of(LOGIN).unwrap();
    env.cmd()
        .args(["--profile", "ci", "token", "print"])
        .assert()
        .stdout(format!("{token}\n"));
    // Without --save and without a profile for this user, nothing is stored.
    let env2 = Env::new();
    env2.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "create", "--login", LOGIN, "--output", "json"])
        .assert()
        .success()
        .stdout(contains("\"token\":"));
    assert!(!env2.config_file().exists());
    assert!(!env2.credentials_file().exists());
}

#[test]
fn token_for_another_user_is_refused_with_the_reason() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args([
            "token",
            "create",
            "--login",
            LOGIN,
            "--user-id",
            "5e21b752308c3c66d64e0999",
        ])
        .assert()
        .code(1)
        .stderr(contains("404 Not Found: User not found. (NotFound)"));
    server.add_user(support::server::User {
        id: "5e21b752308c3c66d64e0777".into(),
        login: "bob".into(),
        email: "bob@example.com".into(),
        password: "x".into(),
        display_name: "Bob".into(),
        token: None,
    });
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args([
            "token",
            "create",
            "--login",
            LOGIN,
            "--user-id",
            "5e21b752308c3c66d64e0777",
        ])
        .assert()
        .code(4)
        .stderr(contains("Permission 'manage-users' required."))
        .stderr(contains("hint: user admin may not create this token"));
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "create", "--login", LOGIN, "--user-id", "../x"])
        .assert()
        .code(2)
        .stderr(contains("invalid user id"));
}

#[test]
fn token_print_sources_and_not_logged_in() {
    let env = Env::new();
    env.cmd()
        .args(["token", "print"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(contains("not logged in"))
        .stderr(contains("saymon login"));
    env.cmd()
        .env("SAYMON_TOKEN", "env-token-canary\n")
        .args(["token", "print"])
        .assert()
        .success()
        .stdout("env-token-canary\n");
    env.cmd()
        .args(["--profile", "prod", "whoami"])
        .assert()
        .code(3)
        .stderr(contains("run `saymon login --profile prod`"));

    let server = FakeSaymon::start();
    env.login_file(&server);
    let out = env
        .cmd()
        .env("SAYMON_TOKEN", "env-token-canary")
        .args(["token", "print", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(out.stdout.ends_with(b"}\n"), "one line");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"profile": "default", "source": "environment", "token": "env-token-canary"})
    );
}

#[test]
fn whoami_json_is_the_server_user_with_the_token_masked() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let token = server.token_of(LOGIN).unwrap();
    let out = env
        .cmd()
        .args(["whoami", "--output", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let user: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(user["id"], USER_ID);
    assert_eq!(user["login"], LOGIN);
    assert_eq!(user["permissions"], serde_json::json!(["manage-objects"]));
    assert_eq!(user["authenticationToken"], "***");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&token));
    // The request carried the token as api-token and no Basic credentials.
    let last = server.seen().pop().unwrap();
    assert_eq!(last.path, "/node/api/users/current");
    assert_eq!(last.query, Some(format!("api-token={token}")));
    assert_eq!(last.basic_login, None);
}

#[test]
fn ci_uses_saymon_token_and_server_from_the_environment() {
    let server = FakeSaymon::start();
    let env = Env::new();
    Env::new().login_file(&server); // another machine made the token
    let token = server.token_of(LOGIN).unwrap();
    env.at(&server)
        .env("SAYMON_TOKEN", &token)
        .arg("whoami")
        .assert()
        .success()
        .stdout(contains("token from:   SAYMON_TOKEN (environment)"));
    env.cmd()
        .env("SAYMON_TOKEN", &token)
        .arg("whoami")
        .assert()
        .code(2)
        .stderr(contains("no server given"));
}

#[test]
fn logout_removes_the_token_and_says_so() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    env.cmd().arg("logout").assert().success().stderr(format!(
        "Removed the token of {account} from the file {} (profile default).\nThe token still works on the server until it is replaced or revoked: `saymon logout --revoke` ends it there too.\n",
        env.credentials_file().display()
    ));
    assert!(env.stored_token_lines().is_empty());
    env.cmd()
        .arg("logout")
        .assert()
        .success()
        .stderr(contains("Nothing to remove"));
    env.cmd().args(["token", "print"]).assert().code(3);
    // A profile that does not exist, while another does: a mistyped --profile, said so
    // (not "nothing to remove", which would leave the real token in place unnoticed).
    env.cmd()
        .args(["--profile", "never", "logout"])
        .assert()
        .code(3)
        .stderr(contains("there is no profile never"))
        .stderr(contains("the profiles are: default"));
}

#[test]
fn garbage_config_is_named_and_left_alone() {
    let server = FakeSaymon::start();
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let garbage = "default_profile = \"x\"\n[profiles.x\nserver = 1\n";
    std::fs::write(env.config_file(), garbage).unwrap();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(1)
        .stderr(contains(format!("{} line 2:", env.config_file().display())));
    assert_eq!(std::fs::read_to_string(env.config_file()).unwrap(), garbage);
    assert_eq!(server.token_creations(), 0);
}

#[test]
fn credentials_readable_by_others_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    std::fs::set_permissions(
        env.credentials_file(),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    env.cmd()
        .args(["token", "print"])
        .assert()
        .code(7)
        .stdout("")
        .stderr(contains("others can read it (mode 640)"))
        .stderr(contains(format!(
            "hint: chmod 600 {}",
            env.credentials_file().display()
        )));
}

#[test]
fn plain_http_on_loopback_works() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    env.cmd()
        .env("SAYMON_SERVER", format!("{}/node/api/", server.url))
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .success()
        .stderr(contains(format!("Logged in to {} as admin", server.url)))
        .stderr(contains("warning").not());
    env.cmd().arg("whoami").assert().success();
}

#[test]
fn verbose_logs_requests_without_secrets() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let token = server.token_of(LOGIN).unwrap();
    env.cmd()
        .args(["-v", "whoami"])
        .assert()
        .success()
        .stderr(contains(format!(
            "> GET {}/node/api/users/current?api-token=***",
            server.url
        )))
        .stderr(contains("< HTTP/1.1 200 OK"))
        .stderr(contains(token.as_str()).not());
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["-v", "token", "create"])
        .assert()
        .success()
        .stderr(contains("(Basic auth as admin)"))
        .stderr(contains(PASSWORD).not())
        .stderr(contains("Authorization").not());
}

#[test]
fn usage_errors_are_exit_2() {
    let env = Env::new();
    env.cmd()
        .args(["login", "--password", "x"])
        .assert()
        .code(2);
    env.cmd().args(["frobnicate"]).assert().code(2);
    env.cmd()
        .args(["--server", "ftp://h", "whoami"])
        .env("SAYMON_TOKEN", "t")
        .assert()
        .code(2)
        .stderr(contains("only http:// and https://"));
    env.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(contains("saymon "));
}

#[test]
fn a_keyring_that_never_answers_fails_within_its_timeout() {
    // A D-Bus address whose socket accepts connections and then says nothing.
    let env = Env::new();
    let socket = env.dir.path().join("stuck-bus");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let server = FakeSaymon::start();
    env.at(&server)
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", socket.display()),
        )
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "keyring"])
        .assert()
        .code(7)
        .stderr(contains("the keyring did not answer within 5 s"))
        .stderr(contains("--store file"));
    assert!(server.seen().is_empty());
}

#[test]
fn a_bus_that_hangs_up_or_sends_garbage_is_exit_7_at_once_with_the_fix() {
    for garbage in [&b""[..], b"\x00\xffNOT D-BUS\r\n"] {
        let env = Env::new();
        let socket = env.dir.path().join("broken-bus");
        let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        std::thread::spawn(move || {
            use std::io::Write;
            for mut stream in listener.incoming().flatten() {
                let _ = stream.write_all(garbage);
            }
        });
        env.write_keyring_profile("https://saymon.example", LOGIN);
        env.cmd()
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", socket.display()),
            )
            .args(["token", "print"])
            .assert()
            .code(7)
            .stdout("")
            .stderr(contains("the keyring cannot be reached"))
            .stderr(contains("saymon login --store file"))
            // Told at once, by what the bus did: a wait sat out would say it timed out.
            .stderr(contains("did not answer").not());
    }
}

#[test]
fn with_output_json_stderr_has_only_warnings_and_errors() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let json = |args: &[&str]| {
        let out = env
            .at(&server)
            .env("SAYMON_PASSWORD", PASSWORD)
            .args(args)
            .args(["--output", "json"])
            .output()
            .unwrap();
        let stdout: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)));
        (
            out.status.code(),
            stdout,
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    for args in [
        &["login", "--login", LOGIN, "--store", "file"][..],
        &["whoami"],
        &["status"],
        &["token", "refresh"],
        &["token", "create", "--login", LOGIN],
        &["logout"],
    ] {
        let (code, _, stderr) = json(args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}: no notices with --output json");
    }
    // Errors stay, one line and a hint; stdout has no document then.
    env.cmd()
        .args([
            "--profile",
            "nobody",
            "token",
            "refresh",
            "--output",
            "json",
        ])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicates::str::starts_with("saymon: error: "))
        .stderr(contains("\nhint: "));
}
