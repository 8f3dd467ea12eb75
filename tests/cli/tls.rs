//! Whom saymon trusts: a lab certificate given as --ca-cert (a pin, never an anchor),
//! --insecure remembered and warned, mutual TLS, a refused certificate not tried again,
//! a pinned certificate shown without its key.

use crate::support::*;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

#[test]
fn a_lab_certificate_given_as_ca_cert_is_trusted_as_pinned() {
    // Self-signed and CA:TRUE, as `openssl req -x509` makes it: curl --cacert takes it.
    let server = FakeSaymon::start_tls(Cert::SelfSignedCa);
    let env = Env::new();
    env.login_file(&server);
    env.at(&server).arg("whoami").assert().success();
    // Without it: not trusted, and nothing was sent.
    let seen = server.seen().len();
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .env("SAYMON_TOKEN", "tok-canary")
        .args(["--profile", "bare", "whoami"])
        .assert()
        .code(5)
        .stderr(contains("is not trusted (self-signed, for CN="))
        .stderr(contains(
            "hint: for a company or self-signed CA pass --ca-cert",
        ));
    assert_eq!(server.seen().len(), seen, "no request without trust");

    // Pinning is no weaker than a CA: another certificate in the file does not help, and
    // the pinned one must still name the host and be in date.
    let other = FakeSaymon::start_tls(Cert::SelfSignedCa);
    env.at(&server)
        .env("SAYMON_CA_CERT", &other.ca_file)
        .arg("whoami")
        .assert()
        .code(5)
        .stderr(contains(format!(
            "hint: {} neither signed the server's certificate nor is it",
            other.ca_file.display()
        )));
    // Said in our words: the certificate's dates, its names.
    for (cert, why, hint) in [
        (
            Cert::SelfSignedExpired,
            "the TLS certificate of 127.0.0.1:",
            "expired on 2000-12-31 00:00 UTC (",
        ),
        (
            Cert::SelfSignedWrongName,
            "is for other.example, not for 127.0.0.1",
            "use a name the certificate holds in --server",
        ),
    ] {
        let bad = FakeSaymon::start_tls(cert);
        Env::new()
            .at(&bad)
            .env("SAYMON_TOKEN", "tok-canary")
            .arg("whoami")
            .assert()
            .code(5)
            .stderr(contains(why))
            .stderr(contains(hint))
            .stderr(contains("--ca-cert cannot help"));
        assert!(bad.seen().is_empty(), "{why}: nothing sent");
    }
}

#[test]
fn insecure_given_at_login_is_remembered_and_warned_until_a_login_without_it() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let login = |extra: &[&str]| {
        env.cmd()
            .env("SAYMON_SERVER", &server.url)
            .env("SAYMON_PASSWORD", PASSWORD)
            .args(["login", "--login", LOGIN, "--store", "file"])
            .args(extra)
            .assert()
    };
    // The test CA is not given: only --insecure lets it through.
    login(&[]).code(5);
    login(&["--insecure"])
        .success()
        .stderr(contains("is not verified"));
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    assert!(config.contains("insecure = true"), "{config}");
    for _ in 0..2 {
        env.cmd()
            .arg("whoami")
            .assert()
            .success()
            .stderr(contains("warning: --insecure: the TLS certificate of"));
    }
    // Not for another server given with --server.
    let other = FakeSaymon::start();
    env.cmd()
        .env("SAYMON_SERVER", &other.url)
        .env("SAYMON_TOKEN", "tok-canary")
        .arg("whoami")
        .assert()
        .code(5);

    login(&["--ca-cert", server.ca_file.to_str().unwrap()]).success();
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    assert!(!config.contains("insecure"), "{config}");
    let out = env
        .cmd()
        .arg("whoami")
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not verified"));
}

#[test]
fn mutual_tls_given_at_login_is_remembered_and_missing_it_says_so() {
    let server = FakeSaymon::start_mutual_tls();
    let (cert, key) = server.client_files.clone().unwrap();
    let env = Env::new();
    let login = |extra: &[&str]| {
        env.at(&server)
            .env("SAYMON_PASSWORD", PASSWORD)
            .args(["login", "--login", LOGIN, "--store", "file"])
            .args(extra)
            .assert()
    };
    // Missing: the server ends the handshake, and the message says what it wants.
    login(&[])
        .code(5)
        .stderr(contains(
            "asks for a client certificate (mutual TLS), and none was given",
        ))
        .stderr(contains(
            "hint: pass --client-cert FILE.pem and --client-key",
        ));
    assert!(server.seen().is_empty(), "no request got through");

    // Given: login works and remembers both, absolute.
    login(&[
        "--client-cert",
        cert.to_str().unwrap(),
        "--client-key",
        key.to_str().unwrap(),
    ])
    .success();
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    assert!(
        config.contains(&format!("client_cert = \"{}\"", cert.display())),
        "{config}"
    );
    assert!(
        config.contains(&format!("client_key = \"{}\"", key.display())),
        "{config}"
    );
    env.cmd()
        .arg("whoami")
        .assert()
        .success()
        .stdout(contains(LOGIN));
    env.cmd()
        .args(["status"])
        .assert()
        .success()
        .stdout(contains("works"));

    // A key others can read is refused, as the credentials file is.
    chmod(&key, 0o644);
    env.cmd()
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains(
            "holds a private key but others can read it (mode 644)",
        ))
        .stderr(contains(format!("hint: chmod 600 {}", key.display())));
    chmod(&key, 0o600);

    // The environment's pair replaces the profile's; a certificate from another client CA
    // is refused by the server, and said so.
    let other = FakeSaymon::start_mutual_tls();
    let (other_cert, other_key) = other.client_files.clone().unwrap();
    env.cmd()
        .env("SAYMON_CLIENT_CERT", &other_cert)
        .env("SAYMON_CLIENT_KEY", &other_key)
        .arg("whoami")
        .assert()
        .code(5)
        .stderr(contains(format!(
            "did not accept the client certificate {}",
            other_cert.display()
        )))
        .stderr(contains("hint: ask the server's admin which CA"));
    // A key that is not the certificate's: a usage error before any connection.
    env.cmd()
        .env("SAYMON_CLIENT_CERT", &cert)
        .env("SAYMON_CLIENT_KEY", &other_key)
        .arg("whoami")
        .assert()
        .code(2)
        .stderr(contains(format!(
            "cannot use the client key {} with its certificate",
            other_key.display()
        )));
    // A certificate and key in one file, as curl's --cert takes them.
    let both = env.home().join("both.pem");
    let pem = std::fs::read_to_string(&cert).unwrap() + &std::fs::read_to_string(&key).unwrap();
    std::fs::write(&both, pem).unwrap();
    chmod(&both, 0o600);
    env.at(&server)
        .env("SAYMON_TOKEN", server.token_of(LOGIN).unwrap())
        .args(["--client-cert", both.to_str().unwrap(), "whoami"])
        .assert()
        .success();
}

#[test]
fn a_refused_certificate_is_not_tried_again() {
    let server = FakeSaymon::start();
    let env = Env::new();
    // No CA file: the test CA is unknown to the system's roots.
    let out = env
        .cmd()
        .env("SAYMON_SERVER", &server.url)
        .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
        .args(["-v", "whoami"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(!stderr.contains("retry"), "{stderr}");
}

#[test]
fn a_lab_certificate_is_a_pin_never_an_anchor() {
    // Its own certificate (CA:FALSE) given as --ca-cert: pinned, it works.
    let lab = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    env.at(&lab)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .success();
    // A certificate signed with that lab certificate's key: refused, nothing sent.
    let forged = FakeSaymon::start_tls(Cert::SignedWithALabKey);
    let env = Env::new();
    env.at(&forged)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(5)
        .stderr(contains("signed with the key of CN=saymon lab server in"))
        .stderr(contains("which is not a CA certificate"));
    assert!(
        forged.seen().is_empty(),
        "neither the password nor a token was sent"
    );
}

#[test]
fn a_pinned_certificate_without_its_key_is_named_as_such() {
    let server = FakeSaymon::start_tls(Cert::PinnedWithoutItsKey);
    let env = Env::new();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(5)
        .stderr(contains("showed the pinned certificate of"))
        .stderr(contains("could not prove it holds its key"))
        .stderr(contains("neither signed").not());
    // The same on every try: not tried again.
    env.at(&server)
        .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
        .args(["-v", "whoami"])
        .assert()
        .code(5)
        .stderr(contains("retry").not());
    assert!(server.seen().is_empty(), "nothing was sent");
}
