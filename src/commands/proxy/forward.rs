//! One request through the proxy: refused (a path outside the API, a foreign Host or any
//! Origin over TCP, a write under `--read-only`, too many at once), or forwarded with the
//! client's credentials removed and the profile's token added; the answer streamed back
//! with the token masked. A refused token is read again from the store (another process
//! may have rotated it) and a request the proxy can resend is sent once more.

use std::cell::RefCell;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::json;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower_http::timeout::{TimeoutBody, TimeoutError};

use super::ProxyArgs;
use super::body::Masked;
use super::log::{By, Entry, Log};
use crate::client::{Auth, Client};
use crate::credentials::Session;
use crate::secret::Secret;
use crate::store::TokenSource;

/// What the proxy answers with: its own JSON, or the server's body, masked.
pub(super) type ProxyBody = Either<Full<Bytes>, Masked>;

/// The header that tells the proxy's answers (`proxy`) from the server's (`server`).
const ANSWERED_BY: &str = "saymon-proxy";

/// A body the proxy holds whole, so that it can send it again after a token was read
/// anew: at most this many bytes (larger ones stream, and are not resent).
const RESEND_MAX: u64 = 1 << 20;

/// How many tokens used before the one in use are still masked.
const RETIRED_MAX: usize = 16;

/// The bytes of a refused answer read to say why (the rest is not needed).
const REFUSAL_MAX: usize = 64 << 10;

/// Request headers never forwarded: the client's own credentials, what belongs to one
/// connection, and `Accept-Encoding` (a compressed answer would hide the token from the
/// masking).
const DROPPED_REQUEST_HEADERS: &[&str] = &[
    "authorization",
    "cookie",
    "host",
    "origin",
    "accept-encoding",
    "connection",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    // A range lets the client choose where the answer starts, inside the token, say:
    // masking byte by byte cannot hold then.
    "range",
    "if-range",
];

/// Headers that ask the server to take a request as another method: not forwarded with
/// `--read-only` (a GET that is a DELETE).
const METHOD_OVERRIDES: &[&str] = &[
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
];

/// Answer headers never passed on: the server's cookies (a session is a credential too),
/// what belongs to one connection, and the length (masking changes it).
const DROPPED_ANSWER_HEADERS: &[&str] = &[
    "set-cookie",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
];

/// The proxy's state: the session (for the stored token, read again), the client to the
/// server, the token in use.
pub(super) struct Proxy<'s, 'a> {
    session: &'s Session<'a>,
    client: Client<'a>,
    token: RefCell<(Secret, TokenSource)>,
    /// The tokens this proxy used before the one in use (the newest `RETIRED_MAX`): still
    /// masked, should the server show one again (a refresh whose revocation failed leaves
    /// the old one alive).
    retired: RefCell<Vec<Secret>>,
    read_only: bool,
    tcp: bool,
    permits: Arc<Semaphore>,
    max_requests: usize,
    /// `--timeout`: how long a client may leave its answer unread, or stop sending its
    /// request's body, before its connection ends.
    stall: Duration,
    /// Held while the token is renewed (read again or made anew): one renewal at a time.
    renewing: tokio::sync::Mutex<()>,
    log: Log,
}

impl<'s, 'a> Proxy<'s, 'a> {
    pub(super) fn new(
        session: &'s Session<'a>,
        client: Client<'a>,
        token: Secret,
        source: TokenSource,
        args: &ProxyArgs,
        tcp: bool,
    ) -> Proxy<'s, 'a> {
        Proxy {
            session,
            client,
            token: RefCell::new((token, source)),
            retired: RefCell::new(Vec::new()),
            read_only: args.read_only,
            tcp,
            permits: Arc::new(Semaphore::new(args.max_requests as usize)),
            max_requests: args.max_requests as usize,
            stall: Duration::from_secs(session.settings.timeout),
            renewing: tokio::sync::Mutex::new(()),
            log: Log::new(session.out),
        }
    }

    /// The most connections held at once: four for every request that may be served.
    pub(super) fn most_connections(&self) -> usize {
        self.max_requests * 4
    }

    /// How long a client may stall (not read its answer, not send its body): `--timeout`.
    pub(super) fn stall(&self) -> Duration {
        self.stall
    }

    pub(super) fn log(&self) -> &Log {
        &self.log
    }

    /// Serve one request; every outcome is an answer (hyper's service never fails). On a
    /// connection past the most held (`busy`): 503, not logged (a flood would drown the
    /// log).
    pub(super) async fn handle(
        &self,
        request: Request<Incoming>,
        busy: bool,
    ) -> Result<Response<ProxyBody>, Infallible> {
        if busy {
            return Ok(own_answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "SaymonProxyBusy",
                "the proxy holds as many connections as it may (4 x --max-requests); try again"
                    .into(),
            ));
        }
        let shown = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default();
        let entry = self.log.entry(request.method().as_str(), &shown);
        let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() else {
            return Ok(refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "SaymonProxyBusy",
                "the proxy serves as many requests as --max-requests allows; try again".into(),
                entry,
            ));
        };
        if let Some((status, code, message)) = self.refusal(&request) {
            return Ok(refuse(status, code, message, entry));
        }
        Ok(self.forward(request, entry, permit).await)
    }

    /// Why `request` is not forwarded, if it is not: its status, code and message.
    fn refusal(&self, request: &Request<Incoming>) -> Option<Refusal> {
        if self.tcp {
            if request.headers().contains_key(header::ORIGIN) {
                return Some((
                    StatusCode::FORBIDDEN,
                    "SaymonProxyOrigin",
                    "a request with Origin (from a web page) is not served: any page the browser shows could use the token".into(),
                ));
            }
            let mut hosts = request.headers().get_all(header::HOST).iter();
            let host = hosts
                .next()
                .and_then(|h| h.to_str().ok())
                .unwrap_or_default();
            // Two Host headers: which one a server reads is its own choice.
            if hosts.next().is_some() {
                return Some((
                    StatusCode::FORBIDDEN,
                    "SaymonProxyHost",
                    "two Host headers: only one, localhost, 127.0.0.1 or [::1], is served (DNS rebinding)".into(),
                ));
            }
            if !local_host(host) {
                return Some((
                    StatusCode::FORBIDDEN,
                    "SaymonProxyHost",
                    format!(
                        "Host {:?} is not this machine: only localhost, 127.0.0.1 and [::1] are served (DNS rebinding)",
                        crate::redact::server_text(host, 80)
                    ),
                ));
            }
        }
        // A browser sends Sec-Fetch-* with every request, a GET from an <img> too (which
        // carries no Origin): a web page is not served, over TCP or the socket.
        if request
            .headers()
            .keys()
            .any(|name| name.as_str().starts_with("sec-fetch-"))
        {
            return Some((
                StatusCode::FORBIDDEN,
                "SaymonProxyBrowser",
                "a request from a web browser (Sec-Fetch-*) is not served: any page it shows could use the token".into(),
            ));
        }
        if !under_api(request.uri().path()) {
            return Some((
                StatusCode::NOT_FOUND,
                "SaymonProxyNotApi",
                "only paths under /node/api/ are forwarded".into(),
            ));
        }
        if makes_credentials(
            request
                .uri()
                .path()
                .get("/node/api".len()..)
                .unwrap_or_default(),
        ) {
            return Some(credentials_refused());
        }
        if self.read_only && !matches!(*request.method(), Method::GET | Method::HEAD) {
            return Some((
                StatusCode::FORBIDDEN,
                "SaymonProxyReadOnly",
                format!(
                    "{} is refused: the proxy runs with --read-only (GET and HEAD only)",
                    request.method()
                ),
            ));
        }
        None
    }

    /// Forward `request` with the token; on a refused token, read it again and resend
    /// what can be resent.
    async fn forward(
        &self,
        request: Request<Incoming>,
        mut entry: Entry,
        permit: OwnedSemaphorePermit,
    ) -> Response<ProxyBody> {
        let (parts, incoming) = request.into_parts();
        let query = parts
            .uri
            .query()
            .map(|q| without_credentials(q, self.read_only));
        let url = match self.url(parts.uri.path(), query.as_deref()) {
            Ok(url) => url,
            Err((status, code, message)) => return refuse(status, code, message, entry),
        };
        let headers = forwarded_headers(&parts.headers, self.read_only);
        let incoming = TimeoutBody::new(self.stall, incoming);
        // A body held whole comes within --timeout, all of it: one byte now and then
        // must not keep a place for ever.
        let outgoing = Outgoing::of(&parts.method, &parts.headers, incoming);
        let body = match tokio::time::timeout(self.stall, outgoing).await {
            Err(_) => return self.stalled(entry),
            Ok(Ok(body)) => body,
            Ok(Err(e)) if stalled(e.as_ref()) => return self.stalled(entry),
            Ok(Err(e)) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "SaymonProxyBody",
                    format!("cannot read the request's body: {e}"),
                    entry,
                );
            }
        };
        let mut used = self.token.borrow().0.clone();
        let mut resend = body.resendable();
        let mut sent = body;
        // A request renews the token once at most.
        let mut renewed = false;
        loop {
            let mut target = url.clone();
            target
                .query_pairs_mut()
                .append_pair("api-token", used.expose());
            let answer = self
                .client
                .forward(parts.method.clone(), target, headers.clone(), sent.take())
                .await;
            let answer = match answer {
                Ok(answer) => answer,
                Err(e) if stalled(&e) => return self.stalled(entry),
                Err(e) => {
                    let e = self.client.forward_error(e).await;
                    return refuse(
                        StatusCode::BAD_GATEWAY,
                        "SaymonProxyUnreachable",
                        format!("{e:#}"),
                        entry,
                    );
                }
            };
            if let Some(coding) = encoded(answer.headers()) {
                return refuse(
                    StatusCode::BAD_GATEWAY,
                    "SaymonProxyEncoded",
                    format!(
                        "the server sent its answer compressed ({}) though asked not to: the proxy could not mask the token in it",
                        crate::redact::server_text(&masked_text(&coding, &self.masked(&used)), 40)
                    ),
                    entry,
                );
            }
            if answer.status() != StatusCode::UNAUTHORIZED {
                let masked = self.masked(&used);
                return pass_on(answer, &parts.method, &masked, entry, permit);
            }
            // A 401: the token refused, or this endpoint's own (a redirect followed without
            // the token, a path that wants more). Only a token the server refuses when asked
            // who it is counts as dead; else the server's answer goes to the client as it is.
            let status = answer.status();
            let kept_headers = answer.headers().clone();
            let (kept_body, cut) = read_some(answer).await;
            if renewed || !self.token_refused(&used).await {
                let masked = self.masked(&used);
                return held_answer(status, &kept_headers, (&kept_body, cut), &masked, entry);
            }
            renewed = true;
            let renewal = match self.renew(&used, &mut entry).await {
                Ok(renewal) => renewal,
                Err(e) => {
                    return refuse(
                        StatusCode::BAD_GATEWAY,
                        "SaymonProxyTokenRefused",
                        format!(
                            "the server refused the profile's token, and a new one could not be made: {e:#}"
                        ),
                        entry,
                    );
                }
            };
            match (renewal, resend.take()) {
                (Some(token), Some(again)) => {
                    used = token;
                    sent = again;
                }
                (renewal, _) => {
                    let what = match renewal {
                        Some(_) => {
                            "the token was renewed, but this request's body is not held to send again: send it again"
                        }
                        None => {
                            "the stored token is the one refused (replaced or revoked), and no password is at hand to make a new one"
                        }
                    };
                    return refuse(
                        StatusCode::BAD_GATEWAY,
                        "SaymonProxyTokenRefused",
                        format!(
                            "the server refused the profile's token: {what}; run `saymon login{}` (or `saymon token refresh{}`), the proxy reads the new token itself",
                            self.session.selected.profile_flag(),
                            self.session.selected.profile_flag()
                        ),
                        entry,
                    );
                }
            }
        }
    }

    /// Whether the server refuses `token` when asked who it belongs to (`users/current`):
    /// only then is it dead. Any other outcome (it works, the server is down) is not.
    async fn token_refused(&self, token: &Secret) -> bool {
        // The client's deadline counts from its first request, long ago: this is new work.
        self.client.restart_deadline();
        match self.client.current_user(&Auth::Token(token)).await {
            Ok(_) => false,
            Err(e) => crate::error::exit_code(&e) == crate::error::Exit::Rejected,
        }
    }

    /// A token in place of the dead `refused`: one renewal at a time in this proxy (requests
    /// refused together wait for it, without holding the thread), which takes one made
    /// meanwhile (by this proxy, or stored by another process), else makes one.
    async fn renew(&self, refused: &Secret, entry: &mut Entry) -> anyhow::Result<Option<Secret>> {
        let _one_at_a_time = self.renewing.lock().await;
        let current = self.token.borrow().0.clone();
        if current.expose() != refused.expose() {
            entry.reread();
            return Ok(Some(current));
        }
        if let Some(token) = self.reread(refused) {
            entry.reread();
            return Ok(Some(token));
        }
        self.refresh(refused, entry).await
    }

    /// The answer to a client that stopped sending its request's body: 408, after
    /// `--timeout` without a byte.
    fn stalled(&self, entry: Entry) -> Response<ProxyBody> {
        refuse(
            StatusCode::REQUEST_TIMEOUT,
            "SaymonProxyClientStalled",
            format!(
                "the request's body stopped coming: nothing for {} s (--timeout)",
                self.stall.as_secs()
            ),
            entry,
        )
    }

    /// The server's URL for `path` and `query`; refused (404) when it would leave the API
    /// (`..`, `%2e%2e`: the URL rules resolve them), or (403) when, dot segments resolved,
    /// it makes a credential (`./users/session`: `makes_credentials` again).
    fn url(&self, path: &str, query: Option<&str>) -> Result<reqwest::Url, Refusal> {
        let not_api = || {
            (
                StatusCode::NOT_FOUND,
                "SaymonProxyNotApi",
                "only paths under /node/api/ are forwarded".to_string(),
            )
        };
        let server = self.client.server();
        let mut url = server.resolve(path).map_err(|_| not_api())?;
        let root = server.api_url(&[]);
        let api = root.path().trim_end_matches('/');
        let inside = url.path().strip_prefix(api).ok_or_else(not_api)?;
        if !(inside.is_empty() || inside.starts_with('/')) || !server.same_origin(&url) {
            return Err(not_api());
        }
        if makes_credentials(inside) {
            return Err(credentials_refused());
        }
        url.set_query(query.filter(|q| !q.is_empty()));
        Ok(url)
    }

    /// The stored token, read again, when it is not `refused`: it replaces the one in use.
    fn reread(&self, refused: &Secret) -> Option<Secret> {
        let (token, source) = self.session.token().ok()?;
        if token.expose() == refused.expose() {
            return None;
        }
        self.session.out.verbose(&format!(
            "the token was refused; using the one now in {source}"
        ));
        self.replace_token(token.clone(), source);
        Some(token)
    }

    /// A new token made by the proxy (`refresh`), when it may make one: it replaces the one
    /// in use.
    async fn refresh(&self, refused: &Secret, entry: &mut Entry) -> anyhow::Result<Option<Secret>> {
        let source = self.token.borrow().1.clone();
        if !matches!(
            source,
            TokenSource::Keyring | TokenSource::File(_) | TokenSource::Rescued(_)
        ) {
            return Ok(None); // handed over for this run: not the proxy's to replace
        }
        let Some(token) = super::refresh::refresh(self.session, &self.client, refused).await?
        else {
            return Ok(None);
        };
        entry.refreshed();
        let source = self.session.token().map(|(_, s)| s).unwrap_or(source);
        self.replace_token(token.clone(), source);
        Ok(Some(token))
    }

    /// `token` (from `source`) in use from now on; the one it replaces is still masked.
    fn replace_token(&self, token: Secret, source: TokenSource) {
        let (old, _) = self.token.replace((token, source));
        let mut retired = self.retired.borrow_mut();
        retired.retain(|t| t.expose() != old.expose());
        retired.push(old);
        if retired.len() > RETIRED_MAX {
            retired.remove(0);
        }
    }

    /// The tokens masked in an answer to a request sent with `used`: it, the one in use,
    /// and the retired ones.
    fn masked(&self, used: &Secret) -> Vec<Secret> {
        let mut tokens: Vec<Secret> = Vec::new();
        let current = self.token.borrow().0.clone();
        let retired = self.retired.borrow().clone();
        let held = std::iter::once(used.clone())
            .chain(std::iter::once(current))
            .chain(retired);
        for token in held {
            // As it is, and in upper and lower case (a server that shows it changed so).
            let upper = Secret::new(token.expose().to_ascii_uppercase());
            let lower = Secret::new(token.expose().to_ascii_lowercase());
            for token in [token, upper, lower] {
                if tokens.iter().all(|t| t.expose() != token.expose()) {
                    tokens.push(token);
                }
            }
        }
        tokens
    }
}

/// The server's answer, on its way to the client: headers kept but the dropped ones, the
/// body streamed with the `tokens` masked.
fn pass_on(
    answer: reqwest::Response,
    method: &Method,
    tokens: &[Secret],
    mut entry: Entry,
    permit: OwnedSemaphorePermit,
) -> Response<ProxyBody> {
    let status = answer.status();
    entry.answered(status.as_u16(), By::Server);
    let answer: http::Response<reqwest::Body> = answer.into();
    let (parts, body) = answer.into_parts();
    let secrets = tokens.iter().map(|t| t.expose().as_bytes());
    let mut response = Response::new(Either::Right(Masked::new(body, secrets, entry, permit)));
    *response.status_mut() = status;
    server_headers(&parts.headers, response.headers_mut(), tokens);
    // A HEAD answer has no body to mask: its length is the GET's, as the server said.
    if *method == Method::HEAD
        && let Some(length) = parts.headers.get(header::CONTENT_LENGTH)
    {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, length.clone());
    }
    response
}

/// The server's answer whose body the proxy read (a 401 it checked), as the server gave
/// it, with the `tokens` and any `api-token=` value masked.
fn held_answer(
    status: StatusCode,
    headers: &HeaderMap,
    (body, cut): (&[u8], bool),
    tokens: &[Secret],
    mut entry: Entry,
) -> Response<ProxyBody> {
    let masked = masked_bytes(body, cut, tokens);
    entry.answered(status.as_u16(), By::Server);
    entry.write(masked.len() as u64);
    let mut response = Response::new(Either::Left(Full::new(Bytes::from(masked))));
    *response.status_mut() = status;
    server_headers(headers, response.headers_mut(), tokens);
    response
}

/// The server's headers `from` as the client gets them in `out`: all but
/// `DROPPED_ANSWER_HEADERS`, the `tokens` masked, and `saymon-proxy: server`.
fn server_headers(from: &HeaderMap, out: &mut HeaderMap, tokens: &[Secret]) {
    for (name, value) in from {
        // A name that holds a token is dropped with its value (a name cannot be masked).
        let names_a_token = tokens.iter().any(|t| {
            let token = t.expose().to_ascii_lowercase();
            memchr::memmem::find(name.as_str().as_bytes(), token.as_bytes()).is_some()
        });
        if !DROPPED_ANSWER_HEADERS.contains(&name.as_str()) && !names_a_token {
            out.append(name, masked_value(value, tokens));
        }
    }
    out.insert(ANSWERED_BY, HeaderValue::from_static("server"));
}

/// A request's body as it is sent: held whole (small, so that it can be sent again), or
/// streamed.
enum Outgoing {
    Held(Bytes),
    Streamed(Option<reqwest::Body>),
}

impl Outgoing {
    /// `incoming`, held when its length is known and at most `RESEND_MAX`, else streamed.
    /// Err: a body that ended before its length or stalled (the client's doing).
    async fn of(
        method: &Method,
        headers: &HeaderMap,
        incoming: TimeoutBody<Incoming>,
    ) -> Result<Outgoing, Box<dyn std::error::Error + Send + Sync>> {
        let length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let chunked = headers.contains_key(header::TRANSFER_ENCODING);
        let small = match length {
            Some(n) => n <= RESEND_MAX,
            None => !chunked && matches!(*method, Method::GET | Method::HEAD | Method::DELETE),
        };
        if !small {
            return Ok(Outgoing::Streamed(Some(reqwest::Body::wrap(incoming))));
        }
        let held = Limited::new(incoming, RESEND_MAX as usize)
            .collect()
            .await?;
        Ok(Outgoing::Held(held.to_bytes()))
    }

    /// The body to send now; a streamed one can be sent once.
    fn take(&mut self) -> reqwest::Body {
        match self {
            Outgoing::Held(bytes) => reqwest::Body::from(bytes.clone()),
            Outgoing::Streamed(body) => body.take().unwrap_or_else(|| reqwest::Body::from("")),
        }
    }

    /// A copy to send again after a refused token, when the body is held.
    fn resendable(&self) -> Option<Outgoing> {
        match self {
            Outgoing::Held(bytes) => Some(Outgoing::Held(bytes.clone())),
            Outgoing::Streamed(_) => None,
        }
    }
}

/// A header value of the server's with the `tokens`, and any `api-token=` value (a
/// Location back to the API, a Link), shown as `***`.
fn masked_value(value: &HeaderValue, tokens: &[Secret]) -> HeaderValue {
    let bytes = value.as_bytes();
    let has_token = tokens
        .iter()
        .any(|t| memchr::memmem::find(bytes, t.expose().as_bytes()).is_some());
    let has_param = memchr::memmem::find(&bytes.to_ascii_lowercase(), b"api-token").is_some();
    if !has_token && !has_param {
        return value.clone();
    }
    let text = masked_text(&String::from_utf8_lossy(bytes), tokens);
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("***"))
}

/// `text` of the server's, with the `tokens` and any `api-token=` value masked.
fn masked_text(text: &str, tokens: &[Secret]) -> String {
    String::from_utf8_lossy(&masked_bytes(text.as_bytes(), false, tokens)).into_owned()
}

/// `bytes` the server sent, whole, as `Masked` streams them: the `tokens` masked (only
/// whole ones), then any `api-token=` value. `cut` by the proxy: what is held back at the
/// end (as long as a token less one, whatever it is) is dropped, since it may be a
/// token's start and masking it would answer a guess.
fn masked_bytes(bytes: &[u8], cut: bool, tokens: &[Secret]) -> Vec<u8> {
    let mut masked = Vec::with_capacity(bytes.len());
    let mut masker = crate::mask::Masker::new(tokens.iter().map(|t| t.expose().as_bytes()));
    masker.feed_lagging(bytes, &mut masked);
    if !cut {
        masker.finish_whole(&mut masked);
    }
    let mut params = crate::mask::ParamMasker::default();
    let mut out = Vec::with_capacity(masked.len());
    params.feed(&masked, &mut out);
    if !cut {
        params.finish(&mut out);
    }
    out
}

/// The proxy's own answer: `status` with `{"code", "message"}`.
fn own_answer(status: StatusCode, code: &str, message: String) -> Response<ProxyBody> {
    let body = json!({ "code": code, "message": message }).to_string();
    let mut response = Response::new(Either::Left(Full::new(Bytes::from(body))));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(ANSWERED_BY, HeaderValue::from_static("proxy"));
    response
}

/// The proxy's own answer: `status` with `{"code", "message"}`, logged.
fn refuse(
    status: StatusCode,
    code: &str,
    message: String,
    mut entry: Entry,
) -> Response<ProxyBody> {
    let response = own_answer(status, code, message);
    entry.answered(status.as_u16(), By::Proxy);
    entry.write(
        http_body::Body::size_hint(response.body())
            .exact()
            .unwrap_or(0),
    );
    response
}

/// Read at most `REFUSAL_MAX` bytes of a refused answer, so that its connection can be
/// used again.
/// Whether it was cut there (more may have followed) comes with it.
async fn read_some(mut answer: reqwest::Response) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    while kept.len() < REFUSAL_MAX {
        match answer.chunk().await {
            Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
            _ => return (kept, false),
        }
    }
    (kept, true)
}

/// A coding of the answer other than none (`identity`) and `chunked`, in any of its
/// `Content-Encoding` or `Transfer-Encoding` headers: the token could hide in it.
fn encoded(headers: &HeaderMap) -> Option<String> {
    let codings = |name| {
        headers
            .get_all(name)
            .iter()
            .flat_map(|v| v.as_bytes().split(|b| *b == b','))
            .map(|c| String::from_utf8_lossy(c).trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
    };
    let content = codings(header::CONTENT_ENCODING);
    let transfer = codings(header::TRANSFER_ENCODING);
    content
        .into_iter()
        .find(|c| c != "identity")
        .or_else(|| transfer.into_iter().find(|c| c != "chunked"))
}

/// Why a request is not forwarded: the status, the code and the message of the proxy's
/// own answer.
type Refusal = (StatusCode, &'static str, String);

/// The refusal of a path that makes, lists or ends a credential (`makes_credentials`).
fn credentials_refused() -> Refusal {
    (
        StatusCode::FORBIDDEN,
        "SaymonProxyCredentials",
        "tokens and sessions are not made, listed or ended through the proxy: a client would hold a credential of its own (run saymon token … yourself)".into(),
    )
}

/// Whether `path` (what follows `/node/api`) makes, lists or ends a credential: a user's
/// tokens (`users/ID/auth-token`) or a session (`users/session`). Segments compared as a
/// lenient server would route them: decoded, in any case, without `;parameters` or
/// trailing dots. Checked on the path as the client sent it and as it is forwarded (dot
/// segments resolved).
fn makes_credentials(path: &str) -> bool {
    let mut segments: Vec<String> = Vec::new();
    for raw in path.split('/') {
        // Decoded twice (a server behind one that decodes), without ;parameters, blanks
        // and controls; `..` in any such dress goes up.
        let once = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
        let twice = percent_encoding::percent_decode_str(&once).decode_utf8_lossy();
        let bare = twice.split(';').next().unwrap_or_default();
        let bare = bare.trim_matches(|c: char| c.is_whitespace() || c.is_control());
        match bare {
            "" | "." => {}
            _ if bare.len() >= 2 && bare.chars().all(|c| c == '.') => {
                segments.pop();
            }
            _ => {
                // What a lenient router takes: up to the first character no route name
                // has (`session.json`, `session?`, `auth-token` and a NUL).
                let name: String = bare
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                segments.push(name.to_ascii_lowercase());
            }
        }
    }
    segments.iter().any(|s| s == "auth-token")
        || segments
            .windows(2)
            .any(|w| w[0] == "users" && w[1] == "session")
}

/// Whether `error` (or what caused it) is a request body that stopped coming for
/// `--timeout` (tower-http's `TimeoutBody`).
fn stalled(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.is::<TimeoutError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// Whether a client's path is under `/node/api/` (or is `/node/api` itself), with no
/// encoded `/` or backslash and no backslash in it: a server behind a proxy that decodes them could
/// take `..%2F` as a way out of the API.
fn under_api(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains('\\') {
        return false;
    }
    path == "/node/api" || path.starts_with("/node/api/")
}

/// Whether a `Host` header names this machine: localhost, 127.0.0.1 or [::1], any port.
fn local_host(host: &str) -> bool {
    let port_ok = |port: &str| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
    let name = match host.strip_prefix('[') {
        Some(rest) => {
            rest.split_once(']')
                .and_then(|(name, after)| match after.strip_prefix(':') {
                    Some(port) => port_ok(port).then_some(name),
                    None => after.is_empty().then_some(name),
                })
        }
        None => match host.split_once(':') {
            Some((name, port)) => port_ok(port).then_some(name),
            None => Some(host),
        },
    };
    matches!(
        name.map(str::to_ascii_lowercase).as_deref(),
        Some("localhost" | "127.0.0.1" | "::1")
    )
}

/// The query without any parameter the client gave whose name starts with `api-token` or
/// `auth-token` (`api-token[]`, `api-token%00` too), and with `read_only` without
/// `_method` (a method override); the rest kept byte for byte.
fn without_credentials(query: &str, read_only: bool) -> String {
    query
        .split('&')
        .filter(|part| {
            let key = part.split('=').next().unwrap_or_default();
            let key: String = url::form_urlencoded::parse(key.as_bytes())
                .next()
                .map(|(k, _)| k.into_owned())
                .unwrap_or_default();
            let key = key
                .trim_start_matches(|c: char| c == ';' || c.is_whitespace())
                .to_ascii_lowercase();
            !(key.starts_with("api-token")
                || key.starts_with("auth-token")
                || read_only && key.starts_with("_method"))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The client's headers as forwarded: all but `DROPPED_REQUEST_HEADERS`, and with
/// `read_only` but `METHOD_OVERRIDES`.
fn forwarded_headers(headers: &HeaderMap, read_only: bool) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for (name, value) in headers {
        let name_text = name.as_str();
        let dropped = DROPPED_REQUEST_HEADERS.contains(&name_text)
            || read_only && METHOD_OVERRIDES.contains(&name_text);
        if !dropped {
            kept.append(name, value.clone());
        }
    }
    // Without it, any coding is acceptable (RFC 9110): the answer must come as it is, for
    // the token to be masked in it.
    kept.insert(
        header::ACCEPT_ENCODING,
        HeaderValue::from_static("identity"),
    );
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_tokens_leave_the_query_the_rest_stays_as_it_was() {
        assert_eq!(
            without_credentials(
                "limit=5&api-token=x&a%20b=c+d&auth-token=y&api%2Dtoken=z",
                false
            ),
            "limit=5&a%20b=c+d"
        );
        assert_eq!(without_credentials("API-TOKEN=x", false), "");
        assert_eq!(
            without_credentials("api-token[]=a&api-token%00=d&;api-token=e&n=1", false),
            "n=1"
        );
        assert_eq!(
            without_credentials("_method=DELETE&a=1", false),
            "_method=DELETE&a=1"
        );
        assert_eq!(without_credentials("_method=DELETE&a=1", true), "a=1");
    }

    #[test]
    fn only_this_machine_is_a_local_host() {
        for host in [
            "localhost",
            "LOCALHOST:8080",
            "127.0.0.1",
            "127.0.0.1:1",
            "[::1]",
            "[::1]:80",
        ] {
            assert!(local_host(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.2",
            "[::2]",
            "::1",
            "127.0.0.1:80@evil.example",
            "localhost:evil",
            "[::1]evil",
            "localhost:",
        ] {
            assert!(!local_host(host), "{host}");
        }
    }

    /// The body of `held_answer` for `body` (cut by the proxy or not), `token` masked.
    fn held(body: &[u8], cut: bool, token: &str) -> Vec<u8> {
        let settings = crate::settings::Settings {
            quiet: true,
            ..crate::settings::Settings::default()
        };
        let out = crate::output::Output::new(&settings).unwrap();
        let log = Log::new(&out);
        let answer = held_answer(
            StatusCode::UNAUTHORIZED,
            &HeaderMap::new(),
            (body, cut),
            &[Secret::new(token)],
            log.entry("GET", "/node/api/x"),
        );
        let Either::Left(full) = answer.into_body() else {
            panic!("a held answer is whole");
        };
        let bytes = futures_util::FutureExt::now_or_never(full.collect())
            .unwrap()
            .unwrap();
        bytes.to_bytes().to_vec()
    }

    #[test]
    fn a_401_the_proxy_cut_short_shows_no_start_of_the_token() {
        let token = "deadbeefcafe0123";
        // Cut by the proxy: the last bytes, as many as the token less one, are dropped
        // whatever they are, a right start and a wrong one alike.
        assert_eq!(held(b"padding deadbeefcafe", true, token), b"paddi");
        assert_eq!(held(b"padding xxxxxxxxxxxx", true, token), b"paddi");
        // Whole: the token masked, the rest as it is.
        assert_eq!(held(b"bad deadbeefcafe0123 x", false, token), b"bad *** x");
        assert_eq!(
            held(b"bad ?API-TOKEN=DEAD", false, token),
            b"bad ?API-TOKEN=***"
        );
    }

    #[test]
    fn credentials_are_not_made_through_the_proxy() {
        for path in [
            "/node/api/users/5e21b752308c3c66d64e072c/auth-token",
            "/node/api/USERS/x/AUTH-TOKEN/",
            "/node/api//users/x/auth%2Dtoken",
            "/node/api/users/session",
            "/node/api/Users/Session/",
            "/users/session;a",
            "/users/session.",
            "/users/x/auth-token;x",
            "/users/x/auth-token.",
            "/users/%2e/session",
            "/users/x/..;a/session",
            "/users/x/..%3Ba/session",
            "/users/x/%2e%2e;/session",
            "/users/x/..%20/session",
            "/users/x/.../session",
            "/users/session%3F",
            "/users/session%00",
            "/users/%2573ession",
            "/users/session.json",
        ] {
            assert!(makes_credentials(path), "{path}");
        }
        for path in [
            "/node/api/users/current",
            "/node/api/objects",
            "/node/api/sessions",
        ] {
            assert!(!makes_credentials(path), "{path}");
        }
    }

    #[test]
    fn every_coding_but_identity_and_chunked_is_seen() {
        let with = |pairs: &[(&str, &str)]| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.append(
                    header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    HeaderValue::from_str(value).unwrap(),
                );
            }
            encoded(&headers)
        };
        assert_eq!(with(&[]), None);
        assert_eq!(
            with(&[
                ("content-encoding", "identity"),
                ("transfer-encoding", "chunked")
            ]),
            None
        );
        assert_eq!(
            with(&[
                ("content-encoding", "identity"),
                ("content-encoding", "gzip")
            ])
            .as_deref(),
            Some("gzip")
        );
        assert_eq!(
            with(&[("transfer-encoding", "gzip, chunked")]).as_deref(),
            Some("gzip")
        );
        assert_eq!(
            with(&[("content-encoding", "identity, br")]).as_deref(),
            Some("br")
        );
    }

    #[test]
    fn only_api_paths() {
        assert!(under_api("/node/api/objects"));
        assert!(under_api("/node/api"));
        assert!(!under_api("/node/apis"));
        assert!(!under_api("/"));
        assert!(!under_api("/node/api-other/x"));
        assert!(!under_api("/node/api/%2E%2E%2F%2E%2E%2Fother/x"));
        assert!(!under_api("/node/api/..%5c..%5cother"));
        assert!(!under_api("/node/api/..\\other"));
    }
}
