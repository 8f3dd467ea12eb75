//! What a failed request's chain of errors is, by the types in it: rustls's errors and
//! alerts, hyper's predicates, the operating system's error kinds. Only types decide, so a
//! reworded message in reqwest, hyper or rustls cannot change an exit code or a hint.

use std::error::Error as StdError;
use std::io;

use rustls::{AlertDescription, CertificateError};

/// A failed request sorted into what saymon can explain.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cause {
    /// TLS was asked for, and what came back was not TLS.
    NotTls,
    /// Plain HTTP was asked for, and what came back was not HTTP (or nothing, a reset).
    NotHttp,
    /// The server wants a client certificate (mutual TLS) and got none.
    ClientCertRequired,
    /// The server refused the client certificate it got.
    ClientCertRefused,
    /// The server's certificate was refused; `Some` says why, when a certificate check did.
    Certificate(Option<CertificateError>),
    /// No TCP connection, or the operating system ended it.
    Unreachable,
    /// The server answered, with a head (status line and headers) too large to read.
    HeadTooLarge,
    Other,
}

/// Each error of a failure's chain, outermost first. An `io::Error` that wraps another
/// error (tokio-rustls wraps rustls's so) is followed by the error it wraps: its own
/// `source()` skips that one and gives the wrapped error's source.
pub(super) fn chain<'a>(err: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut all = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        all.push(e);
        next = match e.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            Some(wrapped) => Some(wrapped as &(dyn StdError + 'static)),
            None => e.source(),
        };
    }
    all
}

pub(super) fn cause(chain: &[&(dyn StdError + 'static)], https: bool) -> Cause {
    let tls = chain.iter().find_map(|e| e.downcast_ref::<rustls::Error>());
    // The innermost of hyper's errors says what happened: a request canceled because its
    // connection broke wraps the reason (`Canceled` around `UnexpectedMessage`).
    let hyper = chain
        .iter()
        .rev()
        .find_map(|e| e.downcast_ref::<hyper::Error>());
    let io = chain
        .iter()
        .rev()
        .find_map(|e| e.downcast_ref::<io::Error>());
    match tls {
        Some(rustls::Error::InvalidMessage(_)) if https => return Cause::NotTls,
        Some(rustls::Error::AlertReceived(AlertDescription::CertificateRequired)) => {
            return Cause::ClientCertRequired;
        }
        Some(rustls::Error::AlertReceived(alert)) if refuses_a_certificate(*alert) => {
            return Cause::ClientCertRefused;
        }
        Some(rustls::Error::InvalidCertificate(why)) => {
            return Cause::Certificate(Some(why.clone()));
        }
        Some(rustls::Error::NoCertificatesPresented) => return Cause::Certificate(None),
        _ => {}
    }
    if hyper.is_some_and(hyper::Error::is_parse_too_large) {
        return Cause::HeadTooLarge;
    }
    let reset = io.is_some_and(|e| e.kind() == io::ErrorKind::ConnectionReset);
    if !https && (reset || hyper.is_some_and(not_http)) {
        return Cause::NotHttp;
    }
    let refused = io.is_some_and(|e| e.kind() == io::ErrorKind::ConnectionRefused);
    if refused || io.is_some_and(|e| e.raw_os_error().is_some()) {
        return Cause::Unreachable;
    }
    Cause::Other
}

/// The alerts a TLS server sends when it refuses the client certificate it was given.
fn refuses_a_certificate(alert: AlertDescription) -> bool {
    matches!(
        alert,
        AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::AccessDenied
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::CertificateRevoked
            | AlertDescription::CertificateExpired
            | AlertDescription::DecryptError
            | AlertDescription::BadCertificateStatusResponse
            | AlertDescription::BadCertificateHashValue
            | AlertDescription::CertificateUnobtainable
    )
}

/// Whether hyper could not read an HTTP answer in what came back: bytes that are not HTTP,
/// or a connection closed before any answer.
fn not_http(e: &hyper::Error) -> bool {
    // Bytes where no answer was due ("received unexpected message from connection") have
    // no predicate in hyper: that kind is the one without a source that none names.
    let unexpected = e.source().is_none()
        && !(e.is_parse()
            || e.is_user()
            || e.is_canceled()
            || e.is_closed()
            || e.is_timeout()
            || e.is_shutdown()
            || e.is_body_write_aborted());
    // A head too large to read is HTTP all the same.
    (e.is_parse() && !e.is_parse_too_large()) || e.is_incomplete_message() || unexpected
}

impl Cause {
    /// Whether the TLS handshake is what failed.
    pub(super) fn in_tls(&self) -> bool {
        matches!(
            self,
            Cause::NotTls
                | Cause::ClientCertRequired
                | Cause::ClientCertRefused
                | Cause::Certificate(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cause of `err` as reqwest hands it over: inside a connector's error.
    fn of(err: io::Error, https: bool) -> Cause {
        let outer = anyhow::Error::new(err).context("error sending request");
        let outer: &(dyn StdError + 'static) = outer.as_ref();
        cause(&chain(outer), https)
    }

    fn tls(err: rustls::Error) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, err)
    }

    #[test]
    fn causes_by_type() {
        let not_tls = rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType);
        assert_eq!(of(tls(not_tls), true), Cause::NotTls);
        let alert = |a| tls(rustls::Error::AlertReceived(a));
        assert_eq!(
            of(alert(AlertDescription::CertificateRequired), true),
            Cause::ClientCertRequired
        );
        assert_eq!(
            of(alert(AlertDescription::UnknownCA), true),
            Cause::ClientCertRefused
        );
        assert_eq!(
            of(alert(AlertDescription::HandshakeFailure), true),
            Cause::Other
        );
        assert_eq!(
            of(tls(rustls::Error::NoCertificatesPresented), true),
            Cause::Certificate(None)
        );
        // General is rustls's own trouble (a key that cannot sign), not a certificate.
        assert_eq!(
            of(tls(rustls::Error::General("signing failed".into())), true),
            Cause::Other
        );
        let unknown = CertificateError::UnknownIssuer;
        assert_eq!(
            of(
                tls(rustls::Error::InvalidCertificate(unknown.clone())),
                true
            ),
            Cause::Certificate(Some(unknown))
        );
        let reset = || io::Error::from_raw_os_error(libc::ECONNRESET);
        assert_eq!(of(reset(), false), Cause::NotHttp);
        assert_eq!(of(reset(), true), Cause::Unreachable);
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(of(refused, true), Cause::Unreachable);
        assert_eq!(of(io::Error::other("something else"), true), Cause::Other);
    }

    #[test]
    fn a_wrapped_error_is_found_under_its_io_error() {
        let err = tls(rustls::Error::General("no CA certificates".into()));
        let outer: &(dyn StdError + 'static) = &err;
        let all = chain(outer);
        assert_eq!(all.len(), 2);
        assert!(all[1].downcast_ref::<rustls::Error>().is_some());
    }
}
