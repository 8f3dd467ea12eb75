//! Secrets go nowhere they must not: a stored token only to its own origin, nothing
//! through a proxy to this machine's own server, no password to `exec`'s command, no core
//! dump of a process holding one, no config that others can redirect, and a warning
//! whenever one crosses the network in clear.

use std::io::Read;
use std::net::{IpAddr, TcpListener, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::*;
use predicates::prelude::*;
use predicates::str::contains;

fn accounts(env: &Env) -> toml::Table {
    let text = std::fs::read_to_string(env.credentials_file()).unwrap();
    text.parse::<toml::Table>().unwrap()["accounts"]
        .as_table()
        .unwrap()
        .clone()
}

#[test]
fn a_token_stored_for_https_is_never_sent_to_http() {
    // The plain server stands at the port an https profile names: `--server http://`
    // for it must not get the token stored for https.
    let server = FakeSaymon::start_plain();
    let port = server.addr.port();
    server.state.lock().unwrap().users[0].token = Some("tok-https-canary".into());
    let env = Env::new();
    env.write_profile(
        &format!("https://127.0.0.1:{port}"),
        &format!("{LOGIN}@127.0.0.1:{port}"),
        "tok-https-canary",
        None,
    );
    for args in [
        &["whoami"][..],
        &["api", "objects"],
        &["exec", "--", "true"],
        &["token", "print"],
    ] {
        env.cmd()
            .args(["--server", &server.url])
            .args(args)
            .assert()
            .code(3)
            .stdout(contains("tok-https-canary").not())
            .stderr(contains("not logged in"));
    }
    env.cmd()
        .args(["--server", &server.url, "status"])
        .assert()
        .code(3)
        .stdout(contains("none"));
    assert!(
        server.seen().is_empty(),
        "nothing was sent: {:?}",
        server.seen()
    );
}

#[test]
fn a_token_that_0_1_stored_for_an_http_server_keeps_working_there_and_moves() {
    let server = FakeSaymon::start_plain();
    let port = server.addr.port();
    server.state.lock().unwrap().users[0].token = Some("tok-legacy-canary".into());
    let env = Env::new();
    let legacy = format!("{LOGIN}@127.0.0.1:{port}");
    let account = format!("{LOGIN}@http://127.0.0.1:{port}");
    env.write_profile(&server.url, &legacy, "tok-legacy-canary", Some(PASSWORD));

    env.cmd().arg("whoami").assert().success();
    let moved = accounts(&env);
    assert_eq!(moved[&account]["token"].as_str(), Some("tok-legacy-canary"));
    assert_eq!(moved[&legacy].get("token"), None, "moved, not copied");

    // The remembered password moves with the next refresh, which needs it.
    env.cmd().args(["token", "refresh"]).assert().success();
    let moved = accounts(&env);
    assert!(!moved.contains_key(&legacy), "{moved:?}");
    assert_eq!(moved[&account]["password"].as_str(), Some(PASSWORD));
    assert_eq!(
        moved[&account]["token"].as_str(),
        server.token_of(LOGIN).as_deref()
    );
    env.cmd().arg("whoami").assert().success();
}

#[test]
fn a_config_that_others_can_change_is_refused() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let status = || env.at(&server).args(["status", "--offline"]).assert();
    status().success();

    chmod(&env.config_dir(), 0o770);
    status().code(7).stderr(contains(format!(
        "hint: chmod 700 {}",
        env.config_dir().display()
    )));
    chmod(&env.config_dir(), 0o700);
    chmod(&env.config_file(), 0o646);
    status().code(7).stderr(contains(format!(
        "hint: chmod 600 {}",
        env.config_file().display()
    )));
    chmod(&env.config_file(), 0o600);
    status().success();

    if !is_root() {
        eprintln!("skipped the part about another user's config: it needs root");
        return;
    }
    // Another user's config dir, even private, could point us at their server.
    std::os::unix::fs::chown(env.config_file(), Some(NOBODY), None).unwrap();
    status()
        .code(7)
        .stderr(contains("belongs to another user (uid 65534)"));
    std::os::unix::fs::chown(env.config_file(), Some(0), None).unwrap();
    std::os::unix::fs::chown(env.config_dir(), Some(NOBODY), None).unwrap();
    status().code(7).stderr(contains("belongs to another user"));
}

/// A "proxy" that only counts the connections it gets.
fn counting_proxy() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, count)
}

#[test]
fn a_proxy_never_carries_a_request_to_this_machine() {
    let server = FakeSaymon::start_plain();
    let (proxy, connections) = counting_proxy();
    let env = Env::new();
    let port = server.addr.port();
    for url in [server.url.clone(), format!("http://localhost:{port}")] {
        let mut cmd = env.cmd();
        for var in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
            cmd.env(var, &proxy);
        }
        cmd.env("SAYMON_SERVER", &url)
            .env("SAYMON_PASSWORD", PASSWORD)
            .args(["login", "--login", LOGIN, "--store", "file"])
            .assert()
            .success();
    }
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "nothing went to the proxy"
    );
}

#[test]
fn exec_gives_the_command_the_token_never_the_password() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    let run = |args: &[&str]| {
        env.cmd()
            .env("SAYMON_SERVER", &server.url)
            .env("SAYMON_PASSWORD", PASSWORD)
            .args(args)
            .assert()
    };
    run(&["login", "--login", LOGIN, "--store", "file"]).success();
    // --no-mask: the token is to be seen here (exec masks it in piped output).
    let out = run(&[
        "exec",
        "--no-mask",
        "--",
        "sh",
        "-c",
        "echo \"${SAYMON_PASSWORD-unset}\"; echo \"$SAYMON_TOKEN\"",
    ])
    .success()
    .get_output()
    .stdout
    .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("unset\n{}\n", server.token_of(LOGIN).unwrap())
    );
}

#[test]
fn a_process_that_holds_a_password_cannot_be_dumped() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    let mut cmd = env.user_std_cmd();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.home())
        .env("TERM", "dumb")
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_SERVER", &server.url)
        .args(["login", "--login", LOGIN, "--store", "file"]);
    if is_root() {
        chown_tree(
            env.dir.path(),
            NOBODY,
            Some(&env.dir.path().join("bin/saymon")),
        );
    }
    let mut term = pty::Pty::spawn(cmd);
    term.expect("Password for admin");
    term.wait_for_hidden_input();
    // Not dumpable: the kernel hands its /proc files to root, whoever runs it.
    let proc_dir = format!("/proc/{}", term.pid());
    assert_eq!(
        owner(std::path::Path::new(&format!("{proc_dir}/status"))),
        0
    );
    let mut limits = String::new();
    std::fs::File::open(format!("{proc_dir}/limits"))
        .unwrap()
        .read_to_string(&mut limits)
        .unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(
        core.split_whitespace().nth(4),
        Some("0"),
        "soft core limit 0: {core}"
    );
    term.send(&format!("{PASSWORD}\n"));
    assert_eq!(term.wait(), 0, "{}", term.screen);
}

/// An address of this machine that is not loopback, if it has one.
fn outward_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.254:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn plain_http_to_another_host_warns_for_the_password_and_the_token() {
    let Some(ip) = outward_address() else {
        eprintln!("skipped: this machine has no address but loopback");
        return;
    };
    let server = FakeSaymon::start_plain_on(ip);
    let env = Env::new();
    let run = |args: &[&str]| {
        env.cmd()
            .env("SAYMON_SERVER", &server.url)
            .env("SAYMON_PASSWORD", PASSWORD)
            .args(args)
            .assert()
            .success()
    };
    run(&["login", "--login", LOGIN, "--store", "file"]).stderr(contains(format!(
        "warning: sending the password over plain http:// to {}",
        server.addr
    )));
    for args in [&["whoami"][..], &["api", "objects"], &["-q", "status"]] {
        run(args).stderr(contains("warning: sending the token over plain http://"));
    }
}
