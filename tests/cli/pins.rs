//! A pinned certificate is a pin: only the server that shows exactly it is trusted, and the
//! file that holds it must be the user's own, private, not a link, and hold exactly it. A
//! changed certificate is refused (never offered as a first use); `--insecure` is not
//! carried into a login without it; SAYMON_PIN pins for a job that has no login.

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::pty::Pty;
use crate::support::*;
use crate::trust::login_pinned;

/// The fingerprint of `server`'s certificate, as `doctor` reads it.
fn fingerprint_of(server: &FakeSaymon) -> String {
    crate::trust::fingerprint(&Env::new(), server)
}

/// A profile logged in to `server` with its certificate pinned (`login --pin`).
fn pinned_env(server: &FakeSaymon) -> (Env, String) {
    let env = Env::new();
    let fp = fingerprint_of(server);
    login_pinned(&env, server, &format!("sha256:{fp}"))
        .assert()
        .success();
    (env, fp)
}

/// The one pinned certificate file of `env`'s config dir.
fn pinned_file(env: &Env) -> std::path::PathBuf {
    let certs = env.config_dir().join("certs");
    let files = files_in(&certs);
    assert_eq!(files.len(), 1, "{files:?}");
    certs.join(&files[0])
}

#[test]
fn a_pinned_file_swapped_for_another_certificate_is_refused_and_nothing_is_sent() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let (env, fp) = pinned_env(&server);
    // Another user (or anything) puts its own server's certificate in the file: before,
    // saymon trusted whatever the file held.
    let impostor = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    std::fs::copy(&impostor.ca_file, pinned_file(&env)).unwrap();
    let before = server.seen().len();
    env.cmd()
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains(format!(
            "should hold the certificate pinned at login (SHA-256 {fp}) but holds a certificate with SHA-256 {}",
            fingerprint_of(&impostor)
        )))
        .stderr(contains("hint: nothing was sent"));
    assert_eq!(server.seen().len(), before, "the token was sent");
    // The hint's way out works: login --pin pins anew, whatever became of the old file.
    env.cmd()
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--pin", &format!("sha256:{fp}")])
        .assert()
        .success();
    env.cmd().arg("whoami").assert().success();
    assert_eq!(
        std::fs::read(pinned_file(&env)).unwrap(),
        std::fs::read(&server.ca_file).unwrap()
    );
}

#[test]
fn a_pinned_file_with_a_ca_added_is_refused() {
    // A CA slipped into the pinned file would vouch for every certificate it signs: with a
    // pin, the file must hold the pinned certificate and nothing else.
    let server = FakeSaymon::start_tls(Cert::SelfSignedCa);
    let (env, _) = pinned_env(&server);
    let other = FakeSaymon::start_tls(Cert::SignedByCa);
    let file = pinned_file(&env);
    // The pinned file, followed by a CA that signed the other server's certificate.
    let mut both = std::fs::read_to_string(&file).unwrap();
    both.push_str(&std::fs::read_to_string(&other.ca_file).unwrap());
    std::fs::write(&file, both).unwrap();
    let before = server.seen().len();
    env.cmd()
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains("but holds 2 certificates"));
    assert_eq!(server.seen().len(), before, "the token was sent");
}

#[test]
fn a_certs_dir_that_is_a_link_is_neither_trusted_nor_written_through() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let (env, _) = pinned_env(&server);
    let certs = env.config_dir().join("certs");
    let shared = env.dir.path().join("shared-certs");
    std::fs::rename(&certs, &shared).unwrap();
    std::os::unix::fs::symlink(&shared, &certs).unwrap();
    env.cmd()
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains("is a symbolic link"));
    // A new pin is not written through it either.
    let fresh = Env::new();
    std::fs::create_dir_all(fresh.config_dir()).unwrap();
    chmod(&fresh.config_dir(), 0o700);
    let elsewhere = fresh.dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, fresh.config_dir().join("certs")).unwrap();
    fresh
        .cmd()
        .env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .args(["--pin", &fingerprint_of(&server)])
        .assert()
        .code(7)
        .stderr(contains("is a symbolic link"));
    assert!(files_in(&elsewhere).is_empty());
    assert_eq!(server.token_creations(), 1, "only the first login made one");
}

#[test]
fn a_pinned_file_or_dir_others_may_write_is_refused_with_the_chmod() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let (env, _) = pinned_env(&server);
    let file = pinned_file(&env);
    let certs = env.config_dir().join("certs");
    if is_root() {
        chown_tree(env.dir.path(), 65534, None);
    }
    chmod(&file, 0o666);
    env.user_cmd()
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains("may be changed by others (mode 666)"))
        .stderr(contains(format!("hint: chmod 600 {}", file.display())));
    chmod(&file, 0o600);
    chmod(&certs, 0o777);
    env.user_cmd()
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains(format!("hint: chmod 700 {}", certs.display())));
    chmod(&certs, 0o700);
    env.user_cmd().arg("whoami").assert().success();
}

#[test]
fn at_a_terminal_a_changed_certificate_is_refused_not_offered() {
    let first = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let (env, old) = pinned_env(&first);
    let second = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let new = fingerprint_of(&second);
    let mut cmd = env.terminal_cmd();
    cmd.args(["--server", &second.url, "login", "--login", LOGIN]);
    let mut term = Pty::spawn(cmd);
    assert_eq!(term.wait(), 5, "{}", term.screen);
    assert!(!term.screen.contains("[y/N]"), "{}", term.screen);
    assert!(!term.screen.contains("Password"), "{}", term.screen);
    let screen = term.screen.replace("\r\n", " ").replace('\n', " ");
    assert!(
        screen.contains(&format!("saymon pinned SHA-256 {old}")),
        "{screen}"
    );
    assert!(
        // The command that pins anew names the server, which is not the profile's own.
        screen.contains(&format!(
            "`saymon --server {} login --pin sha256:{}`",
            second.url,
            new.replace(':', "")
        )),
        "{screen}"
    );
    assert!(second.seen().is_empty());
}

#[test]
fn a_login_without_insecure_verifies_before_anything_is_sent() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    let login = |insecure: bool| {
        let mut cmd = env.cmd();
        cmd.env("SAYMON_SERVER", &server.url)
            .env("SAYMON_PASSWORD", PASSWORD)
            .args(["login", "--login", LOGIN, "--store", "file"]);
        if insecure {
            cmd.arg("--insecure");
        }
        cmd
    };
    login(true).assert().success();
    let seen = server.seen().len();
    // Without the flag, the certificate is checked: refused, with nothing sent and the
    // profile as it was (it still works insecurely, as it was told to).
    login(false)
        .assert()
        .code(5)
        .stderr(contains("is not trusted"));
    assert_eq!(
        server.seen().len(),
        seen,
        "the password went out unverified"
    );
    assert_eq!(server.token_creations(), 1);
    env.cmd().arg("whoami").assert().success();
}

#[test]
fn the_pinned_note_comes_only_when_the_login_holds() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    // No password anywhere: the login fails after the pin was checked.
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .args(["--pin", &fingerprint_of(&server)])
        .assert()
        .code(3)
        .stderr(contains("Pinned").not());
    assert!(files_in(&env.config_dir().join("certs")).is_empty());
}

#[test]
fn saymon_pin_trusts_a_self_signed_server_for_a_job_without_a_login() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    // The user's token, made as an admin would (trusting the certificate's file).
    let made = Env::new()
        .cmd()
        .env("SAYMON_SERVER", &server.url)
        .env("SAYMON_CA_CERT", &server.ca_file)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "create", "--login", LOGIN])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let token = String::from_utf8(made.stdout).unwrap().trim().to_string();
    let env = Env::new();
    let job = |pin: &str| {
        let mut cmd = env.cmd();
        cmd.env("SAYMON_SERVER", &server.url)
            .env("SAYMON_TOKEN", &token)
            .env("SAYMON_PIN", pin);
        cmd
    };
    // Without it: the hint names SAYMON_PIN and SAYMON_CA_CERT.
    job("")
        .arg("whoami")
        .assert()
        .code(5)
        .stderr(contains("SAYMON_PIN=sha256:"))
        .stderr(contains("SAYMON_CA_CERT"));
    let fp = fingerprint_of(&server);
    // As openssl prints it.
    job(&format!("sha256 Fingerprint={fp}"))
        .arg("whoami")
        .assert()
        .success();
    assert!(!env.config_dir().exists(), "SAYMON_PIN wrote something");
    // A wrong one: the message names SAYMON_PIN, not a login.
    let wrong = format!("sha256:{}", "ab".repeat(32));
    job(&wrong)
        .arg("whoami")
        .assert()
        .code(5)
        .stderr(contains("is not the one SAYMON_PIN trusts"))
        .stderr(contains(format!(
            "SAYMON_PIN=sha256:{}",
            fp.replace(':', "")
        )))
        .stderr(contains("saymon login").not());
    job(&format!("sha256:{fp}"))
        .args(["--insecure", "whoami"])
        .assert()
        .code(2)
        .stderr(contains("do not go together"));
    job("sha1:00")
        .arg("whoami")
        .assert()
        .code(2)
        .stderr(contains(
            "SAYMON_PIN \"sha1:00\" is not a SHA-256 fingerprint",
        ));
}

#[test]
fn doctor_names_a_login_pin_and_its_file() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let (env, _) = pinned_env(&server);
    let file = pinned_file(&env);
    env.cmd()
        .arg("doctor")
        .assert()
        .success()
        .stdout(contains(format!(
            "verified: pinned at login (the only certificate trusted; kept in {})",
            file.display()
        )))
        .stdout(contains("--ca-cert").not());
    let out = env
        .cmd()
        .args(["--output", "json", "doctor"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(r#""verified_by":"pin""#), "{text}");
}

#[test]
fn pin_accepts_the_lines_openssl_and_doctor_print() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let fp = fingerprint_of(&server);
    for pasted in [
        format!("sha256 Fingerprint={fp}"),
        format!("SHA256 Fingerprint={fp}"),
        format!("SHA-256 {fp}"),
    ] {
        login_pinned(&Env::new(), &server, &pasted)
            .assert()
            .success();
    }
}

#[test]
fn a_ca_file_from_the_environment_neither_replaces_a_pin_nor_brings_back_the_question() {
    let first = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let (env, old) = pinned_env(&first);
    // A company CA exported for other servers (here: another test CA's file).
    let company = FakeSaymon::start_tls(Cert::SignedByCa);
    // The pin still holds against the pinned server: before, the variable replaced it
    // (and this CA does not vouch for the server, so whoami failed).
    env.cmd()
        .env("SAYMON_CA_CERT", &company.ca_file)
        .arg("whoami")
        .assert()
        .success();
    // The certificate changed: at a terminal, with the variable set, no first-use
    // question (a reflex "y" sent the password to the impostor), exit 5 with the pin.
    let second = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let mut cmd = env.terminal_cmd();
    cmd.env("SAYMON_CA_CERT", &company.ca_file).args([
        "--server",
        &second.url,
        "login",
        "--login",
        LOGIN,
    ]);
    let mut term = Pty::spawn(cmd);
    assert_eq!(term.wait(), 5, "{}", term.screen);
    assert!(!term.screen.contains("[y/N]"), "{}", term.screen);
    let screen = term.screen.replace("\r\n", " ").replace('\n', " ");
    assert!(
        screen.contains(&format!("saymon pinned SHA-256 {old}")),
        "{screen}"
    );
    assert!(second.seen().is_empty());
    // --ca-cert on the command line is a choice: it replaces the pin for that run.
    env.cmd()
        .args(["--ca-cert", first.ca_file.to_str().unwrap(), "whoami"])
        .assert()
        .success();
}

#[test]
fn a_first_login_that_pins_and_then_rescues_its_token_keeps_the_pinned_file() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    chmod(&env.config_dir(), 0o700);
    // The file store breaks once the token exists: the token is rescued, the profile is
    // written with the new pin. Before, the login's failure removed the pinned file and
    // every later command was exit 7.
    let garbled = env.credentials_file();
    server.state.lock().unwrap().on_token_created = Some(Box::new(move || {
        std::fs::write(&garbled, "garbage = [").unwrap();
    }));
    login_pinned(&env, &server, &fingerprint_of(&server))
        .assert()
        .code(7)
        .stderr(contains("Pinned the certificate"));
    server.state.lock().unwrap().on_token_created = None;
    pinned_file(&env);
    env.cmd()
        .arg("whoami")
        .assert()
        .success()
        .stdout(contains("the rescue file"));
}
