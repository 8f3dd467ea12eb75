//! Which store holds a profile's secrets, and the question before falling back to the
//! file store when the keyring cannot be used.

use anyhow::Result;

use crate::cli::StoreChoice;
use crate::config::StoreKind;
use crate::error::{Error, Exit};
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::file::FileStore;
use crate::store::{self, SecretKind, SecretStore, legacy_account_of, stored_secret};

use super::Session;

impl<'a> Session<'a> {
    /// The selected profile's store and account on `server`, if it has stored anything.
    pub fn profile_store(&self, server: &ServerUrl) -> Option<(StoreKind, String)> {
        Some((self.profile()?.store?, self.account(server)?))
    }

    pub fn store_of(&self, kind: StoreKind) -> Box<dyn SecretStore> {
        match kind {
            StoreKind::Keyring => Box::new(self.keyring.clone()),
            StoreKind::File => Box::new(FileStore::new(&self.config_dir)),
        }
    }

    /// The store for a new token: --store, else the profile's, else auto. Checked for
    /// writing before any token is created. Auto never falls back to the file silently.
    pub fn choose_store(
        &self,
        choice: Option<StoreChoice>,
    ) -> Result<(StoreKind, Box<dyn SecretStore>)> {
        let choice = choice.unwrap_or(match self.profile().and_then(|p| p.store) {
            Some(StoreKind::Keyring) => StoreChoice::Keyring,
            Some(StoreKind::File) => StoreChoice::File,
            None => StoreChoice::Auto,
        });
        let kind = match choice {
            StoreChoice::Keyring => StoreKind::Keyring,
            StoreChoice::File => StoreKind::File,
            StoreChoice::Auto => {
                let keyring = self.store_of(StoreKind::Keyring);
                match keyring.check() {
                    Ok(()) => return Ok((StoreKind::Keyring, keyring)),
                    Err(e) if crate::error::exit_code(&e) == Exit::StoreUnusable => {
                        self.ask_file_instead(&e)?;
                        StoreKind::File
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let store = self.store_of(kind);
        // Checked now, so that nobody types a password for nothing; proven (reserved), under
        // the token lock, right before a token is made (see `issue`).
        store.check()?;
        Ok((kind, store))
    }

    fn ask_file_instead(&self, keyring_error: &anyhow::Error) -> Result<()> {
        let path = self.config_dir.join(store::file::CREDENTIALS_FILE);
        if self.interactive {
            let reason = keyring_error.to_string();
            let mut chars = reason.chars();
            let first = chars
                .next()
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default();
            self.out.note(&format!("{first}{}.", chars.as_str()));
            self.out
                .note("Before any password is asked: where should the new token be kept?");
            let keep = crate::prompt::prompt_yes_no(&format!(
                "Keep the token in the file {} (readable only by you) instead? [y/N] ",
                path.display()
            ))?;
            let why = match keep {
                Some(true) => return Ok(()),
                Some(false) => "the file was declined",
                None => "no yes or no came for the file (three tries)",
            };
            return Err(Error::new(
                Exit::StoreUnusable,
                format!("no place to keep the token: the keyring cannot be used and {why}"),
            )
            .hint("start or unlock the keyring and try again, or pass --store file")
            .into());
        }
        Err(Error::new(
            Exit::StoreUnusable,
            format!("{keyring_error}; not falling back to a file without asking"),
        )
        .hint(format!(
            "pass --store file to keep the token in {} (mode 0600)",
            path.display()
        ))
        .into())
    }

    /// The account of the selected profile on `server`, if the profile has a login.
    pub fn account(&self, server: &ServerUrl) -> Option<String> {
        let login = self.profile()?.login.as_deref()?;
        Some(store::account(login, server))
    }

    /// The name saymon 0.1 gave this profile's account (see `legacy_account_of`).
    pub fn own_legacy_account(&self, server: &ServerUrl, login: &str) -> Option<String> {
        legacy_account_of(self.profile()?, server, login)
    }

    /// A secret of the selected profile on `server` (see `stored_secret`).
    pub fn stored_secret(
        &self,
        store: &dyn SecretStore,
        server: &ServerUrl,
        kind: SecretKind,
    ) -> Result<Option<Secret>> {
        match self.profile() {
            Some(profile) => stored_secret(profile, store, server, kind, self.out),
            None => Ok(None),
        }
    }
}
