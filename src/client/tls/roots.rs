//! The system's trust: the platform's verifier on macOS and Windows, and elsewhere webpki
//! with the system's roots, read once (from the bundle file alone on Linux).

use std::sync::Arc;

use rustls::CertificateError;
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
#[cfg(not(any(target_vendor = "apple", windows, target_os = "android")))]
use rustls::{RootCertStore, client::WebPkiServerVerifier, pki_types::CertificateDer};

/// The platform's verifier: macOS and Windows ask the operating system.
#[cfg(any(target_vendor = "apple", windows, target_os = "android"))]
pub(super) fn system_verifier(
    provider: Arc<CryptoProvider>,
) -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> {
    rustls_platform_verifier::Verifier::new(provider)
        .map(|v| Arc::new(v) as Arc<dyn ServerCertVerifier>)
        .map_err(|e| no_roots(e.to_string()))
}

/// The system's roots cannot be had: the server's certificate cannot be trusted, said as
/// a certificate error (what `client::failure` explains as one), not rustls's General.
fn no_roots(message: String) -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::Other(rustls::OtherError(Arc::new(
        std::io::Error::other(message),
    ))))
}

/// Elsewhere, webpki with the system's roots, read once.
#[cfg(not(any(target_vendor = "apple", windows, target_os = "android")))]
pub(super) fn system_verifier(
    provider: Arc<CryptoProvider>,
) -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(system_roots());
    if roots.is_empty() {
        return Err(no_roots(
            "no CA certificates found on this system (install ca-certificates, or set SSL_CERT_FILE)".into(),
        ));
    }
    WebPkiServerVerifier::builder_with_provider(roots.into(), provider)
        .build()
        .map(|v| v as Arc<dyn ServerCertVerifier>)
        .map_err(|e| no_roots(e.to_string()))
}

/// The system's roots: what SSL_CERT_FILE / SSL_CERT_DIR name when set (OpenSSL's rules),
/// else the bundle file (update-ca-certificates writes every root of the certificate
/// directory into it), else the directory.
#[cfg(not(any(target_vendor = "apple", windows, target_os = "android")))]
fn system_roots() -> Vec<CertificateDer<'static>> {
    if std::env::var_os("SSL_CERT_FILE").is_some() || std::env::var_os("SSL_CERT_DIR").is_some() {
        return rustls_native_certs::load_native_certs().certs;
    }
    let probe = openssl_probe::probe();
    if let Some(file) = &probe.cert_file {
        let certs = rustls_native_certs::load_certs_from_paths(Some(file), None).certs;
        if !certs.is_empty() {
            return certs;
        }
    }
    probe
        .cert_dir
        .iter()
        .flat_map(|dir| rustls_native_certs::load_certs_from_paths(None, Some(dir)).certs)
        .collect()
}
