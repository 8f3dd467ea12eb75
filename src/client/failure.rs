//! How a failed request is told: the one place a reqwest error becomes a typed error
//! with an exit code and a hint, without the URL (it may hold `api-token`).

use super::Client;
use crate::error::{Error, Exit};

impl Client<'_> {
    /// A failed request as a typed error, without the URL (it may hold `api-token`).
    pub fn transport_error(&self, err: reqwest::Error) -> anyhow::Error {
        let host = self.server.host_port();
        let (timeout, connect, body) = (
            err.is_timeout(),
            err.is_connect(),
            err.is_decode() || err.is_body(),
        );
        let detail = error_chain(&err.without_url());
        if timeout {
            return self.deadline_passed();
        }
        let lower = detail.to_ascii_lowercase();
        if lower.contains("certificate") || lower.contains("unknownissuer") {
            return Error::new(
                Exit::Unreachable,
                format!("the TLS certificate of {host} is not trusted: {detail}"),
            )
            .hint("for a company or self-signed CA pass --ca-cert FILE.pem; in a lab only, --insecure")
            .into();
        }
        if connect || lower.contains("dns") || lower.contains("resolve") {
            return Error::new(Exit::Unreachable, format!("cannot reach {host}: {detail}"))
                .hint("check the server address (--server) and that the server is up")
                .into();
        }
        if body {
            return Error::new(
                Exit::Failure,
                format!("reading the answer of {host} failed: {detail}"),
            )
            .into();
        }
        Error::new(
            Exit::Unreachable,
            format!("the request to {host} failed: {detail}"),
        )
        .into()
    }
}

/// The innermost cause of an error ("Connection refused (os error 111)", "invalid peer
/// certificate: UnknownIssuer"): the outer layers only say that a request failed.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut last = err;
    while let Some(source) = last.source() {
        last = source;
    }
    last.to_string()
}
