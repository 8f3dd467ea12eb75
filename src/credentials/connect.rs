//! How a profile reaches its server: the TLS files in force (flags, variables, the
//! profile's) and the one client built from them.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

use crate::client::{Client, ClientOptions, PinSource, Tls};
use crate::error::{Error, Exit};
use crate::server::ServerUrl;

use super::Session;

impl<'a> Session<'a> {
    /// The CA certificate: --ca-cert / SAYMON_CA_CERT, else the profile's. A profile's
    /// pinned certificate is replaced only by --ca-cert on the command line, on purpose:
    /// never by a SAYMON_CA_CERT that the environment holds for other servers.
    pub(crate) fn ca_cert(&self) -> Option<PathBuf> {
        if let Some((file, _)) = &self.pinned {
            return Some(file.clone());
        }
        let profile = self.profile();
        let pinned_profile = profile.is_some_and(|p| p.pin.is_some());
        if pinned_profile && self.pin_anew {
            return self.settings.ca_cert.clone();
        }
        if pinned_profile && !self.ca_cert_on_command_line() {
            return profile.and_then(|p| p.ca_cert.clone());
        }
        self.settings
            .ca_cert
            .clone()
            .or_else(|| profile.and_then(|p| p.ca_cert.clone()))
    }

    /// Whether --ca-cert was given on the command line (clap reads SAYMON_CA_CERT into the
    /// same option).
    fn ca_cert_on_command_line(&self) -> bool {
        self.settings.ca_cert.is_some()
            && std::env::var_os("SAYMON_CA_CERT").map(PathBuf::from) != self.settings.ca_cert
    }

    /// The fingerprint of the one certificate to trust, and where it comes from:
    /// SAYMON_PIN; else the one `login` just pinned (`with_pin`); else the profile's pin
    /// (unless --ca-cert replaces its file).
    fn pin(&self) -> Option<(String, PinSource)> {
        if let Some(pin) = &self.env_pin {
            return Some((pin.clone(), PinSource::Environment));
        }
        let login = PinSource::Login {
            flag: self.profile_flag(),
        };
        if let Some((_, pin)) = &self.pinned {
            return Some((pin.clone(), login));
        }
        if self.ca_cert_on_command_line() || self.pin_anew {
            return None;
        }
        self.profile()
            .and_then(|p| p.pin.clone())
            .map(|p| (p, login))
    }

    /// The TLS settings for `server`: each from its flag or variable, else the profile's;
    /// the profile's `login --insecure` only for the profile's own server.
    pub(crate) fn tls(&self, server: &ServerUrl) -> Tls {
        let profile = self.profile();
        // The certificate and its key come as a pair: a flag for one replaces both.
        let (client_cert, client_key) =
            if self.settings.client_cert.is_some() || self.settings.client_key.is_some() {
                (
                    self.settings.client_cert.clone(),
                    self.settings.client_key.clone(),
                )
            } else {
                (
                    profile.and_then(|p| p.client_cert.clone()),
                    profile.and_then(|p| p.client_key.clone()),
                )
            };
        let (pin, mut pin_source) = self.pin().unzip();
        // The command that pins anew names the server, when it is not the profile's own.
        if let Some(PinSource::Login { flag }) = &mut pin_source
            && !profile
                .and_then(|p| p.server.as_deref())
                .and_then(|s| ServerUrl::parse(s).ok())
                .is_some_and(|s| s.same_origin_as(server))
        {
            flag.push_str(&format!(" --server {server}"));
        }
        Tls {
            ca_cert: self.ca_cert(),
            client_cert,
            client_key,
            insecure: self.insecure(server),
            pin,
            pin_source: pin_source.unwrap_or_default(),
        }
    }

    /// Profile `name`'s server: for the selected profile --server / SAYMON_SERVER win, as
    /// for every command; another profile has its own (`status`, `doctor --all`).
    pub(crate) fn server_of(&self, name: &str) -> Result<Option<ServerUrl>> {
        if name == self.profile_name {
            return self.server();
        }
        self.profile_server(name)
    }

    /// Profile `name`'s TLS settings for `server`: the flags' for the selected profile,
    /// another profile's own otherwise.
    pub(crate) fn tls_of(&self, name: &str, server: &ServerUrl) -> Tls {
        if name == self.profile_name {
            self.tls(server)
        } else {
            let mut tls = self.config.profile(name).map(Tls::of).unwrap_or_default();
            tls.pin_source = PinSource::Login {
                flag: format!(" --profile {}", crate::redact::inline(name)),
            };
            tls
        }
    }

    pub(crate) fn client(&self, server: &ServerUrl) -> Result<Client<'a>> {
        self.client_with(server, &self.tls(server))
    }

    /// Whether the certificate of `server` goes unverified: --insecure, or the profile's
    /// `login --insecure` when `server` is the profile's own.
    pub(crate) fn insecure(&self, server: &ServerUrl) -> bool {
        self.settings.insecure
            || !self.trust_anew
                && self.profile().is_some_and(|p| {
                    p.insecure
                        && p.server
                            .as_deref()
                            .and_then(|s| ServerUrl::parse(s).ok())
                            .is_some_and(|s| s.same_origin_as(server))
                })
    }

    /// A client for `server` with these TLS settings (another profile's, for `status`).
    pub(crate) fn client_with(&self, server: &ServerUrl, tls: &Tls) -> Result<Client<'a>> {
        Client::new(
            server.clone(),
            &ClientOptions {
                tls,
                timeout: Duration::from_secs(self.settings.timeout),
                retries: self.settings.retries,
            },
            self.out,
        )
    }
}

/// SAYMON_PIN, when set and not empty: the SHA-256 fingerprint of the only certificate to
/// trust, for a CI job that has no login to pin it (nothing is written). Exit 2 when it is
/// not a fingerprint, or with --insecure (which would ignore it).
pub(super) fn env_pin(insecure: bool) -> Result<Option<String>> {
    let Some(value) = std::env::var_os("SAYMON_PIN") else {
        return Ok(None);
    };
    let value = value.to_string_lossy();
    if value.trim().is_empty() {
        return Ok(None);
    }
    if insecure {
        return Err(Error::new(
            Exit::Usage,
            "SAYMON_PIN trusts one certificate, --insecure any: they do not go together",
        )
        .hint("drop --insecure (SAYMON_PIN is the safe way to trust a self-signed server)")
        .into());
    }
    crate::client::certificate::parse_pin(&value)
        .map(Some)
        .map_err(|e| {
            Error::new(Exit::Usage, e.message.replacen("--pin", "SAYMON_PIN", 1))
                .hint(e.hint.unwrap_or_default())
                .into()
        })
}
