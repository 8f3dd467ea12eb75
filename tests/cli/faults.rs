//! Never lose a token: faults of the config dir, the disk, stdout and stderr, a killed
//! process and a lost answer, around token creation. SAYMON keeps one token per user, so
//! each test checks that no token is made that cannot be stored, and that what is stored
//! still works afterwards. Tests about permissions run as an ordinary user.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;
use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn on(env: &Env, server: &FakeSaymon, as_user: bool) -> Command {
    env.with_password(server, as_user)
}

fn login_remembering(env: &Env, server: &FakeSaymon, as_user: bool) {
    env.login_plain(server, as_user, &["--remember-password"]);
}

/// The token stored in the file store for the fake's plain-HTTP account.
fn stored_token(env: &Env, server: &FakeSaymon) -> Option<String> {
    let text = std::fs::read_to_string(env.credentials_file()).ok()?;
    let table: toml::Table = text.parse().unwrap();
    let account = format!("{LOGIN}@http://127.0.0.1:{}", server.addr.port());
    table["accounts"]
        .get(&account)?
        .get("token")?
        .as_str()
        .map(str::to_string)
}

/// The stored token is the one the server accepts now: nothing was lost.
fn assert_stored_token_works(env: &Env, server: &FakeSaymon) {
    assert_eq!(stored_token(env, server), server.token_of(LOGIN));
    // As whoever owns the config: root refuses a config dir another user owns.
    let mut cmd = if support::owner(&env.config_dir()) == 0 {
        env.cmd()
    } else {
        env.user_cmd()
    };
    cmd.env("SAYMON_SERVER", &server.url)
        .arg("whoami")
        .assert()
        .success();
}

#[test]
fn a_read_only_config_dir_fails_before_any_token_is_made() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    login_remembering(&env, &server, true);
    chmod(&env.config_dir(), 0o500);
    let made = server.token_creations();

    for args in [
        &["token", "refresh"][..],
        &["login", "--login", LOGIN, "--store", "file"],
        &["token", "create", "--login", LOGIN],
    ] {
        on(&env, &server, true)
            .args(args)
            .assert()
            .code(7)
            .stderr(contains(format!(
                "chmod u+rwx {}",
                env.config_dir().display()
            )));
        assert_eq!(server.token_creations(), made, "no token made by {args:?}");
    }
    // The stored token is refused (replaced elsewhere): --if-invalid must make one, and
    // must not, since it could not keep it.
    server.state.lock().unwrap().users[0].token = Some("elsewhere".into());
    on(&env, &server, true)
        .args(["token", "refresh", "--if-invalid"])
        .assert()
        .code(7)
        .stderr(contains("no token was created"));
    assert_eq!(server.token_creations(), made);

    chmod(&env.config_dir(), 0o700);
    on(&env, &server, true)
        .args(["token", "refresh", "--if-invalid"])
        .assert()
        .success();
    assert_eq!(server.token_creations(), made + 1);
    assert_stored_token_works(&env, &server);
}

/// A tmpfs of `size` mounted on `dir` for one test, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> SmallDisk {
        std::fs::create_dir_all(dir).unwrap();
        let status = StdCommand::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={size},mode=0700"))
            .arg("saymon-test")
            .arg(dir)
            .status()
            .unwrap();
        assert!(status.success(), "mount a tmpfs on {}", dir.display());
        SmallDisk(dir.to_path_buf())
    }

    /// Fill it to the last byte.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.0.join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let block = [0u8; 4096];
        while file.write_all(&block).is_ok() {}
        while file.write_all(&block[..1]).is_ok() {}
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = StdCommand::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_fails_before_any_token_is_made() {
    if !is_root() {
        eprintln!("skipped: mounting a small tmpfs needs root (CI runs as root)");
        return;
    }
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    let disk = SmallDisk::mount(&env.config_dir(), "256k");
    login_remembering(&env, &server, false);
    let filler = disk.fill();
    let made = server.token_creations();

    on(&env, &server, false)
        .args(["token", "refresh"])
        .assert()
        .code(7)
        .stderr(contains("No space left on device"))
        .stderr(contains("free some space"));
    on(&env, &server, false)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(7);
    assert_eq!(server.token_creations(), made, "no token made");
    assert_stored_token_works(&env, &server);

    std::fs::remove_file(filler).unwrap();
    on(&env, &server, false)
        .args(["token", "refresh"])
        .assert()
        .success();
    assert_stored_token_works(&env, &server);
}

#[test]
fn planted_and_stale_temp_files_neither_fail_a_refresh_nor_survive_it() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    login_remembering(&env, &server, false);
    let dir = env.config_dir();
    // A link where 0.1 would have written (its temp names were predictable), and the
    // leftover of a killed writer, holding secrets.
    let victim = env.dir.path().join("victim");
    std::fs::write(&victim, "untouched").unwrap();
    for pid in [1, 2, 100, std::process::id()] {
        std::os::unix::fs::symlink(&victim, dir.join(format!(".credentials.toml.{pid}.tmp")))
            .unwrap();
    }
    std::fs::write(
        dir.join(".credentials.toml.Xy12ab.tmp"),
        format!("password = \"{PASSWORD}\""),
    )
    .unwrap();

    on(&env, &server, false)
        .args(["token", "refresh"])
        .assert()
        .success();
    assert_stored_token_works(&env, &server);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    assert_eq!(
        files_in(&dir),
        [".lock", ".token.lock", "config.toml", "credentials.toml"]
    );
}

#[test]
fn kill_9_during_a_refresh_leaves_no_secret_and_logout_leaves_none_at_all() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    login_remembering(&env, &server, false);
    server.set_mode(Mode::Stall);
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_saymon"))
        .env_clear()
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_SERVER", &server.url)
        .args(["token", "refresh"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The refresh is waiting for the server with its write reserved: kill it there.
    let deadline = Instant::now() + Duration::from_secs(20);
    let temp = loop {
        let found = files_in(&env.config_dir())
            .into_iter()
            .find(|n| n.starts_with(".credentials.toml.") && n.ends_with(".tmp"));
        if let Some(name) = found {
            break env.config_dir().join(name);
        }
        assert!(Instant::now() < deadline, "no reservation appeared");
        std::thread::sleep(Duration::from_millis(20));
    };
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    let left = std::fs::read_to_string(&temp).unwrap_or_default();
    assert!(
        !left.contains(PASSWORD) && !left.contains("tok"),
        "a reservation holds no secret"
    );

    server.set_mode(Mode::Normal);
    on(&env, &server, false)
        .arg("logout")
        .assert()
        .success()
        .stderr(contains("Removed the token and password"));
    assert_eq!(
        files_in(&env.config_dir()),
        [".lock", ".token.lock", "config.toml", "credentials.toml"]
    );
    for name in files_in(&env.config_dir()) {
        let text = std::fs::read_to_string(env.config_dir().join(name)).unwrap();
        assert!(!text.contains(PASSWORD));
        for token in server.issued() {
            assert!(!text.contains(&token));
        }
    }
}

/// saymon under `sh`, with the redirections `redirect` (e.g. `>&-`) applied to it.
fn redirected(env: &Env, server: &FakeSaymon, redirect: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new("sh");
    env.hermetic(&mut cmd);
    cmd.env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD", PASSWORD)
        .arg("-c")
        .arg(format!("exec \"$0\" \"$@\" {redirect}"))
        .arg(env!("CARGO_BIN_EXE_saymon"))
        .args(args);
    cmd
}

#[test]
fn token_create_stores_before_it_prints() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    login_remembering(&env, &server, false);
    let create = ["token", "create", "--login", LOGIN];

    // stdout closed: the token replaced the stored one, and is kept there.
    redirected(&env, &server, ">&-", &create)
        .assert()
        .code(1)
        .stderr(contains("could not be written to stdout"))
        .stderr(contains(format!(
            "it is stored in the file {}",
            env.credentials_file().display()
        )))
        .stderr(contains("saymon token print"));
    assert_stored_token_works(&env, &server);

    // stdout a pipe nobody reads (EPIPE): the same.
    let mut fds = [0; 2];
    // SAFETY: pipe fills two new descriptors; we own both.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: just made, owned by nobody else.
    let (read, write) = unsafe {
        use std::os::fd::FromRawFd;
        (
            std::os::fd::OwnedFd::from_raw_fd(fds[0]),
            std::os::fd::OwnedFd::from_raw_fd(fds[1]),
        )
    };
    drop(read);
    let out = StdCommand::new(env!("CARGO_BIN_EXE_saymon"))
        .env_clear()
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(create)
        .stdin(Stdio::null())
        .stdout(Stdio::from(write))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("could not be written to stdout"),
        "{stderr}"
    );
    assert_stored_token_works(&env, &server);

    // stderr closed: no panic (101); the token is printed and stored.
    let out = redirected(&env, &server, "2>&-", &create)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap().trim(),
        server.token_of(LOGIN).unwrap()
    );
    assert_stored_token_works(&env, &server);

    // No store involved (another profile): it says the token was made but not delivered.
    redirected(&env, &server, ">&-", &create)
        .env("SAYMON_PROFILE", "other")
        .assert()
        .code(1)
        .stderr(contains("a new token was created for admin"))
        .stderr(contains("previous token no longer works"));
}

#[test]
fn a_closed_stderr_never_changes_an_exit_code() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    login_remembering(&env, &server, false);
    for (args, code) in [
        (&["whoami"][..], 0),
        (&["status", "--offline"], 0),
        (&["--profile", "nobody", "whoami"], 3),
        (&["token", "refresh", "-v"], 0),
        (&["login", "--login", LOGIN, "--store", "keyring"], 7),
        (&["api", "objects/404"], 6),
        (&["api", "incidents", "--paginate", "--page-size", "7"], 0),
        (&["whoami", "--jq", ".login"], 0),
        (&["doctor"], 0),
        (&["logout"], 0),
        (&["whoami"], 3),
    ] {
        redirected(&env, &server, "2>&-", args).assert().code(code);
    }
}

#[test]
fn an_answer_lost_after_the_token_post_says_the_token_may_be_replaced() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    login_remembering(&env, &server, false);
    server.set_mode(Mode::SlowAfterCreating);
    on(&env, &server, false)
        .args(["--timeout", "2", "token", "refresh"])
        .assert()
        .code(5)
        .stderr(contains("the server may have replaced the token"))
        .stderr(contains("token refresh --if-invalid"));
    assert_ne!(stored_token(&env, &server), server.token_of(LOGIN));

    // What the hint says mends it: the stored token is refused, so a new one is made.
    server.set_mode(Mode::Normal);
    on(&env, &server, false)
        .args(["token", "refresh", "--if-invalid"])
        .assert()
        .success()
        .stderr(contains("Refreshed").and(contains("still works").not()));
    assert_stored_token_works(&env, &server);
}

#[test]
fn a_stuck_token_lock_holder_is_waited_for_then_given_up_on() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    login_remembering(&env, &server, false);
    let lock = std::fs::File::options()
        .write(true)
        .open(env.config_dir().join(".token.lock"))
        .unwrap();
    lock.lock().unwrap();
    let made = server.token_creations();
    let out = on(&env, &server, false)
        .args(["--timeout", "2", "token", "refresh"])
        .assert()
        .code(1)
        .stderr(contains("gave up waiting"))
        .stderr(contains("fuser"))
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8(out).unwrap();
    assert_eq!(
        stderr.matches("Waiting for another saymon").count(),
        1,
        "says once that it waits:\n{stderr}"
    );
    assert_eq!(server.token_creations(), made);
    drop(lock);
    on(&env, &server, false)
        .args(["token", "refresh"])
        .assert()
        .success();
}

#[test]
fn a_closed_stdout_fails_paginate_and_jq_clearly_and_keeps_the_token() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    login_remembering(&env, &server, false);
    let token = server.token_of(LOGIN).unwrap();
    for args in [
        &["api", "incidents", "--paginate"][..],
        &["whoami", "--jq", ".login"],
        &["status", "--jq", ".profiles[].name"],
    ] {
        redirected(&env, &server, ">&-", args)
            .assert()
            .code(1)
            .stderr(predicates::str::contains("stdout is closed"));
    }
    // Nothing of that touched the stored token.
    assert_eq!(server.token_of(LOGIN).unwrap(), token);
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .arg("whoami")
        .assert()
        .success();
}

#[test]
fn a_chmod_hint_names_a_directory_that_exists() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    let locked = env.dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    chmod(&locked, 0o500);
    let config = locked.join("a").join("saymon");
    on(&env, &server, true)
        .env("SAYMON_CONFIG_DIR", &config)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(7)
        .stderr(contains(format!("chmod u+rwx {} ", locked.display())));
    assert_eq!(server.token_creations(), 0);
}
