//! Trust on first use, as ssh does: a lab server's self-signed certificate shown with its
//! fingerprint and trusted at a terminal, or by `login --pin sha256:…` without one; the
//! pin kept, a changed certificate refused with both fingerprints; `doctor` showing it.

use predicates::str::contains;
use serde_json::Value;

use crate::support::pty::Pty;
use crate::support::*;

/// The fingerprint of the certificate `server` shows, as `doctor --output json` reads it.
pub(crate) fn fingerprint(env: &Env, server: &FakeSaymon) -> String {
    let out = env
        .cmd()
        .env("SAYMON_SERVER", &server.url)
        .args(["--output", "json", "doctor"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = report["profiles"][0]["checks"].as_array().unwrap();
    let tls = checks.iter().find(|c| c["check"] == "TLS").unwrap();
    tls["data"]["sha256"].as_str().unwrap().to_string()
}

/// `login --pin PIN` without a terminal, the password from the environment.
pub(crate) fn login_pinned(env: &Env, server: &FakeSaymon, pin: &str) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file", "--pin", pin]);
    cmd
}

#[test]
fn doctor_shows_the_fingerprint_in_its_tls_line() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    let fp = fingerprint(&env, &server);
    assert_eq!(fp.len(), 95, "{fp}");
    // Not trusted: the failed line names it, to compare with the admin's.
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .arg("doctor")
        .assert()
        .code(5)
        .stdout(contains(format!("its SHA-256: {fp}")));
    // Trusted: the passing line too.
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .env("SAYMON_CA_CERT", &server.ca_file)
        .arg("doctor")
        .assert()
        .stdout(contains(format!("SHA-256 {fp}")));
}

#[test]
fn a_pin_trusts_the_certificate_and_is_kept_for_the_profile() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    let fp = fingerprint(&env, &server);
    // Colons and case do not matter.
    let pin = format!("SHA256:{}", fp.replace(':', "").to_ascii_lowercase());
    login_pinned(&env, &server, &pin)
        .assert()
        .success()
        .stderr(contains(format!("Pinned the certificate (SHA-256 {fp})")))
        .stderr(contains("Logged in to"));
    // A file of its own for this certificate: certs/<profile>-<fingerprint's start>.pem.
    let short = fp.replace(':', "")[..16].to_ascii_lowercase();
    let pem = env.config_dir().join(format!("certs/default-{short}.pem"));
    assert_eq!(
        std::fs::read_to_string(&pem)
            .unwrap()
            .replace("\r\n", "\n")
            .trim(),
        std::fs::read_to_string(&server.ca_file)
            .unwrap()
            .replace("\r\n", "\n")
            .trim()
    );
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    assert!(config.contains(&format!("pin = \"{fp}\"")), "{config}");
    assert!(
        config.contains(&format!("certs/default-{short}.pem")),
        "{config}"
    );
    // Later commands trust it as --ca-cert with that file.
    env.cmd().arg("whoami").assert().success();
}

#[test]
fn a_wrong_pin_sends_nothing_and_shows_both_fingerprints() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    let fp = fingerprint(&env, &server);
    let other = format!("sha256:{}", "ab".repeat(32));
    login_pinned(&env, &server, &other)
        .assert()
        .code(5)
        .stderr(contains(format!("has the SHA-256 fingerprint {fp}")))
        .stderr(contains(format!("not {}", "AB:".repeat(31) + "AB")));
    assert!(server.seen().is_empty(), "{:?}", server.seen());
    assert!(!env.config_file().exists());
    for bad in ["ab", "sha1:00", "sha256:xyz"] {
        login_pinned(&env, &server, bad)
            .assert()
            .code(2)
            .stderr(contains("is not a SHA-256 fingerprint"));
    }
}

#[test]
fn a_pinned_certificate_that_changes_is_refused_with_the_way_to_trust_the_new_one() {
    let first = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    let old = fingerprint(&env, &first);
    login_pinned(&env, &first, &format!("sha256:{old}"))
        .assert()
        .success();
    // The same profile, now reaching a server with another self-signed certificate (for
    // the same names and user).
    let second = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let new = fingerprint(&Env::new(), &second);
    assert_ne!(old, new);
    let moved = |file: std::path::PathBuf| {
        let text = std::fs::read_to_string(&file).unwrap();
        let (from, to) = (first.addr.to_string(), second.addr.to_string());
        std::fs::write(&file, text.replace(&from, &to)).unwrap();
    };
    moved(env.config_file());
    moved(env.credentials_file());
    env.cmd()
        .arg("whoami")
        .assert()
        .code(5)
        .stderr(contains(format!(
            "changed: saymon pinned SHA-256 {old}, the server now shows SHA-256 {new}"
        )))
        .stderr(contains(format!(
            "trust it on purpose: `saymon login --pin sha256:{}`",
            new.replace(':', "")
        )));
    // Re-trusted with the new fingerprint, it works again.
    env.cmd()
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--pin", &format!("sha256:{new}")])
        .assert()
        .success();
    env.cmd().arg("whoami").assert().success();
    // The file of the certificate trusted before is gone with it.
    assert_eq!(files_in(&env.config_dir().join("certs")).len(), 1);
}

fn on_terminal(env: &Env, server: &FakeSaymon) -> Pty {
    let mut cmd = env.terminal_cmd();
    cmd.args([
        "--server",
        &server.url,
        "login",
        "--login",
        LOGIN,
        "--store",
        "file",
    ]);
    Pty::spawn(cmd)
}

#[test]
fn at_a_terminal_an_untrusted_certificate_is_shown_and_trusted_on_first_use() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    let fp = fingerprint(&env, &server);
    let mut term = on_terminal(&env, &server);
    term.expect("No CA this machine trusts vouches for the TLS certificate");
    term.expect(&format!("SHA-256      {fp}"));
    term.expect(&format!(
        "Trust this certificate for 127.0.0.1:{}? [y/N] ",
        server.addr.port()
    ));
    term.send("y\n");
    term.expect("Password for admin");
    term.wait_for_hidden_input();
    term.send(&format!("{PASSWORD}\n"));
    term.expect("Logged in to");
    // Said once it holds: after the login, not before.
    term.expect(&format!("Pinned the certificate (SHA-256 {fp})"));
    assert_eq!(term.wait(), 0, "{}", term.screen);
    env.cmd().arg("whoami").assert().success();
}

#[test]
fn declining_the_certificate_stores_nothing_and_says_why() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    let mut term = on_terminal(&env, &server);
    term.expect("[y/N] ");
    term.send("\n");
    assert_eq!(term.wait(), 5, "{}", term.screen);
    assert!(term.screen.contains("is not trusted"), "{}", term.screen);
    assert!(!env.config_dir().join("certs").exists());
    assert!(!env.config_file().exists());
}

#[test]
fn a_certificate_for_other_names_is_not_offered() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedWrongName);
    let env = Env::new();
    let mut term = on_terminal(&env, &server);
    assert_eq!(term.wait(), 5, "{}", term.screen);
    assert!(
        !term.screen.contains("Trust this certificate"),
        "{}",
        term.screen
    );
    assert!(term.screen.contains("is not trusted"), "{}", term.screen);
    // Nor is a pin of it any use: its names are still checked.
    let fp = fingerprint(&env, &server);
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .args(["--pin", &format!("sha256:{fp}")])
        .assert()
        .code(5)
        .stderr(contains("has the fingerprint given, but its names or dates are wrong for it: it is for other.example"));
    assert!(!env.config_dir().join("certs").exists());
}

#[test]
fn a_login_that_fails_leaves_the_trust_as_it_was() {
    let first = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    let old = fingerprint(&env, &first);
    // Pasted as doctor shows it: no sha256: prefix.
    login_pinned(&env, &first, &old).assert().success();
    let certs = || files_in(&env.config_dir().join("certs"));
    let before = (std::fs::read_to_string(env.config_file()).unwrap(), certs());
    // Another certificate, pinned by a login that then fails (no password here).
    let second = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let new = fingerprint(&Env::new(), &second);
    env.cmd()
        .env("SAYMON_SERVER", &second.url)
        .args(["login", "--pin", &new])
        .assert()
        .code(3);
    let after = (std::fs::read_to_string(env.config_file()).unwrap(), certs());
    assert_eq!(
        before, after,
        "the failed login changed what the profile trusts"
    );
    env.cmd().arg("whoami").assert().success();
}
