//! The one HTTP client: its TLS options and proxy, and the SAYMON endpoints saymon itself
//! calls. `deadline` times requests and reads, `send` sends with retries and turns a non-2xx
//! answer into a typed error (its body parsed by `response`), `failure` tells a failed
//! request by its errors' types, `tls` decides whom to trust.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use reqwest::{Method, Response, redirect};
use serde_json::Value;

use crate::error::{Error, Exit};
use crate::output::Output;
use crate::redact;
use crate::response::{parse_token, parse_user};
use crate::secret::Secret;
use crate::server::ServerUrl;

pub(crate) mod certificate;
mod deadline;
mod failure;
mod send;
mod tls;

/// How many redirects within the server are followed in a row.
const MAX_REDIRECTS: usize = 5;

/// How a request authenticates.
pub(crate) enum Auth<'a> {
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
pub(crate) struct Unreached {
    pub error: anyhow::Error,
    pub in_tls: bool,
}

pub(crate) use send::Request;
pub(crate) use tls::{PinSource, Presented, Tls, VouchedBy, pinnable};

/// TLS and timeout settings, from the global options and the profile.
pub(crate) struct ClientOptions<'a> {
    pub tls: &'a Tls,
    pub timeout: Duration,
    /// How often an idempotent request is tried again (`--retries`).
    pub retries: u32,
    /// Whether redirects within the server are followed (every command), or handed back
    /// as they are (`saymon proxy`: its client decides, and sees where they lead).
    pub follow_redirects: bool,
}

pub(crate) struct Client<'o> {
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

/// Why a token request failed before anything was sent.
const NOT_SENT: &str =
    "the TLS handshake never finished, so nothing was sent: the token is unchanged";

/// Marks a failure after a request that changes something was sent: its answer was lost
/// (a timeout, a dropped connection, a body cut short), so the change may have happened.
#[derive(Debug)]
pub(crate) struct AnswerLost;

impl std::fmt::Display for AnswerLost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request was sent, but its answer was lost")
    }
}

impl std::error::Error for AnswerLost {}

/// Marks a token that the server made (a 2xx answer to the POST, so the previous token is
/// dead) but that saymon cannot use (not a token, over 512 characters, …).
#[derive(Debug)]
pub(crate) struct Replaced;

impl std::fmt::Display for Replaced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the server made a new token, which replaced the previous one")
    }
}

impl std::error::Error for Replaced {}

impl<'o> Client<'o> {
    pub(crate) fn new(server: ServerUrl, options: &ClientOptions, out: &'o Output) -> Result<Self> {
        let origin = server.clone();
        // Follow redirects only within the server: the token and the password go nowhere else.
        let policy = match options.follow_redirects {
            true => redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= MAX_REDIRECTS || !origin.same_origin(attempt.url()) {
                    attempt.stop()
                } else {
                    attempt.follow()
                }
            }),
            false => redirect::Policy::none(),
        };
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("saymon/", env!("CARGO_PKG_VERSION")))
            // --timeout is the one deadline (see `within_deadline`): no shorter cap of its
            // own for connecting and the TLS handshake.
            .connect_timeout(options.timeout)
            .read_timeout(options.timeout)
            .redirect(policy)
            // A followed redirect would carry the URL it came from, api-token and all, as
            // Referer into the server's logs.
            .referer(false);
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

    pub(crate) fn server(&self) -> &ServerUrl {
        &self.server
    }

    /// The certificate the server presented in the last handshake, and who vouched for it.
    /// The TLS settings this client was made with.
    pub(crate) fn tls(&self) -> &Tls {
        &self.tls
    }

    pub(crate) fn presented(&self) -> Option<Presented> {
        self.verifier.presented()
    }

    /// The proxy requests to this server go through, shown without credentials.
    pub(crate) fn proxy(&self) -> Option<&str> {
        self.proxy.as_deref()
    }

    /// Whether this client's server is https and no TLS handshake of it ever got as far as
    /// the server's certificate: then no request was sent.
    fn never_shook_hands(&self) -> bool {
        self.server.is_https() && self.presented().is_none()
    }

    /// POST users/{id}/auth-token with Basic auth: a new token, which replaces the old one.
    /// A failure after the request was sent carries `AnswerLost`: the token may exist.
    pub(crate) async fn create_token(&self, user_id: &str, auth: &Auth<'_>) -> Result<Secret> {
        let url = self.server.api_url(&["users", user_id, "auth-token"]);
        let request = Request {
            method: Method::POST,
            url,
            headers: Vec::new(),
            body: None,
        };
        // A request that may have been sent may have made the token.
        let response = match self
            .before_deadline(self.execute_once(&request, auth))
            .await
        {
            Some(Ok(response)) => response,
            Some(Err(e)) if e.is_connect() => return Err(self.request_error(e).await),
            // No https server of this client ever showed a certificate: no connection got
            // that far, so nothing was sent and the token is as it was.
            Some(Err(e)) if self.never_shook_hands() => {
                return Err(self.request_error(e).await.context(NOT_SENT));
            }
            None if self.never_shook_hands() => {
                return Err(self.deadline_passed().context(NOT_SENT));
            }
            Some(Err(e)) => return Err(self.request_error(e).await.context(AnswerLost)),
            None => return Err(self.deadline_passed().context(AnswerLost)),
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
    pub(crate) async fn reach(&self) -> std::result::Result<Response, Unreached> {
        let request = Request {
            method: Method::GET,
            url: self.server.api_url(&["version", "hash"]),
            headers: Vec::new(),
            body: None,
        };
        let attempt = self.execute_once(&request, &Auth::Anonymous);
        match self.before_deadline(attempt).await {
            Some(Ok(response)) => Ok(response),
            Some(Err(e)) => {
                let (error, in_tls) = self.told(e).await;
                Err(Unreached { error, in_tls })
            }
            None => Err(Unreached {
                error: self.deadline_passed(),
                in_tls: false,
            }),
        }
    }

    /// The version hash out of `reach`'s answer: a non-2xx status is the typed error that
    /// says what came back, and so is a 2xx that is not a JSON string (a proxy's page).
    pub(crate) async fn version_hash(&self, response: Response) -> Result<String> {
        let response = self.check(response).await?;
        let body = self.read_capped(response).await?;
        match serde_json::from_slice::<String>(&body) {
            Ok(hash) => Ok(redact::server_text(&hash, 80)),
            Err(_) => Err(Error::new(
                Exit::Failure,
                format!(
                    "{} answered version/hash with {}, not the version hash SAYMON sends",
                    self.server.host_port(),
                    crate::response::describe_body(&body)
                ),
            )
            .hint("is --server the SAYMON server itself, not a proxy or web page in front of it?")
            .into()),
        }
    }

    /// DELETE users/{id}/auth-token: the user's token stops working.
    pub(crate) async fn revoke_token(&self, user_id: &str, auth: &Auth<'_>) -> Result<()> {
        let url = self.server.api_url(&["users", user_id, "auth-token"]);
        self.send(Method::DELETE, url, auth).await?;
        Ok(())
    }

    /// GET users/current: the user as a JSON object with at least `id` and `login`.
    pub(crate) async fn current_user(&self, auth: &Auth<'_>) -> Result<Value> {
        let url = self.server.api_url(&["users", "current"]);
        let response = self.send(Method::GET, url, auth).await?;
        let body = self.read_capped(response).await?;
        parse_user(&body)
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
