//! The keyring store against a broken or hostile session bus: a fake bus in the test that
//! speaks real D-Bus (the crate's own encoder) and answers as each test scripts it. The
//! happy path runs against a real Secret Service in tests/keyring.rs; these are the paths
//! a real one rarely takes: a refused handshake, garbage, a huge message, hostile error
//! text, and an unlock prompt the user dismisses.

mod support;

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::{Arc, Mutex};

use predicates::prelude::*;
use predicates::str::contains;
use saymon::store::dbus::{self, ERROR, METHOD_RETURN, Message, SIGNAL, Value, message_length};
use support::*;

const ITEM: &str = "/org/freedesktop/secrets/collection/login/1";
const PROMPT: &str = "/org/freedesktop/secrets/prompt/u1";

enum Hand {
    /// Refuse the handshake.
    Reject,
    /// Accept the handshake, then send these bytes and keep the connection open.
    Raw(Vec<u8>),
    /// Accept the handshake, then close the connection.
    HangUp,
    /// Accept, then answer each call with these messages.
    Serve(fn(&Message) -> Vec<Message>),
}

struct FakeBus {
    address: String,
    /// The member of each call received.
    calls: Arc<Mutex<Vec<String>>>,
}

impl FakeBus {
    fn start(env: &Env, hand: Hand) -> FakeBus {
        let socket = env.dir.path().join("bus");
        let listener = UnixListener::bind(&socket).unwrap();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let seen = calls.clone();
        let hand = Arc::new(hand);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (hand, seen) = (hand.clone(), seen.clone());
                std::thread::spawn(move || serve(stream, &hand, &seen));
            }
        });
        FakeBus {
            address: format!("unix:path={}", socket.display()),
            calls,
        }
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

fn line(stream: &mut UnixStream) -> Option<String> {
    let mut line = Vec::new();
    while !line.ends_with(b"\r\n") {
        let mut byte = [0];
        stream.read_exact(&mut byte).ok()?;
        line.push(byte[0]);
    }
    Some(String::from_utf8_lossy(&line).into_owned())
}

fn serve(mut stream: UnixStream, hand: &Hand, seen: &Mutex<Vec<String>>) {
    let Some(auth) = line(&mut stream) else {
        return;
    };
    assert!(auth.starts_with("\0AUTH EXTERNAL "), "{auth:?}");
    if let Hand::Reject = hand {
        let _ = stream.write_all(b"REJECTED EXTERNAL\r\n");
        let _ = stream.read_to_end(&mut Vec::new());
        return;
    }
    stream
        .write_all(b"OK 0123456789abcdef0123456789abcdef\r\n")
        .unwrap();
    assert_eq!(line(&mut stream).as_deref(), Some("BEGIN\r\n"));
    match hand {
        Hand::Reject => unreachable!(),
        Hand::HangUp => {}
        Hand::Raw(bytes) => {
            let _ = stream.write_all(bytes);
            let _ = stream.read_to_end(&mut Vec::new());
        }
        Hand::Serve(answer) => loop {
            let mut head = [0; 16];
            if stream.read_exact(&mut head).is_err() {
                return;
            }
            let mut bytes = vec![0; message_length(&head).unwrap()];
            bytes[..16].copy_from_slice(&head);
            stream.read_exact(&mut bytes[16..]).unwrap();
            let call = Message::parse(&bytes).unwrap();
            seen.lock()
                .unwrap()
                .push(call.member.clone().unwrap_or_default());
            for message in answer(&call) {
                if stream.write_all(&message.encode()).is_err() {
                    return;
                }
            }
        },
    }
}

fn message(kind: u8, body: Vec<Value>) -> Message {
    Message::new(kind, 1000, body)
}

fn reply(to: &Message, body: Vec<Value>) -> Message {
    Message {
        reply_serial: Some(to.serial),
        ..message(METHOD_RETURN, body)
    }
}

fn error(to: &Message, name: &str, text: &str) -> Message {
    Message {
        reply_serial: Some(to.serial),
        error_name: Some(name.into()),
        ..message(ERROR, vec![dbus::str(text)])
    }
}

fn completed(dismissed: bool) -> Message {
    Message {
        path: Some(PROMPT.into()),
        interface: Some("org.freedesktop.Secret.Prompt".into()),
        member: Some("Completed".into()),
        ..message(
            SIGNAL,
            vec![
                Value::Bool(dismissed),
                Value::Variant(Box::new(dbus::str(""))),
            ],
        )
    }
}

/// A Secret Service whose only saymon item is locked, and whose unlock prompt the user
/// dismisses; `signal_first`: the Completed signal comes before the Prompt call's reply.
fn locked(call: &Message, signal_first: bool) -> Vec<Message> {
    let paths = |p: &[&str]| Value::Array("o".into(), p.iter().map(|p| dbus::path(p)).collect());
    match call.member.as_deref().unwrap_or("") {
        "Hello" => vec![reply(call, vec![dbus::str(":1.7")])],
        "OpenSession" => vec![reply(
            call,
            vec![
                Value::Variant(Box::new(Value::Bytes(vec![4]))),
                dbus::path("/org/freedesktop/secrets/session/s1"),
            ],
        )],
        "SearchItems" => vec![reply(call, vec![paths(&[]), paths(&[ITEM])])],
        "Unlock" => vec![reply(call, vec![paths(&[]), dbus::path(PROMPT)])],
        "AddMatch" => vec![reply(call, vec![])],
        "Prompt" if signal_first => vec![completed(true), reply(call, vec![])],
        "Prompt" => vec![reply(call, vec![]), completed(true)],
        _ => vec![error(
            call,
            "org.freedesktop.DBus.Error.UnknownMethod",
            "not here",
        )],
    }
}

/// `whoami` of a keyring profile, on the fake bus.
fn whoami(env: &Env, bus: &FakeBus) -> assert_cmd::assert::Assert {
    whoami_as(env, bus, LOGIN)
}

/// The same for `login` (TOML-escaped).
fn whoami_as(env: &Env, bus: &FakeBus, login: &str) -> assert_cmd::assert::Assert {
    env.write_keyring_profile("https://saymon.example", login);
    env.cmd()
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .arg("whoami")
        .assert()
}

#[test]
fn a_bus_that_refuses_us_is_unreachable_with_the_fix() {
    let env = Env::new();
    let bus = FakeBus::start(&env, Hand::Reject);
    whoami(&env, &bus)
        .code(7)
        .stderr(contains(
            "the keyring cannot be reached: the session bus did not accept us (REJECTED EXTERNAL)",
        ))
        .stderr(contains("saymon login --store file"));
}

#[test]
fn garbage_or_a_huge_message_from_the_bus_is_exit_7_at_once() {
    let mut huge = vec![b'l', METHOD_RETURN, 0, 1];
    huge.extend_from_slice(&0xFFFF_FF00u32.to_le_bytes());
    huge.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0]);
    for (bytes, said) in [
        (
            b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec(),
            "the keyring failed: this is not a D-Bus message",
        ),
        (
            huge,
            "the keyring failed: a message is larger than 1048576 bytes",
        ),
    ] {
        let env = Env::new();
        let bus = FakeBus::start(&env, Hand::Raw(bytes));
        whoami(&env, &bus)
            .code(7)
            .stderr(contains(said))
            .stderr(contains("--store file"));
    }
}

#[test]
fn a_bus_that_hangs_up_is_unreachable() {
    let env = Env::new();
    let bus = FakeBus::start(&env, Hand::HangUp);
    whoami(&env, &bus).code(7).stderr(contains(
        "the keyring cannot be reached: the session bus closed the connection",
    ));
}

#[test]
fn hostile_text_in_a_bus_error_is_shown_inert() {
    let env = Env::new();
    let bus = FakeBus::start(
        &env,
        Hand::Serve(|call| match call.member.as_deref() {
            Some("Hello") => vec![reply(call, vec![dbus::str(":1.7")])],
            _ => vec![error(
                call,
                "org.freedesktop.DBus.Error.ServiceUnknown",
                "The name \u{1b}]0;owned\u{7}\u{1b}[2J org.freedesktop.secrets was not provided",
            )],
        }),
    );
    whoami(&env, &bus)
        .code(7)
        .stderr(contains(
            "the keyring cannot be reached: no Secret Service runs on the D-Bus session",
        ))
        .stderr(contains("\u{1b}").not())
        .stderr(contains("\u{7}").not());
}

#[test]
fn a_dismissed_unlock_prompt_is_exit_7_whichever_comes_first() {
    for signal_first in [false, true] {
        let env = Env::new();
        let hand: fn(&Message) -> Vec<Message> = if signal_first {
            |call| locked(call, true)
        } else {
            |call| locked(call, false)
        };
        let bus = FakeBus::start(&env, Hand::Serve(hand));
        whoami(&env, &bus)
            .code(7)
            .stderr(contains(
                "the keyring is locked or refused access: it is locked, and its unlock prompt was dismissed",
            ))
            .stderr(contains("--store file"));
        assert_eq!(
            bus.calls(),
            [
                "Hello",
                "OpenSession",
                "SearchItems",
                "Unlock",
                "AddMatch",
                "Prompt"
            ],
            "signal first: {signal_first}"
        );
    }
}

#[test]
fn a_degenerate_session_key_from_the_service_is_refused() {
    let env = Env::new();
    let bus = FakeBus::start(
        &env,
        Hand::Serve(|call| match call.member.as_deref() {
            Some("Hello") => vec![reply(call, vec![dbus::str(":1.7")])],
            // Public key 1: the shared secret would be 1, known to anyone watching.
            _ => vec![reply(
                call,
                vec![
                    Value::Variant(Box::new(Value::Bytes(vec![1]))),
                    dbus::path("/s"),
                ],
            )],
        }),
    );
    whoami(&env, &bus)
        .code(7)
        .stderr(contains("an unusable public key"));
    assert_eq!(bus.calls(), ["Hello", "OpenSession"]);
}

#[test]
fn an_account_name_with_nul_is_refused_before_it_reaches_the_bus() {
    let env = Env::new();
    let bus = FakeBus::start(&env, Hand::Serve(|call| locked(call, false)));
    whoami_as(&env, &bus, "a\\u0000b")
        .code(7)
        .stderr(contains("the account name holds a NUL character"));
    assert_eq!(bus.calls(), ["Hello", "OpenSession"]);
}
