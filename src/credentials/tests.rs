//! The session's rules with a person, in-process: a fake keyring and file store, answers
//! given beforehand, no terminal and no binary. The end-to-end tests on a real
//! pseudo-terminal (tests/cli/terminal.rs) prove the same questions as a person meets them.

use std::sync::Mutex;

use super::*;
use crate::config::StoreKind;
use crate::secret::Secret;
use crate::store::{Change, SecretKind, SecretStore, StoreChoice};

/// Answers given beforehand, in order; every question asked is kept.
#[derive(Default)]
struct Answers {
    given: Mutex<Vec<&'static str>>,
    asked: Mutex<Vec<String>>,
}

impl Answers {
    fn new(given: &[&'static str]) -> Answers {
        Answers {
            given: Mutex::new(given.iter().rev().copied().collect()),
            ..Answers::default()
        }
    }

    fn next(&self, prompt: &str) -> Result<String> {
        self.asked.lock().unwrap().push(prompt.to_string());
        match self.given.lock().unwrap().pop() {
            Some(answer) => Ok(answer.to_string()),
            None => panic!("asked more than was answered: {prompt:?}"),
        }
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl Ask for Answers {
    fn line(&self, prompt: &str) -> Result<String> {
        self.next(prompt)
    }

    fn yes_no(&self, prompt: &str) -> Result<Option<bool>> {
        Ok(match self.next(prompt)?.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        })
    }

    fn hidden(&self, prompt: &str) -> Result<String> {
        self.next(prompt)
    }
}

/// A store that can or cannot be used, and keeps nothing.
struct FakeStore {
    name: &'static str,
    usable: bool,
}

impl SecretStore for FakeStore {
    fn describe(&self) -> String {
        self.name.to_string()
    }

    fn prepare(&self) -> Result<()> {
        match self.usable {
            true => Ok(()),
            false => Err(Error::new(
                Exit::StoreUnusable,
                format!("{} cannot be used: no D-Bus session", self.name),
            )
            .into()),
        }
    }

    fn get(&self, _account: &str, _kind: SecretKind) -> Result<Option<Secret>> {
        Ok(None)
    }

    fn write(&self, changes: &[Change<'_>]) -> Result<Vec<bool>> {
        Ok(vec![false; changes.len()])
    }
}

/// The keyring as usable or not; the file always is.
struct FakeStores {
    keyring_usable: bool,
}

impl OpenStore for FakeStores {
    fn open(&self, kind: StoreKind) -> Box<dyn SecretStore> {
        Box::new(match kind {
            StoreKind::Keyring => FakeStore {
                name: "the keyring",
                usable: self.keyring_usable,
            },
            StoreKind::File => FakeStore {
                name: "the file",
                usable: true,
            },
        })
    }
}

/// A quiet run in a config dir of its own.
fn run<T>(test: impl FnOnce(&Session<'_>) -> T) -> T {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        config_dir: Some(dir.path().join("config")),
        quiet: true,
        timeout: 2,
        ..Settings::default()
    };
    let out = Output::new(&settings).unwrap();
    let session = Session::load(&settings, &out).unwrap();
    test(&session)
}

fn keyring(usable: bool) -> Arc<FakeStores> {
    Arc::new(FakeStores {
        keyring_usable: usable,
    })
}

#[test]
fn auto_takes_the_keyring_that_works_without_a_question() {
    run(|session| {
        let answers = Answers::new(&[]);
        let session = session.with_stores(keyring(true)).asking(&answers);
        let (kind, _) = session.choose_store(None).unwrap();
        assert_eq!(kind, StoreKind::Keyring);
        assert!(answers.asked().is_empty());
    });
}

#[test]
fn auto_with_an_unusable_keyring_asks_first_and_yes_keeps_the_file() {
    run(|session| {
        let answers = Answers::new(&["yes"]);
        let session = session.with_stores(keyring(false)).asking(&answers);
        let (kind, store) = session.choose_store(Some(StoreChoice::Auto)).unwrap();
        assert_eq!(
            (kind, store.describe().as_str()),
            (StoreKind::File, "the file")
        );
        let asked = answers.asked();
        assert_eq!(asked.len(), 1, "one question: {asked:?}");
        assert!(
            asked[0].starts_with("Keep the token in the file "),
            "{asked:?}"
        );
    });
}

#[test]
fn auto_with_an_unusable_keyring_and_no_is_exit_7_with_the_way_out() {
    run(|session| {
        for answer in ["no", "maybe"] {
            let answers = Answers::new(&[answer]);
            let session = session.with_stores(keyring(false)).asking(&answers);
            let err = session.choose_store(None).err().expect("no store");
            assert_eq!(crate::error::exit_code(&err), Exit::StoreUnusable);
            assert!(
                err.to_string().contains("no place to keep the token"),
                "{err:#}"
            );
        }
    });
}

#[test]
fn auto_without_a_terminal_never_falls_back_to_the_file() {
    run(|session| {
        let session = session.with_stores(keyring(false));
        assert!(!session.interactive, "the tests run without a terminal");
        let err = session.choose_store(None).err().expect("no store");
        assert_eq!(crate::error::exit_code(&err), Exit::StoreUnusable);
        assert!(
            err.to_string()
                .contains("not falling back to a file without asking")
        );
    });
}

#[test]
fn a_store_named_is_taken_as_named_never_asked() {
    run(|session| {
        let answers = Answers::new(&[]);
        let session = session.with_stores(keyring(false)).asking(&answers);
        let (kind, _) = session.choose_store(Some(StoreChoice::File)).unwrap();
        assert_eq!(kind, StoreKind::File);
        let err = session
            .choose_store(Some(StoreChoice::Keyring))
            .err()
            .unwrap();
        assert_eq!(crate::error::exit_code(&err), Exit::StoreUnusable);
        assert!(answers.asked().is_empty());
    });
}

#[test]
fn the_login_is_asked_only_when_nothing_gives_it() {
    run(|session| {
        let server = ServerUrl::parse("https://saymon.example").unwrap();
        let answers = Answers::new(&["typed"]);
        let asking = session.asking(&answers);
        let given = CredentialFlags {
            login: Some("given".into()),
            ..CredentialFlags::default()
        };
        assert_eq!(asking.login_name(&given, &server).unwrap(), "given");
        assert!(answers.asked().is_empty());
        let none = CredentialFlags::default();
        assert_eq!(asking.login_name(&none, &server).unwrap(), "typed");
        assert_eq!(answers.asked(), ["Login for https://saymon.example: "]);
        // Not with the password on stdin (a terminal's line would be the password's),
        // and not without a terminal: exit 3 at once.
        let stdin = CredentialFlags {
            password_stdin: true,
            ..CredentialFlags::default()
        };
        for session in [&asking, session] {
            let err = session.login_name(&stdin, &server).err().unwrap();
            assert_eq!(crate::error::exit_code(&err), Exit::NoCredentials);
        }
    });
}

#[test]
fn the_server_is_asked_only_at_a_terminal() {
    run(|session| {
        let answers = Answers::new(&["lab.example:8443"]);
        let server = session.asking(&answers).server_or_prompt().unwrap();
        assert_eq!(server.to_string(), "https://lab.example:8443");
        let err = session.server_or_prompt().err().unwrap();
        assert_eq!(crate::error::exit_code(&err), Exit::Usage);
        assert!(
            format!("{err:#}").contains("pass --server URL or set SAYMON_SERVER")
                || err.to_string().contains("no server given")
        );
    });
}

#[test]
fn before_the_store_question_a_person_is_told_why_the_keyring_cannot_be_used() {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        config_dir: Some(dir.path().join("config")),
        timeout: 2,
        ..Settings::default()
    };
    let out = Output::capturing(&settings).unwrap();
    let session = Session::load(&settings, &out).unwrap();
    let answers = Answers::new(&["yes"]);
    let session = session.with_stores(keyring(false)).asking(&answers);
    session.choose_store(None).unwrap();
    let said = out.kept().said;
    assert_eq!(said.len(), 2, "{said:?}");
    // The keyring's reason, as a sentence.
    assert_eq!(said[0], "The keyring cannot be used: no D-Bus session.");
    assert_eq!(
        said[1],
        "Before any password is asked: where should the new token be kept?"
    );
    // With -q nothing but the question itself.
    let quiet = Settings {
        quiet: true,
        ..settings.clone()
    };
    let out = Output::capturing(&quiet).unwrap();
    let session = Session::load(&quiet, &out).unwrap();
    let answers = Answers::new(&["yes"]);
    let session = session.with_stores(keyring(false)).asking(&answers);
    session.choose_store(None).unwrap();
    assert!(out.kept().said.is_empty());
    assert_eq!(answers.asked().len(), 1);
}
