//! A fake SAYMON server on 127.0.0.1:0, HTTPS with a CA and certificate made in the test
//! (or plain HTTP), behaving as shared/saymon-api.md says: one token per user (a new one
//! kills the old), `{code, message}` errors with nested messages, login by e-mail, Basic
//! passwords with `:` and non-ASCII. It records what it received, and can be told to fail.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde_json::{Value, json};
use tempfile::TempDir;

// By path, so that the demo (examples/demo.rs), which includes this file, finds them too.
#[path = "certs.rs"]
mod certs;
#[path = "handlers.rs"]
mod handlers;

pub use certs::Cert;
use certs::tls_setup;
use handlers::router;

/// How the server misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Every request gets a 502 HTML page, as from a reverse proxy.
    Html502,
    /// Token creation answers `""`.
    EmptyToken,
    /// Token creation answers an HTML 200 page (a captive portal, a misrouted proxy).
    HtmlToken,
    /// Token authentication is switched off: `api-token` always gets 401.
    TokenAuthOff,
    /// Every request waits 30 s before answering.
    Stall,
    /// Every request is redirected (302) to the same path on http://127.0.0.2:PORT.
    RedirectAway(u16),
    /// Every request is redirected (307) to itself: a loop within the server.
    RedirectLoop,
    /// Token creation replaces the token, then waits 30 s before answering: the answer
    /// is lost to a client with a shorter timeout, but the token was replaced.
    SlowAfterCreating,
    /// Every request gets a 500 with a body of this many bytes, made as it is sent.
    HugeError(usize),
    /// Every request gets a 403 whose code and message hold terminal escape sequences,
    /// C1 controls and bidi overrides.
    HostileError,
    /// Every request gets a 400 whose message quotes the request back, query and all (the
    /// token in `api-token`), and the token alone: a server that echoes what it got.
    EchoError,
    /// Every answer carries the request's token in a header of its own (`x-echo-token`).
    EchoTokenHeader,
    /// Every request gets a 200 whose body is this text (text/plain), and a header
    /// (`x-said`) too: a server that shows something it should not (an old token), or
    /// text a client chose (a document it uploaded).
    Says(&'static str),
}

/// What `Mode::HostileError` says: an OSC title change, CSI colour and clear-screen
/// sequences (ESC and C1 forms), a bidi override.
pub const HOSTILE_TEXT: &str = "\u{1b}]0;pwned\u{7}evil\u{1b}[31m red \u{9b}2J \u{202e}txet";

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub login: String,
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub token: Option<String>,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// The login of a Basic Authorization header, if any.
    pub basic_login: Option<String>,
    pub content_type: Option<String>,
    /// Every header as received (names lower-case), in order.
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

pub struct Shared {
    pub users: Vec<User>,
    pub mode: Mode,
    pub token_creations: usize,
    pub seen: Vec<Seen>,
    /// Every token ever created, for leak checks.
    pub issued: Vec<String>,
    /// While above 0, each request gets a 429 with `Retry-After: retry_after` instead of
    /// an answer, and counts this down.
    pub throttle: usize,
    pub retry_after: u64,
    /// When set, token creation stores this token and answers it as a JSON string, as
    /// a hostile or broken server might.
    pub next_token: Option<String>,
    /// `GET /node/api/incidents` pages through this many incidents, at most
    /// `page_cap` a page, each with a `text` of `incident_text` bytes.
    pub incidents: usize,
    pub page_cap: usize,
    pub incident_text: usize,
    /// The incidents endpoint answers every page as if skip were 0.
    pub ignore_skip: bool,
    /// The incidents endpoint takes skip modulo this (pages come round again: a server
    /// that alternates pages).
    pub skip_modulo: Option<usize>,
    /// Each incidents answer stamps its items with a new number (as a server that adds
    /// the time of the answer): no two answers are byte for byte the same.
    pub stamp: bool,
    /// From the second incidents answer on, skip is taken one less: as if a new incident
    /// came first in the list between two pages (a busy server), each page repeats the
    /// last item of the one before.
    pub shifting: bool,
    /// What `GET /node/api/raw` answers, as application/json, byte for byte.
    pub raw_answer: Vec<u8>,
    /// The incidents page starting at this skip gets a 500.
    pub fail_at_skip: Option<usize>,
    /// Every request waits this long before it is answered.
    pub delay: Duration,
    /// Requests being answered now, and the most there ever were at once.
    pub in_flight: usize,
    pub max_in_flight: usize,
    /// Called once a token is created, before it is answered: the cue for a test to break
    /// something (stop the keyring daemon) between the POST and the store's write.
    pub on_token_created: Option<Box<dyn Fn() + Send>>,
}

pub struct FakeSaymon {
    /// `https://127.0.0.1:PORT` (or `http://` for a plain server).
    pub url: String,
    pub addr: SocketAddr,
    /// The test CA's certificate, PEM, for --ca-cert.
    pub ca_file: PathBuf,
    /// For a server that wants mutual TLS: a client certificate it accepts and its key
    /// (mode 600), for --client-cert and --client-key.
    pub client_files: Option<(PathBuf, PathBuf)>,
    pub state: Arc<Mutex<Shared>>,
    _dir: TempDir,
}

static COUNTER: AtomicU64 = AtomicU64::new(1);

impl FakeSaymon {
    /// An HTTPS server with one user: admin / admin@example.com / the canary password.
    pub fn start() -> FakeSaymon {
        Self::start_with(Some(Cert::SignedByCa), [127, 0, 0, 1].into())
    }

    pub fn start_plain() -> FakeSaymon {
        Self::start_with(None, [127, 0, 0, 1].into())
    }

    /// A plain-HTTP server on another address of this machine (not loopback).
    pub fn start_plain_on(ip: std::net::IpAddr) -> FakeSaymon {
        Self::start_with(None, ip)
    }

    /// An HTTPS server presenting a certificate of this kind; `ca_file` holds what a
    /// user would pass as --ca-cert (the CA, or the self-signed certificate itself).
    pub fn start_tls(cert: Cert) -> FakeSaymon {
        Self::start_with(Some(cert), [127, 0, 0, 1].into())
    }

    /// An HTTPS server (certificate signed by the test CA) that completes a handshake only
    /// with a client certificate signed by its client CA: `client_files` holds one.
    pub fn start_mutual_tls() -> FakeSaymon {
        Self::start_full(Some(Cert::SignedByCa), [127, 0, 0, 1].into(), true)
    }

    fn start_with(cert: Option<Cert>, ip: std::net::IpAddr) -> FakeSaymon {
        Self::start_full(cert, ip, false)
    }

    fn start_full(cert: Option<Cert>, ip: std::net::IpAddr, client_auth: bool) -> FakeSaymon {
        let tls = cert.is_some();
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(Mutex::new(Shared {
            users: vec![User {
                id: super::USER_ID.into(),
                login: super::LOGIN.into(),
                email: super::EMAIL.into(),
                password: super::PASSWORD.into(),
                display_name: "Ada Admin".into(),
                token: None,
            }],
            mode: Mode::Normal,
            token_creations: 0,
            seen: Vec::new(),
            issued: Vec::new(),
            next_token: None,
            throttle: 0,
            retry_after: 1,
            incidents: 250,
            page_cap: 100,
            incident_text: 10,
            ignore_skip: false,
            skip_modulo: None,
            stamp: false,
            shifting: false,
            raw_answer: Vec::new(),
            fail_at_skip: None,
            delay: Duration::ZERO,
            in_flight: 0,
            max_in_flight: 0,
            on_token_created: None,
        }));
        let (ca_pem, acceptor, client) = tls_setup(cert.unwrap_or(Cert::SignedByCa), client_auth);
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca_pem).unwrap();
        let client_files = client.map(|(cert_pem, key_pem)| {
            let cert = dir.path().join("client.pem");
            let key = dir.path().join("client.key");
            std::fs::write(&cert, cert_pem).unwrap();
            std::fs::write(&key, key_pem).unwrap();
            super::chmod(&key, 0o600);
            (cert, key)
        });

        let listener = std::net::TcpListener::bind((ip, 0)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let app = router(state.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(serve(listener, app, tls.then_some(acceptor)));
        });
        let scheme = if tls { "https" } else { "http" };
        FakeSaymon {
            url: format!("{scheme}://{addr}"),
            addr,
            ca_file,
            client_files,
            state,
            _dir: dir,
        }
    }

    pub fn set_mode(&self, mode: Mode) {
        self.state.lock().unwrap().mode = mode;
    }

    pub fn token_creations(&self) -> usize {
        self.state.lock().unwrap().token_creations
    }

    /// The token the server accepts now for `login`.
    pub fn token_of(&self, login: &str) -> Option<String> {
        let state = self.state.lock().unwrap();
        state.users.iter().find(|u| u.login == login)?.token.clone()
    }

    pub fn issued(&self) -> Vec<String> {
        self.state.lock().unwrap().issued.clone()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    pub fn add_user(&self, user: User) {
        self.state.lock().unwrap().users.push(user);
    }

    /// Every user's token deleted, as an admin would on the server.
    pub fn revoke_all(&self) {
        for user in &mut self.state.lock().unwrap().users {
            user.token = None;
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    app: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        // As real servers do: without it, a response written in two pieces waits for the
        // client's delayed ACK (40 ms on Linux), and the benchmarks measure that.
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let service = hyper_util::service::TowerToHyperService::new(app);
            let http = hyper::server::conn::http1::Builder::new();
            match tls {
                Some(acceptor) => {
                    // A client that refuses our certificate ends the handshake: fine.
                    if let Ok(stream) = acceptor.accept(stream).await {
                        let _ = http
                            .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                            .await;
                    }
                }
                None => {
                    let _ = http
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                }
            }
        });
    }
}

type AppState = Arc<Mutex<Shared>>;
