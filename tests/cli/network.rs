//! Network behaviour: which requests are retried, after how long, and what `exec` passes
//! on so that other tools reach the server as saymon does.

use crate::support::*;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

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
        .args(["-v", "--timeout", "30", "whoami"])
        .assert()
        .code(1)
        .stderr(contains("not retrying (429 Too Many Requests): waiting 60000 ms would pass the deadline (--timeout 30)"));
    // A generous bound, not a timing test: waiting would have taken the whole 30 s.
    assert!(started.elapsed().as_secs() < 20, "gave up at once");
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

/// A TCP server that answers every connection with an SSH banner: not HTTP, not TLS.
fn not_a_web_server() -> std::net::SocketAddr {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
        }
    });
    addr
}

/// An HTTP server whose every answer has a head of 2 MB: HTTP all the same.
fn a_server_with_a_huge_head() -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = stream.read(&mut [0; 4096]);
            let head = format!("HTTP/1.1 200 OK\r\nX-Big: {}\r\n\r\n", "a".repeat(2 << 20));
            let _ = stream.write_all(head.as_bytes());
        }
    });
    addr
}

#[test]
fn an_answer_head_too_large_is_an_answer_not_an_unreachable_server() {
    let env = Env::new();
    let addr = a_server_with_a_huge_head();
    for args in [&["whoami"][..], &["api", "objects"]] {
        env.cmd()
            .env("SAYMON_SERVER", format!("http://{addr}"))
            .env("SAYMON_TOKEN", "tok-canary")
            .args(args)
            .assert()
            .code(1)
            .stderr(contains(format!(
                "{addr} answered, but with a head (status line and headers) too large to read"
            )))
            .stderr(contains("check the server address").not())
            .stderr(contains("not a web server").not());
    }
}

#[test]
fn a_port_that_speaks_another_protocol_is_named_with_the_fix() {
    let env = Env::new();
    let whoami = |server: &str| {
        env.cmd()
            .env("SAYMON_SERVER", server)
            .env("SAYMON_TOKEN", "tok-canary")
            .arg("whoami")
            .assert()
    };
    // A plain-HTTP server given as https:// (or as a bare address, which means https).
    let plain = FakeSaymon::start_plain();
    for given in [format!("https://{}", plain.addr), plain.addr.to_string()] {
        whoami(&given)
            .code(5)
            .stderr(contains(format!(
                "{} speaks plain HTTP, not HTTPS",
                plain.addr
            )))
            .stderr(contains(format!("hint: write http://{}", plain.addr)));
    }
    // An HTTPS server given as http://: nothing is answered, and the fix is named.
    let secure = FakeSaymon::start();
    whoami(&format!("http://{}", secure.addr))
        .code(5)
        .stderr(contains(format!(
            "{} speaks HTTPS, not plain HTTP",
            secure.addr
        )))
        .stderr(contains(format!("hint: write https://{}", secure.addr)));
    // What reached it is the probe that found out: a bare GET, no token, no password.
    for seen in secure.seen() {
        assert_eq!(
            (seen.method.as_str(), seen.path.as_str()),
            ("GET", "/node/api/version/hash")
        );
        assert_eq!((seen.query, seen.basic_login), (None, None));
    }
    // Neither: exit 1, not 5 (something answered).
    let ssh = not_a_web_server();
    for scheme in ["https", "http"] {
        whoami(&format!("{scheme}://{ssh}"))
            .code(1)
            .stderr(contains("answered, but not with HTTP or TLS"))
            .stderr(contains("hint: check the port in --server"));
    }
}

/// A proxy that answers every request (CONNECT too) with 502, as a proxy that cannot
/// reach its upstream does.
fn failing_proxy() -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(
                b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    addr
}

#[test]
fn a_failing_proxy_is_named_as_the_proxy_not_the_server() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let refusing = failing_proxy();
    let env = Env::new();
    for proxy in [closed, refusing] {
        for variable in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"] {
            env.cmd()
                .env("SAYMON_SERVER", "https://saymon.example.com")
                .env("SAYMON_TOKEN", "tok-canary")
                .env(variable, format!("http://squid:pr0xy-secret@{proxy}"))
                .arg("whoami")
                .assert()
                .code(5)
                .stderr(contains(format!(
                    "cannot reach saymon.example.com through the proxy http://{proxy}"
                )))
                .stderr(contains("add saymon.example.com to NO_PROXY"))
                .stderr(contains("pr0xy-secret").not());
        }
    }
}

#[test]
fn a_post_that_times_out_says_to_check_not_to_send_again() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    server.state.lock().unwrap().delay = std::time::Duration::from_millis(1500);
    env.at(&server)
        .args(["--timeout", "1", "api", "-X", "POST", "objects", "-d", "{}"])
        .assert()
        .code(5)
        .stderr(contains("did not answer in time: gave up after 1."))
        .stderr(contains("waiting for the answer"))
        .stderr(contains(
            "hint: the request may have been carried out all the same",
        ))
        .stderr(contains("raise --timeout").not());
}

#[test]
fn timeout_is_the_one_deadline_for_a_stalled_handshake_too() {
    // A port that takes the connection and never answers the TLS hello. Connecting once had
    // a cap of its own (10 s): --timeout 11 gave up after 10 s while saying 11.
    let port = silent_port();
    let env = Env::new();
    env.cmd()
        .env("SAYMON_SERVER", format!("https://127.0.0.1:{port}"))
        .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
        .args(["--timeout", "11", "--retries", "0", "whoami"])
        .assert()
        .code(5)
        .stderr(contains("gave up after 11."))
        .stderr(contains("waiting for the connection and TLS handshake"));
}

#[test]
fn a_ca_file_that_starts_with_a_byte_order_mark_is_read_as_curl_reads_it() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    // As a Windows editor saves it: a UTF-8 byte-order mark, CRLF line ends.
    let pem = std::fs::read_to_string(&server.ca_file).unwrap();
    let bom = env.dir.path().join("ca-bom.pem");
    std::fs::write(&bom, format!("\u{feff}{}", pem.replace('\n', "\r\n"))).unwrap();
    env.cmd()
        .args(["--server", &server.url, "--ca-cert"])
        .arg(&bom)
        .args(["api", "objects"])
        .assert()
        .success()
        .stdout(contains("Server room"));
}

#[test]
fn a_token_refresh_whose_handshake_hangs_says_nothing_was_sent() {
    // Before, "the request was sent, but its answer was lost … the server may have replaced
    // the token": nothing was sent, and the stored token is unchanged.
    let port = silent_port();
    let env = Env::new();
    let server = format!("https://127.0.0.1:{port}");
    let token = "5e21b752-308c-4c66-964e-072c0a5e2b75";
    env.write_profile(&server, &format!("{LOGIN}@127.0.0.1:{port}"), token, None);
    env.cmd()
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["--timeout", "2", "token", "refresh"])
        .assert()
        .code(5)
        .stderr(contains(
            "the TLS handshake never finished, so nothing was sent: the token is unchanged",
        ))
        .stderr(contains("answer was lost").not())
        .stderr(contains("may have replaced").not());
    assert!(env.stored_token_lines().contains(token));
}
