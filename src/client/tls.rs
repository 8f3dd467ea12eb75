//! Whom the client trusts, and who it says it is. saymon builds its own rustls setup:
//!
//! - `--ca-cert FILE`: its CA certificates are roots, tried first, and, as curl's `--cacert`
//!   allows, a server that presents exactly one of them is trusted as pinned, even a
//!   self-signed certificate marked CA:TRUE (what `openssl req -x509` makes, and what rustls
//!   refuses as an end entity). A pinned certificate must still name the host and be within
//!   its dates: pinning the very certificate is at least as strict as trusting a CA.
//! - The system's roots only when the file did not vouch for the server (or there is no
//!   file), loaded at most once per run, and on Linux from the bundle file alone rather than
//!   the bundle and then every file of the certificate directory (the same roots twice).
//!   macOS and Windows ask the platform, through rustls-platform-verifier.
//! - `--insecure`: any certificate (the handshake's signatures are still checked).
//! - `--client-cert`/`--client-key`: the identity for servers that want mutual TLS.
//!
//! The verifier notes the certificate the server presented and who vouched for it, for
//! errors that name the certificate's names and dates, and for `doctor`.

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::Result;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::error::{Error, Exit};

mod files;
mod roots;
use files::{check_pin_file, identity, read_ca_certs};
use roots::system_verifier;

/// The TLS settings in force for one server: from the flags and environment, else the
/// profile (see `Session::tls`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tls {
    pub ca_cert: Option<std::path::PathBuf>,
    pub client_cert: Option<std::path::PathBuf>,
    pub client_key: Option<std::path::PathBuf>,
    pub insecure: bool,
    /// The SHA-256 fingerprint (as `certificate::fingerprint` writes it) of the one
    /// certificate the server must present: pinned at login (trust on first use, `login
    /// --pin`; `ca_cert` is then the file that holds it) or given by `SAYMON_PIN`. With a
    /// pin, no CA vouches: only that certificate is trusted.
    pub pin: Option<String>,
    /// Where `pin` comes from, for the words of an error.
    pub pin_source: PinSource,
}

/// Where a pin in force comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PinSource {
    /// Pinned at login for a profile; `flag` names the profile in a command (` --profile
    /// P`, or empty for the default), for the command that pins a new certificate.
    Login { flag: String },
    /// The `SAYMON_PIN` variable: nothing on disk.
    Environment,
}

impl Default for PinSource {
    fn default() -> PinSource {
        PinSource::Login {
            flag: String::new(),
        }
    }
}

impl Tls {
    /// A profile's own settings.
    pub(crate) fn of(profile: &crate::config::Profile) -> Tls {
        Tls {
            pin: profile.pin.clone(),
            pin_source: PinSource::default(),
            ca_cert: profile.ca_cert.clone(),
            client_cert: profile.client_cert.clone(),
            client_key: profile.client_key.clone(),
            insecure: profile.insecure,
        }
    }
}

/// Who vouched for the server's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VouchedBy {
    /// The certificate is one of the `--ca-cert` file's.
    Pinned,
    /// The certificate has the fingerprint pinned at login or by `SAYMON_PIN`.
    Pin,
    /// A CA of the `--ca-cert` file signed it.
    CaFile,
    /// The system's roots.
    System,
    /// Nobody: `--insecure`.
    Nobody,
}

impl VouchedBy {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            VouchedBy::Pinned => "pinned: it is a certificate of the --ca-cert file",
            VouchedBy::Pin => "pinned: it has the fingerprint pinned for this server",
            VouchedBy::CaFile => "signed by a CA of the --ca-cert file",
            VouchedBy::System => "signed by a CA of the system's trust store",
            VouchedBy::Nobody => "NOT verified (--insecure)",
        }
    }
}

/// The certificate a server presented, and who vouched for it (none when refused).
#[derive(Debug, Clone)]
pub(crate) struct Presented {
    pub certificate: CertificateDer<'static>,
    pub vouched_by: Option<VouchedBy>,
}

/// A rustls configuration for `tls`, and the verifier that notes what the server presented.
pub(super) fn config(tls: &Tls) -> Result<(rustls::ClientConfig, Arc<Verifier>)> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // A pin trusts its one certificate and nothing else: no CA of a file, none of the
    // system's. The file that holds a login's pin is checked, so that a swapped one is
    // said, but it cannot widen the trust: the fingerprint decides.
    let pin = tls.pin.clone().filter(|_| !tls.insecure);
    if let (Some(pin), Some(path), PinSource::Login { .. }) = (&pin, &tls.ca_cert, &tls.pin_source)
    {
        check_pin_file(path, pin)?;
    }
    let pinned = match (&tls.ca_cert, &pin) {
        (Some(path), None) => read_ca_certs(path)?,
        _ => Vec::new(),
    };
    // Every certificate of the file is a pin; only a CA's is also an anchor (as OpenSSL,
    // and so curl --cacert, require): a lab server's own certificate must not vouch for
    // certificates made with its key.
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(pinned.iter().filter(|c| is_ca(c)).cloned());
    let own = if roots.is_empty() {
        None
    } else {
        Some(
            WebPkiServerVerifier::builder_with_provider(roots.into(), provider.clone())
                .build()
                .map_err(|e| anyhow::anyhow!("cannot use the CA certificates: {e}"))?,
        )
    };
    let verifier = Arc::new(Verifier {
        provider: provider.clone(),
        own,
        pinned,
        pin,
        insecure: tls.insecure,
        system: OnceLock::new(),
        presented: Mutex::new(None),
        shown: std::sync::atomic::AtomicUsize::new(0),
    });
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| anyhow::anyhow!("cannot set up TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone());
    let mut config = match identity(tls)? {
        Some((chain, key, key_path)) => builder.with_client_auth_cert(chain, key).map_err(|e| {
            Error::new(
                Exit::Usage,
                format!(
                    "cannot use the client key {} with its certificate: {e}",
                    key_path.display()
                ),
            )
            .hint("--client-key must be the private key of the --client-cert certificate")
        })?,
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((config, verifier))
}

/// A configuration that takes any certificate: only for asking a port whether it speaks
/// TLS at all, with nothing secret sent.
pub(super) fn accept_any() -> rustls::ClientConfig {
    let anything = Tls {
        insecure: true,
        ..Tls::default()
    };
    config(&anything)
        .expect("with no files to read, the configuration cannot fail")
        .0
}

type Identity<'p> = (
    Vec<CertificateDer<'static>>,
    PrivateKeyDer<'static>,
    &'p Path,
);

/// Whether a certificate may sign others: CA:TRUE in its basic constraints, or an X.509
/// v1 certificate (which has no extensions, as old self-made CAs are).
fn is_ca(der: &CertificateDer<'_>) -> bool {
    let Ok((_, cert)) = x509_parser::parse_x509_certificate(der) else {
        return false;
    };
    if cert.version() == x509_parser::x509::X509Version::V1 {
        return true;
    }
    matches!(cert.basic_constraints(), Ok(Some(bc)) if bc.value.ca)
}

/// The certificates of a PEM file, as DER.
pub(super) fn pem_certs(pem: &[u8]) -> Vec<CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem)
        .filter_map(Result::ok)
        .collect()
}

/// Our own `ServerCertVerifier`, kept because no crate does this: rustls's webpki verifier
/// refuses a pinned self-signed CA:TRUE certificate as an end entity, cannot try the
/// file's roots before the system's, and does not say which certificate it saw or who
/// vouched for it (what the errors and `doctor` show). The checks themselves are webpki's.
#[derive(Debug)]
pub(super) struct Verifier {
    provider: Arc<CryptoProvider>,
    /// The `--ca-cert` file's certificates as the only roots.
    own: Option<Arc<WebPkiServerVerifier>>,
    /// The `--ca-cert` file's certificates, each trusted as the server's own.
    pinned: Vec<CertificateDer<'static>>,
    /// The fingerprint of the only certificate trusted, when one is pinned.
    pin: Option<String>,
    insecure: bool,
    /// The system's verifier, made on first need.
    system: OnceLock<Result<Arc<dyn ServerCertVerifier>, rustls::Error>>,
    presented: Mutex<Option<Presented>>,
    /// See `shown`.
    shown: std::sync::atomic::AtomicUsize,
}

impl Verifier {
    /// What the server presented in the last handshake, if one got that far.
    pub(super) fn presented(&self) -> Option<Presented> {
        self.presented.lock().ok()?.clone()
    }

    /// How many certificates servers have shown this verifier: a request during which it
    /// grew made a handshake that got as far as the certificate.
    pub(super) fn shown(&self) -> usize {
        self.shown.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Whether a non-CA certificate of the --ca-cert file has the key that signed
    /// `certificate` by name (its subject is the certificate's issuer): a pin, which rustls
    /// will not take as a signer.
    pub(super) fn signed_by_a_pin(&self, certificate: &CertificateDer<'_>) -> Option<String> {
        let (_, cert) = x509_parser::parse_x509_certificate(certificate).ok()?;
        self.pinned.iter().find_map(|pin| {
            let (_, pinned) = x509_parser::parse_x509_certificate(pin).ok()?;
            (!is_ca(pin) && pinned.subject().as_raw() == cert.issuer().as_raw())
                .then(|| crate::redact::server_text(&pinned.subject().to_string(), 120))
        })
    }

    fn note(&self, certificate: &CertificateDer<'_>, vouched_by: Option<VouchedBy>) {
        self.shown.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut presented) = self.presented.lock() {
            *presented = Some(Presented {
                certificate: certificate.clone().into_owned(),
                vouched_by,
            });
        }
    }

    fn system(&self) -> Result<&Arc<dyn ServerCertVerifier>, rustls::Error> {
        self.system
            .get_or_init(|| system_verifier(self.provider.clone()))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn verdict(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<VouchedBy, rustls::Error> {
        if self.insecure {
            return Ok(VouchedBy::Nobody);
        }
        if let Some(pin) = &self.pin {
            if super::certificate::fingerprint(end_entity.as_ref()) != *pin {
                return Err(rustls::Error::InvalidCertificate(
                    CertificateError::ApplicationVerificationFailure,
                ));
            }
            check_pinned(end_entity, server_name, now)?;
            return Ok(VouchedBy::Pin);
        }
        // The file's CAs first: they are why it was given, and they spare reading the system's.
        let mut own_error = None;
        if let Some(own) = &self.own {
            match own.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            {
                Ok(_) => return Ok(VouchedBy::CaFile),
                // A CA of the file signed it, but it is wrong otherwise (name, dates): the
                // system's roots cannot make it right, and this is the error that says why.
                Err(rustls::Error::InvalidCertificate(e)) if is_final(&e) => {
                    own_error = Some(rustls::Error::InvalidCertificate(e));
                }
                Err(_) => {}
            }
        }
        if self
            .pinned
            .iter()
            .any(|c| c.as_ref() == end_entity.as_ref())
        {
            check_pinned(end_entity, server_name, now)?;
            return Ok(VouchedBy::Pinned);
        }
        if let Some(error) = own_error {
            return Err(error);
        }
        self.system()?
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| VouchedBy::System)
    }
}

/// Whether a refusal by the file's CAs is final: they vouch for the certificate, but it
/// names other hosts or is outside its dates.
fn is_final(e: &CertificateError) -> bool {
    matches!(
        e,
        CertificateError::NotValidForName
            | CertificateError::NotValidForNameContext { .. }
            | CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. }
            | CertificateError::Revoked
    )
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.verdict(end_entity, intermediates, server_name, ocsp_response, now);
        self.note(end_entity, verdict.as_ref().ok().copied());
        verdict.map(|_| ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Whether `cert`, pinned, would be trusted for `host` (a DNS name or an IP address, IPv6
/// in brackets or not): its names and dates are right. What trust on first use asks.
pub(crate) fn pinnable(cert: &CertificateDer<'_>, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(host).is_ok_and(|name| check_pinned(cert, &name, UnixTime::now()).is_ok())
}

/// What a pinned certificate must still be: for this host, and within its dates.
fn check_pinned(
    cert: &CertificateDer<'_>,
    server_name: &ServerName<'_>,
    now: UnixTime,
) -> Result<(), rustls::Error> {
    let bad = |e: CertificateError| rustls::Error::InvalidCertificate(e);
    let parsed =
        webpki::EndEntityCert::try_from(cert).map_err(|_| bad(CertificateError::BadEncoding))?;
    parsed
        .verify_is_valid_for_subject_name(server_name)
        .map_err(|_| bad(CertificateError::NotValidForName))?;
    let (_, x509) = x509_parser::parse_x509_certificate(cert.as_ref())
        .map_err(|_| bad(CertificateError::BadEncoding))?;
    let validity = x509.validity();
    let now = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
    if now < validity.not_before.timestamp() {
        return Err(bad(CertificateError::NotValidYet));
    }
    if now > validity.not_after.timestamp() {
        return Err(bad(CertificateError::Expired));
    }
    Ok(())
}
