//! Network behaviour: which requests are retried, after how long, and what `exec` passes
//! on so that other tools reach the server as saymon does.

mod support;

use predicates::str::contains;
use support::*;

#[test]
fn a_429_is_retried_after_the_servers_retry_after() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    server.state.lock().unwrap().throttle = 2;
    let started = std::time::Instant::now();
    env.at(&server)
        .args(["-v", "whoami"])
        .assert()
        .success()
        .stderr(contains(
            "429 Too Many Requests: retry 1 of 2 in 1000 ms (Retry-After)",
        ))
        .stderr(contains("retry 2 of 2"));
    assert!(started.elapsed().as_millis() >= 2000, "it waited as asked");

    // --retries 0: the first answer is the last.
    server.state.lock().unwrap().throttle = 1;
    env.at(&server)
        .args(["--retries", "0", "whoami"])
        .assert()
        .code(1)
        .stderr(contains("429 Too Many Requests: Slow down."));
}

#[test]
fn a_wait_longer_than_the_deadline_is_not_waited() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    {
        let mut state = server.state.lock().unwrap();
        state.throttle = 1;
        state.retry_after = 60;
    }
    let started = std::time::Instant::now();
    env.at(&server)
        .args(["-v", "--timeout", "3", "whoami"])
        .assert()
        .code(1)
        .stderr(contains("not retrying (429 Too Many Requests): waiting 60000 ms would pass the deadline (--timeout 3)"));
    assert!(started.elapsed().as_secs() < 3, "gave up at once");
}

#[test]
fn only_reads_are_retried() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let before = server.seen().len();
    server.state.lock().unwrap().throttle = 5;
    env.at(&server)
        .args(["api", "-X", "POST", "objects", "-f", "name=x"])
        .assert()
        .code(6);
    env.at(&server)
        .args(["api", "-X", "DELETE", "objects/1"])
        .assert()
        .code(6);
    assert_eq!(server.seen().len(), before + 2, "one try each");
}

#[test]
fn exec_passes_the_ca_certificate_in_force() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let out = env
        .at(&server)
        .args(["exec", "--", "sh", "-c", "echo \"${SAYMON_CA_CERT-unset}\""])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap().trim(),
        server.ca_file.to_str().unwrap()
    );
    // Remembered in the profile, it is passed on without the flag; without one, none.
    env.cmd()
        .args([
            "exec",
            "--",
            "sh",
            "-c",
            "test \"$SAYMON_CA_CERT\" = \"$0\"",
        ])
        .arg(&server.ca_file)
        .assert()
        .success();
    env.cmd()
        .env("SAYMON_SERVER", "https://example.invalid")
        .env("SAYMON_TOKEN", "tok-canary")
        .args([
            "--profile",
            "other",
            "exec",
            "--",
            "sh",
            "-c",
            "echo \"${SAYMON_CA_CERT-unset}\"",
        ])
        .assert()
        .success()
        .stdout("unset\n");
}

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
        .stderr(contains("not trusted"))
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
    for (cert, why, hint) in [
        (Cert::SelfSignedExpired, "Expired", "outside its dates"),
        (
            Cert::SelfSignedWrongName,
            "NotValidForName",
            "for other names than 127.0.0.1",
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
