//! Sending a request and reading its answer: retries of idempotent requests, the `-v`
//! log without secrets, and a non-2xx or redirect answer as the typed error that says
//! what came back.

use std::time::{Duration, Instant};

use anyhow::Result;
use reqwest::{Method, Response, Url};

use super::{Auth, Client, MAX_REDIRECTS};
use crate::error::{Error, Exit};
use crate::output::Output;
use crate::redact;
use crate::response::{MAX_ANSWER, parse_error_body};

impl Client<'_> {
    /// A body saymon parses, read whole up to `MAX_ANSWER`; past it, exit 1 "too large".
    pub(super) async fn read_capped(&self, response: Response) -> Result<Vec<u8>> {
        self.read_up_to(response, MAX_ANSWER).await
    }

    /// One page of a list (`api --paginate`): a non-2xx answer is the typed error that says
    /// what came back; the body is read whole up to `max` bytes.
    pub(crate) async fn read_page(&self, response: Response, max: usize) -> Result<Vec<u8>> {
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
    pub(crate) async fn send(&self, method: Method, url: Url, auth: &Auth<'_>) -> Result<Response> {
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
    pub(crate) async fn execute(&self, request: &Request, auth: &Auth<'_>) -> Result<Response> {
        let idempotent = matches!(request.method, Method::GET | Method::HEAD);
        // A DELETE done twice ends where once does: its time-out needs no "check first".
        let repeatable = idempotent || request.method == Method::DELETE;
        let deadline = self.deadline();
        let mut attempt = 0;
        loop {
            let shown_before = self.verifier.shown();
            let result = match self.before_deadline(self.execute_once(request, auth)).await {
                Some(result) => result,
                None if repeatable => return Err(self.deadline_passed()),
                None => return Err(self.deadline_passed_sent()),
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
                return self.last_try(result, repeatable).await;
            };
            let asked = result.as_ref().ok().and_then(retry_after);
            let delay = asked.unwrap_or_else(|| backoff(attempt));
            if Instant::now() + delay >= deadline {
                self.out.verbose(&format!(
                    "not retrying ({why}): waiting {} ms would pass the deadline (--timeout {})",
                    delay.as_millis(),
                    self.timeout.as_secs()
                ));
                return self.last_try(result, repeatable).await;
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

    /// Send a request as `saymon proxy` forwards it: `url` on this server with the token in
    /// it already, `headers` as the proxy keeps them, `body` streamed. Never retried (the
    /// proxy retries only what it can resend, itself), and under no deadline of the run:
    /// connecting and each read of the answer get `--timeout`, so that a long download
    /// streams on. Errors: reqwest's (the proxy tells them with `request_error`).
    pub(crate) async fn forward(
        &self,
        method: Method,
        url: Url,
        headers: reqwest::header::HeaderMap,
        body: reqwest::Body,
    ) -> reqwest::Result<Response> {
        self.warn_plain_http("token");
        self.http
            .request(method, url)
            .headers(headers)
            .body(body)
            .send()
            .await
    }

    /// The outcome of the last try of a request: its answer, or its error told (a request
    /// that is not `repeatable` and timed out may have been carried out: say so).
    async fn last_try(
        &self,
        result: reqwest::Result<Response>,
        repeatable: bool,
    ) -> Result<Response> {
        match result {
            Ok(response) => Ok(response),
            Err(e) if !repeatable && e.is_timeout() => Err(self.deadline_passed_sent()),
            Err(e) => Err(self.request_error(e).await),
        }
    }

    pub(super) async fn execute_once(
        &self,
        request: &Request,
        auth: &Auth<'_>,
    ) -> reqwest::Result<Response> {
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
    pub(super) fn warn_plain_http(&self, what: &str) {
        if !self.server.is_https() && !self.server.is_loopback() && !self.warned_plain_http.get() {
            self.warned_plain_http.set(true);
            self.out.warn(&format!(
                "sending the {what} over plain http:// to {}; anyone on the path can read it",
                self.server.host_port()
            ));
        }
    }

    pub(super) async fn check(&self, response: Response) -> Result<Response> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        if status.is_redirection() {
            return Err(self.unfollowed_redirect(&response));
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

    /// A redirect that came back instead of being followed, as the exit-1 error that says
    /// where it led and why it was not followed: to another origin, the credentials would
    /// go along; within the server, after five in a row it is a loop.
    pub(crate) fn unfollowed_redirect(&self, response: &Response) -> anyhow::Error {
        let to = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| response.url().join(l).ok());
        let (message, hint) = match to {
            Some(to) if self.server.same_origin(&to) => (
                format!(
                    "{} redirected to {} once more, after {MAX_REDIRECTS} redirects within the server: not followed (a loop?)",
                    response.status(),
                    redact::url(&to)
                ),
                "check the path, and the server's redirects with `saymon -v`",
            ),
            to => (
                format!(
                    "{} redirected to {}; not followed, so that credentials stay with {}",
                    response.status(),
                    to.map(|u| u.origin().ascii_serialization())
                        .unwrap_or_else(|| "an unknown place".into()),
                    self.server
                ),
                "use the address the server redirects to as --server, if you trust it",
            ),
        };
        Error::new(Exit::Failure, message).hint(hint).into()
    }

    /// Whether an attempt that failed got as far as the server's certificate (`shown`
    /// counted before it): refused by our verifier, or not backed by its key, it is the
    /// same on every try.
    fn certificate_shown_since(&self, shown_before: usize) -> bool {
        self.verifier.shown() > shown_before
    }
}

/// The first retry's delay; each next one is four times longer, with ±25 % jitter.
const RETRY_BASE: Duration = Duration::from_millis(300);

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
pub(crate) struct Request {
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
