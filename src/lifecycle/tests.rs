//! The rules of a token's life, in-process: a fake server and fake stores, no network, no
//! binary; each test runs in milliseconds. The end-to-end tests (tests/cli/rescue.rs,
//! faults.rs) prove the same with the real binary, the real file store and a real server.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use super::*;
use crate::output::Output;
use crate::settings::Settings;
use crate::store::{Change, SecretKind};

const LOGIN: &str = "admin";
const USER_ID: &str = "5e21b752308c3c66d64e072c";
const TOKEN: &str = "5e21b752-308c-4c66-964e-072c0a5e2b75";

/// A server that makes `TOKEN` and counts the tokens it made.
struct FakeServer {
    url: ServerUrl,
    created: Cell<u32>,
}

impl FakeServer {
    fn new() -> FakeServer {
        FakeServer {
            url: ServerUrl::parse("https://saymon.example").unwrap(),
            created: Cell::new(0),
        }
    }
}

impl TokenServer for FakeServer {
    fn server(&self) -> &ServerUrl {
        &self.url
    }

    fn create_token<'f>(&'f self, user_id: &'f str, _auth: &'f Auth<'f>) -> Pending<'f, Secret> {
        assert_eq!(user_id, USER_ID);
        self.created.set(self.created.get() + 1);
        Box::pin(async { Ok(Secret::new(TOKEN)) })
    }

    fn current_user<'f>(&'f self, _auth: &'f Auth<'f>) -> Pending<'f, serde_json::Value> {
        Box::pin(async { Ok(serde_json::json!({ "id": USER_ID, "login": LOGIN })) })
    }
}

/// A store whose `prepare` or `write` fails on demand, keeping what it is given.
#[derive(Default)]
struct FakeStore {
    prepare_fails: bool,
    write_fails: bool,
    kept: RefCell<BTreeMap<String, String>>,
}

impl SecretStore for FakeStore {
    fn describe(&self) -> String {
        "the fake store".into()
    }

    fn prepare(&self) -> Result<()> {
        match self.prepare_fails {
            true => Err(Error::new(Exit::StoreUnusable, "the fake store cannot be written").into()),
            false => Ok(()),
        }
    }

    fn get(&self, account: &str, _kind: SecretKind) -> Result<Option<Secret>> {
        Ok(self.kept.borrow().get(account).map(Secret::new))
    }

    fn write(&self, changes: &[Change<'_>]) -> Result<Vec<bool>> {
        if self.write_fails {
            return Err(Error::new(Exit::StoreUnusable, "the fake store broke").into());
        }
        let mut kept = self.kept.borrow_mut();
        Ok(changes
            .iter()
            .map(|c| match c.value {
                Some(v) if c.kind == SecretKind::Token => kept
                    .insert(c.account.to_string(), v.expose().to_string())
                    .is_some(),
                _ => false,
            })
            .collect())
    }
}

/// A config dir of its own, and the quiet output a test's session prints to.
struct World {
    dir: tempfile::TempDir,
    out: Output,
}

impl World {
    fn new() -> World {
        let settings = Settings {
            quiet: true,
            ..Settings::default()
        };
        World {
            dir: tempfile::tempdir().unwrap(),
            out: Output::new(&settings).unwrap(),
        }
    }

    fn settings(&self) -> Settings {
        Settings {
            config_dir: Some(self.dir.path().join("config")),
            timeout: 2,
            ..Settings::default()
        }
    }
}

/// `token create`'s path through a token's life, with `store` as the target: the token
/// it issued, or its error.
fn issue(session: &Session<'_>, server: &FakeServer, store: FakeStore) -> Result<Issued> {
    let password = Secret::new("pw");
    let auth = Auth::Basic {
        login: LOGIN,
        password: &password,
    };
    let issuer = Issuer {
        session,
        client: server,
        login: LOGIN,
        auth: &auth,
        sets_tls: false,
    };
    let lock = TokenLock::acquire(session)?;
    let target = Target {
        kind: StoreKind::File,
        store: Box::new(store),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        issuer
            .prepare(USER_ID.into(), Some((&lock, target)))?
            .create()
            .await?
            .keep(Remember::Keep)
    })
}

#[test]
fn the_store_is_proven_before_the_post() {
    let world = World::new();
    let settings = world.settings();
    let session = Session::load(&settings, &world.out).unwrap();
    let server = FakeServer::new();
    let store = FakeStore {
        prepare_fails: true,
        ..FakeStore::default()
    };
    let err = issue(&session, &server, store).unwrap_err();
    assert_eq!(crate::error::exit_code(&err), Exit::StoreUnusable);
    assert!(
        format!("{err:#}")
            .starts_with("no token was created: it could not be stored in the fake store"),
        "{err:#}"
    );
    assert_eq!(
        server.created.get(),
        0,
        "no token was made: the old one still works"
    );
}

#[test]
fn a_store_that_fails_after_the_post_loses_nothing_the_token_is_rescued() {
    let world = World::new();
    let settings = world.settings();
    let session = Session::load(&settings, &world.out).unwrap();
    let server = FakeServer::new();
    let store = FakeStore {
        write_fails: true,
        ..FakeStore::default()
    };
    let err = issue(&session, &server, store).unwrap_err();
    assert_eq!(server.created.get(), 1);
    assert_eq!(crate::error::exit_code(&err), Exit::StoreUnusable);
    assert!(
        !format!("{err:#}").contains(TOKEN),
        "never the token: {err:#}"
    );
    // Where every later command finds it.
    let rescued = session
        .stores()
        .rescued_token(LOGIN, server.server())
        .unwrap()
        .unwrap();
    assert_eq!(rescued.expose(), TOKEN);
}

#[test]
fn a_token_is_stored_before_it_is_handed_out() {
    let world = World::new();
    let settings = world.settings();
    let session = Session::load(&settings, &world.out).unwrap();
    let server = FakeServer::new();
    let issued = issue(&session, &server, FakeStore::default()).unwrap();
    assert_eq!(issued.token.expose(), TOKEN);
    assert_eq!(issued.user_id, USER_ID);
    assert!(issued.saved.is_some());
    assert!(
        session
            .stores()
            .rescued_token(LOGIN, server.server())
            .unwrap()
            .is_none()
    );
    // The profile was written with the token's home.
    let session = Session::load(&settings, &world.out).unwrap();
    let profile = session.selected.profile().unwrap();
    assert_eq!(profile.login.as_deref(), Some(LOGIN));
    assert_eq!(profile.user_id.as_deref(), Some(USER_ID));
    assert_eq!(profile.store, Some(StoreKind::File));
}

#[test]
fn two_runs_that_make_a_token_take_turns() {
    let world = World::new();
    let settings = world.settings();
    let session = Session::load(&settings, &world.out).unwrap();
    let order = std::sync::Mutex::new(Vec::new());
    let first = TokenLock::acquire(&session).unwrap();
    std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let settings = world.settings();
            let out = Output::new(&Settings {
                quiet: true,
                ..Settings::default()
            })
            .unwrap();
            let session = Session::load(&settings, &out).unwrap();
            let _held = TokenLock::acquire(&session).unwrap();
            order.lock().unwrap().push("second");
        });
        // The second waits while the first holds the lock.
        std::thread::sleep(std::time::Duration::from_millis(200));
        order.lock().unwrap().push("first done");
        drop(first);
        second.join().unwrap();
    });
    assert_eq!(*order.lock().unwrap(), ["first done", "second"]);
}
