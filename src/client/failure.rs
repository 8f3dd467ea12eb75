//! How a failed request is told: the one place a reqwest error becomes a typed error with
//! an exit code and a hint that names the real cause (a certificate's names or dates, the
//! proxy, a port that speaks another protocol), without the URL (it may hold `api-token`).

use std::time::Duration;

use rustls::CertificateError;

use super::Client;
use super::certificate::{self, Described};
use crate::error::{Error, Exit};

mod cause;
use cause::{Cause, cause, chain};

/// A failed request, read once: its innermost cause in words, and what kind of failure.
struct Failure {
    chain: String,
    cause: Cause,
    connect: bool,
    body: bool,
}

impl Client<'_> {
    /// A failed request as a typed error, first asking the port what it speaks when the
    /// answer was not the protocol asked for (without credentials: only a bare GET).
    pub(crate) async fn request_error(&self, err: reqwest::Error) -> anyhow::Error {
        self.told(err).await.0
    }

    /// A failed request that `forward` sent (for `saymon proxy`), as a typed error: under
    /// no deadline of the run, a timeout is one wait of `--timeout` that ran out.
    pub(crate) async fn forward_error(&self, err: reqwest::Error) -> anyhow::Error {
        if err.is_timeout() {
            return self.wait_ran_out(self.timeout);
        }
        self.request_error(err).await
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
        let error = match &failure.cause {
            Cause::NotTls if self.proxy.is_none() => self.not_tls(&failure.chain).await,
            Cause::NotHttp if self.proxy.is_none() => self.not_http(&failure.chain).await,
            _ => self.explain(&failure),
        };
        (error, in_tls)
    }

    /// A failed request or body read as a typed error, without asking the server more.
    pub(crate) fn transport_error(&self, err: reqwest::Error) -> anyhow::Error {
        if err.is_timeout() {
            return self.deadline_passed();
        }
        self.explain(&self.failure(err))
    }

    fn failure(&self, err: reqwest::Error) -> Failure {
        let (connect, body) = (err.is_connect(), err.is_decode() || err.is_body());
        let err = err.without_url();
        let cause = cause(&chain(&err), self.server.is_https());
        let chain = error_chain(&err);
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
        let (chain, connect, body) = (chain.as_str(), *connect, *body);
        let host = self.server.host_port();

        // A proxy's own failures (down, refusing the tunnel) come from reqwest's connector.
        if let Some(proxy) = &self.proxy
            && connect
            && !matches!(
                cause,
                Cause::Certificate(_) | Cause::ClientCertRequired | Cause::ClientCertRefused
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
            Cause::Certificate(why) => self.certificate_error(why.as_ref(), chain),
            Cause::Unreachable => {
                Error::new(Exit::Unreachable, format!("cannot reach {host}: {chain}"))
                    .hint("check the server address (--server) and that the server is up; `saymon doctor` checks each step")
                    .into()
            }
            Cause::HeadTooLarge => Error::new(
                Exit::Failure,
                format!("{host} answered, but with a head (status line and headers) too large to read: {chain}"),
            )
            .hint("the server, or a proxy in front of it, sends too many or too long headers: check that --server is the SAYMON server itself, and tell its admin")
            .into(),
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
    fn certificate_error(&self, why: Option<&CertificateError>, chain: &str) -> anyhow::Error {
        let presented = self
            .verifier
            .presented()
            .and_then(|p| certificate::describe(p.certificate.as_ref()));
        let (message, hint) = self
            .pinned_without_its_key()
            .or_else(|| self.pin_changed(presented.as_ref()))
            .or_else(|| self.wrong_name(why, presented.as_ref()))
            .or_else(|| self.outside_its_dates(why, presented.as_ref(), chain))
            .or_else(|| self.signed_by_a_pin())
            .unwrap_or_else(|| self.untrusted(presented.as_ref(), chain));
        Error::new(Exit::Unreachable, message).hint(hint).into()
    }

    /// The certificate is the pinned one, yet the handshake failed: the server could not
    /// sign with the certificate's key, which a copy of the certificate does not give.
    fn pinned_without_its_key(&self) -> Option<(String, String)> {
        let vouched_by = self.verifier.presented().and_then(|p| p.vouched_by);
        let which = match (vouched_by, &self.tls.ca_cert, &self.tls.pin) {
            (Some(super::tls::VouchedBy::Pin), _, Some(pin)) => format!("(SHA-256 {pin})"),
            (Some(super::tls::VouchedBy::Pinned), Some(path), _) => {
                format!("of {}", path.display())
            }
            _ => return None,
        };
        Some((
            format!(
                "{} showed the pinned certificate {which}, but could not prove it holds its key: someone may be in the middle, or the certificate was copied to another server",
                self.server.host_port(),
            ),
            "send nothing to it: check the network path (a proxy, DNS, the address in --server); `saymon doctor` shows the certificate".to_string(),
        ))
    }

    /// The server shows another certificate than the one saymon pinned for it (trusted
    /// on first use, or with `login --pin`): both fingerprints, and how to trust the new
    /// one once it is known to be the server's.
    fn pin_changed(&self, presented: Option<&Described>) -> Option<(String, String)> {
        let pin = self.tls.pin.as_ref()?;
        let shown = presented.filter(|c| c.fingerprint != *pin)?;
        let new = shown.fingerprint.replace(':', "");
        let host = self.server.host_port();
        let what = format!(
            "SHA-256 {} ({}, issued by {})",
            shown.fingerprint, shown.subject, shown.issuer
        );
        Some(match &self.tls.pin_source {
            super::PinSource::Environment => (
                format!(
                    "the TLS certificate of {host} is not the one SAYMON_PIN trusts: SAYMON_PIN has SHA-256 {pin}, the server shows {what}; nothing was sent"
                ),
                format!(
                    "check SAYMON_PIN (the CI variable or secret) against the server's certificate; once its admin confirms the new one, set SAYMON_PIN=sha256:{new}"
                ),
            ),
            super::PinSource::Login { flag } => (
                format!(
                    "the TLS certificate of {host} changed: saymon pinned SHA-256 {pin}, the server now shows {what}; nothing was sent"
                ),
                format!(
                    "someone may be in the middle; if the server's admin confirms the new fingerprint, trust it on purpose: `saymon{flag} login --pin sha256:{new}`"
                ),
            ),
        })
    }

    /// A certificate for other names than the server's.
    fn wrong_name(
        &self,
        why: Option<&CertificateError>,
        presented: Option<&Described>,
    ) -> Option<(String, String)> {
        if !matches!(
            why,
            Some(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
            )
        ) {
            return None;
        }
        let names = presented
            .map(Described::names_listed)
            .unwrap_or_else(|| "other names".to_string());
        Some((
            format!(
                "the TLS certificate of {} is for {names}, not for {}",
                self.server.host_port(),
                self.server.host()
            ),
            "use a name the certificate holds in --server, or have the certificate remade for this one (--ca-cert cannot help)".to_string(),
        ))
    }

    /// A certificate expired or not valid yet (or this machine's clock is wrong).
    fn outside_its_dates(
        &self,
        why: Option<&CertificateError>,
        presented: Option<&Described>,
        chain: &str,
    ) -> Option<(String, String)> {
        if !matches!(
            why,
            Some(
                CertificateError::Expired
                    | CertificateError::ExpiredContext { .. }
                    | CertificateError::NotValidYet
                    | CertificateError::NotValidYetContext { .. }
            )
        ) {
            return None;
        }
        let host = self.server.host_port();
        let now = certificate::now();
        let message = match presented {
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
        Some((
            message,
            format!(
                "renew the certificate on the server, or check this machine's clock (it says {}); --ca-cert cannot help",
                certificate::date(now)
            ),
        ))
    }

    /// Signed with the key of a lab certificate that is pinned, not a CA: say so.
    fn signed_by_a_pin(&self) -> Option<(String, String)> {
        let path = self.tls.ca_cert.as_ref()?;
        let shown = self.verifier.presented()?;
        let pin = self.verifier.signed_by_a_pin(&shown.certificate)?;
        Some((
            format!(
                "the TLS certificate of {} was signed with the key of {pin} in {}, which is not a CA certificate: a pinned certificate vouches only for itself, never for what its key signs",
                self.server.host_port(),
                path.display()
            ),
            format!(
                "put the server's own certificate, or the CA that signed it, in {}",
                path.display()
            ),
        ))
    }

    /// Signed by no CA this machine (or `--ca-cert`) trusts.
    fn untrusted(&self, presented: Option<&Described>, chain: &str) -> (String, String) {
        let host = self.server.host_port();
        let what = match presented {
            Some(c) if c.self_signed => format!("self-signed, for {}", c.subject),
            Some(c) => format!("issued to {} by {}", c.subject, c.issuer),
            None => chain.to_string(),
        };
        let hint = match &self.tls.ca_cert {
            Some(path) => format!(
                "{} neither signed the server's certificate nor is it: get the right one, e.g. with `openssl s_client -showcerts -connect {host}`; `saymon doctor` shows what the server presents",
                path.display()
            ),
            None => "for a company or self-signed CA pass --ca-cert FILE.pem or set SAYMON_CA_CERT (the CA, or the server's own certificate); or trust this certificate by its fingerprint: `saymon login` asks at a terminal, `saymon login --pin sha256:…` pins it without one, and SAYMON_PIN=sha256:… trusts it for a job with no login (nothing written); `saymon doctor` shows the fingerprint; in a lab only, --insecure".to_string(),
        };
        (
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
