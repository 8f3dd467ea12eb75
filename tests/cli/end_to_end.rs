//! End-to-end: the real binary against the fake SAYMON server over HTTPS, with the file
//! store in a temp dir and no D-Bus, no terminal, a cleared environment.

use crate::support;

use crate::support::*;
use predicates::prelude::*;
use predicates::str::contains;

fn stored_tokens(env: &Env) -> toml::Table {
    let text = std::fs::read_to_string(env.credentials_file()).unwrap();
    text.parse::<toml::Table>().unwrap()
}

#[test]
fn login_stores_the_token_privately_and_whoami_uses_it() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let out = env
        .at(&server)
        .args([
            "login",
            "--login",
            LOGIN,
            "--password-stdin",
            "--store",
            "file",
        ])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success()
        .stdout("")
        .get_output()
        .clone();
    let (_, stderr) = outputs(&out);
    assert_eq!(
        stderr.trim(),
        format!(
            "Logged in to {} as admin (profile default); token stored in the file {}\nSAYMON keeps one token per user: the previous token of admin no longer works, wherever it was used (another machine, a cron job). Give each job its own SAYMON user.",
            server.url,
            env.credentials_file().display()
        )
    );
    assert_eq!(server.token_creations(), 1);
    let token = server.token_of(LOGIN).unwrap();

    // The secret file is private, the config holds the profile and no secret.
    assert_eq!(mode(&env.credentials_file()), 0o600);
    assert_eq!(mode(&env.config_dir()), 0o700);
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    assert_eq!(
        stored_tokens(&env)["accounts"][&account]["token"].as_str(),
        Some(token.as_str())
    );
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    assert!(!config.contains(&token));
    let config: toml::Table = config.parse().unwrap();
    let profile = &config["profiles"]["default"];
    assert_eq!(profile["server"].as_str(), Some(server.url.as_str()));
    assert_eq!(profile["login"].as_str(), Some(LOGIN));
    assert_eq!(profile["user_id"].as_str(), Some(USER_ID));
    assert_eq!(profile["store"].as_str(), Some("file"));
    assert_eq!(config["default_profile"].as_str(), Some("default"));

    // Later commands need no server flag: the profile remembers it (and the CA path).
    let whoami = env
        .cmd()
        .arg("whoami")
        .assert()
        .success()
        .get_output()
        .clone();
    let (stdout, _) = outputs(&whoami);
    assert!(stdout.contains("login:        admin"), "{stdout}");
    assert!(stdout.contains("display name: Ada Admin"), "{stdout}");
    assert!(
        stdout.contains(&format!("id:           {USER_ID}")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("server:       {}", server.url)),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "token from:   the file {} (profile default)",
            env.credentials_file().display()
        )),
        "{stdout}"
    );
    assert!(!stdout.contains(&token));
    env.cmd()
        .args(["token", "print"])
        .assert()
        .success()
        .stdout(format!("{token}\n"));
}

#[test]
fn login_by_email_with_password_file_and_env_login() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let file = env.dir.path().join("pw");
    std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
    // Readable by others, it is refused as ssh refuses such a key.
    env.at(&server)
        .env("SAYMON_LOGIN", EMAIL)
        .args(["login", "--store", "file", "--password-file"])
        .arg(&file)
        .assert()
        .code(7)
        .stderr(contains(format!(
            "{} holds a password but others can read it (mode 644)",
            file.display()
        )))
        .stderr(contains(format!("hint: chmod 600 {}", file.display())));
    assert!(server.seen().is_empty(), "nothing sent");
    support::chmod(&file, 0o600);
    env.at(&server)
        .env("SAYMON_LOGIN", EMAIL)
        .args(["login", "--store", "file", "--password-file"])
        .arg(&file)
        .assert()
        .success()
        .stderr(contains(format!("as {EMAIL} (profile default)")));
    // The user id came from users/current with the same Basic credentials.
    let seen = server.seen();
    assert_eq!(seen[0].path, "/node/api/users/current");
    assert_eq!(seen[0].basic_login.as_deref(), Some(EMAIL));
    assert_eq!(
        seen[1].path,
        format!("/node/api/users/{USER_ID}/auth-token")
    );
    env.cmd().arg("whoami").assert().success();
}

#[test]
fn password_from_the_environment_and_a_known_user_id_skip_the_lookup() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args([
            "login",
            "--login",
            LOGIN,
            "--user-id",
            USER_ID,
            "--store",
            "file",
        ])
        .assert()
        .success();
    let paths: Vec<_> = server.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(paths, [format!("/node/api/users/{USER_ID}/auth-token")]);
    // A second login reuses the remembered user id.
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .arg("login")
        .assert()
        .success();
    assert_eq!(server.seen().len(), 2);
}

#[test]
fn wrong_password_is_exit_4_and_stores_nothing() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .args([
            "login",
            "--login",
            LOGIN,
            "--password-stdin",
            "--store",
            "file",
        ])
        .write_stdin("wrong-canary\n")
        .assert()
        .code(4)
        .stderr(contains("Invalid login or password. (InvalidCredentials)"))
        .stderr(contains("hint: check the login"))
        .stderr(contains("wrong-canary").not());
    assert_eq!(server.token_creations(), 0);
    assert!(!env.config_file().exists());
    assert!(stored_tokens_or_empty(&env).is_empty());
}

fn stored_tokens_or_empty(env: &Env) -> String {
    std::fs::read_to_string(env.credentials_file())
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("token"))
        .collect()
}

#[test]
fn no_password_source_and_no_terminal_fails_at_once() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(3)
        .stderr(contains("no terminal to ask at"))
        .stderr(contains("--password-stdin"))
        .stderr(contains("--password-file"))
        .stderr(contains("SAYMON_PASSWORD"));
    // No login and no terminal: exit 3 too.
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--store", "file"])
        .assert()
        .code(3)
        .stderr(contains("--login NAME"));
    assert!(server.seen().is_empty());
}

#[test]
fn auto_store_without_a_keyring_fails_before_any_token_is_made() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN])
        .assert()
        .code(7)
        .stderr(contains("the keyring cannot be reached"))
        .stderr(contains("--store file"));
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "keyring"])
        .assert()
        .code(7)
        .stderr(contains("saymon login --store file"));
    assert!(
        server.seen().is_empty(),
        "nothing sent: the old token still works"
    );
    assert!(!env.credentials_file().exists());
}

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
    assert!(stored_tokens_or_empty(&env).is_empty());
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
fn unreachable_server_is_exit_5() {
    let env = Env::new();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    env.cmd()
        .env("SAYMON_PASSWORD", PASSWORD)
        .args([
            "--server",
            &format!("https://127.0.0.1:{port}"),
            "login",
            "--login",
            LOGIN,
            "--store",
            "file",
        ])
        .assert()
        .code(5)
        .stderr(contains("cannot reach 127.0.0.1"))
        .stderr(contains("hint: check the server address"));
}

#[test]
fn a_proxy_html_page_is_summarized_not_dumped() {
    let server = FakeSaymon::start();
    let env = Env::new();
    server.set_mode(Mode::Html502);
    let out = env
        .at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args([
            "login",
            "--login",
            LOGIN,
            "--user-id",
            USER_ID,
            "--store",
            "file",
        ])
        .assert()
        .code(1)
        .stderr(contains(
            "502 Bad Gateway: an HTML page \"502 Bad Gateway\"",
        ))
        .get_output()
        .clone();
    let (_, stderr) = outputs(&out);
    assert!(!stderr.contains("<center>"), "{stderr}");
    assert!(stderr.lines().count() <= 2, "{stderr}");
}

#[test]
fn malformed_token_answers_are_exit_1() {
    let server = FakeSaymon::start();
    let env = Env::new();
    server.set_mode(Mode::EmptyToken);
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(1)
        .stderr(contains("is not a token: an empty string"));
    server.set_mode(Mode::HtmlToken);
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "create", "--login", LOGIN])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("an HTML page \"Sign in to the network\""));
    assert!(!env.config_file().exists());
}

#[test]
fn untrusted_certificate_is_exit_5_with_the_fix_and_insecure_warns() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(5)
        .stderr(contains("TLS certificate of 127.0.0.1"))
        .stderr(contains("--ca-cert"));
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["--insecure", "login", "--login", LOGIN, "--store", "file"])
        .assert()
        .success()
        .stderr(contains("warning: --insecure"));
    // --ca-cert with a file that is not PEM is a usage error.
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .args(["--ca-cert", "/dev/null", "whoami"])
        .assert()
        .code(2)
        .stderr(contains("holds no PEM certificate"));
}

#[test]
fn a_stalled_server_times_out_with_exit_5() {
    let server = FakeSaymon::start();
    let env = Env::new();
    server.set_mode(Mode::Stall);
    env.at(&server)
        .env("SAYMON_TOKEN", "t-canary")
        .args(["--timeout", "1", "whoami"])
        .assert()
        .code(5)
        .stderr(contains("did not answer in time: gave up after 1."))
        .stderr(contains("(--timeout 1)"));
}

#[test]
fn token_authentication_off_is_explained() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    server.set_mode(Mode::TokenAuthOff);
    env.cmd()
        .arg("whoami")
        .assert()
        .code(4)
        .stderr(contains("Invalid API token."))
        .stderr(contains("hint: the stored token was refused"));
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
fn parallel_logins_to_different_profiles_lose_nothing() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let children: Vec<_> = (0..8)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_saymon"))
                .env_clear()
                .env("HOME", env.home())
                .env("SAYMON_CONFIG_DIR", env.config_dir())
                .env("SAYMON_SERVER", &server.url)
                .env("SAYMON_CA_CERT", &server.ca_file)
                .env("SAYMON_PASSWORD", PASSWORD)
                .args([
                    "--profile",
                    &format!("p{i}"),
                    "login",
                    "--login",
                    LOGIN,
                    "--user-id",
                    USER_ID,
                    "--store",
                    "file",
                ])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{:?}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let config: toml::Table = std::fs::read_to_string(env.config_file())
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(config["profiles"].as_table().unwrap().len(), 8);
    // One account, one token: the last one created, which the server accepts.
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    assert_eq!(
        stored_tokens(&env)["accounts"][&account]["token"].as_str(),
        server.token_of(LOGIN).as_deref()
    );
    env.cmd()
        .args(["--profile", "p3", "whoami"])
        .assert()
        .success();
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
        let started = std::time::Instant::now();
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
            .stderr(contains("saymon login --store file"));
        // Not a timing test: only that it did not sit out the 5 s wait of a silent bus.
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}

#[test]
fn a_redirect_to_another_host_is_not_followed() {
    // Where the redirect points: a listener that must never be called.
    let elsewhere = std::net::TcpListener::bind("127.0.0.2:0").unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    server.set_mode(Mode::RedirectAway(elsewhere.local_addr().unwrap().port()));
    env.cmd()
        .arg("whoami")
        .assert()
        .code(1)
        .stderr(contains("302 Found redirected to http://127.0.0.2:"))
        .stderr(contains("not followed"));
    assert!(
        elsewhere.accept().is_err(),
        "nothing went to the other host"
    );
}

#[test]
fn reads_are_retried_on_a_bad_gateway_creations_are_not() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    server.set_mode(Mode::Html502);
    let before = server.seen().len();
    env.cmd().arg("whoami").assert().code(1);
    let gets = server.seen().len() - before;
    assert_eq!(gets, 3, "a GET is tried three times in all");
    let before = server.seen().len();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "create"])
        .assert()
        .code(1);
    assert_eq!(
        server.seen().len() - before,
        1,
        "token creation is not idempotent: one try"
    );
    // Within a short --timeout there is no time for retries.
    let before = server.seen().len();
    env.cmd()
        .args(["--timeout", "1", "whoami"])
        .assert()
        .code(1);
    assert_eq!(server.seen().len() - before, 2);
}

#[test]
fn store_auto_in_the_config_is_accepted_as_the_flag_is() {
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    chmod(&env.config_dir(), 0o700);
    std::fs::write(
        env.config_file(),
        "[profiles.default]\nserver = \"https://saymon.example.com\"\nlogin = \"admin\"\nstore = \"auto\"\n",
    )
    .unwrap();
    // Read, not refused: the profile simply has no token yet.
    env.cmd()
        .args(["status", "--offline"])
        .assert()
        .code(3)
        .stdout(contains("default"))
        .stderr(contains("is missing"));
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

#[cfg(unix)]
#[test]
fn exec_keeps_the_signals_its_caller_ignored_ignored() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    // As `nohup saymon exec -- CMD` runs it: SIGHUP ignored. saymon gets one, the command
    // sends itself one; both live on. SIGINT ignored too: the command keeps it ignored.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_SERVER", "https://saymon.example")
        .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
        .args([
            "exec",
            "--",
            "sh",
            "-c",
            "kill -HUP $PPID; sleep 0.3; kill -HUP $$; kill -INT $$; echo survived",
        ]);
    // SAFETY: signal() between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGHUP, libc::SIG_IGN);
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "survived\n");
}

#[test]
fn login_in_ci_without_a_password_is_exit_3_before_the_store_is_chosen() {
    let server = FakeSaymon::start();
    let env = Env::new();
    // No terminal, no password source, --store auto, no D-Bus: the missing password is
    // what is said, not the keyring.
    env.at(&server)
        .args(["login", "--login", LOGIN])
        .assert()
        .code(3)
        .stderr(contains("no password for admin"))
        .stderr(contains("--password-stdin or --password-file FILE"))
        .stderr(contains("keyring").not());
    assert!(server.seen().is_empty());
}

#[test]
fn storing_a_token_while_saymon_token_is_set_warns_and_an_empty_one_is_named() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .success()
        .stderr(contains(
            "warning: SAYMON_TOKEN is set in this environment: commands use it before the token just stored",
        ));
    env.at(&server)
        .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "refresh"])
        .assert()
        .success()
        .stderr(contains("needs the new one.\n"))
        .stderr(contains("saymon token print").not());
    let other = Env::new();
    other
        .cmd()
        .env("SAYMON_TOKEN", "")
        .arg("whoami")
        .assert()
        .code(3)
        .stderr(contains("not logged in: SAYMON_TOKEN is set but empty"));
}

#[cfg(target_os = "linux")]
#[test]
fn exec_gives_an_ignored_sigpipe_back_to_the_command() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    let run = |ignore: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .env("SAYMON_CONFIG_DIR", env.config_dir())
            .env("SAYMON_SERVER", "https://saymon.example")
            .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
            .args(["exec", "--", "grep", "SigIgn", "/proc/self/status"]);
        if ignore {
            // SAFETY: signal() between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    libc::signal(libc::SIGPIPE, libc::SIG_IGN);
                    Ok(())
                });
            }
        }
        let out = cmd.output().unwrap();
        let line = String::from_utf8(out.stdout).unwrap();
        u64::from_str_radix(line.trim().trim_start_matches("SigIgn:").trim(), 16).unwrap()
    };
    let pipe = 1 << (libc::SIGPIPE - 1);
    assert_eq!(
        run(true) & pipe,
        pipe,
        "ignored by the caller: ignored for the command"
    );
    assert_eq!(
        run(false) & pipe,
        0,
        "not ignored by the caller: default for the command"
    );
}
