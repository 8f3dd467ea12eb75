//! What a server answers, or fails to, as `whoami`, `login` and `token create` meet it:
//! down, a proxy's page, a malformed token, an untrusted certificate, a stall, a
//! redirect elsewhere, a bad gateway.

use crate::support::*;
use predicates::str::contains;

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
