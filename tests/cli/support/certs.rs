//! The fake server's certificates: a test CA and what it signs, self-signed lab
//! certificates good and bad, and one presented without its key.

use std::sync::Arc;
use std::time::Duration;

/// What certificate an HTTPS fake presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cert {
    /// For 127.0.0.1 and localhost, signed by a test CA (`ca_file` is the CA).
    SignedByCa,
    /// Self-signed and marked CA:TRUE, as `openssl req -x509` makes it (`ca_file` is
    /// the certificate itself).
    SelfSignedCa,
    /// Like `SelfSignedCa`, but valid in 2000 only.
    SelfSignedExpired,
    /// Like `SelfSignedCa`, but for other.example only.
    SelfSignedWrongName,
    /// Like `SelfSignedCa`, but it ends in 5 days.
    SelfSignedEndingSoon,
    /// Self-signed for 127.0.0.1 and localhost, CA:FALSE: a lab server's own certificate,
    /// good only as a pin (`ca_file` is the certificate itself).
    SelfSignedNotCa,
    /// For 127.0.0.1, signed with the key of a CA:FALSE lab certificate (for another
    /// name), which is `ca_file`: a pin of that certificate must not vouch for it.
    SignedWithALabKey,
    /// `SelfSignedNotCa`'s certificate (`ca_file`) presented with another key, as a man in
    /// the middle holding a copy of the certificate would.
    PinnedWithoutItsKey,
}

/// Presents one certificate with whatever key it was given, matching or not.
#[derive(Debug)]
struct AnyKey(Arc<rustls::sign::CertifiedKey>);

impl rustls::server::ResolvesServerCert for AnyKey {
    fn resolve(
        &self,
        _: rustls::server::ClientHello<'_>,
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(self.0.clone())
    }
}

/// The PEM for --ca-cert and a TLS acceptor presenting a certificate of kind `cert`; with
/// `client_auth`, one that requires a client certificate, and a client certificate and key
/// (PEM) it accepts.
pub(super) fn tls_setup(
    cert: Cert,
    client_auth: bool,
) -> (String, tokio_rustls::TlsAcceptor, Option<(String, String)>) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let _ = rustls::crypto::ring::default_provider().install_default();
    let local = vec!["127.0.0.1".to_string(), "localhost".to_string()];
    let (chain, key, ca_pem) = if cert == Cert::SignedWithALabKey {
        let lab_key = KeyPair::generate().unwrap();
        let mut lab = CertificateParams::new(vec!["lab.example".to_string()]).unwrap();
        lab.is_ca = IsCa::ExplicitNoCa;
        lab.distinguished_name
            .push(DnType::CommonName, "saymon lab server");
        let lab_cert = lab.self_signed(&lab_key).unwrap();
        let issuer = Issuer::new(lab, lab_key);
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(local)
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        (vec![leaf.der().clone()], leaf_key, lab_cert.pem())
    } else if cert == Cert::SignedByCa {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "saymon test CA");
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let leaf_key = KeyPair::generate().unwrap();
        let leaf_cert = CertificateParams::new(local)
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        let chain = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
        (chain, leaf_key, ca_cert.pem())
    } else {
        let names = if cert == Cert::SelfSignedWrongName {
            vec!["other.example".to_string()]
        } else {
            local
        };
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(names).unwrap();
        params.is_ca = if matches!(cert, Cert::SelfSignedNotCa | Cert::PinnedWithoutItsKey) {
            IsCa::ExplicitNoCa
        } else {
            IsCa::Ca(BasicConstraints::Unconstrained)
        };
        params
            .distinguished_name
            .push(DnType::CommonName, "saymon lab server");
        if cert == Cert::SelfSignedExpired {
            params.not_before = rcgen::date_time_ymd(2000, 1, 1);
            params.not_after = rcgen::date_time_ymd(2000, 12, 31);
        }
        if cert == Cert::SelfSignedEndingSoon {
            let in_five_days =
                std::time::SystemTime::now() + Duration::from_secs(5 * 86_400 + 3_600);
            params.not_after = in_five_days.into();
        }
        let made = params.self_signed(&key).unwrap();
        (vec![made.der().clone()], key, made.pem())
    };
    let key = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap();
    let builder = rustls::ServerConfig::builder();
    let (config, client) = if client_auth {
        let client_ca_key = KeyPair::generate().unwrap();
        let mut client_ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        client_ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        client_ca
            .distinguished_name
            .push(DnType::CommonName, "saymon test client CA");
        let client_ca_cert = client_ca.self_signed(&client_ca_key).unwrap();
        let issuer = Issuer::new(client_ca, client_ca_key);
        let client_key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "saymon test client");
        let client_cert = params.signed_by(&client_key, &issuer).unwrap();
        let mut roots = rustls::RootCertStore::empty();
        roots.add(client_ca_cert.der().clone()).unwrap();
        let verifier = rustls::server::WebPkiClientVerifier::builder(roots.into())
            .build()
            .unwrap();
        (
            builder
                .with_client_cert_verifier(verifier)
                .with_single_cert(chain, key)
                .unwrap(),
            Some((client_cert.pem(), client_key.serialize_pem())),
        )
    } else if cert == Cert::PinnedWithoutItsKey {
        let other = KeyPair::generate().unwrap();
        let other = rustls::pki_types::PrivateKeyDer::try_from(other.serialize_der()).unwrap();
        let signing = rustls::crypto::ring::default_provider()
            .key_provider
            .load_private_key(other)
            .unwrap();
        let _ = key;
        let certified = rustls::sign::CertifiedKey::new(chain, signing);
        (
            builder
                .with_no_client_auth()
                .with_cert_resolver(Arc::new(AnyKey(Arc::new(certified)))),
            None,
        )
    } else {
        (
            builder
                .with_no_client_auth()
                .with_single_cert(chain, key)
                .unwrap(),
            None,
        )
    };
    (
        ca_pem,
        tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        client,
    )
}
