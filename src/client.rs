//! The one HTTP client: TLS options, timeouts, retries, auth, the SAYMON endpoints saymon
//! itself calls, and the one place where a failed request or a non-2xx answer becomes a
//! typed error that says what came back (its body parsed by `answer`).

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use reqwest::{Method, Response, Url, redirect};
use serde_json::Value;

use crate::answer::{MAX_ANSWER, parse_error_body, parse_token, parse_user};
use crate::error::{Error, Exit};
use crate::output::Output;
use crate::redact;
use crate::secret::Secret;
use crate::server::ServerUrl;

pub mod certificate;
mod failure;
mod tls;

/// How a request authenticates.
pub enum Auth<'a> {
    /// HTTP Basic with a login (or e-mail) and password.
    Basic {
        login: &'a str,
        password: &'a Secret,
    },
    /// The query parameter `api-token`.
    Token(&'a Secret),
    /// None: for what SAYMON answers anyone (`version/hash`).
    Anonymous,
}

/// A request that got no HTTP answer; `in_tls` when the TLS handshake is what failed.
pub struct Unreached {
    pub error: anyhow::Error,
    pub in_tls: bool,
}

pub use tls::{Presented, Tls, VouchedBy};

/// TLS and timeout settings, from the global options and the profile.
pub struct ClientOptions<'a> {
    pub tls: &'a Tls,
    pub timeout: Duration,
    /// How often an idempotent request is tried again (`--retries`).
    pub retries: u32,
}

pub struct Client<'o> {
    http: reqwest::Client,
    /// The TLS settings in force, for the hints when the server is still not trusted.
    tls: Tls,
    /// Notes the certificate the server presented, and who vouched for it.
    verifier: std::sync::Arc<tls::Verifier>,
    /// The proxy requests to the server go through (HTTPS_PROXY and the like), if any.
    proxy: Option<String>,
    server: ServerUrl,
    timeout: Duration,
    retries: u32,
    /// When this client's network work must end: `--timeout` after its first request.
    deadline: std::cell::Cell<Option<Instant>>,
    out: &'o Output,
    warned_plain_http: std::cell::Cell<bool>,
}

/// The first retry's delay; each next one is four times longer, with ±25 % jitter.
const RETRY_BASE: Duration = Duration::from_millis(300);

/// Marks a failure after a request that changes something was sent: its answer was lost
/// (a timeout, a dropped connection, a body cut short), so the change may have happened.
#[derive(Debug)]
pub struct AnswerLost;

impl std::fmt::Display for AnswerLost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request was sent, but its answer was lost")
    }
}

impl std::error::Error for AnswerLost {}

/// Marks a token that the server made (a 2xx answer to the POST, so the previous token is
/// dead) but that saymon cannot use (not a token, over 512 characters, …).
#[derive(Debug)]
pub struct Replaced;

impl std::fmt::Display for Replaced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the server made a new token, which replaced the previous one")
    }
}

impl std::error::Error for Replaced {}

impl<'o> Client<'o> {
    pub fn new(server: ServerUrl, options: &ClientOptions, out: &'o Output) -> Result<Self> {
        let origin = server.clone();
        // Follow redirects only within the server: the token and the password go nowhere else.
        let policy = redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 || !origin.same_origin(attempt.url()) {
                attempt.stop()
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("saymon/", env!("CARGO_PKG_VERSION")))
            // --timeout is the one deadline (see `within_deadline`): no shorter cap of its
            // own for connecting and the TLS handshake.
            .connect_timeout(options.timeout)
            .read_timeout(options.timeout)
            .redirect(policy);
        // A proxy has no business with this machine's own server: through one, a password
        // sent to http://127.0.0.1 would travel to the proxy.
        let proxy = if server.is_loopback() {
            builder = builder.no_proxy();
            None
        } else {
            proxy_for(&server)
        };
        let (config, verifier) = tls::config(options.tls)?;
        builder = builder.tls_backend_preconfigured(config);
        if options.tls.insecure {
            out.warn(&format!(
                "--insecure: the TLS certificate of {} is not verified; anyone on the path can read the password and token (a profile keeps this from `login --insecure` until a login without it)",
                server.host_port()
            ));
        }
        let http = builder.build().context("cannot set up the HTTP client")?;
        Ok(Client {
            http,
            server,
            tls: options.tls.clone(),
            verifier,
            proxy,
            timeout: options.timeout,
            retries: options.retries,
            deadline: std::cell::Cell::new(None),
            out,
            warned_plain_http: std::cell::Cell::new(false),
        })
    }

    pub fn server(&self) -> &ServerUrl {
        &self.server
    }

    /// The certificate the server presented in the last handshake, and who vouched for it.
    pub fn presented(&self) -> Option<Presented> {
        self.verifier.presented()
    }

    /// The proxy requests to this server go through, shown without credentials.
    pub fn proxy(&self) -> Option<&str> {
        self.proxy.as_deref()
    }

    /// Start the deadline anew with the next request: after waiting for a person (a
    /// password prompt), whose time is not the server's.
    pub fn restart_deadline(&self) {
        self.deadline.set(None);
    }

    /// The deadline of this client's network work, started by its first request.
    fn deadline(&self) -> Instant {
        match self.deadline.get() {
            Some(deadline) => deadline,
            None => {
                let deadline = Instant::now() + self.timeout;
                self.deadline.set(Some(deadline));
                deadline
            }
        }
    }

    /// `future` (some network work), unless the deadline passes first: connecting, TLS,
    /// sending, the headers and reading a body all count against one `--timeout`.
    pub async fn within_deadline<T>(
        &self,
        future: impl std::future::Future<Output = reqwest::Result<T>>,
    ) -> Result<T> {
        let deadline = self.deadline();
        match tokio::time::timeout_at(deadline.into(), future).await {
            Ok(result) => result.map_err(|e| self.transport_error(e)),
            Err(_) => Err(self.deadline_passed()),
        }
    }

    /// Whether an attempt that failed got as far as the server's certificate (`shown`
    /// counted before it): refused by our verifier, or not backed by its key, it is the
    /// same on every try.
    fn certificate_shown_since(&self, shown_before: usize) -> bool {
        self.verifier.shown() > shown_before
    }

    /// Whether this client's deadline (`--timeout`, started by its first request) has
    /// passed.
    pub fn out_of_time(&self) -> bool {
        self.deadline.get().is_some_and(|d| Instant::now() >= d)
    }

    /// The `--timeout` of this client.
    pub fn timeout(&self) -> std::time::Duration {
        self.timeout
    }

    fn deadline_passed(&self) -> anyhow::Error {
        let started = self.deadline() - self.timeout;
        // What was being waited for: before any certificate of an https server, the
        // connection and its handshake; after it, the answer.
        let waiting_for = if self.server.is_https() && self.presented().is_none() {
            "the connection and TLS handshake"
        } else {
            "the answer"
        };
        Error::new(
            Exit::Unreachable,
            format!(
                "{} did not answer in time: gave up after {:.1} s (--timeout {}), waiting for {waiting_for}",
                self.server.host_port(),
                started.elapsed().as_secs_f64(),
                self.timeout.as_secs()
            ),
        )
        .hint("check the server address and your network, or raise --timeout")
        .into()
    }

    /// `deadline_passed` for a request that changes something (POST, PUT, PATCH, DELETE):
    /// it may have been carried out, so the hint is to check, not to send it again.
    fn deadline_passed_sent(&self) -> anyhow::Error {
        let err = self.deadline_passed();
        let message = err.to_string();
        Error::new(Exit::Unreachable, message)
            .hint("the request may have been carried out all the same: check its result (GET it) before sending it again")
            .into()
    }

    /// POST users/{id}/auth-token with Basic auth: a new token, which replaces the old one.
    /// A failure after the request was sent carries `AnswerLost`: the token may exist.
    pub async fn create_token(&self, user_id: &str, auth: &Auth<'_>) -> Result<Secret> {
        let url = self.server.api_url(&["users", user_id, "auth-token"]);
        let request = Request {
            method: Method::POST,
            url,
            headers: Vec::new(),
            body: None,
        };
        // A request that may have been sent may have made the token.
        let response = match tokio::time::timeout_at(
            self.deadline().into(),
            self.execute_once(&request, auth),
        )
        .await
        {
            Ok(Ok(response)) => response,
            Ok(Err(e)) if e.is_connect() => return Err(self.request_error(e).await),
            Ok(Err(e)) => return Err(self.request_error(e).await.context(AnswerLost)),
            Err(_) => return Err(self.deadline_passed().context(AnswerLost)),
        };
        let response = self.check(response).await?;
        let body = self
            .read_capped(response)
            .await
            .map_err(|e| e.context(AnswerLost))?;
        parse_token(&body).map_err(|e| e.context(Replaced))
    }

    /// GET version/hash without credentials, once: whatever HTTP answer comes back, or why
    /// none did (for `doctor`, which tells a failed handshake from a failed request).
    pub async fn reach(&self) -> std::result::Result<Response, Unreached> {
        let request = Request {
            method: Method::GET,
            url: self.server.api_url(&["version", "hash"]),
            headers: Vec::new(),
            body: None,
        };
        let attempt = self.execute_once(&request, &Auth::Anonymous);
        match tokio::time::timeout_at(self.deadline().into(), attempt).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(e)) => {
                let (error, in_tls) = self.told(e).await;
                Err(Unreached { error, in_tls })
            }
            Err(_) => Err(Unreached {
                error: self.deadline_passed(),
                in_tls: false,
            }),
        }
    }

    /// The version hash out of `reach`'s answer: a non-2xx status is the typed error that
    /// says what came back, and so is a 2xx that is not a JSON string (a proxy's page).
    pub async fn version_hash(&self, response: Response) -> Result<String> {
        let response = self.check(response).await?;
        let body = self.read_capped(response).await?;
        match serde_json::from_slice::<String>(&body) {
            Ok(hash) => Ok(redact::server_text(&hash, 80)),
            Err(_) => Err(Error::new(
                Exit::Failure,
                format!(
                    "{} answered version/hash with {}, not the version hash SAYMON sends",
                    self.server.host_port(),
                    crate::answer::describe_body(&body)
                ),
            )
            .hint("is --server the SAYMON server itself, not a proxy or web page in front of it?")
            .into()),
        }
    }

    /// DELETE users/{id}/auth-token: the user's token stops working.
    pub async fn revoke_token(&self, user_id: &str, auth: &Auth<'_>) -> Result<()> {
        let url = self.server.api_url(&["users", user_id, "auth-token"]);
        self.send(Method::DELETE, url, auth).await?;
        Ok(())
    }

    /// GET users/current: the user as a JSON object with at least `id` and `login`.
    pub async fn current_user(&self, auth: &Auth<'_>) -> Result<Value> {
        let url = self.server.api_url(&["users", "current"]);
        let response = self.send(Method::GET, url, auth).await?;
        let body = self.read_capped(response).await?;
        parse_user(&body)
    }

    /// A body saymon parses, read whole up to `MAX_ANSWER`; past it, exit 1 "too large".
    async fn read_capped(&self, response: Response) -> Result<Vec<u8>> {
        self.read_up_to(response, MAX_ANSWER).await
    }

    /// One page of a list (`api --paginate`): a non-2xx answer is the typed error that says
    /// what came back; the body is read whole up to `max` bytes.
    pub async fn read_page(&self, response: Response, max: usize) -> Result<Vec<u8>> {
        let response = self.check(response).await?;
        self.read_up_to(response, max).await
    }

    async fn read_up_to(&self, mut response: Response, max: usize) -> Result<Vec<u8>> {
        let mut body = Vec::new();
        while let Some(chunk) = self.within_deadline(response.chunk()).await? {
            if body.len() + chunk.len() > max {
                return Err(Error::new(
                    Exit::Failure,
                    format!(
                        "the answer of {} is too large (over {} KiB) for what was asked",
                        self.server.host_port(),
                        max >> 10
                    ),
                )
                .hint(
                    "is --server the SAYMON server itself, not a proxy or web page in front of it?",
                )
                .into());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Send one request; GET is retried on connect errors and 502/503/504. A non-2xx
    /// answer is returned as a typed error carrying SAYMON's `{code, message}`.
    pub async fn send(&self, method: Method, url: Url, auth: &Auth<'_>) -> Result<Response> {
        let response = self
            .execute(
                &Request {
                    method,
                    url,
                    headers: Vec::new(),
                    body: None,
                },
                auth,
            )
            .await?;
        self.check(response).await
    }

    /// Send a request as given and return whatever the server answered (its headers: a
    /// body is read after, by the caller, still within the deadline unless it streams).
    /// Idempotent methods (GET, HEAD) are tried again (`--retries` times at most) on
    /// connection errors, 502/503/504 and 429, after a growing, jittered delay or the
    /// server's `Retry-After`, and only while the deadline leaves room for the wait.
    /// Nothing else is ever retried: a POST may have done its work.
    pub async fn execute(&self, request: &Request, auth: &Auth<'_>) -> Result<Response> {
        let idempotent = matches!(request.method, Method::GET | Method::HEAD);
        // A DELETE done twice ends where once does: its time-out needs no "check first".
        let repeatable = idempotent || request.method == Method::DELETE;
        let deadline = self.deadline();
        let mut attempt = 0;
        loop {
            let shown_before = self.verifier.shown();
            let result =
                match tokio::time::timeout_at(deadline.into(), self.execute_once(request, auth))
                    .await
                {
                    Ok(result) => result,
                    Err(_) if repeatable => return Err(self.deadline_passed()),
                    Err(_) => return Err(self.deadline_passed_sent()),
                };
            let why = match &result {
                Ok(r) if matches!(r.status().as_u16(), 429 | 502..=504) => {
                    Some(r.status().to_string())
                }
                // A refused certificate is the same on every try.
                Err(e) if e.is_connect() && !self.certificate_shown_since(shown_before) => {
                    Some("cannot connect".to_string())
                }
                _ => None,
            };
            let Some(why) = why.filter(|_| idempotent && attempt < self.retries) else {
                return match result {
                    Ok(response) => Ok(response),
                    Err(e) if !repeatable && e.is_timeout() => Err(self.deadline_passed_sent()),
                    Err(e) => Err(self.request_error(e).await),
                };
            };
            let asked = result.as_ref().ok().and_then(retry_after);
            let delay = asked.unwrap_or_else(|| backoff(attempt));
            if Instant::now() + delay >= deadline {
                self.out.verbose(&format!(
                    "not retrying ({why}): waiting {} ms would pass the deadline (--timeout {})",
                    delay.as_millis(),
                    self.timeout.as_secs()
                ));
                return match result {
                    Ok(response) => Ok(response),
                    Err(e) if !repeatable && e.is_timeout() => Err(self.deadline_passed_sent()),
                    Err(e) => Err(self.request_error(e).await),
                };
            }
            attempt += 1;
            self.out.verbose(&format!(
                "{why}: retry {attempt} of {} in {} ms{}",
                self.retries,
                delay.as_millis(),
                if asked.is_some() {
                    " (Retry-After)"
                } else {
                    ""
                }
            ));
            tokio::time::sleep(delay).await;
        }
    }

    async fn execute_once(&self, request: &Request, auth: &Auth<'_>) -> reqwest::Result<Response> {
        let mut url = request.url.clone();
        let how = match auth {
            Auth::Basic { login, .. } => {
                self.warn_plain_http("password");
                format!(" (Basic auth as {login})")
            }
            Auth::Token(token) => {
                self.warn_plain_http("token");
                url.query_pairs_mut()
                    .append_pair("api-token", token.expose());
                String::new()
            }
            Auth::Anonymous => " (no credentials)".to_string(),
        };
        let mut builder = self.http.request(request.method.clone(), url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        if let Auth::Basic { login, password } = auth {
            builder = builder.basic_auth(login, Some(password.expose()));
        }
        let built = builder.build()?;
        self.out.verbose(&format!(
            "> {} {}{how}",
            built.method(),
            redact::url(built.url())
        ));
        log_headers(self.out, '>', built.headers());
        let started = Instant::now();
        let response = self.http.execute(built).await;
        if let Ok(r) = &response {
            self.out.verbose(&format!(
                "< {:?} {} ({} ms)",
                r.version(),
                r.status(),
                started.elapsed().as_millis()
            ));
            log_headers(self.out, '<', r.headers());
        }
        response
    }

    /// Once per run and client: a secret is about to cross the network in clear.
    fn warn_plain_http(&self, what: &str) {
        if !self.server.is_https() && !self.server.is_loopback() && !self.warned_plain_http.get() {
            self.warned_plain_http.set(true);
            self.out.warn(&format!(
                "sending the {what} over plain http:// to {}; anyone on the path can read it",
                self.server.host_port()
            ));
        }
    }

    async fn check(&self, response: Response) -> Result<Response> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        if status.is_redirection() {
            let to = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| response.url().join(l).ok())
                .map(|u| u.origin().ascii_serialization())
                .unwrap_or_else(|| "an unknown place".into());
            return Err(Error::new(
                Exit::Failure,
                format!(
                    "{} redirected to {to}; not followed, so that credentials stay with {}",
                    status, self.server
                ),
            )
            .hint("use the address the server redirects to as --server, if you trust it")
            .into());
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        // Only the start of an error body is read: enough to say what it is.
        let mut response = response;
        let mut body = Vec::new();
        while body.len() < MAX_ANSWER {
            match self.within_deadline(response.chunk()).await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        body.truncate(MAX_ANSWER);
        Err(parse_error_body(status, &content_type, &body).into())
    }
}

/// The delay before retry `attempt` (0-based): 0.3 s, 1.2 s, 4.8 s, … each ±25 %, so
/// that clients failed together do not come back together.
fn backoff(attempt: u32) -> Duration {
    let base = RETRY_BASE.saturating_mul(4u32.saturating_pow(attempt.min(8)));
    // Jitter from the clock's nanoseconds: no need for a random number generator.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let factor = 0.75 + f64::from(nanos % 1000) / 2000.0;
    base.mul_f64(factor)
}

/// A `Retry-After` in seconds on a 429 or 503 (an HTTP date is not honoured: backoff).
fn retry_after(response: &Response) -> Option<Duration> {
    if !matches!(response.status().as_u16(), 429 | 503) {
        return None;
    }
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?;
    let seconds: u64 = value.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds))
}

/// A request as `api` builds it: the URL without `api-token` (added by `execute`).
pub struct Request {
    pub method: Method,
    pub url: Url,
    pub headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    pub body: Option<Vec<u8>>,
}

/// Headers in the `-v` log. The value of Authorization (and Cookie, Set-Cookie) is never
/// shown: it holds the password or a session.
fn log_headers(out: &Output, direction: char, headers: &reqwest::header::HeaderMap) {
    if !out.is_verbose() {
        return;
    }
    for (name, value) in headers {
        let shown = match name.as_str() {
            "authorization" | "proxy-authorization" | "cookie" | "set-cookie" => {
                "[hidden]".to_string()
            }
            _ => redact::token_params(&redact::server_text(
                &String::from_utf8_lossy(value.as_bytes()),
                200,
            )),
        };
        out.verbose(&format!("{direction} {name}: {shown}"));
    }
}

/// The proxy a request to `server` takes under reqwest's own rules (ALL_PROXY, HTTPS_PROXY,
/// HTTP_PROXY, NO_PROXY and their lowercase forms), as `scheme://host:port`: its user and
/// password are not shown.
fn proxy_for(server: &ServerUrl) -> Option<String> {
    let target: http::Uri = server.api_url(&[]).as_str().parse().ok()?;
    let intercept =
        hyper_util::client::proxy::matcher::Matcher::from_system().intercept(&target)?;
    let uri = intercept.uri();
    let host = uri.host()?;
    Some(match (uri.scheme_str(), uri.port_u16()) {
        (Some(scheme), Some(port)) => format!("{scheme}://{host}:{port}"),
        (Some(scheme), None) => format!("{scheme}://{host}"),
        (None, _) => host.to_string(),
    })
}
