//! Every error ends with a `hint:` line that says the next step. This test walks the error
//! paths a newcomer meets (and main's fallback guarantees a hint for any other): each must
//! exit with its documented code and print exactly one error line and one hint line.

use crate::support::*;

/// Run `cmd`, expect `code`, and return the hint (asserting the two-line shape).
fn hint_of(mut cmd: assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("saymon: error: ") || l.starts_with("hint: "))
        .collect();
    assert!(
        lines.len() == 2
            && lines[0].starts_with("saymon: error: ")
            && lines[1].starts_with("hint: "),
        "one error line and one hint line:\n{stderr}"
    );
    lines[1].to_string()
}

#[test]
fn every_error_a_newcomer_meets_has_a_hint() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);

    // http:// to an https port.
    let hint = hint_of(
        {
            let mut c = env.cmd();
            c.env("SAYMON_SERVER", format!("http://{}", server.addr))
                .env("SAYMON_TOKEN", "tok-canary")
                .arg("whoami");
            c
        },
        5,
    );
    assert!(hint.contains("write https://"), "{hint}");

    // A 503 during token refresh: the context names what failed, on which server.
    server.set_mode(Mode::Html502);
    let out = env
        .cmd()
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "refresh"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "cannot create a token for {LOGIN} on {}",
            server.url
        )),
        "{stderr}"
    );
    assert!(stderr.contains("\nhint: "), "{stderr}");
    server.set_mode(Mode::Normal);

    // An empty password, an empty password file, a missing password file.
    let empty = env.home().join("empty");
    std::fs::write(&empty, "").unwrap();
    chmod(&empty, 0o600);
    for (args, env_password) in [
        (vec!["token", "refresh"], Some("")),
        (
            vec![
                "token",
                "refresh",
                "--password-file",
                empty.to_str().unwrap(),
            ],
            None,
        ),
        (
            vec!["token", "refresh", "--password-file", "/nonexistent/pw"],
            None,
        ),
    ] {
        let mut c = env.cmd();
        c.args(&args);
        if let Some(p) = env_password {
            c.env("SAYMON_PASSWORD", p);
        }
        let hint = hint_of(c, 3);
        assert!(hint.contains("password"), "{args:?}: {hint}");
    }

    // A missing -d @file.
    let mut c = env.cmd();
    c.args(["api", "objects", "-d", "@/nonexistent/body.json"]);
    let hint = hint_of(c, 2);
    assert!(hint.contains("path"), "{hint}");

    // status with a missing token.
    let mut c = env.cmd();
    c.args(["status", "--profile", "nobody-*"]);
    hint_of(c, 3);
    let bare = Env::new();
    std::fs::create_dir_all(bare.config_dir()).unwrap();
    chmod(&bare.config_dir(), 0o700);
    std::fs::write(
        bare.config_file(),
        "[profiles.default]\nserver = \"https://saymon.example.com\"\nlogin = \"admin\"\n",
    )
    .unwrap();
    let mut c = bare.cmd();
    c.args(["status", "--offline"]);
    let hint = hint_of(c, 3);
    assert!(hint.contains("saymon login"), "{hint}");

    // A non-UTF-8 config.toml: the line, and what to do.
    let broken = Env::new();
    std::fs::create_dir_all(broken.config_dir()).unwrap();
    chmod(&broken.config_dir(), 0o700);
    std::fs::write(broken.config_file(), b"[profiles.a]\nserver = \"\xff\"\n").unwrap();
    let out = broken
        .cmd()
        .arg("whoami")
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("\nhint: "), "{stderr}");

    // An unreadable config.toml (as another user, since root reads anything).
    let unreadable = Env::new();
    std::fs::create_dir_all(unreadable.config_dir()).unwrap();
    chmod(&unreadable.config_dir(), 0o700);
    std::fs::write(unreadable.config_file(), "").unwrap();
    let mut c = unreadable.user_cmd();
    chmod(&unreadable.config_file(), 0o000);
    c.arg("whoami");
    let hint = hint_of(c, 1);
    assert!(hint.contains("chmod") || hint.contains("config"), "{hint}");

    // A read-only config dir for a login that must write it.
    let read_only = Env::new();
    std::fs::create_dir_all(read_only.config_dir()).unwrap();
    let mut c = read_only.user_cmd();
    chmod(&read_only.config_dir(), 0o500);
    c.env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file", "--insecure"]);
    let hint = hint_of(c, 7);
    assert!(hint.contains("writable"), "{hint}");

    // Anything else still gets a hint: main falls back to one by exit code.
    let mut c = env.cmd();
    c.env("SAYMON_SERVER", "https://saymon.invalid")
        .env("SAYMON_TOKEN", "tok-canary")
        .args(["api", "objects"]);
    hint_of(c, 5);
}

#[test]
fn a_mistyped_profile_lists_the_profiles_and_the_closest() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args([
            "--profile",
            "production",
            "login",
            "--login",
            LOGIN,
            "--store",
            "file",
        ])
        .assert()
        .success();
    let hint = hint_of(
        {
            let mut cmd = env.cmd();
            cmd.args(["--profile", "prodution", "whoami"]);
            cmd
        },
        3,
    );
    assert!(
        hint.starts_with("hint: did you mean --profile production? the profiles are: production"),
        "{hint}"
    );
}

#[test]
fn a_bad_server_address_names_where_it_came_from() {
    let env = Env::new();
    let mut cmd = env.cmd();
    cmd.env("SAYMON_SERVER", "ftp://saymon.example")
        .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
        .arg("whoami");
    let out = cmd.assert().code(2).get_output().clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the server address from SAYMON_SERVER"),
        "{stderr}"
    );
    std::fs::create_dir_all(env.config_dir()).unwrap();
    chmod(&env.config_dir(), 0o700);
    std::fs::write(
        env.config_file(),
        "[profiles.default]\nserver = \"ftp://saymon.example\"\n",
    )
    .unwrap();
    let out = env
        .cmd()
        .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
        .arg("whoami")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the server address from profile default in {}",
            env.config_file().display()
        )),
        "{stderr}"
    );
}

#[test]
fn whoami_suggests_token_refresh_where_a_password_is_remembered() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args([
            "login",
            "--login",
            LOGIN,
            "--store",
            "file",
            "--remember-password",
        ])
        .assert()
        .success();
    server.state.lock().unwrap().users[0].token = Some("replaced-elsewhere".into());
    let hint = hint_of(
        {
            let mut cmd = env.cmd();
            cmd.arg("whoami");
            cmd
        },
        4,
    );
    assert!(
        hint.contains(
            "run `saymon token refresh`: it makes a new one with the remembered password"
        ),
        "{hint}"
    );
    let hint = hint_of(
        {
            let mut cmd = env.cmd();
            cmd.arg("status");
            cmd
        },
        4,
    );
    assert!(
        hint.contains("run `saymon --profile default token refresh`: it makes a new one with the remembered password"),
        "{hint}"
    );
}

#[test]
fn a_mistyped_profile_is_caught_by_logout_refresh_revoke_doctor_and_status() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args([
            "--profile",
            "production",
            "login",
            "--login",
            LOGIN,
            "--store",
            "file",
        ])
        .assert()
        .success();
    for args in [&["logout"][..], &["token", "refresh"], &["token", "revoke"]] {
        let hint = hint_of(
            {
                let mut cmd = env.cmd();
                cmd.args(["--profile", "prodution"]).args(args);
                cmd
            },
            3,
        );
        assert!(
            hint.contains("did you mean --profile production?"),
            "{args:?}: {hint}"
        );
    }
    let out = env
        .cmd()
        .args(["--profile", "prodution", "doctor"])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("there is no profile prodution"), "{report}");
    assert!(!report.contains("has no server"), "{report}");
    let hint = hint_of(
        {
            let mut cmd = env.cmd();
            cmd.args(["--profile", "prodution", "status"]);
            cmd
        },
        3,
    );
    assert!(hint.contains("the profiles are: production"), "{hint}");
    // The token is still there.
    env.cmd()
        .args(["--profile", "production", "token", "print"])
        .assert()
        .success();
}

/// `saymon ARGS…`: exit 2, and stderr exactly `saymon: error: MESSAGE` and `hint: HINT`.
fn usage_error(env: &Env, args: &[&str], message: &str, hint: &str) {
    let out = env.cmd().args(args).assert().code(2).get_output().clone();
    assert!(out.stdout.is_empty(), "{args:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        format!("saymon: error: {message}\nhint: {hint}\n"),
        "{args:?}"
    );
}

#[test]
fn usage_errors_are_one_error_line_and_a_hint_with_clap_s_suggestion() {
    let env = Env::new();
    usage_error(
        &env,
        &["api", "--dryrun", "objects"],
        "unexpected argument '--dryrun' found",
        "a similar argument exists: '--dry-run'",
    );
    usage_error(
        &env,
        &["whoam"],
        "unrecognized subcommand 'whoam'",
        "a similar subcommand exists: 'whoami'",
    );
    usage_error(
        &env,
        &["api"],
        "the following required arguments were not provided: <PATH>",
        "`saymon api --help` shows what it takes",
    );
    usage_error(
        &env,
        &["token", "create", "--bogus"],
        "unexpected argument '--bogus' found",
        "`saymon token create --help` shows what it takes",
    );
    usage_error(
        &env,
        &["--timeout", "x", "whoami"],
        "invalid value 'x' for '--timeout <SECS>': invalid digit found in string",
        "`saymon --help` (or `saymon COMMAND --help`) shows the commands and their flags",
    );
    usage_error(
        &env,
        &["api", "objects", "--curl", "--dry-run"],
        "the argument '--curl' cannot be used with '--dry-run'",
        "`saymon api --help` shows what it takes",
    );
    // clap's other tips are hints too; a value that would drive a terminal is escaped.
    usage_error(
        &env,
        &["api", "objects", "-x"],
        "unexpected argument '-x' found",
        "to pass '-x' as a value, use '-- -x'",
    );
    usage_error(
        &env,
        &["--timeout", "\u{1b}[2J", "whoami"],
        "invalid value '\\u{1b}[2J' for '--timeout <SECS>': invalid digit found in string",
        "`saymon --help` (or `saymon COMMAND --help`) shows the commands and their flags",
    );
    let out = env.cmd().assert().code(2).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("saymon: error: 'saymon' requires a subcommand"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(
        stderr.contains("\nhint: start here: `saymon login` (it asks for what is missing)"),
        "{stderr}"
    );
    // With no variable that stands for a flag, clap shows the help instead: on stderr,
    // with where to start and the exit codes, and still exit 2.
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_saymon"))
        .env_clear()
        .env("HOME", env.home())
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("\nStart here: saymon login"), "{stderr}");
    assert!(stderr.contains("\nExit status:\n"), "{stderr}");
    assert!(stderr.contains("  130  cancelled at a prompt"), "{stderr}");
}

#[test]
fn help_and_version_that_cannot_be_written_are_exit_1_saying_so() {
    let env = Env::new();
    for (args, what) in [
        (&["--version"][..], "the version"),
        (&["-V"], "the version"),
        (&["--help"], "the help"),
        (&["api", "--help"], "the help"),
        (&["help", "api"], "the help"),
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"))
            .env_clear()
            .env("SAYMON_CONFIG_DIR", env.config_dir())
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!(
                "saymon: error: cannot write {what} to stdout: No space left on device"
            )) && stderr.contains("\nhint: "),
            "{args:?}: {stderr}"
        );
        // Written, it is exit 0 as before.
        env.cmd().args(args).assert().success().stderr("");
    }
}

#[test]
fn a_profile_given_before_and_after_the_command_is_exit_2_not_a_guess() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    for args in [
        &["--profile", "default", "whoami", "--profile", "other"][..],
        &["--profile=default", "token", "revoke", "--profile", "other"],
        &["--profile", "default", "status", "--profile=other"],
    ] {
        let hint = hint_of(
            {
                let mut c = env.cmd();
                c.args(args);
                c
            },
            2,
        );
        assert!(
            hint.contains("give --profile after the command only"),
            "{args:?}: {hint}"
        );
    }
    // Once, on either side, or several after `status`: as before.
    env.cmd()
        .args(["--profile", "default", "whoami"])
        .assert()
        .success();
    env.cmd()
        .args(["whoami", "--profile", "default"])
        .assert()
        .success();
    env.cmd()
        .args(["status", "--profile", "default", "--profile", "nope*"])
        .assert()
        .success();
}

#[test]
fn an_option_variable_set_but_empty_counts_as_unset() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    // A CI matrix's empty cells: no profile named "", no CA file "", no key file "".
    for var in [
        "SAYMON_PROFILE",
        "SAYMON_CA_CERT",
        "SAYMON_CLIENT_CERT",
        "SAYMON_CLIENT_KEY",
        "SAYMON_SERVER",
    ] {
        env.cmd()
            .env(var, "")
            .arg("whoami")
            .assert()
            .success()
            .stdout(predicates::str::contains(LOGIN));
    }
    // A new profile: an empty SAYMON_LOGIN is no login, asked for (here: exit 3, no
    // terminal to ask at).
    let fresh = Env::new();
    let hint = hint_of(
        {
            let mut c = fresh.cmd();
            c.env("SAYMON_LOGIN", "")
                .env("SAYMON_SERVER", &server.url)
                .args(["login"]);
            c
        },
        3,
    );
    assert!(hint.contains("--login NAME"), "{hint}");
}

#[test]
fn status_with_no_profiles_at_all_says_how_to_make_one() {
    let env = Env::new();
    let hint = hint_of(
        {
            let mut c = env.cmd();
            c.args(["status", "--profile", "prod"]);
            c
        },
        3,
    );
    assert!(hint.contains("there are no profiles"), "{hint}");
}
