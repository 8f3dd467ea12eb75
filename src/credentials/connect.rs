//! How a profile reaches its server: the TLS files in force (flags, variables, the
//! profile's) and the one client built from them.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;

use crate::client::{Client, ClientOptions, PinSource, Tls};
use crate::error::{Error, Exit};
use crate::server::ServerUrl;

use super::precedence::{self, Trust};
use super::{Selected, Session};
use crate::output::Output;

/// How the selected profile reaches its server: the TLS settings in force (flags,
/// variables, the profile's, what `login` decided) and the HTTP client built from them.
/// A command gets it from its session (`Session::connect`).
pub(crate) struct Connect<'s, 'a> {
    selected: &'s Selected<'a>,
    trust: &'s Trust,
    out: &'a Output,
}

impl<'a> Session<'a> {
    /// The run's way to the server (`Connect`).
    pub(crate) fn connect(&self) -> Connect<'_, 'a> {
        Connect {
            selected: &self.selected,
            trust: &self.trust,
            out: self.out,
        }
    }
}

impl<'a> Connect<'_, 'a> {
    /// The CA certificate in force (`precedence::ca_cert`).
    pub(crate) fn ca_cert(&self) -> Option<PathBuf> {
        precedence::ca_cert(self.selected.settings, self.selected.profile(), self.trust)
    }

    /// The TLS settings for `server`: each from its flag or variable, else the profile's;
    /// the profile's `login --insecure` only for the profile's own server.
    pub(crate) fn tls(&self, server: &ServerUrl) -> Tls {
        let profile = self.selected.profile();
        let (client_cert, client_key) = precedence::client_pair(self.selected.settings, profile);
        let pin = precedence::pin(
            self.selected.settings,
            profile,
            self.trust,
            self.selected.profile_flag(),
        );
        let (pin, mut pin_source) = pin.unzip();
        // The command that pins anew names the server, when it is not the profile's own.
        if let Some(PinSource::Login { flag }) = &mut pin_source
            && !profile.is_some_and(|p| precedence::own_server(p, server))
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

    /// Profile `name`'s TLS settings for `server`: the flags' for the selected profile,
    /// another profile's own otherwise.
    pub(crate) fn tls_of(&self, name: &str, server: &ServerUrl) -> Tls {
        if name == self.selected.profile_name {
            self.tls(server)
        } else {
            let mut tls = self
                .selected
                .config
                .profile(name)
                .map(Tls::of)
                .unwrap_or_default();
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
        precedence::insecure(
            self.selected.settings,
            self.selected.profile(),
            self.trust,
            server,
        )
    }

    /// A client for `server` with these TLS settings (another profile's, for `status`).
    pub(crate) fn client_with(&self, server: &ServerUrl, tls: &Tls) -> Result<Client<'a>> {
        self.client_made(server, tls, true)
    }

    /// The client `saymon proxy` forwards with: the profile's, but a redirect is handed
    /// back to the proxy's client as it is, never followed (to a path outside the API).
    pub(crate) fn proxy_client(&self, server: &ServerUrl) -> Result<Client<'a>> {
        self.client_made(server, &self.tls(server), false)
    }

    fn client_made(
        &self,
        server: &ServerUrl,
        tls: &Tls,
        follow_redirects: bool,
    ) -> Result<Client<'a>> {
        Client::new(
            server.clone(),
            &ClientOptions {
                tls,
                timeout: Duration::from_secs(self.selected.settings.timeout),
                retries: self.selected.settings.retries,
                follow_redirects,
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
