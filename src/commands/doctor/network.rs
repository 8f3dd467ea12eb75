//! The network steps of `doctor` for one profile, in order, each needing the one before:
//! DNS, TCP, the TLS handshake and its certificate, then the token against the API.

use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::{Value, json};

use crate::client::certificate::{self, Described};
use crate::client::{Auth, Client, VouchedBy};
use crate::credentials::Session;
use crate::error::{self, Error, Exit, exit_code};
use crate::server::ServerUrl;

use super::Target;
use super::report::Check;

/// A certificate this close to its end is a warning.
pub(super) const EXPIRY_WARNING_DAYS: i64 = 14;

/// The network steps, in order; each needs the one before it.
pub(super) async fn network(session: &Session<'_>, mut target: Target) -> Target {
    let server = match &target.server {
        Ok(server) => server.clone(),
        Err(e) => {
            target.checks.push(Check::fail("server", e));
            return target;
        }
    };
    let client = match session.connect().client_with(&server, &target.tls) {
        Ok(client) => client,
        Err(e) => {
            target.checks.push(Check::fail("TLS setup", &e));
            return target;
        }
    };
    let timeout = Duration::from_secs(session.settings.timeout);
    // Through a proxy, the proxy is what this machine looks up and connects to.
    let (host, port, via) = match client.proxy().and_then(|p| url::Url::parse(p).ok()) {
        Some(proxy) => (
            proxy.host_str().unwrap_or_default().to_string(),
            proxy.port_or_known_default().unwrap_or(80),
            format!(" (the proxy for {})", server.host()),
        ),
        None => (server.host().to_string(), server.port(), String::new()),
    };
    let addresses = match dns(&host, port, timeout).await {
        Ok(addresses) => addresses,
        Err(e) => {
            target.checks.push(Check::fail("DNS", &e));
            return skip_rest(target, "DNS");
        }
    };
    let shown: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
    target.checks.push(Check::pass(
        "DNS",
        if host.parse::<std::net::IpAddr>().is_ok() {
            format!("{host}{via}: an address, nothing to look up")
        } else {
            format!("{host}{via} is {}", shown.join(", "))
        },
    ));
    match tcp(&addresses, timeout).await {
        Ok(detail) => target
            .checks
            .push(Check::pass("TCP", format!("{detail}{via}"))),
        Err(e) => {
            target.checks.push(Check::fail("TCP", &e));
            return skip_rest(target, "TCP");
        }
    }
    let reached = client.reach().await;
    let tls_failed =
        matches!(&reached, Err(u) if u.in_tls) || handshake_stalled(&client, &server, &reached);
    target.checks.push(tls_check(&client, &server, &reached));
    let response = match reached {
        Ok(response) => response,
        Err(unreached) => {
            if !tls_failed {
                target.checks.push(Check::fail("server", &unreached.error));
            }
            return skip_rest(target, if tls_failed { "TLS" } else { "server" });
        }
    };
    match client.version_hash(response).await {
        Ok(hash) => target.checks.push(Check::pass(
            "server",
            format!("SAYMON answered GET /node/api/version/hash: {hash}"),
        )),
        Err(e) => {
            target.checks.push(Check::fail("server", &e));
            return skip_rest(target, "server");
        }
    }
    token_checks(&client, &mut target).await;
    target
}

/// The steps after a failed one, marked as not tried.
pub(super) fn skip_rest(mut target: Target, failed: &str) -> Target {
    let after = ["DNS", "TCP", "TLS", "server", "token"];
    let start = after
        .iter()
        .position(|s| *s == failed)
        .map_or(after.len(), |i| i + 1);
    for name in &after[start..] {
        if *name == "token" && target.given_failed {
            continue; // its ✘ is above
        }
        target
            .checks
            .push(Check::skip(name, format!("not tried: {failed} failed")));
    }
    target
}

pub(super) async fn dns(
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<Vec<std::net::SocketAddr>> {
    let lookup = tokio::net::lookup_host((host, port));
    let failed = |why: String| -> anyhow::Error {
        Error::new(Exit::Unreachable, format!("cannot look up {host}: {why}"))
            .hint("check the host name in --server (or the proxy's) and this machine's DNS (/etc/resolv.conf)")
            .into()
    };
    match tokio::time::timeout(timeout, lookup).await {
        Ok(Ok(addresses)) => {
            let addresses: Vec<_> = addresses.collect();
            if addresses.is_empty() {
                Err(failed("no addresses".into()))
            } else {
                Ok(addresses)
            }
        }
        Ok(Err(e)) => Err(failed(e.to_string())),
        Err(_) => Err(failed(format!("no answer in {} s", timeout.as_secs()))),
    }
}

pub(super) async fn tcp(addresses: &[std::net::SocketAddr], timeout: Duration) -> Result<String> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut last = String::new();
    for address in addresses {
        let started = Instant::now();
        match tokio::time::timeout_at(deadline, tokio::net::TcpStream::connect(address)).await {
            Ok(Ok(_)) => {
                return Ok(format!(
                    "connected to {address} in {} ms",
                    started.elapsed().as_millis()
                ));
            }
            Ok(Err(e)) => last = format!("{address}: {e}"),
            Err(_) => last = format!("{address}: no answer in {} s", timeout.as_secs()),
        }
    }
    Err(Error::new(Exit::Unreachable, format!("cannot connect to {last}"))
        .hint("is the server up, is the port in --server right, and does a firewall let this machine through?")
        .into())
}

/// The deadline passed before the server showed a certificate, after TCP connected (the
/// TCP step came before): the TLS handshake stalled, not the server's answer.
pub(super) fn handshake_stalled(
    client: &Client<'_>,
    server: &ServerUrl,
    reached: &std::result::Result<reqwest::Response, crate::client::Unreached>,
) -> bool {
    server.is_https()
        && client.presented().is_none()
        && client.out_of_time()
        && matches!(reached, Err(u) if !u.in_tls)
}

pub(super) fn tls_check(
    client: &Client<'_>,
    server: &ServerUrl,
    reached: &std::result::Result<reqwest::Response, crate::client::Unreached>,
) -> Check {
    if !server.is_https() {
        return if server.is_loopback() {
            Check::pass(
                "TLS",
                "none: plain http:// on this machine, nothing leaves it",
            )
        } else {
            Check::warn(
                "TLS",
                "none: plain http://, so the password and token cross the network unencrypted",
                "use https:// if the server offers it",
            )
        };
    }
    if handshake_stalled(client, server, reached) {
        return Check::fail(
            "TLS",
            &Error::new(
                Exit::Unreachable,
                format!(
                    "the TLS handshake did not finish within --timeout ({} s): the port took the connection but sent no certificate",
                    client.timeout().as_secs()
                ),
            )
            .hint("is this port a TLS server? a proxy or firewall may hold the connection; check --server's port")
            .into(),
        );
    }
    if let Err(unreached) = reached
        && unreached.in_tls
    {
        let mut check = Check::fail("TLS", &unreached.error);
        if let Some(presented) = client.presented()
            && let Some(described) = certificate::describe(presented.certificate.as_ref())
        {
            // The fingerprint to compare with the admin's, for `login --pin`.
            check.detail = format!("{}; its SHA-256: {}", check.detail, described.fingerprint);
            check = check.with_data(certificate_data(&described, presented.vouched_by));
        }
        return check;
    }
    let Some(presented) = client.presented() else {
        return Check::skip("TLS", "no handshake was made");
    };
    let Some(described) = certificate::describe(presented.certificate.as_ref()) else {
        return Check::pass("TLS", "handshake made (the certificate could not be read)");
    };
    let now = certificate::now();
    let days = described.days_left(now);
    let tls = client.tls();
    let verified = match (presented.vouched_by, &tls.pin_source, &tls.ca_cert) {
        (Some(VouchedBy::Pin), crate::client::PinSource::Environment, _) => {
            "pinned by SAYMON_PIN (the only certificate trusted)".to_string()
        }
        (Some(VouchedBy::Pin), _, Some(file)) => format!(
            "pinned at login (the only certificate trusted; kept in {})",
            file.display()
        ),
        (vouched_by, ..) => vouched_by.map_or("?", VouchedBy::describe).to_string(),
    };
    let detail = format!("{}; verified: {verified}", summary(&described, now));
    let data = certificate_data(&described, presented.vouched_by);
    let check = if days < EXPIRY_WARNING_DAYS && presented.vouched_by != Some(VouchedBy::Nobody) {
        Check::warn(
            "TLS",
            detail,
            format!(
                "renew the server's certificate before {}",
                certificate::date(described.not_after)
            ),
        )
    } else if presented.vouched_by == Some(VouchedBy::Nobody) {
        Check::warn(
            "TLS",
            detail,
            "pass --ca-cert FILE.pem (the CA, or this certificate) and log in without --insecure",
        )
    } else {
        Check::pass("TLS", detail)
    };
    check.with_data(data)
}

/// "for a and b, issued by X, until DATE (in N days)".
pub(super) fn summary(c: &Described, now: i64) -> String {
    let issued = if c.self_signed {
        "self-signed".to_string()
    } else {
        format!("issued by {}", c.issuer)
    };
    format!(
        "{} for {}, {issued}, valid until {} ({} days left), SHA-256 {}",
        c.subject,
        c.names_listed(),
        certificate::date(c.not_after),
        c.days_left(now),
        c.fingerprint
    )
}

pub(super) fn certificate_data(c: &Described, vouched_by: Option<VouchedBy>) -> Value {
    json!({
        "subject": c.subject,
        "issuer": c.issuer,
        "names": c.names,
        "not_before": certificate::date(c.not_before),
        "not_after": certificate::date(c.not_after),
        "days_left": c.days_left(certificate::now()),
        "sha256": c.fingerprint,
        "verified_by": vouched_by.map(|v| match v {
            VouchedBy::Pinned => "pinned",
            VouchedBy::Pin => "pin",
            VouchedBy::CaFile => "ca-cert",
            VouchedBy::System => "system",
            VouchedBy::Nobody => "none",
        }),
    })
}

/// The token accepted; and when it is refused while the password works, that token
/// authentication may be off on the server.
pub(super) async fn token_checks(client: &Client<'_>, target: &mut Target) {
    let Some((token, source)) = &target.token else {
        if target.given_failed {
            // Its ✘ is above.
            return;
        }
        match target.no_token.take() {
            // A store that failed has its own ✘ above.
            Some(e) if exit_code(&e) == Exit::StoreUnusable => target
                .checks
                .push(Check::skip("token", "not tried: the store failed")),
            Some(e) => target.checks.push(Check::fail("token", &e)),
            None => target.checks.push(Check::skip(
                "token",
                "none at hand (none in the environment, no profile read)",
            )),
        }
        return;
    };
    let refused = match client.current_user(&Auth::Token(token)).await {
        Ok(user) => {
            target.checks.push(Check::pass(
                "token",
                format!(
                    "accepted: the token of {source} belongs to {}",
                    crate::redact::server_text(user["login"].as_str().unwrap_or("?"), 80)
                ),
            ));
            return;
        }
        Err(e) => {
            let refused = exit_code(&e) == Exit::Rejected;
            let e = match (refused, source) {
                (true, _) if source.is_given() => {
                    error::on_rejection(e, crate::credentials::given_token_refused(source))
                }
                (true, _) => error::on_rejection(
                    e,
                    format!(
                        "the token was replaced by a newer one or revoked (the token of {source}): run `saymon token refresh` or `saymon login`"
                    ),
                ),
                _ => e,
            };
            // Which token, as whoami and status say it.
            let e = if refused {
                e.context(format!("the token of {source} was refused"))
            } else {
                e
            };
            target.checks.push(Check::fail("token", &e));
            refused
        }
    };
    let (Some(login), Some(password)) = (&target.login, &target.password) else {
        return;
    };
    // A refused SAYMON_TOKEN (or token file) says nothing of the server's token
    // authentication: it may never have been a token of this server.
    if !refused || source.is_given() {
        return;
    }
    let basic = Auth::Basic { login, password };
    if client.current_user(&basic).await.is_ok() {
        target.checks.push(Check::fail(
            "token auth",
            &Error::new(
                Exit::Rejected,
                format!("the password of {login} works, but the token is refused: token authentication may be switched off on the server"),
            )
            .hint("run `saymon token refresh`; if the new token is refused too, ask the server's admin to turn token authentication on")
            .into(),
        ));
    }
}
