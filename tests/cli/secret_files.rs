//! Secrets from files, as servers hand them over: SAYMON_PASSWORD_FILE and
//! SAYMON_TOKEN_FILE (docker and Kubernetes secrets) and systemd's
//! `$CREDENTIALS_DIRECTORY/password` and `/token` (`LoadCredential=`). Each is a source in
//! the precedence table, read as `--password-file` is (private, first line, capped); a
//! file that is named and cannot be used is an error that names it, never a silent
//! fall-through to the next source.

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::pty::Pty;
use crate::support::*;

const WRONG_PASSWORD: &str = "not-the-password-canary";
const WRONG_TOKEN: &str = "0b5e1c2d-not-this-servers-token";

/// A private (0600) file `name` in the test's dir holding `contents`.
fn secret(env: &Env, name: &str, contents: &str) -> PathBuf {
    let path = env.dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    chmod(&path, 0o600);
    path
}

/// A credentials directory as systemd makes it (0500, files 0400), with `entries`.
fn credentials(env: &Env, entries: &[(&str, &str)]) -> PathBuf {
    let dir = env.dir.path().join("credentials");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, contents) in entries {
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        chmod(&path, 0o400);
    }
    chmod(&dir, 0o500);
    dir
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `login -v` with the given sources; returns its exit code and stderr.
fn login_with(
    env: &Env,
    server: &FakeSaymon,
    args: &[&str],
    vars: &[(&str, &Path)],
) -> (Option<i32>, String) {
    let mut cmd = env.at(server);
    cmd.args(["-v", "login", "--login", LOGIN, "--store", "file"])
        .args(args);
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let out = cmd.output().unwrap();
    let stderr = stderr_of(&out);
    for leaked in [PASSWORD, WRONG_PASSWORD] {
        assert!(!stderr.contains(leaked), "{stderr}");
    }
    (out.status.code(), stderr)
}

#[test]
fn password_sources_win_in_order_and_v_names_the_winner() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let right = secret(&env, "right", &format!("{PASSWORD}\n"));
    let wrong = secret(&env, "wrong", &format!("{WRONG_PASSWORD}\n"));
    let creds_right = credentials(&env, &[("password", PASSWORD)]);
    let creds_wrong = env.dir.path().join("wrong-credentials");
    std::fs::create_dir(&creds_wrong).unwrap();
    std::fs::write(creds_wrong.join("password"), WRONG_PASSWORD).unwrap();
    chmod(&creds_wrong.join("password"), 0o400);
    let file_arg = ["--password-file", right.to_str().unwrap()];
    let wrong_file_arg = ["--password-file", wrong.to_str().unwrap()];
    let os = |s: &'static str| Path::new(s);

    // --password-file before SAYMON_PASSWORD_FILE, and not after it.
    let (code, stderr) = login_with(
        &env,
        &server,
        &file_arg,
        &[("SAYMON_PASSWORD_FILE", &wrong)],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "password from --password-file {}",
            right.display()
        )),
        "{stderr}"
    );
    let (code, _) = login_with(
        &env,
        &server,
        &wrong_file_arg,
        &[("SAYMON_PASSWORD_FILE", &right)],
    );
    assert_eq!(code, Some(4));

    // SAYMON_PASSWORD before the systemd credential.
    let (code, stderr) = login_with(
        &env,
        &server,
        &[],
        &[
            ("SAYMON_PASSWORD", os(PASSWORD)),
            ("CREDENTIALS_DIRECTORY", &creds_wrong),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("password from SAYMON_PASSWORD\n"),
        "{stderr}"
    );

    // SAYMON_PASSWORD_FILE before the systemd credential, and not after it.
    let (code, stderr) = login_with(
        &env,
        &server,
        &[],
        &[
            ("SAYMON_PASSWORD_FILE", &right),
            ("CREDENTIALS_DIRECTORY", &creds_wrong),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "password from SAYMON_PASSWORD_FILE ({})",
            right.display()
        )),
        "{stderr}"
    );
    let (code, _) = login_with(
        &env,
        &server,
        &[],
        &[
            ("SAYMON_PASSWORD_FILE", &wrong),
            ("CREDENTIALS_DIRECTORY", &creds_right),
        ],
    );
    assert_eq!(code, Some(4));

    // The credential alone, and an empty SAYMON_PASSWORD gives way to its _FILE.
    let (code, stderr) = login_with(
        &env,
        &server,
        &[],
        &[("CREDENTIALS_DIRECTORY", &creds_right)],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "password from systemd credential {}",
            creds_right.join("password").display()
        )),
        "{stderr}"
    );
    let (code, stderr) = login_with(
        &env,
        &server,
        &[],
        &[
            ("SAYMON_PASSWORD", os("")),
            ("SAYMON_PASSWORD_FILE", &right),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn a_password_credential_wins_over_the_remembered_one_in_a_refresh() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args([
            "login",
            "--login",
            LOGIN,
            "--store",
            "file",
            "--remember-password",
        ])
        .assert()
        .success();
    let before = server.token_of(LOGIN);
    let creds = credentials(&env, &[("password", WRONG_PASSWORD)]);
    // Given, so preferred: the remembered (right) password is not used, and the server
    // refuses the credential's.
    env.at(&server)
        .env("CREDENTIALS_DIRECTORY", &creds)
        .args(["-v", "token", "refresh"])
        .assert()
        .code(4)
        .stderr(contains(format!(
            "password from systemd credential {}",
            creds.join("password").display()
        )))
        .stderr(contains("password remembered in").not())
        .stderr(contains(WRONG_PASSWORD).not());
    assert_eq!(server.token_of(LOGIN), before);
}

#[test]
fn a_password_credential_is_used_before_the_prompt_at_a_terminal() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let creds = credentials(&env, &[("password", PASSWORD)]);
    let mut cmd = env.terminal_cmd();
    cmd.env("SAYMON_SERVER", &server.url)
        .env("SAYMON_CA_CERT", &server.ca_file)
        .env("CREDENTIALS_DIRECTORY", &creds)
        .args(["login", "--login", LOGIN, "--store", "file"]);
    let mut pty = Pty::spawn(cmd);
    assert_eq!(pty.wait(), 0, "{}", pty.screen);
    assert!(!pty.screen.contains("Password for"), "{}", pty.screen);
    assert!(server.token_of(LOGIN).is_some());
}

/// `whoami -v` with the given variables: exit code, stdout, stderr.
fn whoami_with(
    env: &Env,
    server: &FakeSaymon,
    vars: &[(&str, &Path)],
) -> (Option<i32>, String, String) {
    let mut cmd = env.at(server);
    cmd.args(["-v", "whoami"]);
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let out = cmd.output().unwrap();
    let (stdout, stderr) = outputs(&out);
    let token = server.token_of(LOGIN).unwrap();
    for leaked in [token.as_str(), WRONG_TOKEN] {
        assert!(
            !stderr.contains(leaked) && !stdout.contains(leaked),
            "{stderr}"
        );
    }
    (out.status.code(), stdout, stderr)
}

#[test]
fn token_sources_win_in_order_and_v_names_the_winner() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let token = server.token_of(LOGIN).unwrap();
    let right = secret(&env, "right", &format!("{token}\n"));
    let creds_wrong = credentials(&env, &[("token", WRONG_TOKEN)]);
    let token_var = PathBuf::from(&token);

    // SAYMON_TOKEN before the credential.
    let (code, stdout, stderr) = whoami_with(
        &env,
        &server,
        &[
            ("SAYMON_TOKEN", &token_var),
            ("CREDENTIALS_DIRECTORY", &creds_wrong),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("token from SAYMON_TOKEN (environment)"),
        "{stderr}"
    );
    assert!(
        stdout.contains("token from:   SAYMON_TOKEN (environment)"),
        "{stdout}"
    );

    // SAYMON_TOKEN_FILE before the credential.
    let (code, stdout, stderr) = whoami_with(
        &env,
        &server,
        &[
            ("SAYMON_TOKEN_FILE", &right),
            ("CREDENTIALS_DIRECTORY", &creds_wrong),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let named = format!("SAYMON_TOKEN_FILE ({})", right.display());
    assert!(stderr.contains(&format!("token from {named}")), "{stderr}");
    assert!(
        stdout.contains(&format!("token from:   {named}")),
        "{stdout}"
    );

    // The credential before the stored token (which works): its wrong token is used,
    // and refused with the hint that names it.
    let (code, _, stderr) = whoami_with(&env, &server, &[("CREDENTIALS_DIRECTORY", &creds_wrong)]);
    assert_eq!(code, Some(4), "{stderr}");
    let credential = creds_wrong.join("token");
    assert!(
        stderr.contains(&format!(
            "hint: the systemd credential {} was refused (not a token of this server, mistyped, replaced or revoked): check the file the unit's LoadCredential=token:FILE names",
            credential.display()
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains("saymon login") && !stderr.contains("token refresh"),
        "{stderr}"
    );

    // The right one in the credential, with no profile at all.
    let bare = Env::new();
    let creds_right = credentials(&bare, &[("token", &token)]);
    let (code, stdout, stderr) =
        whoami_with(&bare, &server, &[("CREDENTIALS_DIRECTORY", &creds_right)]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(&format!(
            "token from:   systemd credential {}",
            creds_right.join("token").display()
        )),
        "{stdout}"
    );

    // A credentials directory without a token entry is no source: the stored token.
    let only_password = Env::logged_in(&server);
    let creds = credentials(&only_password, &[("password", PASSWORD)]);
    let (code, _, stderr) = whoami_with(
        &only_password,
        &server,
        &[("CREDENTIALS_DIRECTORY", &creds)],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("token of admin@"), "{stderr}");
}

#[test]
fn a_variable_and_its_file_set_together_are_exit_2() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let token = server.token_of(LOGIN).unwrap();
    let file = secret(&env, "secret", "x\n");
    for args in [
        &["whoami"][..],
        &["status"],
        &["api", "objects"],
        &["token", "print"],
    ] {
        env.at(&server)
            .env("SAYMON_TOKEN", &token)
            .env("SAYMON_TOKEN_FILE", &file)
            .args(args)
            .assert()
            .code(2)
            .stderr(contains(
                "saymon: error: SAYMON_TOKEN and SAYMON_TOKEN_FILE are both set: set one of them",
            ))
            .stderr(contains(&token).not());
    }
    for args in [
        &["login", "--login", LOGIN, "--store", "file"][..],
        &["token", "refresh"],
        &["token", "create"],
    ] {
        env.at(&server)
            .env("SAYMON_PASSWORD", PASSWORD)
            .env("SAYMON_PASSWORD_FILE", &file)
            .args(args)
            .assert()
            .code(2)
            .stderr(contains(
                "saymon: error: SAYMON_PASSWORD and SAYMON_PASSWORD_FILE are both set: set one of them",
            ))
            .stderr(contains(PASSWORD).not());
    }
    // A SAYMON_PASSWORD of white space beside the file is not set: the file is the setting.
    let right = secret(&env, "right", &format!("{PASSWORD}\n"));
    env.at(&server)
        .env("SAYMON_PASSWORD", " \t")
        .env("SAYMON_PASSWORD_FILE", &right)
        .args(["-v", "login", "--login", LOGIN, "--store", "file"])
        .assert()
        .success()
        .stderr(contains("SAYMON_PASSWORD_FILE ("));
    // White space alone, without the file, is no password: refused as empty, never sent.
    env.at(&server)
        .env("SAYMON_PASSWORD", " \t")
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(3)
        .stderr(contains("the password from SAYMON_PASSWORD is empty"));
    // A flag that comes first settles it before the environment is read.
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .env("SAYMON_PASSWORD_FILE", &file)
        .args([
            "login",
            "--login",
            LOGIN,
            "--store",
            "file",
            "--password-stdin",
        ])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
}

/// The ways a named file fails: (name, how to make it, exit code, what the error says).
fn broken_files(env: &Env) -> Vec<(&'static str, PathBuf, i32, &'static str)> {
    let missing = env.dir.path().join("missing");
    let unreadable = secret(env, "unreadable", "x\n");
    chmod(&unreadable, 0o200);
    let large = secret(env, "large", &"x".repeat(65 * 1024));
    let empty = secret(env, "empty", "\n");
    let shared = secret(env, "shared", "x\n");
    chmod(&shared, 0o640);
    let directory = env.dir.path().join("a-directory");
    std::fs::create_dir(&directory).unwrap();
    vec![
        ("missing", missing, 3, "cannot read the"),
        ("unreadable", unreadable, 3, "Permission denied"),
        ("a directory", directory, 3, "cannot read the"),
        ("too large", large, 3, "holds more than 64 KiB"),
        ("empty", empty, 3, "is empty"),
        ("group-readable", shared, 7, "others can read it (mode 640)"),
    ]
}

/// A run that reads a broken file: its arguments, its variables, the source as the error
/// names it, and the path as given.
type Case<'a> = (Vec<&'a str>, Vec<(&'a str, PathBuf)>, String, PathBuf);

#[test]
fn a_named_file_that_cannot_be_used_is_an_error_naming_it_never_a_fall_through() {
    // As an ordinary user: root reads any file. Plain HTTP: the CA file is root's.
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    env.login_plain(&server, true, &[]);
    for (what, path, code, says) in broken_files(&env) {
        let shown = path.display().to_string();
        let creds = env
            .dir
            .path()
            .join(format!("credentials-{}", what.replace(' ', "-")));
        std::fs::create_dir(&creds).unwrap();
        // The credential entry is the broken thing itself (systemd would never make it
        // so, but a copy or a hand-made directory may).
        let entry = |name: &str| {
            let link = creds.join(name);
            if path.exists() {
                std::os::unix::fs::symlink(&path, &link).unwrap();
            } else {
                std::os::unix::fs::symlink(env.dir.path().join("gone"), &link).unwrap();
            }
            link
        };
        let password_entry = entry("password");
        let token_entry = entry("token");
        let mut cases: Vec<Case> = vec![
            (
                vec![
                    "login",
                    "--login",
                    LOGIN,
                    "--store",
                    "file",
                    "--password-file",
                    &shown,
                ],
                vec![],
                format!("--password-file {shown}"),
                path.clone(),
            ),
            (
                vec!["login", "--login", LOGIN, "--store", "file"],
                vec![("SAYMON_PASSWORD_FILE", path.clone())],
                format!("SAYMON_PASSWORD_FILE ({shown})"),
                path.clone(),
            ),
            (
                vec!["whoami"],
                vec![("SAYMON_TOKEN_FILE", path.clone())],
                format!("SAYMON_TOKEN_FILE ({shown})"),
                path.clone(),
            ),
        ];
        if what != "missing" {
            // A missing entry is no credential at all (see below); a link to a missing
            // file is one that cannot be read.
            cases.push((
                vec!["token", "refresh"],
                vec![("CREDENTIALS_DIRECTORY", creds.clone())],
                format!("systemd credential {}", password_entry.display()),
                password_entry.clone(),
            ));
            cases.push((
                vec!["whoami"],
                vec![("CREDENTIALS_DIRECTORY", creds.clone())],
                format!("systemd credential {}", token_entry.display()),
                token_entry.clone(),
            ));
        }
        for (args, vars, source, given) in cases {
            let mut cmd = env.user_cmd();
            cmd.env("SAYMON_SERVER", &server.url).args(&args);
            for (name, value) in &vars {
                cmd.env(name, value);
            }
            let out = cmd.output().unwrap();
            let stderr = stderr_of(&out);
            assert_eq!(
                out.status.code(),
                Some(code),
                "{what} {args:?} {vars:?}: {stderr}"
            );
            let named = if code == 7 {
                // check_private names the file as it was given.
                stderr.contains(&format!("{} holds a", given.display()))
            } else {
                stderr.contains(&source)
            };
            assert!(named, "{what} {args:?}: {source}: {stderr}");
            assert!(stderr.contains(says), "{what} {args:?}: {stderr}");
            assert!(stderr.contains("\nhint: "), "{stderr}");
            assert!(!stderr.contains("xxxxxxxx"), "never the contents");
        }
    }
    // The stored token still works: nothing above replaced it.
    env.user_cmd()
        .env("SAYMON_SERVER", &server.url)
        .arg("whoami")
        .assert()
        .success();
}

#[test]
fn an_empty_file_variable_is_not_set_and_is_named_when_nothing_else_is_there() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    // Not set: the stored token.
    env.at(&server)
        .env("SAYMON_TOKEN_FILE", "")
        .arg("whoami")
        .assert()
        .success();
    let bare = Env::new();
    bare.at(&server)
        .env("SAYMON_TOKEN_FILE", " ")
        .arg("whoami")
        .assert()
        .code(3)
        .stderr(contains(
            "not logged in: SAYMON_TOKEN_FILE is set but empty",
        ));
    bare.at(&server)
        .env("SAYMON_PASSWORD_FILE", "")
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(3)
        .stderr(contains("(SAYMON_PASSWORD_FILE is set but empty)"))
        .stderr(contains(
            "SAYMON_PASSWORD_FILE (systemd: LoadCredential=password:FILE)",
        ));
}

/// Hand `path` to `nobody` the way systemd does when it cannot chown: root's file, mode
/// 0400, with the ACL `user:nobody:r--` (mask r--, so `stat` shows 0440). False when the
/// file system has no ACLs.
fn grant_read_by_acl(path: &Path) -> bool {
    set_acl(
        path,
        &[
            (0x01, 4, u32::MAX),
            (0x02, 4, NOBODY),
            (0x04, 0, u32::MAX),
            (0x10, 4, u32::MAX),
            (0x20, 0, u32::MAX),
        ],
    )
}

/// Set the POSIX access ACL of `path` to `entries` (tag, permissions, id), as setfacl
/// does. False when the file system has no ACLs.
fn set_acl(path: &Path, entries: &[(u16, u16, u32)]) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let mut acl = 2u32.to_le_bytes().to_vec();
    for (tag, perm, id) in entries {
        acl.extend(tag.to_le_bytes());
        acl.extend(perm.to_le_bytes());
        acl.extend(id.to_le_bytes());
    }
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: the path and name are NUL-terminated, and the value is `acl.len()` bytes.
    let rc = unsafe {
        libc::setxattr(
            c_path.as_ptr(),
            c"system.posix_acl_access".as_ptr(),
            acl.as_ptr().cast(),
            acl.len(),
            0,
        )
    };
    rc == 0
}

#[test]
fn an_acl_that_shares_the_file_is_refused_naming_the_entry_and_a_foreign_owner_too() {
    if !is_root() {
        eprintln!("skipped: needs root, to give files to other users");
        return;
    }
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    let shared = secret(&env, "shared", "x\n");
    let foreign = secret(&env, "foreign", "x\n");
    // The command first: it hands the test's directory to nobody.
    let mut cmd = env.user_cmd();
    if !set_acl(
        &shared,
        &[
            (0x01, 6, u32::MAX),
            (0x04, 0, u32::MAX),
            (0x08, 4, 4242),
            (0x10, 4, u32::MAX),
            (0x20, 0, u32::MAX),
        ],
    ) {
        eprintln!("skipped: no ACLs on this file system");
        return;
    }
    cmd.env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD_FILE", &shared)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(7)
        .stderr(contains(format!(
            "saymon: error: {} holds a password but others can read or change it (ACL entry group:4242:r--)",
            shared.display()
        )))
        .stderr(contains(format!(
            "hint: if it is the right file: setfacl -b {0} && chmod 600 {0}; others could read it, so change the password",
            shared.display()
        )));
    // Readable by us through the ACL alone, but another user's file: they have it too.
    let mut cmd = env.user_cmd();
    std::os::unix::fs::chown(&foreign, Some(4242), Some(4242)).unwrap();
    chmod(&foreign, 0o400);
    assert!(grant_read_by_acl(&foreign));
    cmd.env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD_FILE", &foreign)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(7)
        .stderr(contains(format!(
            "{} holds a password but belongs to another user (uid 4242), who can read or replace it",
            foreign.display()
        )));
    // Root's, as systemd hands a credential over: used.
    let mut cmd = env.user_cmd();
    std::os::unix::fs::chown(&foreign, Some(0), Some(0)).unwrap();
    std::fs::write(&foreign, format!("{PASSWORD}\n")).unwrap();
    cmd.env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD_FILE", &foreign)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .success();
}

#[test]
fn a_named_pipe_nobody_writes_to_is_empty_at_once_and_a_pipe_with_a_writer_is_read() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let fifo = env.dir.path().join("fifo");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: the path is NUL-terminated.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    // A wait for a writer would end in the command's timeout, not in exit 3.
    for (args, var) in [
        (&["--password-file", fifo.to_str().unwrap()][..], None),
        (&[], Some(("SAYMON_PASSWORD_FILE", &fifo))),
    ] {
        let mut cmd = env.at(&server);
        if let Some((name, value)) = var {
            cmd.env(name, value);
        }
        cmd.args(["login", "--login", LOGIN, "--store", "file"])
            .args(args)
            .assert()
            .code(3)
            .stderr(contains("is empty"));
    }
    // Process substitution, whose writer may be slower than saymon: read to its end.
    let mut cmd = assert_cmd::Command::new("bash");
    env.hermetic(&mut cmd);
    cmd.env("SAYMON_SERVER", &server.url)
        .env("SAYMON_CA_CERT", &server.ca_file)
        .env("PW", PASSWORD)
        .arg("-c")
        .arg("exec \"$0\" login --login \"$1\" --store file --password-file <(sleep 0.5; printf '%s\\n' \"$PW\")")
        .arg(env!("CARGO_BIN_EXE_saymon"))
        .arg(LOGIN)
        .assert()
        .success();
}

#[test]
fn a_refresh_with_a_systemd_credential_rotates_the_token_with_nothing_else_there() {
    // As systemd runs saymon-token-refresh@PROFILE.service: a cleared environment (no
    // HOME, no D-Bus, no terminal), the config dir given, the password as a credential.
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    env.login_plain(&server, is_root(), &[]);
    let first = server.token_of(LOGIN).unwrap();
    let refresh = |creds: &Path| {
        let mut cmd = env.user_cmd();
        cmd.env_clear()
            .env("CREDENTIALS_DIRECTORY", creds)
            .arg("--config-dir")
            .arg(env.config_dir())
            .args(["-q", "token", "refresh"]);
        let out = cmd.output().unwrap();
        let (stdout, stderr) = outputs(&out);
        assert!(out.status.success(), "{stderr}");
        assert_eq!((stdout.as_str(), stderr.as_str()), ("", ""));
    };

    // The file is the service user's own, 0400 (systemd on a file system without ACLs).
    let creds = credentials(&env, &[("password", &format!("{PASSWORD}\n"))]);
    if is_root() {
        chown_tree(&creds, NOBODY, None);
    }
    refresh(&creds);
    let second = server.token_of(LOGIN).unwrap();
    assert_ne!(second, first);
    assert!(env.stored_token_lines().contains(&second));

    // Root's file, 0400 plus an ACL that lets the service user read it (systemd's usual
    // way for a unit with User=): `stat` shows 0440, and it is private all the same.
    if !is_root() {
        return;
    }
    let root_creds = tempfile::tempdir().unwrap();
    chmod(root_creds.path(), 0o755);
    let password = root_creds.path().join("password");
    std::fs::write(&password, PASSWORD).unwrap();
    chmod(&password, 0o400);
    if !grant_read_by_acl(&password) {
        eprintln!("no ACLs on this file system: the ACL case is skipped");
        return;
    }
    assert_eq!(mode(&password), 0o440);
    refresh(root_creds.path());
    assert_ne!(server.token_of(LOGIN).unwrap(), second);
}

#[test]
fn status_and_doctor_name_a_token_file_source() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let token = server.token_of(LOGIN).unwrap();
    let file = secret(&env, "token", &format!("{token}\n"));
    let creds = credentials(&env, &[("token", &token)]);
    let credential = creds.join("token");
    for (var, value, kind, named) in [
        (
            "SAYMON_TOKEN_FILE",
            &file,
            "environment_file",
            format!("SAYMON_TOKEN_FILE ({})", file.display()),
        ),
        (
            "CREDENTIALS_DIRECTORY",
            &creds,
            "credential",
            format!("systemd credential {}", credential.display()),
        ),
    ] {
        let path = if var == "SAYMON_TOKEN_FILE" {
            &file
        } else {
            &credential
        };
        env.at(&server)
            .env(var, value)
            .arg("status")
            .assert()
            .success()
            .stdout(contains(kind))
            .stderr(contains(format!(
                "The token of profile default comes from {named}"
            )))
            .stdout(contains(&token).not());
        let out = env
            .at(&server)
            .env(var, value)
            .args(["status", "--output", "json"])
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let profile = &doc["profiles"][0];
        assert_eq!(profile["token_source"], kind);
        assert_eq!(profile["token_source_path"], path.to_str().unwrap());
        assert_eq!(profile["token"], "works");
        env.at(&server)
            .env(var, value)
            .arg("doctor")
            .assert()
            .success()
            .stdout(contains(format!(
                "accepted: the token of {named} belongs to {LOGIN}"
            )))
            .stdout(contains(&token).not());
    }
}

#[test]
fn a_refused_token_file_is_named_with_its_fix_and_no_login_or_refresh() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let file = secret(&env, "token", &format!("{WRONG_TOKEN}\n"));
    let said = format!(
        "SAYMON_TOKEN_FILE ({}) was refused (not a token of this server, mistyped, replaced or revoked): check the secret that file holds, or unset SAYMON_TOKEN_FILE to use the stored token",
        file.display()
    );
    for args in [&["whoami"][..], &["status"], &["api", "objects"]] {
        env.at(&server)
            .env("SAYMON_TOKEN_FILE", &file)
            .env("SAYMON_PASSWORD", PASSWORD)
            .args(args)
            .assert()
            .code(4)
            .stderr(contains(&said))
            .stderr(contains("saymon login").not())
            .stderr(contains("token refresh").not())
            .stderr(contains(WRONG_TOKEN).not());
    }
    env.at(&server)
        .env("SAYMON_TOKEN_FILE", &file)
        .env("SAYMON_PASSWORD", PASSWORD)
        .arg("doctor")
        .assert()
        .code(4)
        .stdout(contains(format!(
            "the token of SAYMON_TOKEN_FILE ({}) was refused",
            file.display()
        )))
        .stdout(contains(&said))
        .stdout(contains("token authentication may be switched off").not())
        .stdout(contains(WRONG_TOKEN).not());
    // Storing a token while the file wins over it says so, with the fix.
    env.at(&server)
        .env("SAYMON_TOKEN_FILE", &file)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .success()
        .stderr(contains(format!(
            "warning: SAYMON_TOKEN_FILE ({}) is set in this environment: commands use it before the token just stored (unset SAYMON_TOKEN_FILE to use the stored one)",
            file.display()
        )));
}

#[test]
fn exec_hands_the_token_as_saymon_token_alone() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let token = server.token_of(LOGIN).unwrap();
    let token_file = secret(&env, "token", &format!("{token}\n"));
    let password_file = secret(&env, "password", &format!("{PASSWORD}\n"));
    let creds = credentials(&env, &[("password", PASSWORD)]);
    let script = "echo \"${SAYMON_TOKEN_FILE-unset} ${SAYMON_PASSWORD_FILE-unset} ${SAYMON_PASSWORD-unset} ${CREDENTIALS_DIRECTORY-unset}\"; echo \"$SAYMON_TOKEN\"; \"$0\" whoami >/dev/null && echo inner-ok";
    let out = env
        .at(&server)
        .env("SAYMON_TOKEN_FILE", &token_file)
        .env("SAYMON_PASSWORD_FILE", &password_file)
        .env("CREDENTIALS_DIRECTORY", &creds)
        .args(["exec", "--no-mask", "--", "sh", "-c", script])
        .arg(env!("CARGO_BIN_EXE_saymon"))
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!("unset unset unset {}\n{token}\ninner-ok\n", creds.display())
    );
}

/// The precedence list's item for `what` (`- **password**: …`, `- **token** (…): …`),
/// continuation lines joined, wherever the docs keep it (README.md, CONTRIBUTING.md or a
/// page of docs/).
fn precedence_row(what: &str) -> String {
    let rows: Vec<String> = markdown::all()
        .iter()
        .flat_map(|(_, text)| markdown::list_items(text))
        .filter(|item| item.starts_with(&format!("**{what}**")))
        .collect();
    assert_eq!(rows.len(), 1, "one precedence item for {what}: {rows:?}");
    rows.into_iter().next().unwrap()
}

/// Each of `sources` is named in `row`, in this order (a merge once dropped some).
fn names_in_order(row: &str, sources: &[&str]) {
    let mut from = 0;
    for source in sources {
        let Some(at) = row[from..].find(source) else {
            panic!("the precedence row does not name {source} after what comes first: {row}");
        };
        from += at + source.len();
    }
}

#[test]
fn the_precedence_table_names_every_password_and_token_source_in_order() {
    names_in_order(
        &precedence_row("password"),
        &[
            "`--password-stdin`",
            "`--password-file F`",
            "`SAYMON_PASSWORD`",
            "`SAYMON_PASSWORD_FILE`",
            "both set is exit 2",
            "`$CREDENTIALS_DIRECTORY/password`",
            "`login --remember-password`",
            "prompt",
        ],
    );
    names_in_order(
        &precedence_row("token"),
        &[
            "`SAYMON_TOKEN`",
            "`SAYMON_TOKEN_FILE`",
            "both set is exit 2",
            "`$CREDENTIALS_DIRECTORY/token`",
            "stored token",
        ],
    );
}

#[test]
fn doctor_names_a_token_file_it_cannot_use_before_the_network_and_tries_no_stored_token() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let token = server.token_of(LOGIN).unwrap();
    let file = secret(&env, "token", &format!("{token}\n"));
    chmod(&file, 0o640);
    let shown = file.display().to_string();
    // With the server up: the file's ✘, and the stored token (which works) is not tried.
    let out = env
        .at(&server)
        .env("SAYMON_TOKEN_FILE", &file)
        .arg("doctor")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(7), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{shown} holds a token but others can read it (mode 640)"
        )),
        "{stdout}"
    );
    assert!(
        !stdout.contains("accepted"),
        "no stored token stands in: {stdout}"
    );
    // With the server unreachable: still named, before the network checks.
    let out = env
        .cmd()
        .env("SAYMON_SERVER", "https://127.0.0.1:9")
        .env("SAYMON_TOKEN_FILE", &file)
        .arg("doctor")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let named = stdout
        .find("others can read it (mode 640)")
        .unwrap_or_else(|| panic!("{stdout}"));
    let tcp = stdout.find("TCP").unwrap_or_else(|| panic!("{stdout}"));
    assert!(named < tcp, "{stdout}");
    assert!(!stdout.contains("token  not tried"), "{stdout}");
    assert!(!stdout.contains(&token));
}
