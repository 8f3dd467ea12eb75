//! `api --dry-run` and `api --curl`: the request shown, nothing sent; and the curl line run
//! by the real curl, under `saymon exec`, against the test server.

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use crate::support::server::Seen;
use crate::support::*;

#[test]
fn dry_run_shows_the_request_and_sends_nothing() {
    let server = FakeSaymon::start();
    let env = Env::new();
    // No token anywhere: a preview needs none, and shows none.
    env.at(&server)
        .args(["api", "objects/1", "-X", "patch", "-F", "cpu=42.5", "-f", "note=ok"])
        .args(["-H", "X-Trace: 7", "--dry-run"])
        .assert()
        .success()
        .stdout(format!(
            "PATCH {}/node/api/objects/1?api-token=***\nUser-Agent: saymon/{}\nx-trace: 7\ncontent-type: application/json\n\n{{\"note\":\"ok\",\"cpu\":42.5}}\n",
            server.url,
            env!("CARGO_PKG_VERSION")
        ));
    env.at(&server)
        .args(["--output", "json", "api", "incidents", "--paginate", "--page-size", "50"])
        .arg("--dry-run")
        .assert()
        .success()
        .stdout(format!(
            "{{\"method\":\"GET\",\"url\":\"{}/node/api/incidents?limit=50&skip=0&api-token=***\",\"headers\":[{{\"name\":\"User-Agent\",\"value\":\"saymon/{}\"}}],\"body\":null}}\n",
            server.url,
            env!("CARGO_PKG_VERSION")
        ));
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

#[test]
fn dry_run_hides_what_v_hides_and_shows_a_body_of_several_lines() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .args(["api", "objects?api-token=LEAKME&x=1", "--dry-run"])
        .args([
            "-H",
            "Authorization: Bearer HIDDEN",
            "-H",
            "Cookie: s=HIDDEN",
        ])
        .args(["-d", "{\n  \"a\": 1\n}\n"])
        .assert()
        .success()
        .stdout(contains("LEAKME").not().and(contains("HIDDEN").not()))
        .stdout(contains("authorization: [hidden]"))
        .stdout(contains("\n\n{\n  \"a\": 1\n}\n"));
}

#[test]
fn dry_run_never_shows_the_token_and_escapes_what_it_prints() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let token = server.token_of(LOGIN).unwrap();
    let before = server.seen().len();
    let out = env
        .at(&server)
        .args([
            "-v",
            "api",
            "objects",
            "-d",
            "{\"a\":\"\u{1b}[2J\"}",
            "--dry-run",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let (stdout, stderr) = outputs(&out);
    assert!(!stdout.contains(&token) && !stderr.contains(&token));
    // A body that would drive a terminal is not printed as it is.
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(
        stdout.ends_with("\n\n[12 bytes that are not text: not shown]\n"),
        "{stdout}"
    );
    assert_eq!(server.seen().len(), before);
}

/// `saymon api --curl ARGS…` (the profile logged in, its CA from SAYMON_CA_CERT).
fn curl_line(env: &Env, server: &FakeSaymon, args: &[&str]) -> String {
    let out = env
        .at(server)
        .args(["api", "--curl"])
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let line = String::from_utf8(out).unwrap();
    assert_eq!(line.lines().count(), 1, "{line}");
    line.trim_end().to_string()
}

/// `saymon exec -- sh -c LINE`: the line run by sh, with the token in the environment.
fn run_under_exec(env: &Env, server: &FakeSaymon, line: &str) -> std::process::Output {
    env.at(server)
        .args(["exec", "--", "sh", "-c", line])
        .output()
        .unwrap()
}

#[test]
fn the_curl_line_does_the_same_request_with_the_real_curl() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let token = server.token_of(LOGIN).unwrap();

    let line = curl_line(&env, &server, &["objects?fields=id,name"]);
    assert!(!line.contains(&token), "{line}");
    assert!(line.contains("--cacert \"$SAYMON_CA_CERT\""), "{line}");
    let out = run_under_exec(&env, &server, &line);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    let direct = env.at(&server).args(["api", "objects"]).output().unwrap();
    let want: Value = serde_json::from_slice(&direct.stdout).unwrap();
    assert_eq!(got, want);
    let seen = server.seen();
    let by_curl = &seen[seen.len() - 2];
    assert_eq!(by_curl.method, "GET");
    assert_eq!(
        by_curl.query.as_deref(),
        Some(format!("fields=id,name&api-token={token}").as_str())
    );

    // A body from a file, a method curl would not infer, a header: all as saymon sends them.
    let file = env.dir.path().join("it's a body.json");
    std::fs::write(&file, "{\"name\": \"Renamed\"}").unwrap();
    let data = format!("@{}", file.display());
    let line = curl_line(
        &env,
        &server,
        &[
            "-X",
            "PATCH",
            "objects/1",
            "-d",
            &data,
            "-H",
            "X-Why: it's $HOME",
        ],
    );
    let out = run_under_exec(&env, &server, &line);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["name"], "Renamed");
    let last = server.seen().pop().unwrap();
    assert_eq!(last.method, "PATCH");
    assert_eq!(last.body, b"{\"name\": \"Renamed\"}");
    assert_eq!(last.content_type.as_deref(), Some("application/json"));

    // A backslash in the path, which curl's config reads as an escape: sent as saymon does.
    let line = curl_line(&env, &server, &["objects?q=a\\b"]);
    let out = run_under_exec(&env, &server, &line);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let by_curl = server.seen().pop().unwrap().query;
    env.at(&server)
        .args(["api", "objects?q=a\\b"])
        .assert()
        .success();
    assert_eq!(by_curl, server.seen().pop().unwrap().query);

    // Inline fields with quotes, spaces and sh's own characters.
    let line = curl_line(
        &env,
        &server,
        &["objects", "-f", "name=a 'b' \"c\" $(d) `e`"],
    );
    let out = run_under_exec(&env, &server, &line);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["name"], "a 'b' \"c\" $(d) `e`");
}

#[test]
fn the_token_stays_out_of_every_process_s_arguments() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let token = server.token_of(LOGIN).unwrap();
    let line = curl_line(
        &env,
        &server,
        &["objects", "-H", "Authorization: Bearer HDR-SECRET"],
    );
    // curl's own arguments, as `ps` would show them, printed by a stand-in named curl.
    let bin = env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("curl");
    std::fs::write(&fake, "#!/bin/sh\necho \"ARGS: $*\"\ncat\n").unwrap();
    chmod(&fake, 0o755);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = env
        .at(&server)
        .env("PATH", path)
        .args(["exec", "--no-mask", "--", "sh", "-c", &line])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let args = stdout.lines().next().unwrap();
    assert!(args.starts_with("ARGS: -sS --globoff"), "{stdout}");
    assert!(
        !args.contains(&token) && !args.contains("HDR-SECRET"),
        "{args}"
    );
    assert!(
        stdout.contains("header = \"authorization: Bearer HDR-SECRET\""),
        "{stdout}"
    );
    // The token reaches curl on its stdin, as its config.
    assert!(stdout.contains(&format!("api-token={token}\"")), "{stdout}");
}

#[test]
fn what_cannot_be_on_a_command_line_is_refused_with_the_way_out() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .args(["api", "objects", "-d", "@-", "--curl"])
        .write_stdin("{\"a\":\"\u{7}\"}")
        .assert()
        .code(2)
        .stderr(contains("pass -d @FILE"));
    env.at(&server)
        .args(["api", "incidents", "--paginate", "--curl"])
        .assert()
        .code(2);
    env.at(&server)
        .args(["api", "objects", "--dry-run", "--curl"])
        .assert()
        .code(2);
    // The profile's CA file is named by its path when SAYMON_CA_CERT does not name it.
    let out = env
        .cmd()
        .args(["--server", &server.url, "--ca-cert"])
        .arg(&server.ca_file)
        .args(["api", "objects", "--curl"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let line = String::from_utf8(out).unwrap();
    assert!(
        line.contains(&format!("--cacert {}", server.ca_file.display()))
            || line.contains(&format!("--cacert '{}'", server.ca_file.display())),
        "{line}"
    );
    assert!(server.seen().is_empty());
}

#[test]
fn help_names_the_preview_flags() {
    Env::new()
        .cmd()
        .args(["api", "--help"])
        .assert()
        .success()
        .stdout(contains("--dry-run").and(contains("--curl")));
}

/// What a request is, as the server received it, bytes written as `escape_ascii` does:
/// all but the headers that name the client (User-Agent, Accept, Accept-Encoding), which
/// curl sets its own way, in name order (the order of different headers means nothing).
fn essence(
    seen: &Seen,
) -> (
    String,
    String,
    Option<String>,
    Vec<(String, String)>,
    String,
) {
    let mut headers: Vec<(String, String)> = seen
        .headers
        .iter()
        .filter(|(name, _)| !["user-agent", "accept", "accept-encoding"].contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), value.escape_ascii().to_string()))
        .collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    (
        seen.method.clone(),
        seen.path.clone(),
        seen.query.clone(),
        headers,
        seen.body.escape_ascii().to_string(),
    )
}

/// `saymon api ARGS…` (the body `stdin` on its stdin), then its `--curl` line run by sh
/// under `saymon exec`: the server must receive the same request, byte for byte.
fn same_request_by_curl(env: &Env, server: &FakeSaymon, args: &[&str], stdin: &[u8]) {
    let direct = env
        .at(server)
        .arg("api")
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap();
    let by_api = server.seen().pop().expect("api sent its request");
    let out = env
        .at(server)
        .args(["api", "--curl"])
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", outputs(&out).1);
    let line = String::from_utf8(out.stdout).unwrap();
    // One line, nothing in it that a terminal would act on.
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(!line.trim_end().chars().any(char::is_control), "{line:?}");
    let before = server.seen().len();
    let run = run_under_exec(env, server, line.trim_end());
    assert!(
        run.status.success(),
        "{args:?}: {line}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let seen = server.seen();
    assert_eq!(seen.len(), before + 1, "{args:?}: {line}");
    assert_eq!(essence(&seen[before]), essence(&by_api), "{args:?}: {line}");
    // And curl got the same answer (`curl --head` prints the head, `api` a HEAD's body).
    if direct.status.success() && by_api.method != "HEAD" {
        assert_eq!(run.stdout, direct.stdout, "{args:?}");
    }
}

#[test]
fn the_curl_line_sends_byte_for_byte_what_api_sends() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    // A body on stdin that starts with @ is a body, not the name of a file to upload.
    let secret = env.dir.path().join("secret.txt");
    std::fs::write(&secret, "NOT-TO-BE-SENT").unwrap();
    let at_body = format!("@{}", secret.display());
    same_request_by_curl(&env, &server, &["objects", "-d", "@-"], at_body.as_bytes());
    assert!(!server.seen().iter().any(|s| s.body == b"NOT-TO-BE-SENT"));
    // Carriage returns, newlines, tabs, quotes, backslashes and what sh or printf would
    // expand, in a body from stdin and inline.
    let hostile = "{\"a\": \"x\r\ny\rz\"}\n\t'q' \"$(id)\" `id` $HOME \\n \\\\ %s %% \u{b} é\n";
    same_request_by_curl(&env, &server, &["objects", "-d", "@-"], hostile.as_bytes());
    same_request_by_curl(
        &env,
        &server,
        &["-X", "PATCH", "objects/1", "-d", hostile],
        b"",
    );
    same_request_by_curl(&env, &server, &["objects", "-d", "-"], b"");
    same_request_by_curl(&env, &server, &["objects", "-d", ""], b"");
    // Methods that are HTTP tokens, with sh's characters in them.
    for method in ["get|id", "X'Y", "A$B`c`", "PUT&", "DELETE", "head"] {
        same_request_by_curl(&env, &server, &["-X", method, "objects/1"], b"");
    }
    same_request_by_curl(&env, &server, &["-X", "GET", "objects", "-d", "{}"], b"");
    // Paths and queries with characters curl or sh could take for their own.
    for path in [
        "objects?q=a b&x=\"y\"&z=%41&w=a'b&u=$(id)&v={a}|^[1]&t=`x`",
        "objects/é%2F..%2e?a=%0d%0a&b=\\",
        "/node/api/objects?x=1#fragment",
        "objects?api-token=other&y",
    ] {
        same_request_by_curl(&env, &server, &[path], b"");
    }
    // Headers: quotes, backslashes, $, an empty value, a tab, printf's own %.
    same_request_by_curl(
        &env,
        &server,
        &[
            "objects",
            "-H",
            "X-A: it's \"$HOME\" \\ back `id`",
            "-H",
            "X-Empty:",
            "-H",
            "X-Tab: a\tb",
            "-H",
            "X-Pct: %s %n %%",
            "-H",
            "Content-Type: text/plain; charset=\"utf-8\"",
            "-d",
            "body",
        ],
        b"",
    );
}

#[test]
fn a_curl_line_too_long_for_sh_is_refused_with_the_way_out() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let body = format!("{{\"a\": \"{}\"}}", "x".repeat(130 << 10));
    env.at(&server)
        .args(["api", "objects", "-d", "@-", "--curl"])
        .write_stdin(body.clone())
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("longer than curl reads (100 KiB)").and(contains("-d @FILE")));
    // Past what curl 7.x reads in one config line (the line would fail with curl's exit
    // 26), though well within what sh takes.
    env.at(&server)
        .args(["api", "objects", "-d", "@-", "--curl"])
        .write_stdin("y".repeat(101 << 10))
        .assert()
        .code(2)
        .stderr(contains("longer than curl reads"));
    // From a file, the same body makes a short line.
    let file = env.dir.path().join("big.json");
    std::fs::write(&file, &body).unwrap();
    let data = format!("@{}", file.display());
    env.at(&server)
        .args(["api", "objects", "-d", &data, "--curl"])
        .assert()
        .success();
    // Just under the limit is printed, and the line runs: the same request as api's.
    let fits = "x".repeat(99 << 10);
    let env = Env::logged_in(&server);
    same_request_by_curl(&env, &server, &["objects", "-d", "@-"], fits.as_bytes());
}

#[test]
fn a_fragment_and_odd_file_names_never_make_the_line_send_something_else() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    // curl drops a #fragment, and with it the ?api-token after it: the line leaves it out,
    // as api does.
    same_request_by_curl(&env, &server, &["objects#frag"], b"");
    // A file name with control characters would be shown as other text, or split the line.
    for name in ["a\nb.json", "a\u{1b}]0;X\u{7}.json"] {
        let file = env.dir.path().join(name);
        std::fs::write(&file, "{}").unwrap();
        env.at(&server)
            .args(["api", "objects", "--curl", "-d"])
            .arg(format!("@{}", file.display()))
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains("holds control characters"));
    }
}

#[test]
fn a_method_that_is_not_an_http_token_is_a_usage_error_everywhere() {
    let server = FakeSaymon::start();
    let env = Env::new();
    // Not logged in: the method is refused before the missing token is.
    for method in ["GE T", "GET\n", "GÉT", "", "(x)", "a;b"] {
        for preview in [None, Some("--curl"), Some("--dry-run")] {
            env.at(&server)
                .args(["api", "-X", method, "objects"])
                .args(preview)
                .assert()
                .code(2)
                .stdout("")
                .stderr(contains("invalid HTTP method"));
        }
    }
    assert!(server.seen().is_empty());
}
