//! Every command line of the docs that runs `saymon` (issue 25): each line of a ```sh block
//! in README.md, CONTRIBUTING.md and docs/*.md that invokes saymon is either run here,
//! through `sh -c` against the fake server, or listed in `SKIP` with the reason it cannot
//! be; so the docs cannot drift from the binary. A new doc line that is neither fails, and
//! so does a `SKIP` or `EXPECT` entry that matches no doc line (the tables cannot rot).
//!
//! A line runs as written but for what only a real server has: its name
//! (https://saymon.example.com, here the fake's URL, whose test CA is trusted through
//! SAYMON_CA_CERT and CURL_CA_BUNDLE), its user (robot, here admin) and its object ids
//! (here the fake's object 1), and docs/tls.md's lab server (a second fake with a
//! self-signed certificate nothing vouches for, whose real fingerprint stands for
//! `sha256:ABCD…`). Each line gets a fresh environment, logged in to the fake server with
//! the file store (the tests have no keyring), and a working directory of its own with the
//! files the docs name (token.txt, query.json, pw). What a person would type is given the way a script
//! gives it: a login that asks for its login and password finds SAYMON_LOGIN and
//! SAYMON_PASSWORD, and `vault` is a stand-in that prints a token the fake accepts. A line
//! must exit 0 unless `EXIT` says otherwise (as the docs do), and hold what `EXPECT` says.
//! The README's ```crontab line is cron.rs's to run.

use std::path::Path;

use crate::support::{self, Cert, Env, FakeSaymon, LOGIN, PASSWORD, markdown};

/// Doc lines that are not run, by the exact line (continuations joined, comment dropped),
/// with why.
const SKIP: &[(&str, &str)] = &[
    (
        "sudo cat /etc/saymon/prod.password | sudo -u saymon saymon --config-dir /var/lib/saymon \
         --profile prod --server https://saymon.example.com login --login robot --store file \
         --password-stdin",
        "needs sudo and a saymon user: systemd.rs runs it as that user",
    ),
    (
        "saymon api 'objects/5e21b752308c3c66d64e072c/history?metrics=cpu&from=1700000000000&to=1700003600000'",
        "the fake server has no objects/ID/history (shared/saymon-api.md gives no shape of its answer)",
    ),
    (
        "saymon api \"objects/$ID/history?metrics=cpu&from=$FROM_MS&to=$TO_MS\" --jq '.[] | [.ts, .value] | @tsv'",
        "the fake server has no objects/ID/history (shared/saymon-api.md gives no shape of its answer)",
    ),
];

/// Run lines whose exit code is not 0, as the docs say, by the exact line.
const EXIT: &[(&str, i32)] = &[(
    // docs/tls.md: nothing vouches for the lab's self-signed certificate yet; the failed
    // TLS check (exit 5, README's exit codes) shows its fingerprint to pin.
    "saymon doctor --server https://lab.example:8443",
    5,
)];

/// What a run line's output (stdout, then stderr) must hold, by the exact line: something that shows the line
/// did its work, not only that it exited 0.
const EXPECT: &[(&str, &str)] = &[
    (
        "saymon --server https://saymon.example.com login",
        "Logged in to",
    ),
    (
        "saymon --profile prod --server https://saymon.example.com login \
         --login robot --store file --remember-password",
        "as admin (profile prod)",
    ),
    ("saymon whoami", "admin"),
    ("saymon logout", "Removed the token"),
    ("saymon doctor", "✔"),
    (
        "saymon doctor --server https://lab.example:8443",
        "its SHA-256: ",
    ),
    (
        "saymon --server https://lab.example:8443 login --pin sha256:ABCD… --password-file pw",
        "Pinned the certificate",
    ),
    (
        "curl \"https://saymon.example.com/node/api/objects?api-token=$(saymon token print)\"",
        "\"Server room\"",
    ),
    (
        "saymon api 'objects?fields=id,name' --jq '.[] | .name'",
        "Server room\nUPS\n",
    ),
    (
        "saymon api 'objects?fields=id,name' | jq -r '.[] | [.id, .name] | @tsv'",
        "1\tServer room\n2\tUPS\n",
    ),
    (
        "saymon api objects/5e21b752308c3c66d64e072c",
        "\"Server room\"",
    ),
    (
        "saymon api incidents -X GET -F limit=20 -F skip=0 | jq '.[].text'",
        "\"xxxxxxxxxx\"\n",
    ),
    (
        "saymon api objects -f name='UPS 2' -f parent_id=5e21b752308c3c66d64e072c -f class_id=3",
        "\"UPS 2\"",
    ),
    (
        "saymon api -X PATCH objects/5e21b752308c3c66d64e072c -f name='Server room B'",
        "\"Server room B\"",
    ),
    (
        "saymon api -X PATCH objects/5e21b752308c3c66d64e072c -f name='Server room B' --dry-run",
        "PATCH",
    ),
    (
        "saymon exec -- sh -c \"$(saymon api --curl 'objects?fields=id,name')\"",
        "\"Server room\"",
    ),
    ("saymon whoami --jq '.permissions[]'", "manage-objects\n"),
    (
        "saymon api objects/5e21b752308c3c66d64e072c/children | jq 'length'",
        "1\n",
    ),
    (
        "saymon api objects/search -d @query.json",
        "[{\"id\":\"2\",\"name\":\"UPS\",\"class_id\":\"3\"}]",
    ),
    (
        "saymon status --jq '.profiles[] | select(.token == \"works\") | .name'",
        "default\n",
    ),
    (
        "saymon exec -- sh -c 'curl -fsS \"$SAYMON_SERVER/node/api/objects?api-token=$SAYMON_TOKEN\" | jq length'",
        "2\n",
    ),
];

/// The ```sh blocks' command lines of every doc that invoke saymon, with where they are.
fn doc_lines() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for (path, text) in markdown::all() {
        let page = path.strip_prefix(root).unwrap().display().to_string();
        // The block's lines so far, each with its line number.
        let mut block: Option<Vec<(usize, &str)>> = None;
        for (n, line) in text.lines().enumerate() {
            let fence = line.trim_start();
            match &mut block {
                None if fence == "```sh" => block = Some(Vec::new()),
                Some(_) if fence.starts_with("```") => {
                    let mut command = String::new();
                    let mut first = 0;
                    for (n, line) in block.take().unwrap() {
                        if command.is_empty() {
                            first = n;
                        }
                        match line.strip_suffix('\\') {
                            Some(part) => command.push_str(part),
                            None => {
                                command.push_str(line);
                                let bare = command.split(" #").next().unwrap();
                                let bare = bare.split_whitespace().collect::<Vec<_>>().join(" ");
                                if !bare.starts_with('#') && invokes_saymon(&bare) {
                                    found.push((format!("{page}:{}", first + 1), bare));
                                }
                                command.clear();
                            }
                        }
                    }
                }
                Some(body) => body.push((n, line)),
                None => {}
            }
        }
    }
    found
}

/// Whether a shell line runs `saymon` as a command: at the start of the line or of a piped,
/// `;`/`&&`-joined or `$(…)` command, after any `NAME=value` and `sudo [-u USER]`.
fn invokes_saymon(line: &str) -> bool {
    let spaced = line
        .replace("$(", " ; ")
        .replace("&&", " ; ")
        .replace("||", " ; ")
        .replace('|', " ; ")
        .replace(['"', '\''], " ");
    spaced.split(';').any(|part| {
        let mut words = part.split_whitespace().peekable();
        while let Some(word) = words.peek() {
            if word.contains('=') && !word.starts_with('-') {
                words.next();
            } else if *word == "sudo" {
                words.next();
                if words.peek() == Some(&"-u") {
                    words.next();
                    words.next();
                }
            } else {
                break;
            }
        }
        words.next() == Some("saymon")
    })
}

/// A directory with `saymon` (the built binary) and a `vault` stand-in that prints the
/// token of `$DOC_TOKEN`, for the PATH of a doc line.
fn bin_dir(dir: &Path) -> std::path::PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_saymon"), bin.join("saymon")).unwrap();
    let vault = bin.join("vault");
    std::fs::write(&vault, "#!/bin/sh\nprintf '%s\\n' \"$DOC_TOKEN\"\n").unwrap();
    support::chmod(&vault, 0o755);
    bin
}

/// The line as it runs against `server`: its name, user and object ids the fake's; and
/// docs/tls.md's lab server with a self-signed certificate, `lab`, and that certificate's
/// fingerprint.
fn rewritten(line: &str, server: &FakeSaymon, lab: &FakeSaymon, fingerprint: &str) -> String {
    line.replace("https://saymon.example.com", &server.url)
        .replace("https://lab.example:8443", &lab.url)
        .replace("sha256:ABCD…", &format!("sha256:{fingerprint}"))
        .replace("--login robot", &format!("--login {LOGIN}"))
        .replace("5e21b752308c3c66d64e072c", "1")
}

/// Run one doc line in a fresh environment, logged in to `server` (and trusting its CA)
/// unless `trusted` is false (docs/tls.md's lab server, whose certificate nothing vouches
/// for); its exit code, stdout and stderr.
fn run(line: &str, server: &FakeSaymon, trusted: bool) -> (Option<i32>, String, String) {
    // The tests have no keyring (no D-Bus): every profile keeps the file store.
    let env = if trusted {
        Env::logged_in(server)
    } else {
        let env = Env::new();
        std::fs::create_dir_all(env.config_dir()).unwrap();
        support::chmod(&env.config_dir(), 0o700);
        std::fs::write(
            env.config_file(),
            format!(
                "[profiles.default]\nserver = \"{}\"\nstore = \"file\"\n",
                server.url
            ),
        )
        .unwrap();
        env
    };
    let bin = bin_dir(env.dir.path());
    let work = env.dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let token = server.token_of(LOGIN).unwrap_or_default();
    // docs/credentials.md logs in with a token from a file it names.
    std::fs::write(work.join("token.txt"), format!("{token}\n")).unwrap();
    // docs/scripting.md searches with the body from a file.
    std::fs::write(work.join("query.json"), "{\"name\": \"UPS\"}\n").unwrap();
    // docs/tls.md logs in with the password from a private file.
    std::fs::write(work.join("pw"), format!("{PASSWORD}\n")).unwrap();
    support::chmod(&work.join("pw"), 0o600);
    let mut path = std::ffi::OsString::from(&bin);
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let mut cmd = assert_cmd::Command::new("sh");
    env.hermetic(&mut cmd);
    cmd.arg("-c")
        .arg(line)
        .env("PATH", path)
        .env("DOC_TOKEN", &token)
        .current_dir(&work);
    if trusted {
        cmd.env("SAYMON_SERVER", &server.url)
            .env("SAYMON_CA_CERT", &server.ca_file)
            .env("CURL_CA_BUNDLE", &server.ca_file);
    }
    // A login that would ask for its login and password is answered from the environment.
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.contains(&"login") && !line.contains("--with-token") && !line.contains("-stdin") {
        cmd.env("SAYMON_LOGIN", LOGIN);
        if !line.contains("--password-file") {
            cmd.env("SAYMON_PASSWORD", PASSWORD);
        }
    }
    let out = cmd.output().unwrap();
    let (stdout, stderr) = support::outputs(&out);
    (out.status.code(), stdout, stderr)
}

#[test]
fn every_saymon_line_of_the_docs_is_run_or_skipped_with_its_reason() {
    let lines = doc_lines();
    assert!(
        lines.len() >= 20,
        "the docs' saymon lines were not found: {lines:#?}"
    );
    let mut stale: Vec<String> = SKIP
        .iter()
        .map(|(l, _)| l)
        .chain(EXPECT.iter().map(|(l, _)| l))
        .chain(EXIT.iter().map(|(l, _)| l))
        .filter(|l| !lines.iter().any(|(_, line)| line == *l))
        .map(|l| format!("a table entry matches no doc line: {l}"))
        .collect();
    let server = FakeSaymon::start();
    let lab = FakeSaymon::start_tls(Cert::SelfSignedNotCa);
    let fingerprint = crate::trust::fingerprint(&Env::new(), &lab);
    let mut failed = Vec::new();
    let (mut ran, mut skipped) = (0, 0);
    for (at, line) in &lines {
        if SKIP.iter().any(|(l, _)| l == line) {
            skipped += 1;
            continue;
        }
        let command = rewritten(line, &server, &lab, &fingerprint);
        let (code, stdout, stderr) = if line.contains("lab.example") {
            run(&command, &lab, false)
        } else {
            run(&command, &server, true)
        };
        ran += 1;
        let expected = EXPECT.iter().find(|(l, _)| l == line).map(|(_, e)| *e);
        let exit = EXIT.iter().find(|(l, _)| l == line).map_or(0, |(_, c)| *c);
        let output = format!("{stdout}{stderr}");
        if code != Some(exit) || expected.is_some_and(|e| !output.contains(e)) {
            failed.push(format!(
                "{at}: {line}\n  exit {code:?} (expected {exit}), expected output to hold \
                 {expected:?}\n  \
                 stdout: {stdout}\n  stderr: {stderr}\n  (a new doc line must be run or \
                 listed in SKIP with its reason)"
            ));
        }
    }
    stale.extend(failed);
    assert!(stale.is_empty(), "{}", stale.join("\n"));
    eprintln!("doc lines: {ran} run, {skipped} skipped");
}

#[test]
fn a_doc_line_invokes_saymon_at_a_command_position_only() {
    for line in [
        "saymon whoami",
        "SAYMON_PROFILE=prod saymon status",
        "printf '%s\\n' \"$PW\" | saymon token refresh --password-stdin",
        "saymon api objects | jq length",
        "curl \"https://x/?api-token=$(saymon token print)\"",
        "true && saymon logout",
        "sudo cat pw | sudo -u saymon saymon login --password-stdin",
    ] {
        assert!(invokes_saymon(line), "{line}");
    }
    for line in [
        "sudo install -Dm755 -t /usr/local/bin saymon",
        "sudo apt install ./saymon_0.1.0_amd64.deb",
        "sed 's|/usr/bin/saymon|/usr/local/bin/saymon|' \"$unit\" |",
        "sudo install -d -o saymon -g saymon -m 700 /var/lib/saymon",
        "sudo systemctl enable --now saymon-token-refresh@prod.timer",
    ] {
        assert!(!invokes_saymon(line), "{line}");
    }
}
