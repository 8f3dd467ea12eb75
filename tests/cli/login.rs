//! `saymon login` end to end against the fake server over HTTPS: where the token goes,
//! every password source, and the failures that must store nothing.

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
    assert!(env.stored_token_lines().is_empty());
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
