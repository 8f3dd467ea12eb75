//! The PEM files TLS reads: CA certificates, the client's certificate and key, and the
//! pinned certificate's file, each read with the errors a person can act on.

use std::path::Path;

use anyhow::Result;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use zeroize::Zeroizing;

use super::{Identity, Tls, pem_certs};
use crate::error::{Error, Exit};
use crate::fsutil;

/// The client certificate chain and its key: `--client-key`, else a key in the
/// certificate's own file (as curl's `--cert` allows). A file holding the key must be
/// private, like the credentials file.
pub(super) fn identity(tls: &Tls) -> Result<Option<Identity<'_>>> {
    use rustls::pki_types::pem::PemObject;
    let cert_path = match (&tls.client_cert, &tls.client_key) {
        (None, None) => return Ok(None),
        (None, Some(_)) => {
            return Err(Error::new(Exit::Usage, "--client-key was given without --client-cert")
                .hint("pass both --client-cert FILE.pem and --client-key FILE.key (or SAYMON_CLIENT_CERT and SAYMON_CLIENT_KEY)")
                .into());
        }
        (Some(cert), _) => cert,
    };
    let cert_pem = read_pem(cert_path, "client certificate")?;
    let chain = pem_certs(&cert_pem);
    if chain.is_empty() {
        return Err(Error::new(
            Exit::Usage,
            format!("{} holds no PEM certificate", cert_path.display()),
        )
        .hint("--client-cert takes a file with a -----BEGIN CERTIFICATE----- block")
        .into());
    }
    let key_path = tls.client_key.as_deref().unwrap_or(cert_path);
    if key_path == cert_path && PrivateKeyDer::from_pem_slice(&cert_pem).is_err() {
        return Err(Error::new(
            Exit::Usage,
            format!("{} holds no private key", cert_path.display()),
        )
        .hint("pass the certificate's key with --client-key FILE.key (or SAYMON_CLIENT_KEY)")
        .into());
    }
    // The key is parsed from what was read from the file judged private, never from an
    // earlier read of the same path.
    let key_pem = read_key(key_path)?;
    let Ok(key) = PrivateKeyDer::from_pem_slice(&key_pem) else {
        return Err(Error::new(
            Exit::Usage,
            format!("{} holds no PEM private key", key_path.display()),
        )
        .hint("--client-key takes a file with a -----BEGIN PRIVATE KEY----- block (PKCS#8, PKCS#1 or SEC1)")
        .into());
    };
    Ok(Some((chain, key, key_path)))
}

/// The PEM text of `path`, without the UTF-8 byte-order mark that Windows editors put
/// first (curl and OpenSSL skip it; the PEM parser would miss the first block after it).
/// Exit 2 when the file cannot be read.
fn read_pem(path: &Path, what: &str) -> Result<Vec<u8>> {
    let pem = std::fs::read(path).map_err(|e| unreadable(path, what, e))?;
    Ok(without_bom(pem))
}

/// Exit 2: the `what` at `path` cannot be read, with the hint that fits where it is.
fn unreadable(path: &Path, what: &str, e: std::io::Error) -> anyhow::Error {
    let hint = if hidden_from_a_service(path) {
        format!(
            "a systemd service with ProtectHome= or PrivateTmp= (as saymon-token-refresh@) does not see {}: keep the file elsewhere, e.g. in /etc/saymon, and log in again with --ca-cert or --client-cert there",
            path.display()
        )
    } else {
        "check the path; a relative path is taken from the current directory".into()
    };
    Error::new(
        Exit::Usage,
        format!("cannot read the {what} {}: {e}", path.display()),
    )
    .hint(hint)
    .into()
}

/// The most a file holding a client key may hold: a key with its certificate chain is a
/// few KiB.
const MAX_KEY_FILE: usize = 1 << 20;

/// The PEM text of the client key at `path`, read from the file once it is judged private
/// (`fsutil::read_private`: exit 7 when others may read it), without a byte-order mark.
/// Exit 2 when it cannot be read or is larger than `MAX_KEY_FILE`.
fn read_key(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let mut pem = match fsutil::read_private(path, "a private key", MAX_KEY_FILE) {
        Ok(pem) if pem.len() > MAX_KEY_FILE => {
            return Err(Error::new(
                Exit::Usage,
                format!(
                    "{} holds more than {} MiB: not a client key",
                    path.display(),
                    MAX_KEY_FILE >> 20
                ),
            )
            .hint("--client-key takes a file with a -----BEGIN PRIVATE KEY----- block (PKCS#8, PKCS#1 or SEC1)")
            .into());
        }
        Ok(pem) => pem,
        Err(fsutil::PrivateRead::Io(e)) => return Err(unreadable(path, "client key", e)),
        Err(fsutil::PrivateRead::Mode(error) | fsutil::PrivateRead::Refused(error)) => {
            return Err(error.into());
        }
    };
    if pem.starts_with(b"\xEF\xBB\xBF") {
        pem.drain(..3);
    }
    Ok(pem)
}

/// Whether `path` is one a hardened systemd service is kept from (ProtectHome=,
/// PrivateTmp=), and saymon runs as one (systemd sets INVOCATION_ID for every unit).
fn hidden_from_a_service(path: &Path) -> bool {
    std::env::var_os("INVOCATION_ID").is_some()
        && ["/home", "/root", "/run/user", "/tmp", "/var/tmp"]
            .iter()
            .any(|hidden| path.starts_with(hidden))
}

/// `text` without a leading UTF-8 byte-order mark.
fn without_bom(mut text: Vec<u8>) -> Vec<u8> {
    if text.starts_with(b"\xEF\xBB\xBF") {
        text.drain(..3);
    }
    text
}

pub(super) fn read_ca_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let certs = pem_certs(&read_pem(path, "CA certificate")?);
    if certs.is_empty() {
        return Err(Error::new(
            Exit::Usage,
            format!("{} holds no PEM certificate", path.display()),
        )
        .hint("--ca-cert takes a file with -----BEGIN CERTIFICATE----- blocks")
        .into());
    }
    Ok(certs)
}

/// The file that holds the certificate pinned at login: the user's own (or root's), not a
/// link, writable by nobody else, in a directory of the same kind, and holding exactly
/// the pinned certificate. Otherwise exit 7: someone may have swapped it.
pub(super) fn check_pin_file(path: &Path, pin: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::config::check_own_private(dir, "chmod 700")?;
    crate::config::check_own_private(path, "chmod 600")?;
    let pem = std::fs::read(path).map_err(|e| {
        Error::new(
            Exit::StoreUnusable,
            format!("cannot read the certificate pinned at login, {}: {e}", path.display()),
        )
        .hint("nothing was sent; pin the server's certificate again on purpose: `saymon login --pin sha256:FINGERPRINT` (the admin's fingerprint)")
    })?;
    let certs = pem_certs(&pem);
    let held: Vec<String> = certs
        .iter()
        .map(|c| crate::client::certificate::fingerprint(c.as_ref()))
        .collect();
    if held.len() == 1 && held[0] == pin {
        return Ok(());
    }
    let what = match held.as_slice() {
        [] => "no certificate".to_string(),
        [one] => format!("a certificate with SHA-256 {one}"),
        more => format!("{} certificates", more.len()),
    };
    Err(Error::new(
        Exit::StoreUnusable,
        format!(
            "{} should hold the certificate pinned at login (SHA-256 {pin}) but holds {what}: it was changed since, by someone or something else",
            path.display()
        ),
    )
    .hint("nothing was sent; find out who changed it, then pin the server's certificate again on purpose: `saymon login --pin sha256:FINGERPRINT` (the admin's fingerprint)")
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_pem() {
        assert_eq!(
            without_bom(b"\xEF\xBB\xBF-----BEGIN".to_vec()),
            b"-----BEGIN"
        );
        assert_eq!(without_bom(b"-----BEGIN".to_vec()), b"-----BEGIN");
        // Only a leading one, and only once.
        assert_eq!(without_bom(b"\xEF\xBB".to_vec()), b"\xEF\xBB");
        assert_eq!(
            without_bom(b"\xEF\xBB\xBF\xEF\xBB\xBFx".to_vec()),
            b"\xEF\xBB\xBFx"
        );
    }
}
