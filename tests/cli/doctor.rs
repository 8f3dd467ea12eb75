//! `saymon doctor`: each step checked in order against the in-process fake, on a healthy
//! setup and on each broken one; the exit code is the first failure's.

use crate::support::*;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;

/// The stdout of a doctor run, with its exit code checked.
fn doctor(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let output = cmd.assert().code(code).get_output().clone();
    String::from_utf8(output.stdout).unwrap()
}

/// The line of check `name` ("  ✔ TLS  …").
fn line<'a>(report: &'a str, name: &str) -> &'a str {
    report
        .lines()
        .find(|l| {
            l.trim_start()
                .split_once(' ')
                .is_some_and(|(_, rest)| rest.starts_with(&format!("{name} ")))
        })
        .unwrap_or_else(|| panic!("no {name} line in:\n{report}"))
}

#[test]
fn a_healthy_setup_passes_every_check() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let report = doctor(env.cmd().arg("doctor"), 0);
    assert!(line(&report, "config").starts_with("✔"), "{report}");
    assert!(line(&report, "config").contains("1 profile, only you can change it"));
    assert!(line(&report, "credentials").starts_with("✔"), "{report}");
    assert!(report.contains(&format!("profile default ({})", server.url)));
    assert!(line(&report, "DNS").contains("127.0.0.1: an address"));
    assert!(line(&report, "TCP").contains(&format!("connected to {}", server.addr)));
    let tls = line(&report, "TLS");
    assert!(tls.starts_with("  ✔"), "{tls}");
    for part in [
        "for 127.0.0.1 and localhost",
        "issued by CN=saymon test CA",
        "days left",
        "verified: signed by a CA of the --ca-cert file",
    ] {
        assert!(tls.contains(part), "{part}: {tls}");
    }
    assert!(line(&report, "server").contains("version/hash: 3f2a9c1"));
    assert!(
        line(&report, "token").contains("accepted: the token of the file"),
        "{report}"
    );
    assert!(line(&report, "token").contains("belongs to admin"));
    assert!(!report.contains('✘') && !report.contains('⚠'), "{report}");

    // One JSON document, with the certificate's details.
    let json: Value =
        serde_json::from_str(&doctor(env.cmd().args(["doctor", "--output", "json"]), 0)).unwrap();
    assert_eq!(json["ok"], true);
    let checks = &json["profiles"][0]["checks"];
    let tls = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "TLS")
        .unwrap();
    assert_eq!(tls["state"], "pass");
    assert_eq!(tls["data"]["verified_by"], "ca-cert");
    assert_eq!(tls["data"]["names"][0], "127.0.0.1");
    // The token never appears.
    let token = server.token_of(LOGIN).unwrap();
    assert!(!json.to_string().contains(&token));
}

#[test]
fn a_pinned_certificate_a_plain_local_server_and_one_ending_soon() {
    let lab = FakeSaymon::start_tls(Cert::SelfSignedCa);
    let env = Env::new();
    env.login_file(&lab);
    let report = doctor(env.cmd().arg("doctor"), 0);
    assert!(
        line(&report, "TLS").contains("self-signed")
            && line(&report, "TLS").contains("verified: pinned"),
        "{report}"
    );

    let plain = FakeSaymon::start_plain();
    let env = Env::new();
    env.login_plain(&plain, false, &[]);
    let report = doctor(env.cmd().arg("doctor"), 0);
    assert!(
        line(&report, "TLS").contains("✔ TLS          none: plain http:// on this machine"),
        "{report}"
    );

    // Under 14 days: a warning with the date, and still exit 0.
    let soon = FakeSaymon::start_tls(Cert::SelfSignedEndingSoon);
    let env = Env::new();
    env.login_file(&soon);
    let report = doctor(env.cmd().arg("doctor"), 0);
    let tls = line(&report, "TLS");
    assert!(tls.starts_with("  ⚠"), "{report}");
    assert!(tls.contains("(5 days left)"), "{tls}");
    assert!(
        tls.contains("fix: renew the server's certificate before"),
        "{tls}"
    );
}

#[test]
fn each_broken_step_fails_with_its_fix_and_exit_code() {
    // An unknown CA: exit 5 at TLS, with what the certificate is; nothing after is tried.
    let server = FakeSaymon::start();
    let env = Env::new();
    let report = doctor(
        env.cmd()
            .env("SAYMON_SERVER", &server.url)
            .env("SAYMON_TOKEN", "tok-canary")
            .arg("doctor"),
        5,
    );
    let tls = line(&report, "TLS");
    assert!(tls.starts_with("  ✘"), "{report}");
    assert!(tls.contains("issued to"), "{tls}");
    assert!(tls.contains("fix: for a company or self-signed CA pass --ca-cert"));
    assert!(
        !report.contains("saymon doctor"),
        "doctor does not advise itself: {report}"
    );
    assert!(line(&report, "server").contains("- server       not tried: TLS failed"));
    assert!(server.seen().is_empty(), "nothing reached the server");

    // The same CA as the system's (SSL_CERT_FILE, as OpenSSL reads it): verified by it.
    let report = doctor(
        env.cmd()
            .env("SAYMON_SERVER", &server.url)
            .env("SSL_CERT_FILE", &server.ca_file)
            .arg("doctor"),
        3,
    );
    assert!(
        line(&report, "TLS").contains("verified: signed by a CA of the system's trust store"),
        "{report}"
    );

    // A name that does not resolve: exit 5 at DNS.
    let report = doctor(
        env.cmd()
            .env("SAYMON_SERVER", "https://saymon.invalid")
            .arg("doctor"),
        5,
    );
    assert!(
        line(&report, "DNS").contains("✘ DNS          cannot look up saymon.invalid"),
        "{report}"
    );
    assert!(line(&report, "TCP").contains("not tried: DNS failed"));

    // A server down: exit 5 at TCP.
    let down = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let report = doctor(
        env.cmd()
            .env("SAYMON_SERVER", format!("https://{down}"))
            .arg("doctor"),
        5,
    );
    assert!(line(&report, "TCP").contains("✘ TCP          cannot connect to"));

    // A proxy's error page where SAYMON should answer: exit 1 at server.
    let env = Env::new();
    env.login_file(&server);
    server.set_mode(Mode::Html502);
    let report = doctor(env.cmd().arg("doctor"), 1);
    assert!(line(&report, "TLS").starts_with("  ✔"), "{report}");
    assert!(line(&report, "server").starts_with("  ✘"), "{report}");
    server.set_mode(Mode::Normal);

    // A token that was replaced: exit 4 at token, with the fix.
    let env = Env::new();
    env.login_file(&server);
    let old = server.token_of(LOGIN).unwrap();
    env.login_file(&server);
    let report = doctor(env.at(&server).env("SAYMON_TOKEN", &old).arg("doctor"), 4);
    let token = line(&report, "token");
    assert!(token.starts_with("  ✘"), "{report}");
    // It came from SAYMON_TOKEN: that is the fix, not a refresh of the stored token.
    assert!(token.contains("fix: SAYMON_TOKEN was refused"), "{report}");
    assert!(!report.contains(&old));
    // The stored token's own refusal gets the refresh.
    std::fs::write(
        env.credentials_file(),
        std::fs::read_to_string(env.credentials_file())
            .unwrap()
            .replace(&server.token_of(LOGIN).unwrap(), &old),
    )
    .unwrap();
    let report = doctor(env.at(&server).arg("doctor"), 4);
    assert!(
        line(&report, "token").contains("fix: the token was replaced by a newer one or revoked"),
        "{report}"
    );

    // Not logged in: exit 3 at token.
    let env = Env::new();
    let report = doctor(env.at(&server).arg("doctor"), 3);
    assert!(
        line(&report, "token").contains("no stored token"),
        "{report}"
    );
}

#[test]
fn token_auth_switched_off_is_told_when_the_password_works() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    server.set_mode(Mode::TokenAuthOff);
    let report = doctor(env.cmd().arg("doctor"), 4);
    // Without a password at hand it cannot tell.
    assert!(!report.contains("token auth"), "{report}");
    let report = doctor(env.cmd().env("SAYMON_PASSWORD", PASSWORD).arg("doctor"), 4);
    let off = line(&report, "token auth");
    assert!(
        off.contains("the password of admin works, but the token is refused: token authentication may be switched off"),
        "{off}"
    );
    assert!(!report.contains(PASSWORD));
}

#[test]
fn local_problems_are_found_before_the_network() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    // A credentials file others can read: exit 7, the chmod fix.
    chmod(&env.credentials_file(), 0o644);
    let report = doctor(env.cmd().arg("doctor"), 7);
    assert!(
        line(&report, "credentials").contains("fix: chmod 600"),
        "{report}"
    );
    chmod(&env.credentials_file(), 0o600);

    // A garbage config: reported, and a --server given is still checked.
    let broken = Env::new();
    std::fs::create_dir_all(broken.config_dir()).unwrap();
    chmod(&broken.config_dir(), 0o700);
    std::fs::write(broken.config_file(), "profiles = [[[ nonsense").unwrap();
    let report = doctor(broken.at(&server).arg("doctor"), 1);
    assert!(line(&report, "config").starts_with("✘"), "{report}");
    assert!(line(&report, "TLS").starts_with("  ✔"), "{report}");
    assert!(
        !line(&report, "token").starts_with("  ✘"),
        "no false failure: {report}"
    );
    // Without --server: the config's failure alone, no false "has no server".
    let report = doctor(broken.cmd().arg("doctor"), 1);
    assert!(line(&report, "config").starts_with("✘"), "{report}");
    assert!(!report.contains("has no server"), "{report}");
    assert_eq!(report.matches('✘').count(), 1, "{report}");

    // A keyring profile without a Secret Service (no D-Bus in this environment): exit 7
    // at keyring, and the token is not tried.
    let keyring = Env::new();
    keyring.write_keyring_profile(&server.url, LOGIN);
    let report = doctor(
        keyring
            .at(&server)
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .arg("doctor"),
        7,
    );
    assert!(line(&report, "keyring").starts_with("  ✘"), "{report}");
    assert!(line(&report, "token").contains("not tried: the store failed"));

    // A client key others can read: the TLS setup fails, exit 7.
    let mutual = FakeSaymon::start_mutual_tls();
    let (cert, key) = mutual.client_files.clone().unwrap();
    chmod(&key, 0o644);
    let report = doctor(
        Env::new()
            .at(&mutual)
            .env("SAYMON_CLIENT_CERT", &cert)
            .env("SAYMON_CLIENT_KEY", &key)
            .arg("doctor"),
        7,
    );
    assert!(
        line(&report, "TLS setup").contains("holds a private key"),
        "{report}"
    );
    // Missing for a server that wants one: exit 5 at TLS.
    let report = doctor(Env::new().at(&mutual).arg("doctor"), 5);
    assert!(
        line(&report, "TLS").contains("asks for a client certificate"),
        "{report}"
    );
}

#[test]
fn all_checks_every_profile_in_order_and_exits_with_the_first_failure() {
    let good = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&good);
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    let down = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    // Profiles are sorted by name: "aaa-down" comes first.
    std::fs::write(
        env.config_file(),
        format!(
            "{config}\n[profiles.aaa-down]\nserver = \"https://{down}\"\nlogin = \"{LOGIN}\"\nstore = \"file\"\n\n[profiles.zzz-plain]\nserver = \"http://127.0.0.1:9\"\n"
        ),
    )
    .unwrap();
    let report = doctor(env.cmd().args(["doctor", "--all"]), 5);
    let a = report.find("profile aaa-down").unwrap();
    let d = report.find("profile default").unwrap();
    let z = report.find("profile zzz-plain").unwrap();
    assert!(a < d && d < z, "{report}");
    assert_eq!(report.matches("✘ TCP").count(), 2, "{report}");
    assert!(report[d..z].contains("✔ token"), "{report}");
    env.cmd()
        .args(["doctor", "--all"])
        .assert()
        .stderr(contains("2 checks failed, the first: TCP"))
        .stderr(contains("hint: is the server up"))
        .stderr(contains("tok-").not());
}

#[test]
fn a_stalled_tls_handshake_is_named_as_the_handshake() {
    let port = silent_port();
    let env = Env::new();
    let report = doctor(
        env.cmd()
            .env("SAYMON_SERVER", format!("https://127.0.0.1:{port}"))
            .args(["--timeout", "2", "doctor"]),
        5,
    );
    assert!(line(&report, "TCP").starts_with("  ✔"), "{report}");
    let tls = line(&report, "TLS");
    assert!(tls.starts_with("  ✘"), "{report}");
    assert!(
        tls.contains("the TLS handshake did not finish within --timeout (2 s)"),
        "{report}"
    );
    assert!(!line(&report, "server").starts_with("  ✘"), "{report}");
}

#[test]
fn a_pinned_lab_certificate_is_said_to_be_pinned_not_signed_by_a_ca() {
    let server = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let env = Env::new();
    let report = doctor(env.at(&server).arg("doctor"), 3);
    let tls = line(&report, "TLS");
    assert!(tls.starts_with("  ✔"), "{report}");
    assert!(tls.contains("verified: pinned"), "{report}");
    assert!(!tls.contains("signed by a CA"), "{report}");
}

#[test]
fn a_bad_server_address_is_named_in_the_check_and_not_called_missing() {
    let env = Env::new();
    let out = env
        .cmd()
        .env("SAYMON_SERVER", "ht!tp://x")
        .arg("doctor")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("profile default (no usable server)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the server address from SAYMON_SERVER: invalid server address"),
        "{stdout}"
    );
}
