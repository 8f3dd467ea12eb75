//! The rescue file: a token made just before its store broke is kept there (0600), used
//! from there, and moved into the store by the next `login` without a new token; one
//! that cannot be a token is removed, and a token lost both ways says so.

use crate::support;
use crate::support::*;
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn a_token_whose_file_store_breaks_after_the_post_is_rescued_used_and_moved() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    // The cue: once the refresh's token exists, credentials.toml turns to garbage, so
    // both tries of its write fail.
    let creds = env.credentials_file();
    let garbled = creds.clone();
    server.state.lock().unwrap().on_token_created = Some(Box::new(move || {
        std::fs::write(&garbled, "garbage = [").unwrap();
    }));
    let rescue = env.config_dir().join("rescued-tokens.toml");
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "refresh"])
        .assert()
        .code(7)
        .stderr(contains(format!(
            "it is kept in the file {} (mode 0600), and saymon uses it from there",
            rescue.display()
        )))
        .stderr(contains("hint: once the file"))
        .stderr(contains("--store file`: it moves the token there"));
    server.state.lock().unwrap().on_token_created = None;
    let token = server.token_of(LOGIN).unwrap();
    assert_eq!(support::mode(&rescue) & 0o777, 0o600);
    env.at(&server)
        .arg("whoami")
        .assert()
        .success()
        .stdout(contains(format!(
            "token from:   the rescue file {}",
            rescue.display()
        )));
    env.at(&server)
        .args(["token", "print"])
        .assert()
        .success()
        .stdout(format!("{token}\n"));
    // The store mended, login moves the token without making a new one.
    std::fs::remove_file(&creds).unwrap();
    env.at(&server)
        .args(["login", "--store", "file"])
        .assert()
        .success()
        .stderr(contains("Moved the rescued token of admin into the file"));
    assert_eq!(server.token_creations(), 2);
    assert!(std::fs::read_to_string(&creds).unwrap().contains(&token));
    assert!(
        !std::fs::read_to_string(&rescue)
            .unwrap_or_default()
            .contains(&token)
    );
    env.at(&server)
        .arg("whoami")
        .assert()
        .success()
        .stdout(contains("token from:   the file"));
}

#[test]
fn a_first_login_whose_store_breaks_still_writes_its_profile_and_a_lost_token_says_so() {
    let server = FakeSaymon::start();
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    support::chmod(&env.config_dir(), 0o700);
    let creds = env.credentials_file();
    let rescue = env.config_dir().join("rescued-tokens.toml");
    // First login: credentials.toml turns to garbage once the token exists.
    let garbled = creds.clone();
    server.state.lock().unwrap().on_token_created = Some(Box::new(move || {
        std::fs::write(&garbled, "garbage = [").unwrap();
    }));
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .code(7)
        .stderr(contains("it is kept in the file"));
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    assert!(
        config.contains("store = \"file\""),
        "the profile is written: {config}"
    );
    env.at(&server).arg("whoami").assert().success();

    // Both the store and the rescue file break: the token is lost, and that is said.
    let (garbled, rescue_garbled) = (creds.clone(), rescue.clone());
    server.state.lock().unwrap().on_token_created = Some(Box::new(move || {
        std::fs::write(&garbled, "garbage = [").unwrap();
        std::fs::write(&rescue_garbled, "garbage = [").unwrap();
    }));
    std::fs::remove_file(&creds).unwrap();
    std::fs::remove_file(&rescue).unwrap();
    env.at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "refresh"])
        .assert()
        .code(7)
        .stderr(contains(format!("nor in the file {}", rescue.display())))
        .stderr(contains("and it has replaced the old one on the server"))
        .stderr(contains(PASSWORD).not());
}

#[test]
fn a_rescued_token_that_cannot_be_one_is_removed_by_login_and_hints_name_the_config_dir() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let rescue = env.config_dir().join("rescued-tokens.toml");
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    std::fs::write(
        &rescue,
        format!("[accounts.\"{account}\"]\ntoken = \"SECRET bad\"\n"),
    )
    .unwrap();
    support::chmod(&rescue, 0o600);
    env.at(&server)
        .arg("whoami")
        .assert()
        .code(1)
        .stderr(contains("cannot be a SAYMON token"))
        .stderr(contains("SECRET").not());
    // The config dir given as a flag (not SAYMON_CONFIG_DIR): hints carry it.
    let moved = env.dir.path().join("elsewhere");
    std::fs::rename(env.config_dir(), &moved).unwrap();
    let flagged = || {
        let mut cmd = env.at(&server);
        cmd.env_remove("SAYMON_CONFIG_DIR")
            .arg("--config-dir")
            .arg(&moved);
        cmd
    };
    flagged()
        .env("SAYMON_PASSWORD", PASSWORD)
        .arg("login")
        .assert()
        .success()
        .stderr(contains("it is removed from the file"))
        .stderr(contains("SECRET").not());
    assert_eq!(server.token_creations(), 2);
    flagged().arg("whoami").assert().success();
    let garbled = moved.join("credentials.toml");
    server.state.lock().unwrap().on_token_created = Some(Box::new(move || {
        std::fs::write(&garbled, "garbage = [").unwrap();
    }));
    flagged()
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "refresh"])
        .assert()
        .code(7)
        .stderr(contains(format!(
            "run `saymon login --config-dir {} --store file`",
            moved.display()
        )));
}

/// The temp files of `name` in `dir`: `.NAME.*.tmp`.
fn temps_of(dir: &std::path::Path, name: &str) -> Vec<std::path::PathBuf> {
    files_in(dir)
        .into_iter()
        .filter(|f| f.starts_with(&format!(".{name}.")) && f.ends_with(".tmp"))
        .map(|f| dir.join(f))
        .collect()
}

#[test]
fn a_token_left_in_a_temp_file_by_a_read_only_dir_is_found_named_and_moved() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    env.login_plain(&server, true, &[]);
    let dir = env.config_dir();
    // The config dir turns read-only once the new token exists: neither credentials.toml
    // nor rescued-tokens.toml can be renamed into place. Before, saymon said the token
    // was lost while it sat in a hidden temp file, which the next login swept away.
    let frozen = dir.clone();
    server.state.lock().unwrap().on_token_created = Some(Box::new(move || {
        support::chmod(&frozen, 0o500);
    }));
    let out = env
        .with_password(&server, true)
        .args(["token", "refresh"])
        .output()
        .unwrap();
    server.state.lock().unwrap().on_token_created = None;
    let (_, stderr) = outputs(&out);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    let token = server.token_of(LOGIN).unwrap();
    assert!(!stderr.contains(&token), "{stderr}");
    assert!(!stderr.contains("has replaced the old one"), "{stderr}");
    let kept = temps_of(&dir, "rescued-tokens.toml");
    assert_eq!(kept.len(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "but it is kept in {} (mode 0600), and saymon uses it from there",
            kept[0].display()
        )),
        "{stderr}"
    );
    assert_eq!(support::mode(&kept[0]) & 0o777, 0o600);
    // Every command finds it there, and says where.
    env.with_password(&server, true)
        .arg("whoami")
        .assert()
        .success()
        .stdout(contains(format!(
            "token from:   the rescue file {}",
            kept[0].display()
        )));
    env.with_password(&server, true)
        .args(["token", "print"])
        .assert()
        .success()
        .stdout(format!("{token}\n"));
    // The dir writable again, login adopts it without making a new token, and the temp
    // files are gone once the token is in its store.
    support::chmod(&dir, 0o700);
    let made = server.token_creations();
    env.with_password(&server, true)
        .args(["login", "--store", "file"])
        .assert()
        .success()
        .stderr(contains("Moved the rescued token"));
    assert_eq!(server.token_creations(), made);
    assert!(
        std::fs::read_to_string(env.credentials_file())
            .unwrap()
            .contains(&token)
    );
    assert!(temps_of(&dir, "rescued-tokens.toml").is_empty());
    assert!(temps_of(&dir, "credentials.toml").is_empty());
    env.with_password(&server, true)
        .arg("whoami")
        .assert()
        .success()
        .stdout(contains("token from:   the file"));
}

#[test]
fn a_temp_file_a_kill_left_holding_a_token_is_read_adopted_and_removed() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    env.login_plain(&server, false, &[]);
    let dir = env.config_dir();
    let token = server.token_of(LOGIN).unwrap();
    // What a kill -9 between writing and renaming the rescue file leaves: the text, then
    // the reserved room's zeros; old enough for the stale sweep.
    let host = &server.url;
    let planted = dir.join(".rescued-tokens.toml.k1llEdWr1te0.tmp");
    let mut text = format!("[accounts.\"{LOGIN}@{host}\"]\ntoken = \"{token}\"\n").into_bytes();
    text.extend([0u8; 4096]);
    std::fs::write(&planted, text).unwrap();
    support::chmod(&planted, 0o600);
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&planted)
        .unwrap()
        .set_modified(old)
        .unwrap();
    // A write of the rescue file (here: another login's) sweeps old temp files: not this.
    env.with_password(&server, false)
        .args(["token", "refresh"])
        .assert()
        .success();
    // Refreshed: the new token went to the store, and the rescue (the planted one) held the
    // old token of this account, now removed with the file that held it.
    assert!(
        !planted.exists(),
        "adopted into the rescue file and removed"
    );
    env.with_password(&server, false)
        .arg("whoami")
        .assert()
        .success()
        .stdout(contains("token from:   the file"));
    // Planted again: read by every command, and logout removes it.
    let token = server.token_of(LOGIN).unwrap();
    let mut text = format!("[accounts.\"{LOGIN}@{host}\"]\ntoken = \"{token}\"\n").into_bytes();
    text.extend([0u8; 100]);
    std::fs::write(&planted, text).unwrap();
    support::chmod(&planted, 0o600);
    env.with_password(&server, false)
        .arg("whoami")
        .assert()
        .success()
        .stdout(contains(format!(
            "token from:   the rescue file {}",
            planted.display()
        )));
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .arg("logout")
        .assert()
        .success();
    assert!(!planted.exists());
    assert!(temps_of(&dir, "rescued-tokens.toml").is_empty());
}

#[test]
fn a_token_no_file_could_take_is_shown_once_on_a_terminal_and_never_in_a_log() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let (creds, rescue) = (
        env.credentials_file(),
        env.config_dir().join("rescued-tokens.toml"),
    );
    let breaks = || {
        let (c, r) = (creds.clone(), rescue.clone());
        Some(Box::new(move || {
            std::fs::write(&c, "garbage = [").unwrap();
            std::fs::write(&r, "garbage = [").unwrap();
        }) as Box<dyn Fn() + Send>)
    };
    let mend = || {
        std::fs::remove_file(&creds).unwrap();
        std::fs::remove_file(&rescue).unwrap();
        env.login_file(&server);
    };
    // A log (stderr not a terminal): the token is not shown.
    server.state.lock().unwrap().on_token_created = breaks();
    let out = env
        .at(&server)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "refresh"])
        .output()
        .unwrap();
    server.state.lock().unwrap().on_token_created = None;
    let (_, stderr) = outputs(&out);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(
        !stderr.contains(&server.token_of(LOGIN).unwrap()),
        "{stderr}"
    );
    mend();
    // At a terminal: shown once, to keep.
    server.state.lock().unwrap().on_token_created = breaks();
    let mut cmd = env.terminal_cmd();
    cmd.env("SAYMON_SERVER", &server.url)
        .env("SAYMON_CA_CERT", &server.ca_file)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["token", "refresh"]);
    let mut term = crate::support::pty::Pty::spawn(cmd);
    assert_eq!(term.wait(), 7, "{}", term.screen);
    server.state.lock().unwrap().on_token_created = None;
    let token = server.token_of(LOGIN).unwrap();
    assert!(term.screen.contains("here it is, once"), "{}", term.screen);
    assert_eq!(term.screen.matches(&token).count(), 1, "{}", term.screen);
}
