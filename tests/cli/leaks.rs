//! No password or token in any output but where a command's job is to print the token:
//! every command, on success and on failure, with and without -v.

use crate::support;

use crate::support::*;
use assert_cmd::Command;

const ENV_TOKEN: &str = "env-token-canary-7f3a";
const WRONG_PASSWORD: &str = "wr0ng:Pässword-canary";

/// Runs commands and keeps everything they printed.
struct Recorder {
    /// (what ran, stdout, stderr, whether printing the token is its job)
    runs: Vec<(String, String, String, bool)>,
}

impl Recorder {
    fn run(&mut self, what: &str, mut cmd: Command, prints_token: bool) -> i32 {
        let out = cmd.output().unwrap();
        let (stdout, stderr) = outputs(&out);
        assert!(!stderr.contains("panicked"), "{what} panicked: {stderr}");
        self.runs
            .push((what.to_string(), stdout, stderr, prints_token));
        out.status.code().unwrap_or(-1)
    }
}

#[test]
fn no_secret_reaches_any_output() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let mut rec = Recorder { runs: Vec::new() };
    let pw_file = env.dir.path().join("pw");
    std::fs::write(&pw_file, format!("{PASSWORD}\n")).unwrap();
    let wrong_file = env.dir.path().join("wrong");
    std::fs::write(&wrong_file, WRONG_PASSWORD).unwrap();
    support::chmod(&pw_file, 0o600);
    support::chmod(&wrong_file, 0o600);
    let token_file = env.dir.path().join("token");
    std::fs::write(&token_file, ENV_TOKEN).unwrap();
    support::chmod(&token_file, 0o600);
    // systemd's credentials directory: the canary token and the wrong password.
    let creds = env.dir.path().join("credentials");
    std::fs::create_dir(&creds).unwrap();
    for (name, value) in [("token", ENV_TOKEN), ("password", WRONG_PASSWORD)] {
        std::fs::write(creds.join(name), value).unwrap();
        support::chmod(&creds.join(name), 0o400);
    }

    for verbose in [false, true] {
        let v: &[&str] = if verbose { &["-v"] } else { &[] };
        let login = |password_file: &std::path::Path| {
            let mut cmd = env.at(&server);
            cmd.args(v)
                .args([
                    "login",
                    "--login",
                    LOGIN,
                    "--store",
                    "file",
                    "--password-file",
                ])
                .arg(password_file);
            cmd
        };
        let plain = |args: &[&str]| {
            let mut cmd = env.at(&server);
            cmd.args(v).args(args);
            cmd
        };

        // Failures before a login.
        assert_eq!(
            rec.run("login, wrong password", login(&wrong_file), false),
            4
        );
        let mut cmd = plain(&[
            "login",
            "--login",
            LOGIN,
            "--password-stdin",
            "--store",
            "auto",
        ]);
        cmd.write_stdin(format!("{PASSWORD}\n"));
        assert_eq!(rec.run("login, no keyring", cmd, false), 7);
        assert_eq!(
            rec.run("whoami, not logged in", plain(&["whoami"]), false),
            3
        );

        // Successes.
        assert_eq!(rec.run("login", login(&pw_file), false), 0);
        assert_eq!(rec.run("whoami", plain(&["whoami"]), false), 0);
        assert_eq!(
            rec.run("whoami json", plain(&["whoami", "--output", "json"]), false),
            0
        );
        assert_eq!(rec.run("token print", plain(&["token", "print"]), true), 0);
        let mut cmd = plain(&["token", "create"]);
        cmd.env("SAYMON_PASSWORD", PASSWORD);
        assert_eq!(rec.run("token create", cmd, true), 0);
        let mut cmd = plain(&["token", "create", "--output", "json"]);
        cmd.env("SAYMON_PASSWORD", PASSWORD);
        assert_eq!(rec.run("token create json", cmd, true), 0);

        let mut cmd = plain(&["token", "refresh"]);
        cmd.env("SAYMON_PASSWORD", PASSWORD);
        assert_eq!(rec.run("token refresh", cmd, false), 0);
        assert_eq!(
            rec.run(
                "token refresh if invalid",
                plain(&["token", "refresh", "--if-invalid"]),
                false
            ),
            0
        );
        assert_eq!(rec.run("status", plain(&["status"]), false), 0);
        assert_eq!(
            rec.run("status json", plain(&["status", "--output", "json"]), false),
            0
        );
        assert_eq!(rec.run("exec", plain(&["exec", "--", "true"]), false), 0);
        assert_eq!(
            rec.run("api", plain(&["api", "-i", "objects?fields=id"]), false),
            0
        );
        assert_eq!(
            rec.run("api post", plain(&["api", "objects", "-F", "x=1"]), false),
            0
        );
        assert_eq!(rec.run("api 404", plain(&["api", "objects/404"]), false), 6);
        let mut cmd = plain(&["token", "refresh"]);
        cmd.env("SAYMON_PASSWORD", WRONG_PASSWORD);
        assert_eq!(rec.run("token refresh, wrong password", cmd, false), 4);

        // Failures with a token in play: refused, server trouble, timeout, TLS.
        let mut cmd = plain(&["whoami"]);
        cmd.env("SAYMON_TOKEN", ENV_TOKEN);
        assert_eq!(rec.run("whoami, refused env token", cmd, false), 4);
        let mut cmd = plain(&["api", "objects"]);
        cmd.env("SAYMON_TOKEN", ENV_TOKEN);
        assert_eq!(rec.run("api, refused env token", cmd, false), 4);
        // The same from the files servers hand over (SAYMON_TOKEN_FILE, SAYMON_PASSWORD_FILE,
        // systemd's credentials), and a variable set beside its file.
        let mut cmd = plain(&["whoami"]);
        cmd.env("SAYMON_TOKEN_FILE", &token_file);
        assert_eq!(rec.run("whoami, refused token file", cmd, false), 4);
        let mut cmd = plain(&["status", "--output", "json"]);
        cmd.env("CREDENTIALS_DIRECTORY", &creds);
        assert_eq!(rec.run("status, refused token credential", cmd, false), 4);
        let mut cmd = plain(&["token", "refresh"]);
        cmd.env("SAYMON_PASSWORD_FILE", &wrong_file);
        assert_eq!(rec.run("token refresh, wrong password file", cmd, false), 4);
        let mut cmd = plain(&["token", "refresh"]);
        cmd.env("CREDENTIALS_DIRECTORY", &creds);
        assert_eq!(rec.run("token refresh, wrong credential", cmd, false), 4);
        let mut cmd = plain(&["whoami"]);
        cmd.env("SAYMON_TOKEN", ENV_TOKEN)
            .env("SAYMON_TOKEN_FILE", &token_file);
        assert_eq!(rec.run("whoami, token and its file", cmd, false), 2);
        let mut cmd = plain(&["token", "create"]);
        cmd.env("SAYMON_PASSWORD", WRONG_PASSWORD);
        assert_eq!(rec.run("token create, wrong password", cmd, false), 4);
        server.set_mode(Mode::Html502);
        assert_eq!(rec.run("whoami, proxy error", plain(&["whoami"]), false), 1);
        assert_eq!(rec.run("login, proxy error", login(&pw_file), false), 1);
        server.set_mode(Mode::Stall);
        assert_eq!(
            rec.run(
                "whoami, timeout",
                plain(&["--timeout", "1", "whoami"]),
                false
            ),
            5
        );
        server.set_mode(Mode::Normal);
        // A config dir without the profile that remembers the test CA.
        let stranger = Env::new();
        let mut cmd = stranger.cmd();
        cmd.args(v)
            .env("SAYMON_SERVER", &server.url)
            .env("SAYMON_TOKEN", ENV_TOKEN)
            .arg("whoami");
        assert_eq!(rec.run("whoami, untrusted TLS", cmd, false), 5);
        let mut cmd = env.cmd();
        cmd.args(v).env("SAYMON_TOKEN", ENV_TOKEN).args([
            "--server",
            "http://127.0.0.1:9",
            "whoami",
        ]);
        assert_eq!(rec.run("whoami, server down", cmd, false), 5);

        // What this session added: doctor (with a wrong password at hand, for its
        // token-auth check), --paginate, --jq, status over its concurrent checks.
        let mut cmd = plain(&["doctor"]);
        cmd.env("SAYMON_PASSWORD", WRONG_PASSWORD);
        assert_eq!(rec.run("doctor, wrong password at hand", cmd, false), 0);
        let mut cmd = plain(&["doctor", "--output", "json"]);
        cmd.env("SAYMON_TOKEN", ENV_TOKEN)
            .env("SAYMON_PASSWORD", WRONG_PASSWORD);
        assert_eq!(rec.run("doctor, refused env token", cmd, false), 4);
        assert_eq!(
            rec.run(
                "api --paginate",
                plain(&["api", "incidents", "--paginate"]),
                false
            ),
            0
        );
        assert_eq!(
            rec.run("whoami --jq", plain(&["whoami", "--jq", "."]), false),
            0
        );
        assert_eq!(rec.run("status", plain(&["status"]), false), 0);

        assert_eq!(
            rec.run("token revoke", plain(&["token", "revoke"]), false),
            0
        );
        assert_eq!(
            rec.run("token revoke, none", plain(&["token", "revoke"]), false),
            3
        );
        assert_eq!(rec.run("status, no token", plain(&["status"]), false), 3);
        assert_eq!(rec.run("login again", login(&pw_file), false), 0);
        assert_eq!(
            rec.run("logout --revoke", plain(&["logout", "--revoke"]), false),
            0
        );
        assert_eq!(rec.run("login again", login(&pw_file), false), 0);
        assert_eq!(rec.run("logout", plain(&["logout"]), false), 0);
        assert_eq!(
            rec.run("token print, logged out", plain(&["token", "print"]), false),
            3
        );
    }

    let mut tokens = server.issued();
    assert!(tokens.len() >= 4, "the scenario created tokens");
    tokens.push(ENV_TOKEN.to_string());
    for (what, stdout, stderr, prints_token) in &rec.runs {
        for password in [PASSWORD, WRONG_PASSWORD] {
            assert!(
                !stdout.contains(password),
                "{what}: password in stdout:\n{stdout}"
            );
            assert!(
                !stderr.contains(password),
                "{what}: password in stderr:\n{stderr}"
            );
        }
        for token in &tokens {
            assert!(
                !stderr.contains(token.as_str()),
                "{what}: token in stderr:\n{stderr}"
            );
            if !prints_token {
                assert!(
                    !stdout.contains(token.as_str()),
                    "{what}: token in stdout:\n{stdout}"
                );
            }
        }
    }
    // The -v runs did log requests, with the token masked.
    assert!(
        rec.runs
            .iter()
            .any(|(_, _, e, _)| e.contains("api-token=***"))
    );
}

/// A server that echoes the request back (its query holds the token) in an error, or the
/// token in a header that `-v` logs: stderr shows *** where the token was.
#[test]
fn a_token_the_server_echoes_back_never_reaches_stderr() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let token = server.state.lock().unwrap().users[0].token.clone().unwrap();
    server.state.lock().unwrap().mode = Mode::EchoError;
    let output = env.cmd().args(["api", "objects"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("bad request for"), "{stderr}");
    assert!(
        !stderr.contains(&token),
        "the token reached stderr: {stderr}"
    );
    assert!(stderr.contains("token ***"), "{stderr}");
    server.state.lock().unwrap().mode = Mode::EchoTokenHeader;
    let output = env.cmd().args(["-v", "whoami"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("x-echo-token: ***"), "{stderr}");
    assert!(
        !stderr.contains(&token),
        "the token reached stderr: {stderr}"
    );
}
