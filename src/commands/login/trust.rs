//! Trust on first use, as ssh does, and `login --pin`: a server whose certificate no CA
//! vouches for (a self-signed lab server) can be trusted by its SHA-256 fingerprint. The
//! certificate is saved in the config dir (`certs/<profile>-<fingerprint>.pem`) and pinned for the
//! profile exactly as `--ca-cert` with that file would (its names and dates still
//! checked); config.toml keeps the fingerprint, so that a certificate that changes later is
//! said to have changed.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rustls::pki_types::CertificateDer;

use super::LoginArgs;
use crate::client::certificate::{self, Described};
use crate::client::{Client, pinnable};
use crate::credentials::Session;
use crate::error::{Error, Exit};

/// Before `login` asks for anything, at a terminal or with `--pin`: the server is reached
/// (a bare GET of version/hash, nothing secret sent), so that a network or TLS problem
/// shows before the first question. With `--pin`, the server's certificate must have that
/// fingerprint (exit 5 showing both otherwise). At a terminal, a certificate no CA vouches
/// for, but whose names and dates are right, is shown and the person asked whether to
/// trust it (default no: the error as without the question). Returns the pin when a
/// certificate was saved for the login to use, `None` when nothing changed.
pub(super) async fn check(
    args: &LoginArgs,
    session: &Session<'_>,
    client: &Client<'_>,
    context: &dyn Fn() -> String,
) -> Result<Option<Pin>> {
    let server = client.server();
    let want = args
        .pin
        .as_deref()
        .map(certificate::parse_pin)
        .transpose()?;
    if want.is_some() && (!server.is_https() || session.settings.insecure) {
        return Err(Error::new(
            Exit::Usage,
            "--pin is for an https:// server whose certificate is checked (not with --insecure)",
        )
        .into());
    }
    if want.is_none() && !session.interactive {
        return Ok(None);
    }
    let reached = client.reach().await;
    let Some(presented) = client.presented().filter(|_| server.is_https()) else {
        return match reached {
            Ok(_) => Ok(None),
            Err(unreached) => Err(unreached.error).with_context(context),
        };
    };
    let cert = presented.certificate;
    let got = certificate::fingerprint(cert.as_ref());
    if let Some(want) = want {
        if got != want {
            return Err(Error::new(
                Exit::Unreachable,
                format!(
                    "the TLS certificate of {} has the SHA-256 fingerprint {got}, not {want} (--pin): nothing was sent",
                    server.host_port()
                ),
            )
            .hint("check --server and the fingerprint with the server's admin (openssl x509 -noout -fingerprint -sha256 -in cert.pem prints it)")
            .into());
        }
        // Pinned, its names and dates are still checked: nothing is saved for one that
        // is wrong.
        if !pinnable(&cert, server.host()) {
            let what = certificate::describe(cert.as_ref()).map_or_else(String::new, |c| {
                format!(
                    ": it is for {}, valid {} to {}",
                    c.names_listed(),
                    certificate::date(c.not_before),
                    certificate::date(c.not_after)
                )
            });
            return Err(Error::new(
                Exit::Unreachable,
                format!(
                    "the TLS certificate of {} has the fingerprint given, but its names or dates are wrong for it{what}",
                    server.host_port()
                ),
            )
            .hint("use a name the certificate holds in --server, or have the certificate remade; a pin does not change what it is for")
            .into());
        }
        return save(session, &cert, got).map(Some);
    }
    let Err(unreached) = reached else {
        return Ok(None);
    };
    // Only a certificate that no one vouched for, and that pinned would be right (names,
    // dates), for a profile that never pinned one: any other failure is the error it is.
    // A pinned certificate that changed is refused as ssh refuses a changed host key, with
    // the command that trusts the new one on purpose (never a reflex "y").
    let untrusted = unreached.in_tls
        && presented.vouched_by.is_none()
        && session.connect().tls(server).pin.is_none()
        && session.selected.profile().is_none_or(|p| p.pin.is_none())
        && pinnable(&cert, server.host());
    if !untrusted || !ask(session, client, &cert)? {
        return Err(unreached.error).with_context(context);
    }
    save(session, &cert, got).map(Some)
}

/// Show the certificate and ask whether to trust it for this server; `false` unless yes.
fn ask(session: &Session<'_>, client: &Client<'_>, cert: &CertificateDer<'_>) -> Result<bool> {
    let server = client.server();
    let Some(c) = certificate::describe(cert.as_ref()) else {
        return Ok(false);
    };
    crate::sys::to_stderr(&shown(server.host_port().as_str(), &c));
    let answer = session.ask().yes_no(&format!(
        "Trust this certificate for {}? [y/N] ",
        server.host_port()
    ))?;
    Ok(answer == Some(true))
}

/// The certificate as the question shows it.
fn shown(host: &str, c: &Described) -> String {
    let issuer = if c.self_signed {
        "itself (self-signed)".to_string()
    } else {
        c.issuer.clone()
    };
    format!(
        "No CA this machine trusts vouches for the TLS certificate of {host}:\n  subject      {}\n  names        {}\n  issued by    {issuer}\n  valid        {} to {}\n  SHA-256      {}\nCompare the fingerprint with the one the server's admin gives you before you trust it.",
        c.subject,
        c.names_listed(),
        certificate::date(c.not_before),
        certificate::date(c.not_after),
        c.fingerprint
    )
}

/// A certificate saved for this login, in a file of its own: the profile's trust changes
/// only when the login succeeds (`settle`).
pub(super) struct Pin {
    pub file: PathBuf,
    pub fingerprint: String,
    /// Whether the file is new (else another login pinned the same certificate before).
    created: bool,
}

impl Pin {
    /// After the login: a failed one removes the file it made (the profile still trusts
    /// what it trusted); a good one says what is pinned now and removes the file the
    /// profile pinned before, unless another profile uses it.
    /// A login that failed after it wrote the profile (its token rescued, say) pinned the
    /// certificate all the same: the profile now names this file, which stays.
    pub(super) fn settle(&self, session: &Session<'_>, logged_in: bool) {
        let pinned_anyway = || {
            crate::config::load(&session.selected.config_dir)
                .ok()
                .and_then(|c| c.profile(&session.selected.profile_name)?.ca_cert.clone())
                .is_some_and(|file| file == self.file)
        };
        if !logged_in && !pinned_anyway() {
            if self.created {
                let _ = std::fs::remove_file(&self.file);
            }
            return;
        }
        session.out.note(&format!(
            "Pinned the certificate (SHA-256 {}) in {} for profile {}.",
            self.fingerprint,
            self.file.display(),
            crate::redact::inline(&session.selected.profile_name)
        ));
        forget_pinned(session, &session.selected.profile_name, Some(&self.file));
    }
}

/// Remove the certificate file saymon pinned for profile `name` (in `certs/`), unless it
/// is `keep` or another profile trusts the same file. Best effort: a file left behind
/// only takes room.
pub(crate) fn forget_pinned(session: &Session<'_>, name: &str, keep: Option<&Path>) {
    let certs = std::path::absolute(certs_dir(session)).ok();
    let Some(file) = session
        .selected
        .config
        .profile(name)
        .filter(|p| p.pin.is_some())
        .and_then(|p| p.ca_cert.clone())
        .filter(|f| Some(f.as_path()) != keep && f.parent() == certs.as_deref())
    else {
        return;
    };
    let shared = session
        .selected
        .config
        .profiles
        .iter()
        .any(|(other, p)| other != name && p.ca_cert.as_ref() == Some(&file));
    if !shared {
        let _ = std::fs::remove_file(file);
    }
}

/// Where pinned certificates are kept: `certs/` in the config dir.
fn certs_dir(session: &Session<'_>) -> PathBuf {
    session.selected.config_dir.join("certs")
}

/// Write `cert` (PEM) to `certs/<profile>-<fingerprint's start>.pem` in the config dir,
/// atomically: a file of its own for each certificate, so that what a profile trusts now
/// is never overwritten by a login that may yet fail.
fn save(session: &Session<'_>, cert: &CertificateDer<'_>, fingerprint: String) -> Result<Pin> {
    let name = if crate::config::valid_profile_name(&session.selected.profile_name) {
        session.selected.profile_name.clone()
    } else {
        "profile".to_string()
    };
    let dir = certs_dir(session);
    crate::fsutil::ensure_private_dir(&session.selected.config_dir)?;
    // Never written through a link, nor into a directory another user could change.
    crate::config::check_own_private(&dir, "chmod 700")?;
    crate::fsutil::ensure_private_dir(&dir)?;
    let short: String = fingerprint.chars().filter(|&c| c != ':').take(16).collect();
    let file = std::path::absolute(dir.join(format!("{name}-{}.pem", short.to_ascii_lowercase())))?;
    let created = !file.exists();
    // PEM's framing (RFC 7468: a label line, base64 in lines of 64, an end line) around
    // data-encoding's base64: rustls-pki-types reads PEM but does not write it.
    let base64 = data_encoding::BASE64.encode(cert.as_ref());
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in base64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    crate::fsutil::write_atomic(&file, pem.as_bytes())?;
    Ok(Pin {
        file,
        fingerprint,
        created,
    })
}
