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
    /// Token creation replaces the token, then waits 30 s before answering: the answer
    /// is lost to a client with a shorter timeout, but the token was replaced.
    SlowAfterCreating,
    /// Every request gets a 500 with a body of this many bytes, made as it is sent.
    HugeError(usize),
    /// Every request gets a 403 whose code and message hold terminal escape sequences,
    /// C1 controls and bidi overrides.
    HostileError,
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

/// What certificate an HTTPS fake presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cert {
    /// For 127.0.0.1 and localhost, signed by a test CA (`ca_file` is the CA).
    SignedByCa,
    /// Self-signed and marked CA:TRUE, as `openssl req -x509` makes it (`ca_file` is
    /// the certificate itself).
    SelfSignedCa,
    /// Like `SelfSignedCa`, but valid in 2000 only.
    SelfSignedExpired,
    /// Like `SelfSignedCa`, but for other.example only.
    SelfSignedWrongName,
    /// Like `SelfSignedCa`, but it ends in 5 days.
    SelfSignedEndingSoon,
    /// Self-signed for 127.0.0.1 and localhost, CA:FALSE: a lab server's own certificate,
    /// good only as a pin (`ca_file` is the certificate itself).
    SelfSignedNotCa,
    /// For 127.0.0.1, signed with the key of a CA:FALSE lab certificate (for another
    /// name), which is `ca_file`: a pin of that certificate must not vouch for it.
    SignedWithALabKey,
    /// `SelfSignedNotCa`'s certificate (`ca_file`) presented with another key, as a man in
    /// the middle holding a copy of the certificate would.
    PinnedWithoutItsKey,
}

/// Presents one certificate with whatever key it was given, matching or not.
#[derive(Debug)]
struct AnyKey(Arc<rustls::sign::CertifiedKey>);

impl rustls::server::ResolvesServerCert for AnyKey {
    fn resolve(
        &self,
        _: rustls::server::ClientHello<'_>,
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(self.0.clone())
    }
}

/// The PEM for --ca-cert and a TLS acceptor presenting a certificate of kind `cert`; with
/// `client_auth`, one that requires a client certificate, and a client certificate and key
/// (PEM) it accepts.
fn tls_setup(
    cert: Cert,
    client_auth: bool,
) -> (String, tokio_rustls::TlsAcceptor, Option<(String, String)>) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let _ = rustls::crypto::ring::default_provider().install_default();
    let local = vec!["127.0.0.1".to_string(), "localhost".to_string()];
    let (chain, key, ca_pem) = if cert == Cert::SignedWithALabKey {
        let lab_key = KeyPair::generate().unwrap();
        let mut lab = CertificateParams::new(vec!["lab.example".to_string()]).unwrap();
        lab.is_ca = IsCa::ExplicitNoCa;
        lab.distinguished_name
            .push(DnType::CommonName, "saymon lab server");
        let lab_cert = lab.self_signed(&lab_key).unwrap();
        let issuer = Issuer::new(lab, lab_key);
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(local)
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        (vec![leaf.der().clone()], leaf_key, lab_cert.pem())
    } else if cert == Cert::SignedByCa {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "saymon test CA");
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let leaf_key = KeyPair::generate().unwrap();
        let leaf_cert = CertificateParams::new(local)
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        let chain = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
        (chain, leaf_key, ca_cert.pem())
    } else {
        let names = if cert == Cert::SelfSignedWrongName {
            vec!["other.example".to_string()]
        } else {
            local
        };
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(names).unwrap();
        params.is_ca = if matches!(cert, Cert::SelfSignedNotCa | Cert::PinnedWithoutItsKey) {
            IsCa::ExplicitNoCa
        } else {
            IsCa::Ca(BasicConstraints::Unconstrained)
        };
        params
            .distinguished_name
            .push(DnType::CommonName, "saymon lab server");
        if cert == Cert::SelfSignedExpired {
            params.not_before = rcgen::date_time_ymd(2000, 1, 1);
            params.not_after = rcgen::date_time_ymd(2000, 12, 31);
        }
        if cert == Cert::SelfSignedEndingSoon {
            let in_five_days =
                std::time::SystemTime::now() + Duration::from_secs(5 * 86_400 + 3_600);
            params.not_after = in_five_days.into();
        }
        let made = params.self_signed(&key).unwrap();
        (vec![made.der().clone()], key, made.pem())
    };
    let key = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap();
    let builder = rustls::ServerConfig::builder();
    let (config, client) = if client_auth {
        let client_ca_key = KeyPair::generate().unwrap();
        let mut client_ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        client_ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        client_ca
            .distinguished_name
            .push(DnType::CommonName, "saymon test client CA");
        let client_ca_cert = client_ca.self_signed(&client_ca_key).unwrap();
        let issuer = Issuer::new(client_ca, client_ca_key);
        let client_key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "saymon test client");
        let client_cert = params.signed_by(&client_key, &issuer).unwrap();
        let mut roots = rustls::RootCertStore::empty();
        roots.add(client_ca_cert.der().clone()).unwrap();
        let verifier = rustls::server::WebPkiClientVerifier::builder(roots.into())
            .build()
            .unwrap();
        (
            builder
                .with_client_cert_verifier(verifier)
                .with_single_cert(chain, key)
                .unwrap(),
            Some((client_cert.pem(), client_key.serialize_pem())),
        )
    } else if cert == Cert::PinnedWithoutItsKey {
        let other = KeyPair::generate().unwrap();
        let other = rustls::pki_types::PrivateKeyDer::try_from(other.serialize_der()).unwrap();
        let signing = rustls::crypto::ring::default_provider()
            .key_provider
            .load_private_key(other)
            .unwrap();
        let _ = key;
        let certified = rustls::sign::CertifiedKey::new(chain, signing);
        (
            builder
                .with_no_client_auth()
                .with_cert_resolver(Arc::new(AnyKey(Arc::new(certified)))),
            None,
        )
    } else {
        (
            builder
                .with_no_client_auth()
                .with_single_cert(chain, key)
                .unwrap(),
            None,
        )
    };
    (
        ca_pem,
        tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        client,
    )
}

type AppState = Arc<Mutex<Shared>>;

fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/node/api/users/{id}/auth-token",
            post(create_token).delete(delete_token),
        )
        .route("/node/api/users/current", get(current_user))
        .route(
            "/node/api/version/hash",
            get(|| async { axum::Json("3f2a9c1") }),
        )
        .route("/node/api/objects", get(objects).post(objects))
        .route("/node/api/objects/{id}", get(objects).patch(objects))
        .route("/node/api/objects/{id}/stat", post(objects))
        .route("/node/api/big", get(big))
        .route("/node/api/incidents", get(incidents))
        .route(
            "/node/api/raw",
            get(|State(state): State<AppState>| async move {
                let body = state.lock().unwrap().raw_answer.clone();
                ([(header::CONTENT_TYPE, "application/json")], body).into_response()
            }),
        )
        .fallback(|| async { error(StatusCode::NOT_FOUND, "NotFound", "Not found.") })
        .layer(axum::middleware::from_fn_with_state(state.clone(), record))
        .with_state(state)
}

/// Count the requests in flight around `answer`.
async fn record(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    {
        let mut shared = state.lock().unwrap();
        shared.in_flight += 1;
        shared.max_in_flight = shared.max_in_flight.max(shared.in_flight);
    }
    let response = answer(state.clone(), request, next).await;
    state.lock().unwrap().in_flight -= 1;
    response
}

/// Record every request, and apply the modes that affect every request.
async fn answer(
    state: AppState,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 16 << 20)
        .await
        .unwrap_or_default();
    let mode = {
        let mut shared = state.lock().unwrap();
        shared.seen.push(Seen {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(str::to_string),
            basic_login: basic(&parts.headers).map(|(login, _)| login),
            content_type: parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            body: body.to_vec(),
        });
        if shared.throttle > 0 {
            shared.throttle -= 1;
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, shared.retry_after.to_string())],
                axum::Json(json!({"code": "TooManyRequests", "message": "Slow down."})),
            )
                .into_response();
        }
        (shared.mode, shared.delay)
    };
    let (mode, delay) = mode;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let request = axum::extract::Request::from_parts(parts, axum::body::Body::from(body));
    match mode {
        Mode::Html502 => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        )
            .into_response(),
        Mode::RedirectAway(port) => {
            let path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            (
                StatusCode::FOUND,
                [(header::LOCATION, format!("http://127.0.0.2:{port}{path}"))],
            )
                .into_response()
        }
        Mode::Stall => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            next.run(request).await
        }
        Mode::HostileError => (
            StatusCode::FORBIDDEN,
            axum::Json(json!({"code": format!("Forbidden{HOSTILE_TEXT}"), "message": HOSTILE_TEXT})),
        )
            .into_response(),
        Mode::HugeError(size) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain")],
            x_stream(size),
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"code": code, "message": message})),
    )
        .into_response()
}

/// SAYMON's 401 for a bad token: the message is itself JSON.
fn token_error(message: &str) -> Response {
    let inner = json!({"errorCode": 3, "message": message}).to_string();
    error(StatusCode::UNAUTHORIZED, "Unauthorized", &inner)
}

/// The login and password of a Basic Authorization header. The password may contain `:`.
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (login, password) = text.split_once(':')?;
    Some((login.to_string(), password.to_string()))
}

fn api_token(uri: &Uri) -> Option<String> {
    let query = uri.query()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "api-token")
        .map(|(_, v)| v.into_owned())
}

/// The index of the user the request authenticates as, or the error to answer.
#[allow(clippy::result_large_err)] // a test server; the Err is the response itself
fn authenticate(shared: &Shared, headers: &HeaderMap, uri: &Uri) -> Result<usize, Response> {
    if let Some(token) = api_token(uri) {
        if shared.mode == Mode::TokenAuthOff {
            return Err(token_error("Invalid API token."));
        }
        return shared
            .users
            .iter()
            .position(|u| u.token.as_deref() == Some(token.as_str()))
            .ok_or_else(|| token_error("Invalid API token."));
    }
    if let Some((login, password)) = basic(headers) {
        return shared
            .users
            .iter()
            .position(|u| (u.login == login || u.email == login) && u.password == password)
            .ok_or_else(|| {
                error(
                    StatusCode::UNAUTHORIZED,
                    "InvalidCredentials",
                    "Invalid login or password.",
                )
            });
    }
    Err(token_error("Not logged in."))
}

fn user_json(user: &User) -> Value {
    json!({
        "id": user.id,
        "login": user.login,
        "displayName": user.display_name,
        "email": user.email,
        "permissions": ["manage-objects"],
        "authenticationToken": user.token,
        "status": 1,
        "group": "5e21b752308c3c66d64e0000",
        "language": "en",
    })
}

async fn current_user(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let shared = state.lock().unwrap();
    match authenticate(&shared, &headers, &uri) {
        Ok(i) => axum::Json(user_json(&shared.users[i])).into_response(),
        Err(response) => response,
    }
}

async fn create_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    method: Method,
    _body: Bytes,
) -> Response {
    let (response, slow) = create_token_now(&state, &id, &headers, &uri, &method);
    if slow {
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
    response
}

/// Token creation, under the lock; whether to stall before answering.
fn create_token_now(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    uri: &Uri,
    method: &Method,
) -> (Response, bool) {
    let mut shared = state.lock().unwrap();
    let me = match authenticate(&shared, headers, uri) {
        Ok(i) => i,
        Err(response) => return (response, false),
    };
    let Some(target) = shared.users.iter().position(|u| u.id == id) else {
        return (
            error(StatusCode::NOT_FOUND, "NotFound", "User not found."),
            false,
        );
    };
    if target != me {
        return (
            error(
                StatusCode::FORBIDDEN,
                "Forbidden",
                "Permission 'manage-users' required.",
            ),
            false,
        );
    }
    assert_eq!(method, Method::POST);
    match shared.mode {
        Mode::EmptyToken => return (axum::Json("").into_response(), false),
        Mode::HtmlToken => {
            let page = (
                [(header::CONTENT_TYPE, "text/html")],
                "<!DOCTYPE html><html><head><title>Sign in to the network</title></head></html>",
            );
            return (page.into_response(), false);
        }
        _ => {}
    }
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let token = shared
        .next_token
        .take()
        .unwrap_or_else(|| format!("tok{n:05}-{:x}-canary", std::process::id()));
    shared.users[target].token = Some(token.clone());
    shared.token_creations += 1;
    shared.issued.push(token.clone());
    if let Some(cue) = &shared.on_token_created {
        cue();
    }
    (
        axum::Json(token).into_response(),
        shared.mode == Mode::SlowAfterCreating,
    )
}

async fn delete_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let mut shared = state.lock().unwrap();
    let me = match authenticate(&shared, &headers, &uri) {
        Ok(i) => i,
        Err(response) => return response,
    };
    if shared.users[me].id != id {
        return error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "Permission 'manage-users' required.",
        );
    }
    shared.users[me].token = None;
    StatusCode::NO_CONTENT.into_response()
}

/// A few SAYMON object endpoints, enough for `api`: list, get (only id 1 exists), create
/// and patch (echoing the JSON body), and writing metrics (204).
async fn objects(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    {
        let shared = state.lock().unwrap();
        if let Err(response) = authenticate(&shared, &headers, &uri) {
            return response;
        }
    }
    let path = uri.path();
    if path.ends_with("/stat") {
        return StatusCode::NO_CONTENT.into_response();
    }
    let sent: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match (method.as_str(), path) {
        ("GET", "/node/api/objects") => axum::Json(json!([
            {"id": "1", "name": "Server room", "class_id": "2"},
            {"id": "2", "name": "UPS", "class_id": "3"}
        ]))
        .into_response(),
        ("POST", _) => {
            let mut object = sent;
            object["id"] = json!("5e21b752308c3c66d64e0abc");
            (StatusCode::OK, axum::Json(object)).into_response()
        }
        (_, "/node/api/objects/1") => {
            let mut object = json!({"id": "1", "name": "Server room", "class_id": "2"});
            if let Value::Object(changes) = sent {
                for (k, v) in changes {
                    object[k] = v;
                }
            }
            axum::Json(object).into_response()
        }
        _ => error(StatusCode::NOT_FOUND, "NotFound", "Object not found."),
    }
}

/// `GET big?size=N`: N bytes of text, made as they are sent (never held whole).
/// SAYMON's incidents list: `limit` (capped by the server) and `skip`, a bare array.
async fn incidents(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    static ANSWERS: AtomicUsize = AtomicUsize::new(0);
    let (total, cap, text, ignore_skip, fail_at, modulo, stamp, shifting) = {
        let shared = state.lock().unwrap();
        if let Err(response) = authenticate(&shared, &headers, &uri) {
            return response;
        }
        (
            shared.incidents,
            shared.page_cap,
            shared.incident_text,
            shared.ignore_skip,
            shared.fail_at_skip,
            shared.skip_modulo,
            shared.stamp,
            shared.shifting,
        )
    };
    let answer = ANSWERS.fetch_add(1, Ordering::Relaxed);
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let number = |key: &str, default: usize| {
        query
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(default)
    };
    let limit = number("limit", cap).min(cap);
    let skip = if ignore_skip { 0 } else { number("skip", 0) };
    let skip = modulo.map_or(skip, |m| skip % m);
    let skip = if shifting {
        skip.saturating_sub(1)
    } else {
        skip
    };
    if fail_at == Some(skip) {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "Database is down.",
        );
    }
    let filler = "x".repeat(text);
    let items: Vec<Value> = (skip..total.min(skip + limit))
        .map(|i| {
            let mut item =
                json!({"id": i, "name": format!("incident {i}"), "state": i % 3, "text": filler});
            if stamp {
                item["answered"] = json!(answer);
            }
            item
        })
        .collect();
    axum::Json(items).into_response()
}

async fn big(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    {
        let shared = state.lock().unwrap();
        if let Err(response) = authenticate(&shared, &headers, &uri) {
            return response;
        }
    }
    let size: usize = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "size")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1 << 20);
    (
        [(header::CONTENT_TYPE, "application/octet-stream")],
        x_stream(size),
    )
        .into_response()
}

/// A body of `size` bytes of `x`, made as it is sent (never held whole).
fn x_stream(size: usize) -> axum::body::Body {
    const CHUNK: usize = 64 << 10;
    static DATA: [u8; CHUNK] = [b'x'; CHUNK];
    let chunks = (0..size.div_ceil(CHUNK)).map(move |i| {
        let len = CHUNK.min(size - i * CHUNK);
        Ok::<_, std::convert::Infallible>(Bytes::from_static(&DATA[..len]))
    });
    axum::body::Body::from_stream(futures_util::stream::iter(chunks))
}
