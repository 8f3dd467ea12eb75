//! How a failed request is told: the one place a reqwest error becomes a typed error with
//! an exit code and a hint that names the real cause (a certificate's names or dates, the
//! proxy, a port that speaks another protocol), without the URL (it may hold `api-token`).

use std::time::Duration;

use super::Client;
use super::certificate::{self, Described};
use crate::error::{Error, Exit};

/// What a failure's innermost cause says, lowercased, sorted into what saymon can explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    /// TLS was asked for, and what came back was not TLS.
    NotTls,
    /// Plain HTTP was asked for, and what came back was not HTTP (or nothing, a reset).
    NotHttp,
    /// The server wants a client certificate (mutual TLS) and got none.
    ClientCertRequired,
    /// The server refused the client certificate it got.
    ClientCertRefused,
    /// The server's certificate was refused.
    Certificate,
    /// No TCP connection, no DNS answer.
    Unreachable,
    Other,
}

fn cause(chain: &str, https: bool) -> Cause {
    let has = |s: &str| chain.contains(s);
    if https && (has("invalidcontenttype") || has("corrupt message")) {
        Cause::NotTls
    } else if has("certificaterequired") {
        Cause::ClientCertRequired
    } else if has("received fatal alert")
        && (has("badcertificate")
            || has("unknownca")
            || has("certificateunknown")
            || has("accessdenied")
            || has("unsupportedcertificate")
            || has("certificaterevoked")
            || has("certificateexpired")
            || has("decrypterror"))
    {
        Cause::ClientCertRefused
    } else if has("invalid peer certificate") || has("certificate") || has("unknownissuer") {
        Cause::Certificate
    } else if !https
        && (has("invalid http")
            || has("parse")
            || has("unexpected message")
            || has("connection closed before message completed")
            || has("connection reset"))
    {
        Cause::NotHttp
    } else if has("dns") || has("resolve") || has("connection refused") || has("os error") {
        Cause::Unreachable
    } else {
        Cause::Other
    }
}

/// A failed request, read once: its innermost cause in words, and what kind of failure.
struct Failure {
    chain: String,
    cause: Cause,
    connect: bool,
    body: bool,
}

impl Cause {
    /// Whether the TLS handshake is what failed.
    fn in_tls(self) -> bool {
        matches!(
            self,
            Cause::NotTls
                | Cause::ClientCertRequired
                | Cause::ClientCertRefused
                | Cause::Certificate
        )
    }
}

impl Client<'_> {
    /// A failed request as a typed error, first asking the port what it speaks when the
    /// answer was not the protocol asked for (without credentials: only a bare GET).
    pub async fn request_error(&self, err: reqwest::Error) -> anyhow::Error {
        self.told(err).await.0
    }

    /// `request_error`, and whether the failure happened in the TLS handshake (a refused
    /// certificate, a server that wants a client certificate, a port that does not speak
    /// TLS), for `doctor`.
    pub(super) async fn told(&self, err: reqwest::Error) -> (anyhow::Error, bool) {
        if err.is_timeout() {
            return (self.deadline_passed(), false);
        }
        let failure = self.failure(err);
        let in_tls = self.server.is_https() && failure.cause.in_tls();
        let error = match failure.cause {
            Cause::NotTls if self.proxy.is_none() => self.not_tls(&failure.chain).await,
            Cause::NotHttp if self.proxy.is_none() => self.not_http(&failure.chain).await,
            _ => self.explain(&failure),
        };
        (error, in_tls)
    }

    /// A failed request or body read as a typed error, without asking the server more.
    pub fn transport_error(&self, err: reqwest::Error) -> anyhow::Error {
        if err.is_timeout() {
            return self.deadline_passed();
        }
        self.explain(&self.failure(err))
    }

    fn failure(&self, err: reqwest::Error) -> Failure {
        let (connect, body) = (err.is_connect(), err.is_decode() || err.is_body());
        let chain = error_chain(&err.without_url());
        let cause = cause(&chain.to_ascii_lowercase(), self.server.is_https());
        Failure {
            chain,
            cause,
            connect,
            body,
        }
    }

    fn explain(&self, failure: &Failure) -> anyhow::Error {
        let Failure {
            chain,
            cause,
            connect,
            body,
        } = failure;
        let (chain, cause, connect, body) = (chain.as_str(), *cause, *connect, *body);
        let host = self.server.host_port();
        let lower = chain.to_ascii_lowercase();

        if let Some(proxy) = &self.proxy
            && (connect || lower.contains("tunnel") || lower.contains("proxy"))
            && !matches!(
                cause,
                Cause::Certificate | Cause::ClientCertRequired | Cause::ClientCertRefused
            )
        {
            return Error::new(
                Exit::Unreachable,
                format!("cannot reach {host} through the proxy {proxy}: {chain}"),
            )
            .hint(format!(
                "the proxy comes from HTTPS_PROXY, HTTP_PROXY or ALL_PROXY: check it, or add {} to NO_PROXY to go direct",
                self.server.host()
            ))
            .into();
        }
        match cause {
            Cause::ClientCertRequired => {
                let (message, hint) = match &self.tls.client_cert {
                    None => (
                        format!("{host} asks for a client certificate (mutual TLS), and none was given"),
                        "pass --client-cert FILE.pem and --client-key FILE.key (or SAYMON_CLIENT_CERT and SAYMON_CLIENT_KEY); login remembers them".to_string(),
                    ),
                    Some(path) => (
                        format!("{host} did not accept the client certificate {}: {chain}", path.display()),
                        "ask the server's admin which CA it trusts for client certificates".to_string(),
                    ),
                };
                Error::new(Exit::Unreachable, message).hint(hint).into()
            }
            Cause::ClientCertRefused => {
                let given = match &self.tls.client_cert {
                    Some(path) => format!("did not accept the client certificate {}", path.display()),
                    None => "ended the handshake (no client certificate was given)".to_string(),
                };
                Error::new(Exit::Unreachable, format!("{host} {given}: {chain}"))
                    .hint("ask the server's admin which CA it trusts for client certificates, or check the certificate's dates")
                    .into()
            }
            Cause::Certificate => self.certificate_error(&lower, chain),
            Cause::Unreachable => {
                Error::new(Exit::Unreachable, format!("cannot reach {host}: {chain}"))
                    .hint("check the server address (--server) and that the server is up; `saymon doctor` checks each step")
                    .into()
            }
            _ if connect => Error::new(Exit::Unreachable, format!("cannot reach {host}: {chain}"))
                .hint("check the server address (--server) and that the server is up; `saymon doctor` checks each step")
                .into(),
            _ if body => Error::new(
                Exit::Failure,
                format!("reading the answer of {host} failed: {chain}"),
            )
            .hint("try again; if it keeps failing, `saymon -v` shows how far the answer got")
            .into(),
            _ => Error::new(
                Exit::Unreachable,
                format!("the request to {host} failed: {chain}"),
            )
            .hint("check the server address (--server); `saymon doctor` checks each step")
            .into(),
        }
    }

    /// https:// got something that is not TLS: plain HTTP (say so), or not even that.
    async fn not_tls(&self, chain: &str) -> anyhow::Error {
        let host = self.server.host_port();
        let plain = self.server.with_scheme("http");
        if self.speaks(&plain).await {
            return Error::new(
                Exit::Unreachable,
                format!("{host} speaks plain HTTP, not HTTPS ({chain})"),
            )
            .hint(format!(
                "write {plain} (the password and token then travel unencrypted), or use the server's HTTPS port"
            ))
            .into();
        }
        self.not_a_server(chain)
    }

    /// http:// got an answer that is not HTTP: a TLS port (say so), or something else.
    async fn not_http(&self, chain: &str) -> anyhow::Error {
        let host = self.server.host_port();
        let secure = self.server.with_scheme("https");
        if self.speaks(&secure).await {
            return Error::new(
                Exit::Unreachable,
                format!("{host} speaks HTTPS, not plain HTTP ({chain})"),
            )
            .hint(format!("write {secure}"))
            .into();
        }
        self.not_a_server(chain)
    }

    fn not_a_server(&self, chain: &str) -> anyhow::Error {
        Error::new(
            Exit::Failure,
            format!(
                "{} answered, but not with HTTP or TLS: it is not a web server ({chain})",
                self.server.host_port()
            ),
        )
        .hint("check the port in --server: SAYMON's web server listens on 443 (https) or 80/8080 (http)")
        .into()
    }

    /// Whether `server` answers a bare GET of /node/api/version/hash with any HTTP status,
    /// its certificate unchecked: only the protocol is asked, and nothing secret is sent.
    async fn speaks(&self, server: &crate::server::ServerUrl) -> bool {
        let left = self
            .deadline()
            .saturating_duration_since(std::time::Instant::now());
        let Ok(probe) = reqwest::Client::builder()
            .no_proxy()
            .tls_backend_preconfigured(super::tls::accept_any())
            .timeout(left.min(Duration::from_secs(5)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
        else {
            return false;
        };
        let url = server.api_url(&["version", "hash"]);
        probe.get(url).send().await.is_ok()
    }

    /// A refused server certificate, in our words: its names or dates, and the real fix.
    fn certificate_error(&self, why: &str, chain: &str) -> anyhow::Error {
        let host = self.server.host_port();
        let presented = self
            .verifier
            .presented()
            .and_then(|p| certificate::describe(p.certificate.as_ref()));
        let error = |message: String, hint: String| -> anyhow::Error {
            Error::new(Exit::Unreachable, message).hint(hint).into()
        };
        // The certificate is the pinned one, yet the handshake failed: the server could not
        // sign with the certificate's key, which a copy of the certificate does not give.
        if let (Some(path), Some(super::tls::VouchedBy::Pinned)) = (
            &self.tls.ca_cert,
            self.verifier.presented().and_then(|p| p.vouched_by),
        ) {
            return error(
                format!(
                    "{host} showed the pinned certificate of {}, but could not prove it holds its key: someone may be in the middle, or the certificate was copied to another server",
                    path.display()
                ),
                "send nothing to it: check the network path (a proxy, DNS, the address in --server); `saymon doctor` shows the certificate".to_string(),
            );
        }
        if why.contains("notvalidforname") || why.contains("not valid for name") {
            let names = presented
                .as_ref()
                .map(Described::names_listed)
                .unwrap_or_else(|| "other names".to_string());
            return error(
                format!(
                    "the TLS certificate of {host} is for {names}, not for {}",
                    self.server.host()
                ),
                "use a name the certificate holds in --server, or have the certificate remade for this one (--ca-cert cannot help)".to_string(),
            );
        }
        if why.contains("expired") || why.contains("notvalidyet") || why.contains("not valid yet") {
            let now = certificate::now();
            let message = match &presented {
                Some(c) if c.not_after < now => format!(
                    "the TLS certificate of {host} expired on {} ({} days ago)",
                    certificate::date(c.not_after),
                    -c.days_left(now)
                ),
                Some(c) => format!(
                    "the TLS certificate of {host} is valid only from {}",
                    certificate::date(c.not_before)
                ),
                None => format!("the TLS certificate of {host} is outside its dates: {chain}"),
            };
            return error(
                message,
                format!(
                    "renew the certificate on the server, or check this machine's clock (it says {}); --ca-cert cannot help",
                    certificate::date(certificate::now())
                ),
            );
        }
        // Signed with the key of a lab certificate that is pinned, not a CA: say so.
        if let (Some(path), Some(shown)) = (&self.tls.ca_cert, self.verifier.presented())
            && let Some(pin) = self.verifier.signed_by_a_pin(&shown.certificate)
        {
            return error(
                format!(
                    "the TLS certificate of {host} was signed with the key of {pin} in {}, which is not a CA certificate: a pinned certificate vouches only for itself, never for what its key signs",
                    path.display()
                ),
                format!(
                    "put the server's own certificate, or the CA that signed it, in {}",
                    path.display()
                ),
            );
        }
        let what = match &presented {
            Some(c) if c.self_signed => format!("self-signed, for {}", c.subject),
            Some(c) => format!("issued to {} by {}", c.subject, c.issuer),
            None => chain.to_string(),
        };
        let hint = match &self.tls.ca_cert {
            Some(path) => format!(
                "{} neither signed the server's certificate nor is it: get the right one, e.g. with `openssl s_client -showcerts -connect {host}`; `saymon doctor` shows what the server presents",
                path.display()
            ),
            None => "for a company or self-signed CA pass --ca-cert FILE.pem (the CA, or the server's own certificate); `saymon doctor` shows what the server presents; in a lab only, --insecure".to_string(),
        };
        error(
            format!(
                "the TLS certificate of {host} is not trusted ({what}): no CA this machine trusts signed it"
            ),
            hint,
        )
    }
}

/// The innermost cause of an error ("Connection refused (os error 111)", "invalid peer
/// certificate: UnknownIssuer"): the outer layers only say that a request failed.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut last = err;
    while let Some(source) = last.source() {
        last = source;
    }
    crate::redact::terminal(&last.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes() {
        let https = |s: &str| cause(&s.to_ascii_lowercase(), true);
        let http = |s: &str| cause(&s.to_ascii_lowercase(), false);
        assert_eq!(
            https("received corrupt message of type InvalidContentType"),
            Cause::NotTls
        );
        assert_eq!(
            https("received fatal alert: CertificateRequired"),
            Cause::ClientCertRequired
        );
        assert_eq!(
            https("received fatal alert: UnknownCA"),
            Cause::ClientCertRefused
        );
        assert_eq!(
            https("invalid peer certificate: UnknownIssuer"),
            Cause::Certificate
        );
        assert_eq!(http("invalid HTTP version parsed"), Cause::NotHttp);
        assert_eq!(
            http("received unexpected message from connection"),
            Cause::NotHttp
        );
        assert_eq!(
            http("connection closed before message completed"),
            Cause::NotHttp
        );
        assert_eq!(
            https("connection closed before message completed"),
            Cause::Other
        );
        assert_eq!(
            https("Connection refused (os error 111)"),
            Cause::Unreachable
        );
        assert_eq!(https("dns error: failed to lookup"), Cause::Unreachable);
    }
}
