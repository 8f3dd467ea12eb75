//! `saymon proxy`, as a script uses it: the binary serving a real unix socket (or a
//! loopback port) in front of the fake SAYMON server, driven by real curl.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use crate::support::*;

/// A proxy running in the background, its stderr (the log) in a file.
struct Running {
    child: Child,
    /// The line it printed when ready: the socket's path, or http://127.0.0.1:PORT.
    line: String,
    log: PathBuf,
}

impl Running {
    /// `saymon proxy ARGS…` in `env`, once it printed its line. Panics, showing the log,
    /// when it stopped instead.
    fn start(env: &Env, args: &[&str]) -> Running {
        Running::start_with(env, args, |_| {})
    }

    /// `start` for a profile `Env::cron_login` made: the config where it put it (the home's,
    /// not the test's config dir).
    fn start_cron(env: &Env, args: &[&str]) -> Running {
        Running::start_with(env, args, |cmd| {
            cmd.env_remove("SAYMON_CONFIG_DIR");
        })
    }

    fn start_with(env: &Env, args: &[&str], setup: impl FnOnce(&mut Command)) -> Running {
        let log = env.dir.path().join(format!("proxy-{}.log", unique()));
        let mut cmd = env.terminal_cmd();
        cmd.env_remove("TERM")
            .arg("proxy")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap());
        setup(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        if line.is_empty() {
            let status = child.wait().unwrap();
            panic!(
                "the proxy stopped ({status}): {}",
                std::fs::read_to_string(&log).unwrap()
            );
        }
        Running {
            child,
            line: line.trim_end().to_string(),
            log,
        }
    }

    /// curl through the proxy: `path` on its socket (or its port), with `args` before.
    fn curl(&self, args: &[&str], path: &str) -> Output {
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "--max-time", "20", "-D", "-"]).args(args);
        if self.line.starts_with("http://") {
            cmd.arg(format!("{}{path}", self.line));
        } else {
            cmd.args(["--unix-socket", &self.line])
                .arg(format!("http://localhost{path}"));
        }
        cmd.output().unwrap()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap()
    }

    /// SIGTERM, wait, and keep the log as `proxy-log` beside it.
    fn stop_and_keep(self) -> std::process::ExitStatus {
        let log = self.log.clone();
        let status = self.stop();
        std::fs::copy(&log, log.with_file_name("proxy-log")).unwrap();
        status
    }

    /// SIGTERM, then its exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        signal(&self.child, libc::SIGTERM);
        self.child.wait().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn unique() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn signal(child: &Child, signal: i32) {
    // SAFETY: kill(2) on a child of ours that has not been waited for.
    let done = unsafe { libc::kill(child.id() as i32, signal) };
    assert_eq!(done, 0);
}

/// The status line's code, the headers (lower-case names) and the body of curl's `-D -`
/// output.
fn answer(output: &Output) -> (u16, String, String) {
    assert!(
        output.status.success(),
        "curl failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap();
    (status, head.to_ascii_lowercase(), body.to_string())
}

fn token(server: &FakeSaymon) -> String {
    server.state.lock().unwrap().users[0].token.clone().unwrap()
}

/// `GET path` through each proxy of `lines` (a socket each), all at once, each by a curl
/// of its own: the status codes, in order.
fn at_once(lines: &[String], path: &str) -> Vec<String> {
    let clients: Vec<_> = lines
        .iter()
        .map(|line| {
            let (line, path) = (line.clone(), path.to_string());
            std::thread::spawn(move || {
                let output = Command::new("curl")
                    .args([
                        "-sS",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code}",
                        "--max-time",
                        "30",
                    ])
                    .args(["--unix-socket", &line])
                    .arg(format!("http://localhost{path}"))
                    .output()
                    .unwrap();
                String::from_utf8_lossy(&output.stdout).to_string()
            })
        })
        .collect();
    clients.into_iter().map(|c| c.join().unwrap()).collect()
}

/// A fake server, a profile logged in to it, and a proxy on a socket in the test's
/// directory with `args` more.
fn proxy_with(args: &[&str]) -> (FakeSaymon, Env, Running) {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let path = socket(&env);
    let mut all = vec!["--socket", path.as_str()];
    all.extend_from_slice(args);
    let proxy = Running::start(&env, &all);
    (server, env, proxy)
}

fn socket(env: &Env) -> String {
    env.dir.path().join("proxy.sock").display().to_string()
}

#[test]
fn a_request_is_forwarded_with_the_token_and_the_answer_never_shows_it() {
    let (server, env, proxy) = proxy_with(&[]);
    assert_eq!(proxy.line, socket(&env));
    let (status, head, body) = answer(&proxy.curl(&[], "/node/api/users/current"));
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("saymon-proxy: server"), "{head}");
    let token = token(&server);
    assert!(
        !body.contains(&token),
        "the token reached the client: {body}"
    );
    let user: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(user["authenticationToken"], "***");
    assert_eq!(user["login"], LOGIN);
    let seen = server.state.lock().unwrap().seen.last().cloned().unwrap();
    assert_eq!(
        seen.query.as_deref(),
        Some(format!("api-token={token}").as_str())
    );
    let log = proxy.log();
    assert!(log.contains("GET /node/api/users/current 200 "), "{log}");
    assert!(!log.contains(&token), "{log}");
}

#[test]
fn the_clients_own_credentials_are_removed_and_the_rest_is_forwarded_as_sent() {
    let (server, _env, proxy) = proxy_with(&[]);
    let output = proxy.curl(
        &[
            "-X",
            "POST",
            "-H",
            "Authorization: Basic YWRtaW46eA==",
            "-H",
            "Cookie: sid=stolen",
            "-H",
            "Content-Type: application/json",
            "-H",
            "X-Custom: kept",
            "--data-binary",
            r#"{"name":"db-1"}"#,
        ],
        "/node/api/objects?api-token=forged&limit=5&auth-token=forged&a%20b=c+d",
    );
    let (status, _, body) = answer(&output);
    assert!(status < 400, "{status}: {body}");
    let seen = server.state.lock().unwrap().seen.last().cloned().unwrap();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/node/api/objects");
    assert_eq!(
        seen.query.as_deref(),
        Some(format!("limit=5&a%20b=c+d&api-token={}", token(&server)).as_str())
    );
    assert_eq!(seen.body, br#"{"name":"db-1"}"#);
    let names: Vec<&str> = seen.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert!(!names.contains(&"authorization"), "{names:?}");
    assert!(!names.contains(&"cookie"), "{names:?}");
    assert!(names.contains(&"x-custom"), "{names:?}");
    assert_eq!(seen.content_type.as_deref(), Some("application/json"));
}

#[test]
fn read_only_refuses_a_write_before_it_reaches_the_server() {
    let (server, _env, proxy) = proxy_with(&["--read-only"]);
    let before = server.state.lock().unwrap().seen.len();
    let (status, head, body) = answer(&proxy.curl(&["-X", "DELETE"], "/node/api/objects/1"));
    assert_eq!(status, 403);
    assert!(head.contains("saymon-proxy: proxy"), "{head}");
    let refusal: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(refusal["code"], "SaymonProxyReadOnly");
    assert_eq!(server.state.lock().unwrap().seen.len(), before);
    let (status, ..) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(status, 200);
    // A GET that asks to be taken as a DELETE goes as a plain GET.
    let (status, ..) = answer(&proxy.curl(
        &[
            "-H",
            "X-HTTP-Method-Override: DELETE",
            "-H",
            "X-Method-Override: DELETE",
        ],
        "/node/api/objects?_method=DELETE&limit=1",
    ));
    assert_eq!(status, 200);
    let seen = server.state.lock().unwrap().seen.last().cloned().unwrap();
    assert_eq!(seen.method, "GET");
    assert!(
        !seen.headers.iter().any(|(name, _)| name.contains("method")),
        "{:?}",
        seen.headers
    );
    let query = seen.query.unwrap_or_default();
    assert!(query.starts_with("limit=1&api-token="), "{query}");
}

#[test]
fn paths_outside_the_api_are_not_forwarded() {
    let (server, _env, proxy) = proxy_with(&[]);
    let before = server.state.lock().unwrap().seen.len();
    for path in [
        "/",
        "/node/apix",
        "/node/api/../../etc/passwd",
        "/node/api/%2e%2e/%2e%2e/x",
        "/node/api/%2E%2E%2F%2E%2E%2Fother/x",
        "/node/api/..%5c..%5cother",
    ] {
        let (status, _, body) = answer(&proxy.curl(&["--path-as-is"], path));
        assert_eq!(status, 404, "{path}: {body}");
        assert!(body.contains("SaymonProxyNotApi"), "{path}: {body}");
    }
    assert_eq!(server.state.lock().unwrap().seen.len(), before);
}

#[test]
fn over_tcp_only_local_hosts_and_no_web_pages() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let proxy = Running::start(&env, &["--listen", "127.0.0.1:0"]);
    assert!(
        proxy.line.starts_with("http://127.0.0.1:"),
        "{}",
        proxy.line
    );
    let (status, ..) = answer(&proxy.curl(&[], "/node/api/users/current"));
    assert_eq!(status, 200);
    let (status, _, body) =
        answer(&proxy.curl(&["-H", "Host: evil.example"], "/node/api/users/current"));
    assert_eq!(
        (status, body.contains("SaymonProxyHost")),
        (403, true),
        "{body}"
    );
    let (status, _, body) = answer(&proxy.curl(
        &["-H", "Origin: http://evil.example"],
        "/node/api/users/current",
    ));
    assert_eq!(
        (status, body.contains("SaymonProxyOrigin")),
        (403, true),
        "{body}"
    );
    for addr in ["0.0.0.0:0", "127.0.0.2:0"] {
        env.cmd()
            .args(["proxy", "--listen", addr])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("127.0.0.1 or [::1] only"));
    }
}

#[test]
fn the_default_socket_is_private_and_a_live_one_is_left_alone() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let run = env.dir.path().join("run");
    std::fs::create_dir(&run).unwrap();
    chmod(&run, 0o700);
    let with_runtime = |cmd: &mut Command| {
        cmd.env("XDG_RUNTIME_DIR", &run);
    };
    let proxy = Running::start_with(&env, &[], with_runtime);
    let socket = run.join("saymon/default.sock");
    assert_eq!(proxy.line, socket.display().to_string());
    assert_eq!(mode(&socket) & 0o777, 0o600);
    assert_eq!(mode(socket.parent().unwrap()) & 0o777, 0o700);
    // A second proxy on the same socket: the first answers, so it stays.
    env.cmd()
        .env("XDG_RUNTIME_DIR", &run)
        .arg("proxy")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("another proxy answers on"));
    assert_eq!(proxy.stop().code(), Some(0));
    assert!(!socket.exists(), "the socket is removed on SIGTERM");
}

#[test]
fn a_socket_left_by_a_killed_proxy_is_replaced() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let path = socket(&env);
    let mut first = Running::start(&env, &["--socket", &path]);
    signal(&first.child, libc::SIGKILL);
    first.child.wait().unwrap();
    assert!(Path::new(&path).exists(), "kill -9 leaves the socket");
    let second = Running::start(&env, &["--socket", &path]);
    let (status, ..) = answer(&second.curl(&[], "/node/api/users/current"));
    assert_eq!(status, 200);
}

#[test]
fn a_socket_in_or_below_a_directory_others_may_write_is_refused() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let shared = env.dir.path().join("shared");
    let own = shared.join("own");
    std::fs::create_dir_all(&own).unwrap();
    chmod(&shared, 0o777);
    chmod(&own, 0o700);
    // In it, or in a directory of one's own below it (which another user could rename
    // away and replace).
    for (socket, says) in [
        (shared.join("p.sock"), "may be written by others"),
        (own.join("p.sock"), "others may write"),
    ] {
        env.cmd()
            .arg("proxy")
            .arg("--socket")
            .arg(socket)
            .assert()
            .code(7)
            .stderr(predicates::str::contains(says));
    }
}

#[test]
fn a_token_rotated_by_another_process_is_read_again_and_the_client_sees_no_error() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron_login(&server, "default");
    let proxy = Running::start_cron(&env, &["--socket", &socket(&env)]);
    let (status, ..) = answer(&proxy.curl(&[], "/node/api/users/current"));
    assert_eq!(status, 200);
    let old = token(&server);
    env.cron().args(["token", "refresh"]).assert().success();
    assert_ne!(token(&server), old, "the refresh made a new token");
    let (status, _, body) = answer(&proxy.curl(&[], "/node/api/users/current"));
    assert_eq!(status, 200, "{body}");
    assert!(
        proxy.log().contains("(token read again, retried)"),
        "{}",
        proxy.log()
    );
}

#[test]
fn a_token_revoked_with_nothing_newer_stored_is_502_saying_what_to_run() {
    let (server, _env, proxy) = proxy_with(&[]);
    server.state.lock().unwrap().users[0].token = Some("revoked-elsewhere".into());
    let (status, head, body) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(status, 502, "{body}");
    assert!(head.contains("saymon-proxy: proxy"), "{head}");
    let refusal: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(refusal["code"], "SaymonProxyTokenRefused");
    assert!(
        refusal["message"]
            .as_str()
            .unwrap()
            .contains("saymon login"),
        "{body}"
    );
}

#[test]
fn proxy_runs_a_command_that_never_sees_the_token_and_ends_with_its_code() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let script = r#"test -z "$SAYMON_TOKEN" || exit 99
curl -sS --unix-socket "$SAYMON_PROXY" http://localhost/node/api/users/current >/dev/null || exit 98
exit 7"#;
    let output = env
        .cmd()
        .env("SAYMON_TOKEN", token(&server))
        .args(["proxy", "--socket", &socket(&env), "--", "sh", "-c", script])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // stdout is the command's alone: the line went to it as SAYMON_PROXY.
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    assert!(!Path::new(&socket(&env)).exists());
}

#[test]
fn sigterm_lets_a_request_in_flight_finish() {
    let (server, _env, proxy) = proxy_with(&[]);
    server.state.lock().unwrap().delay = Duration::from_millis(800);
    let line = proxy.line.clone();
    let slow = std::thread::spawn(move || {
        Command::new("curl")
            .args(["-sS", "--max-time", "20", "--unix-socket", &line])
            .arg("http://localhost/node/api/users/current")
            .output()
            .unwrap()
    });
    // The request is at the server when the signal comes.
    while server.state.lock().unwrap().in_flight == 0 {
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = proxy.stop();
    assert_eq!(status.code(), Some(0));
    let output = slow.join().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"login\""));
}

#[test]
fn fifty_clients_at_once_are_all_served() {
    let (_server, _env, proxy) = proxy_with(&[]);
    for code in at_once(&vec![proxy.line.clone(); 50], "/node/api/objects") {
        assert_eq!(code, "200");
    }
}

#[test]
#[ignore = "moves 1 GiB through the proxy: CI runs it (cargo test -- --include-ignored)"]
fn a_gigabyte_streams_through_the_proxy_in_little_memory() {
    const SIZE: u64 = 1 << 30;
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    env.login_plain(&server, false, &[]);
    let mut saymon = Command::new(env!("CARGO_BIN_EXE_saymon"));
    saymon
        .env("HOME", env.home())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .args(["-q", "proxy", "--listen", "127.0.0.1:0", "--", "sh", "-c"])
        .arg(format!(
            "curl -sS -o /dev/null -w '%{{size_download}}' \"$SAYMON_PROXY/node/api/big?size={SIZE}\""
        ));
    let report = env.dir.path().join("peak");
    let output = measured(&saymon, &report)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.trim_end().ends_with(&SIZE.to_string()), "{stdout}");
    let peak = measured_peak_mib(&report);
    assert!(peak < 30, "peak RSS {peak} MiB for a 1 GiB answer");
}

#[test]
fn the_log_is_json_lines_with_output_json_and_nothing_with_quiet() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let proxy = Running::start(&env, &["--output", "json", "--socket", &socket(&env)]);
    let (status, ..) = answer(&proxy.curl(&[], "/node/api/objects?api-token=forged"));
    assert_eq!(status, 200);
    let (status, ..) = answer(&proxy.curl(&[], "/elsewhere"));
    assert_eq!(status, 404);
    let _ = proxy.stop_and_keep();
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(env.dir.path().join("proxy-log"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["method"], "GET");
    assert_eq!(lines[0]["path"], "/node/api/objects?api-token=***");
    assert_eq!(lines[0]["status"], 200);
    assert_eq!(lines[0]["answered_by"], "server");
    assert_eq!(lines[1]["status"], 404);
    assert_eq!(lines[1]["answered_by"], "proxy");
    let quiet = Running::start(&env, &["-q", "--socket", &socket(&env)]);
    let (status, ..) = answer(&quiet.curl(&[], "/node/api/objects"));
    assert_eq!(status, 200);
    assert_eq!(quiet.log(), "");
}

#[test]
fn with_a_remembered_password_the_proxy_makes_a_new_token_itself() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron_login(&server, "default");
    let proxy = Running::start_cron(&env, &["--socket", &socket(&env)]);
    let made = server.state.lock().unwrap().token_creations;
    // Revoked elsewhere (another client made a token for the user), nothing newer stored.
    server.state.lock().unwrap().users[0].token = Some("made-by-someone-else".into());
    let (status, _, body) = answer(&proxy.curl(&[], "/node/api/users/current"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.state.lock().unwrap().token_creations, made + 1);
    let new = token(&server);
    assert!(!body.contains(&new));
    // The new token is the stored one: the next saymon uses it.
    env.cron().args(["whoami"]).assert().success();
    let (status, ..) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(status, 200);
    assert_eq!(
        server.state.lock().unwrap().token_creations,
        made + 1,
        "one new token"
    );
    assert!(
        proxy.log().contains("(token refreshed, retried)"),
        "{}",
        proxy.log()
    );
}
#[test]
fn a_browser_is_not_served_and_the_token_never_shows_in_a_header() {
    let (server, _env, proxy) = proxy_with(&[]);
    let (status, _, body) = answer(&proxy.curl(
        &[
            "-H",
            "Sec-Fetch-Site: cross-site",
            "-H",
            "Sec-Fetch-Mode: no-cors",
        ],
        "/node/api/objects",
    ));
    assert_eq!(
        (status, body.contains("SaymonProxyBrowser")),
        (403, true),
        "{body}"
    );
    // A server that puts the token in a header of its answer.
    server.state.lock().unwrap().mode = Mode::EchoTokenHeader;
    let (status, head, _) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(status, 200);
    assert!(head.contains("x-echo-token: ***"), "{head}");
    assert!(!head.contains(&token(&server)), "{head}");
    // The server was asked for its answer uncompressed.
    let seen = server.state.lock().unwrap().seen.last().cloned().unwrap();
    let encoding: Vec<&[u8]> = seen
        .headers
        .iter()
        .filter(|(n, _)| n == "accept-encoding")
        .map(|(_, v)| v.as_slice())
        .collect();
    assert_eq!(encoding, [b"identity".as_slice()]);
}

#[test]
fn requests_refused_together_make_one_new_token_and_all_succeed() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron_login(&server, "default");
    let proxy = Running::start_cron(&env, &["--socket", &socket(&env)]);
    let made = server.state.lock().unwrap().token_creations;
    server.state.lock().unwrap().users[0].token = Some("made-by-someone-else".into());
    for code in at_once(&vec![proxy.line.clone(); 4], "/node/api/objects") {
        assert_eq!(code, "200", "{}", proxy.log());
    }
    assert_eq!(
        server.state.lock().unwrap().token_creations,
        made + 1,
        "one new token"
    );
}

#[test]
fn sigterm_is_passed_on_to_the_command_and_the_socket_removed() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let path = socket(&env);
    let mut cmd = env.terminal_cmd();
    cmd.args(["proxy", "--socket", &path, "--", "sleep", "30"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    while !Path::new(&path).exists() {
        std::thread::sleep(Duration::from_millis(20));
    }
    signal(&child, libc::SIGTERM);
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(128 + libc::SIGTERM),
        "sleep ended by the signal"
    );
    assert!(!Path::new(&path).exists());
}

#[test]
fn a_redirect_is_handed_to_the_client_with_the_token_masked_in_it() {
    let (server, _env, proxy) = proxy_with(&[]);
    // The server redirects to the request's own path and query: api-token and all.
    server.state.lock().unwrap().mode = Mode::RedirectLoop;
    let before = server.state.lock().unwrap().seen.len();
    let (status, head, _) = answer(&proxy.curl(&[], "/node/api/objects?limit=1"));
    assert_eq!(status, 307, "{head}");
    assert!(
        head.contains("location: /node/api/objects?limit=1&api-token=***"),
        "{head}"
    );
    assert!(!head.contains(&token(&server)), "{head}");
    assert_eq!(
        server.state.lock().unwrap().seen.len(),
        before + 1,
        "not followed"
    );
}

#[test]
fn two_proxies_refused_at_once_make_one_new_token_between_them() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron_login(&server, "default");
    let one = Running::start_cron(&env, &["--socket", &socket(&env)]);
    let other = env.dir.path().join("other.sock").display().to_string();
    let two = Running::start_cron(&env, &["--socket", &other]);
    let made = server.state.lock().unwrap().token_creations;
    server.state.lock().unwrap().users[0].token = Some("made-by-someone-else".into());
    let lines = [&one.line, &two.line, &one.line, &two.line].map(String::clone);
    for code in at_once(&lines, "/node/api/objects") {
        assert_eq!(code, "200", "{}\n{}", one.log(), two.log());
    }
    assert_eq!(
        server.state.lock().unwrap().token_creations,
        made + 1,
        "one new token"
    );
}

#[test]
fn a_request_through_the_proxy_reaches_the_server_as_saymon_api_sends_it() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let body = r#"{"name":"db-1","parent_id":"1","tags":["a b","ü"]}"#;
    env.cmd()
        .args([
            "api",
            "-X",
            "PATCH",
            "objects/1?fields=id,name&x=%20y",
            "-d",
            body,
        ])
        .assert()
        .success();
    let by_api = server.state.lock().unwrap().seen.last().cloned().unwrap();
    let proxy = Running::start(&env, &["--socket", &socket(&env)]);
    let (status, ..) = answer(&proxy.curl(
        &[
            "-X",
            "PATCH",
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            body,
        ],
        "/node/api/objects/1?fields=id,name&x=%20y",
    ));
    assert_eq!(status, 200);
    let by_proxy = server.state.lock().unwrap().seen.last().cloned().unwrap();
    assert_eq!(
        (
            &by_proxy.method,
            &by_proxy.path,
            &by_proxy.query,
            &by_proxy.body
        ),
        (&by_api.method, &by_api.path, &by_api.query, &by_api.body)
    );
    assert_eq!(by_proxy.content_type, by_api.content_type);
}

#[test]
fn an_endpoints_own_401_goes_to_the_client_and_makes_no_token() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron_login(&server, "default");
    let proxy = Running::start_cron(&env, &["--socket", &socket(&env)]);
    let made = server.state.lock().unwrap().token_creations;
    let (status, head, body) = answer(&proxy.curl(&[], "/node/api/guarded"));
    assert_eq!(status, 401, "{body}");
    assert!(head.contains("saymon-proxy: server"), "{head}");
    assert!(body.contains("Guarded."), "{body}");
    assert_eq!(
        server.state.lock().unwrap().token_creations,
        made,
        "no new token"
    );
    let (status, ..) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(status, 200, "the token still works");
}

/// A raw connection to the proxy's socket that sends `head` (and no more): a client that
/// stalls, as curl never would.
fn stalling_client(proxy: &Running, head: &str) -> std::os::unix::net::UnixStream {
    use std::io::Write;
    let mut stream = std::os::unix::net::UnixStream::connect(&proxy.line).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream
}

/// What came back on `stream` until the proxy closed it (at most 20 s: a generous bound,
/// the proxy's --timeout is 1 s).
fn rest_of(mut stream: std::os::unix::net::UnixStream) -> String {
    use std::io::Read;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut got = Vec::new();
    let _ = stream.read_to_end(&mut got);
    String::from_utf8_lossy(&got).to_string()
}

#[test]
fn a_client_that_never_reads_its_answer_gives_its_place_back_after_the_timeout() {
    let (_server, _env, proxy) = proxy_with(&["--max-requests", "1", "--timeout", "1"]);
    // 64 MiB asked for and never read: the sockets' buffers fill, the proxy's writes wait.
    let _stalled = stalling_client(
        &proxy,
        "GET /node/api/big?size=67108864 HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    let code = |proxy: &Running| {
        let output = proxy.curl(
            &["-o", "/dev/null", "-w", "%{http_code}"],
            "/node/api/objects",
        );
        let text = String::from_utf8_lossy(&output.stdout).trim().to_string();
        text[text.len().saturating_sub(3)..].to_string()
    };
    // The one place is the stalled client's (503 for the next), until its --timeout ends
    // its connection; then the next is served. (Bounded at 30 s only so that a broken
    // proxy fails the test instead of hanging it.)
    let mut codes = Vec::new();
    for _ in 0..300 {
        let got = code(&proxy);
        if codes.last() != Some(&got) {
            codes.push(got.clone());
        }
        if got == "200" {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(codes.last().map(String::as_str), Some("200"), "{codes:?}");
    assert!(
        codes.iter().any(|c| c == "503"),
        "the stalled client held the place first: {codes:?}"
    );
    let log = proxy.log();
    assert!(
        log.lines()
            .any(|l| l.contains("GET /node/api/big") && l.contains("(the client left early)")),
        "{log}"
    );
}

#[test]
fn a_request_body_that_stops_coming_is_408_and_holds_nothing() {
    let (_server, _env, proxy) = proxy_with(&["--max-requests", "1", "--timeout", "1"]);
    // A body the proxy holds (small) and one it streams to the server (over 1 MiB): each
    // stops after a few bytes. A held one is 408; a streamed one races the server's own
    // --timeout (no answer while the body is sent): 408 or 502, the proxy's answer either
    // way, and the place is given back.
    for length in [100, 5 << 20] {
        let stream = stalling_client(
            &proxy,
            &format!(
                "POST /node/api/objects HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{{\"name\":"
            ),
        );
        let got = rest_of(stream);
        if length == 100 {
            assert!(got.starts_with("HTTP/1.1 408"), "{length}: {got}");
            assert!(got.contains("SaymonProxyClientStalled"), "{length}: {got}");
        } else {
            assert!(
                got.starts_with("HTTP/1.1 408") || got.starts_with("HTTP/1.1 502"),
                "{length}: {got}"
            );
        }
        assert!(got.contains("saymon-proxy: proxy"), "{length}: {got}");
        let (status, ..) = answer(&proxy.curl(&[], "/node/api/objects"));
        assert_eq!(status, 200, "the place was given back ({length})");
    }
}

#[test]
fn a_server_that_does_not_answer_in_time_is_502_saying_how_long_was_waited() {
    let (server, _env, proxy) = proxy_with(&["--timeout", "1"]);
    server.state.lock().unwrap().delay = Duration::from_secs(4);
    let (status, head, body) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(status, 502, "{body}");
    assert!(head.contains("saymon-proxy: proxy"), "{head}");
    let refusal: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(refusal["code"], "SaymonProxyUnreachable");
    let message = refusal["message"].as_str().unwrap();
    assert!(
        message.contains("did not answer in time: gave up after 1.0 s (--timeout 1)"),
        "{message}"
    );
}

#[test]
fn a_token_the_proxy_used_before_a_rotation_stays_masked() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.cron_login(&server, "default");
    let proxy = Running::start_cron(&env, &["--socket", &socket(&env)]);
    let old = token(&server);
    assert_eq!(answer(&proxy.curl(&[], "/node/api/users/current")).0, 200);
    env.cron().args(["token", "refresh"]).assert().success();
    // The proxy moves on to the new token (the old one refused) ...
    assert_eq!(answer(&proxy.curl(&[], "/node/api/users/current")).0, 200);
    assert!(proxy.log().contains("(token read again, retried)"));
    // ... and a server that then shows the old one shows it to nobody.
    let shown: &'static str = Box::leak(format!("old token: {old}").into_boxed_str());
    server.state.lock().unwrap().mode = Mode::Says(shown);
    let (status, head, body) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(status, 200, "{body}");
    assert!(!head.contains(&old) && !body.contains(&old), "{head}{body}");
    assert!(body.contains("old token: ***"), "{body}");
    assert!(head.contains("x-said: old token: ***"), "{head}");
}

#[test]
fn a_client_cannot_make_list_or_end_tokens_or_sessions_through_the_proxy() {
    let (server, _env, proxy) = proxy_with(&[]);
    let id = server.state.lock().unwrap().users[0].id.clone();
    let before = server.state.lock().unwrap().seen.len();
    for (method, path) in [
        ("POST", format!("/node/api/users/{id}/auth-token")),
        ("GET", format!("/node/api/users/{id}/auth-token")),
        ("DELETE", format!("/node/api/users/{id}/auth-token")),
        ("POST", format!("/node/api/Users/{id}/Auth%2DToken/")),
        ("POST", "/node/api/users/session".to_string()),
    ] {
        let (status, head, body) = answer(&proxy.curl(&["-X", method], &path));
        assert_eq!(status, 403, "{method} {path}: {body}");
        assert!(head.contains("saymon-proxy: proxy"), "{head}");
        assert!(body.contains("SaymonProxyCredentials"), "{body}");
    }
    assert_eq!(
        server.state.lock().unwrap().seen.len(),
        before,
        "none reached the server"
    );
    let (status, ..) = answer(&proxy.curl(&[], "/node/api/users/current"));
    assert_eq!(status, 200, "the token still works");
}

#[test]
fn an_answer_ending_in_the_tokens_first_bytes_is_passed_as_it_is() {
    let (server, _env, proxy) = proxy_with(&[]);
    let token = token(&server);
    // Text a client chose, ending in a right guess at the token's start: masking it would
    // tell the client its guess was right, a byte at a time.
    for text in [format!("x{}", &token[..1]), format!("x{}", &token[..10])] {
        let text: &'static str = Box::leak(text.into_boxed_str());
        server.state.lock().unwrap().mode = Mode::Says(text);
        let (status, _, body) = answer(&proxy.curl(&[], "/node/api/objects"));
        assert_eq!(status, 200);
        assert_eq!(body, text);
    }
    // The whole token is masked.
    let whole: &'static str = Box::leak(format!("x{token}").into_boxed_str());
    server.state.lock().unwrap().mode = Mode::Says(whole);
    let (_, _, body) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(body, "x***");
}

#[test]
fn a_range_is_not_forwarded_the_answer_starts_where_the_server_starts_it() {
    let (server, _env, proxy) = proxy_with(&[]);
    let (status, ..) = answer(&proxy.curl(
        &["-H", "Range: bytes=25-", "-H", "If-Range: x"],
        "/node/api/users/current",
    ));
    assert_eq!(status, 200);
    let seen = server.state.lock().unwrap().seen.last().cloned().unwrap();
    assert!(
        !seen
            .headers
            .iter()
            .any(|(name, _)| name == "range" || name == "if-range"),
        "{:?}",
        seen.headers
    );
}

#[test]
fn connections_past_the_most_held_are_told_503() {
    let (_server, _env, proxy) = proxy_with(&["--max-requests", "1"]);
    // Four idle connections (4 x --max-requests) hold what the proxy holds.
    let idle: Vec<_> = (0..4)
        .map(|_| std::os::unix::net::UnixStream::connect(&proxy.line).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let (status, head, body) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(status, 503, "{body}");
    assert!(head.contains("saymon-proxy: proxy"), "{head}");
    assert!(body.contains("SaymonProxyBusy"), "{body}");
    drop(idle);
    std::thread::sleep(Duration::from_millis(200));
    let (status, ..) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(status, 200);
}

#[test]
fn a_held_body_sent_a_byte_at_a_time_gets_its_timeout_all_told() {
    use std::io::Write;
    let (_server, _env, proxy) = proxy_with(&["--max-requests", "1", "--timeout", "1"]);
    let mut stream = stalling_client(
        &proxy,
        "POST /node/api/objects HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n",
    );
    let mut reader = stream.try_clone().unwrap();
    // A byte every 0.3 s: never a pause of --timeout, but the whole body takes 30 s.
    let dripping = std::thread::spawn(move || {
        for _ in 0..100 {
            if stream.write_all(b" ").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    });
    reader
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut got = [0u8; 12];
    std::io::Read::read_exact(&mut reader, &mut got).unwrap();
    assert_eq!(&got, b"HTTP/1.1 408");
    drop(reader);
    let _ = dripping.join();
}

#[test]
fn a_socket_reached_through_a_symlink_is_checked_where_it_leads() {
    use std::os::unix::fs::PermissionsExt;
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    // Ours, inside a directory anyone may write (not sticky): it could be swapped.
    let shared = env.dir.path().join("shared");
    let mine = shared.join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let link = env.dir.path().join("ok");
    std::os::unix::fs::symlink(&mine, &link).unwrap();
    let output = env
        .cmd()
        .args(["proxy", "--socket"])
        .arg(link.join("p.sock"))
        .assert()
        .code(7)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("others may write (mode 777)"), "{stderr}");
}

#[test]
fn where_an_answers_chunks_end_tells_nothing_of_the_token() {
    let (server, _env, proxy) = proxy_with(&[]);
    let token = token(&server);
    // An answer that ends in a right guess at the token's first bytes, and one that ends
    // in a wrong guess of the same length: the same chunks on the wire but for the bytes.
    let framing = |text: String| {
        let text: &'static str = Box::leak(text.into_boxed_str());
        server.state.lock().unwrap().mode = Mode::Says(text);
        let raw = proxy.curl(&["--raw"], "/node/api/objects");
        let (_, _, body) = answer(&raw);
        body.lines()
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, size)| size.to_string())
            .collect::<Vec<_>>()
    };
    let right = framing(format!("x{}", &token[..6]));
    let wrong = framing(format!("x{}", "~".repeat(6)));
    assert_eq!(right, wrong);
}

#[test]
fn dot_segments_do_not_reach_a_session_or_a_token() {
    let (server, _env, proxy) = proxy_with(&[]);
    let before = server.state.lock().unwrap().seen.len();
    for path in [
        "/node/api/./users/session",
        "/node/api/x/../users/session",
        "/node/api/%2e/users/session",
        "/node/api/users/x/../session",
        "/node/api/users/session;a",
    ] {
        let (status, _, body) = answer(&proxy.curl(&["--path-as-is", "-X", "POST"], path));
        assert_eq!(status, 403, "{path}: {body}");
    }
    assert_eq!(server.state.lock().unwrap().seen.len(), before);
}

#[test]
fn a_url_the_server_echoes_cut_short_shows_no_part_of_the_token() {
    let (server, _env, proxy) = proxy_with(&[]);
    let token = token(&server);
    let echo = format!("bad request /node/api/x?pad=aaa&api-token={}", &token[..11]);
    let echo: &'static str = Box::leak(echo.into_boxed_str());
    server.state.lock().unwrap().mode = Mode::Says(echo);
    let (_, head, body) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(body, "bad request /node/api/x?pad=aaa&api-token=***");
    assert!(!head.contains(&token[..11]), "{head}");
}

#[test]
fn a_socket_path_too_long_for_a_socket_is_said_so() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let long = env.dir.path().join("d".repeat(110)).join("p.sock");
    std::fs::create_dir_all(long.parent().unwrap()).unwrap();
    env.cmd()
        .args(["proxy", "--socket"])
        .arg(&long)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "a unix socket's path is at most 107 bytes",
        ));
}

#[test]
fn the_token_in_another_case_is_masked_too() {
    let (server, _env, proxy) = proxy_with(&[]);
    let token = token(&server);
    let shown = format!(
        "{} {}",
        token.to_ascii_uppercase(),
        token.to_ascii_lowercase()
    );
    let shown: &'static str = Box::leak(shown.into_boxed_str());
    server.state.lock().unwrap().mode = Mode::Says(shown);
    let (_, head, body) = answer(&proxy.curl(&[], "/node/api/objects"));
    assert_eq!(body, "*** ***");
    assert!(head.contains("x-said: *** ***"), "{head}");
}

#[test]
fn a_proxy_started_while_another_drains_keeps_its_socket() {
    let (server, env, first) = proxy_with(&[]);
    server.state.lock().unwrap().delay = Duration::from_millis(1500);
    let line = first.line.clone();
    let slow = std::thread::spawn(move || {
        Command::new("curl")
            .args(["-sS", "--max-time", "20", "--unix-socket", &line])
            .arg("http://localhost/node/api/users/current")
            .output()
            .unwrap()
    });
    while server.state.lock().unwrap().in_flight == 0 {
        std::thread::sleep(Duration::from_millis(10));
    }
    // The first is told to stop: its socket goes at once, its request still runs.
    signal(&first.child, libc::SIGTERM);
    while Path::new(&first.line).exists() {
        std::thread::sleep(Duration::from_millis(10));
    }
    server.state.lock().unwrap().delay = Duration::ZERO;
    let second = Running::start(&env, &["--socket", &socket(&env)]);
    let status = first.stop();
    assert_eq!(status.code(), Some(0));
    assert!(slow.join().unwrap().status.success());
    assert!(
        Path::new(&second.line).exists(),
        "the first proxy's end took the second's socket"
    );
    let (code, ..) = answer(&second.curl(&[], "/node/api/objects"));
    assert_eq!(code, 200);
}
