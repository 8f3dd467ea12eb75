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
            .hint(self.certificate_hint(&lower))
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

impl Client<'_> {
    /// The fix for a certificate refused for this reason (rustls's words, lowercased):
    /// only a certificate nobody vouches for is mended by --ca-cert.
    fn certificate_hint(&self, why: &str) -> String {
        let host = self.server.host_port();
        if why.contains("notvalidforname") || why.contains("not valid for name") {
            return format!(
                "the certificate is for other names than {}: use a name it holds in --server, or have the certificate remade for this one (--ca-cert cannot help)",
                self.server.host()
            );
        }
        if why.contains("expired") || why.contains("notvalidyet") {
            return "the certificate is outside its dates: renew it on the server, or check this machine's clock (--ca-cert cannot help)".to_string();
        }
        match &self.ca_cert {
            Some(path) => format!(
                "{} neither signed the server's certificate nor is it: get the right one, e.g. with `openssl s_client -showcerts -connect {host}`; in a lab only, --insecure",
                path.display()
            ),
            None => "for a company or self-signed CA pass --ca-cert FILE.pem (the CA, or the server's own certificate); in a lab only, --insecure".to_string(),
        }
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
