//! Which store holds a profile's secrets, and the question before falling back to the
//! file store when the keyring cannot be used.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;

use super::stored::{accept_stored_token, legacy_account_of, stored_secret};
use crate::config::StoreKind;
use crate::error::{Error, Exit};
use crate::output::Output;
use crate::redact;
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::StoreChoice;
use crate::store::file::FileStore;
use crate::store::keyring::{self, KeyringStore, Left};
use crate::store::{self, SecretKind, SecretStore};
use crate::store::{OpenStore, RunStores};

use super::Session;

/// The run's secret stores, as one service: opening a store, the file store's file, the
/// rescue file (see `lifecycle`), the keyring's housekeeping. It knows no profile: the
/// session says whose account (`store::account`) a call is about.
#[derive(Clone)]
pub(crate) struct Stores<'a> {
    /// The run's one keyring connection, shared by every profile (see `store::keyring`).
    keyring: KeyringStore,
    /// Opens a store of a kind: `RunStores`, or a test's.
    open: Arc<dyn OpenStore + 'a>,
    config_dir: PathBuf,
    out: &'a Output,
}

impl<'a> Stores<'a> {
    /// The stores of a run in `config_dir`: the keyring through `keyring`, messages to `out`.
    pub(crate) fn new(keyring: KeyringStore, config_dir: PathBuf, out: &'a Output) -> Stores<'a> {
        let open = Arc::new(RunStores {
            keyring: keyring.clone(),
            config_dir: config_dir.clone(),
        });
        Stores {
            keyring,
            open,
            config_dir,
            out,
        }
    }

    /// These stores, opened by `open` (a test's fakes) instead.
    #[cfg(test)]
    pub(crate) fn opened_by(&self, open: Arc<dyn OpenStore + 'a>) -> Stores<'a> {
        Stores {
            open,
            ..self.clone()
        }
    }

    /// The store of `kind`, opened for this run (the keyring through its one connection).
    pub(crate) fn open(&self, kind: StoreKind) -> Box<dyn SecretStore> {
        self.open.open(kind)
    }

    /// The file store's file (credentials.toml in the config dir), whether or not it exists.
    pub(crate) fn credentials_file(&self) -> PathBuf {
        FileStore::new(&self.config_dir).path().to_path_buf()
    }

    /// The rescue file (see `lifecycle`), whether or not it exists.
    pub(crate) fn rescue_file(&self) -> PathBuf {
        self.rescue().path().to_path_buf()
    }

    /// Read the file store's file as every command does (its owner and mode checked, then
    /// parsed), for `doctor`. Errors: one that others may read (exit 7), a garbled file.
    pub(crate) fn check_credentials_file(&self) -> Result<()> {
        FileStore::new(&self.config_dir).get("doctor@check", SecretKind::Token)?;
        Ok(())
    }

    /// One sentence on where the secrets of `account` stay in the store `kind` (`profile
    /// remove --keep-secrets`), and for the keyring the command that removes the token.
    pub(crate) fn kept_secrets_note(&self, kind: StoreKind, account: &str) -> String {
        match kind {
            StoreKind::Keyring => format!(
                "Its token (and a remembered password) stay in the keyring, account {account} (service {}): where the keyring answers, `{}` removes the token.",
                keyring::service(SecretKind::Token),
                keyring::clear_command(SecretKind::Token, account)
            ),
            StoreKind::File => format!(
                "Its token (and a remembered password) stay in the file {}, account {account}.",
                self.credentials_file().display()
            ),
        }
    }

    /// `login`, before the password is asked for: where the keyring holds several items
    /// for `login`'s account on `server` (another client stored one beside saymon's),
    /// saymon's own are removed and the others kept, and both are said. Nothing happens
    /// for the file store. Exit 7 when several items of other clients stay for the token
    /// (naming the command that removes them), or when the keyring cannot be used.
    pub(crate) fn tidy_keyring(
        &self,
        kind: StoreKind,
        login: &str,
        server: &ServerUrl,
    ) -> Result<()> {
        if kind != StoreKind::Keyring {
            return Ok(());
        }
        let account = store::account(login, server);
        for tidied in self.keyring.tidy(&account)? {
            let what = format!("the {} of {account}", tidied.kind.name());
            let kept = keyring::quoted_labels(&tidied.left);
            let message = match (tidied.removed, tidied.left.len()) {
                (n, 0) => format!(
                    "Removed {n} items of saymon's own for {what} from the keyring: one is made anew."
                ),
                (n, k) if n > 0 => format!(
                    "Removed saymon's own keyring item{} for {what}; kept {} that another client stored beside it ({kept}){}.",
                    if n == 1 { "" } else { "s" },
                    if k == 1 { "the one" } else { "those" },
                    if tidied.kind == SecretKind::Token && k == 1 {
                        ": it holds the new token"
                    } else {
                        ""
                    }
                ),
                (_, k) => format!(
                    "The keyring holds {k} items that other clients stored for {what} ({kept}): saymon leaves them; `{}` removes them.",
                    keyring::clear_command(tidied.kind, &tidied.account)
                ),
            };
            self.out.note(&message);
        }
        Ok(())
    }

    /// After secrets were removed (`logout`, `profile remove`): warn of the items of other
    /// clients that stayed in the keyring beside saymon's, with the command that removes
    /// them, and return them (for `--output json`).
    pub(crate) fn warn_keyring_left(&self) -> Vec<Left> {
        let left = self.keyring.left_behind();
        for l in &left {
            let what = format!("the {} of {}", l.kind.name(), l.account);
            let clear = keyring::clear_command(l.kind, &l.account);
            let labels = keyring::quoted_labels(&l.labels);
            self.out.warn(&if l.labels.len() == 1 {
                format!(
                    "the keyring item that another client stored for {what} stays ({labels}), and saymon reads it as the {} while it is the only one: `{clear}` removes it",
                    l.kind.name()
                )
            } else {
                format!(
                    "{} keyring items that other clients stored for {what} stay ({labels}): `{clear}` removes them",
                    l.labels.len()
                )
            });
        }
        left
    }

    /// The rescue file (see `lifecycle`): tokens that were made but could not be stored.
    pub(crate) fn rescue(&self) -> FileStore {
        FileStore::rescue(&self.config_dir)
    }

    /// The token of `login` on `server` waiting in the rescue file, if any, checked as
    /// every token is (`token::accept_token`).
    pub(crate) fn rescued_token(&self, login: &str, server: &ServerUrl) -> Result<Option<Secret>> {
        let rescue = self.rescue();
        let account = store::account(login, server);
        rescue
            .get(&account, SecretKind::Token)?
            .map(|token| accept_stored_token(token, &rescue, &account))
            .transpose()
    }

    /// Whether a token of `login` on `server` waits in the rescue file: a first look,
    /// without the lock and without checking it. Errors: the file's (exit 7).
    pub(crate) fn rescue_waits(&self, login: &str, server: &ServerUrl) -> Result<bool> {
        let account = store::account(login, server);
        Ok(self.rescue().get(&account, SecretKind::Token)?.is_some())
    }

    /// Remove the token of `login` on `server` from the rescue file (it cannot be used);
    /// returns the file, described, for the message. Errors: the file's (exit 7).
    pub(crate) fn drop_rescued(&self, login: &str, server: &ServerUrl) -> Result<String> {
        let rescue = self.rescue();
        rescue.delete(&store::account(login, server), SecretKind::Token)?;
        Ok(rescue.describe())
    }
}

impl<'a> Session<'a> {
    /// The selected profile's store and account on `server`, if it has stored anything.
    pub(crate) fn profile_store(&self, server: &ServerUrl) -> Option<(StoreKind, String)> {
        Some((self.selected.profile()?.store?, self.account(server)?))
    }

    /// The store for a new token: --store, else the profile's, else auto. Checked for
    /// writing before any token is created. Auto never falls back to the file silently.
    pub(crate) fn choose_store(
        &self,
        choice: Option<StoreChoice>,
    ) -> Result<(StoreKind, Box<dyn SecretStore>)> {
        let kind = match super::precedence::store(choice, self.selected.profile()) {
            StoreChoice::Keyring => StoreKind::Keyring,
            StoreChoice::File => StoreKind::File,
            StoreChoice::Auto => {
                let keyring = self.stores.open(StoreKind::Keyring);
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
        let store = self.stores.open(kind);
        // Checked now, so that nobody types a password for nothing; proven (reserved), under
        // the token lock, right before a token is made (see `lifecycle`).
        store.check()?;
        Ok((kind, store))
    }

    fn ask_file_instead(&self, keyring_error: &anyhow::Error) -> Result<()> {
        let path = self.selected.config_dir.join(store::file::CREDENTIALS_FILE);
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
            let keep = self.ask.yes_no(&format!(
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
    pub(crate) fn account(&self, server: &ServerUrl) -> Option<String> {
        let login = self.selected.profile()?.login.as_deref()?;
        Some(store::account(login, server))
    }

    /// The name saymon 0.1 gave this profile's account (see `legacy_account_of`).
    pub(crate) fn own_legacy_account(&self, server: &ServerUrl, login: &str) -> Option<String> {
        legacy_account_of(self.selected.profile()?, server, login)
    }

    /// A secret of the selected profile on `server` (see `stored_secret`).
    pub(crate) fn stored_secret(
        &self,
        store: &dyn SecretStore,
        server: &ServerUrl,
        kind: SecretKind,
    ) -> Result<Option<Secret>> {
        match self.selected.profile() {
            Some(profile) => stored_secret(profile, store, server, kind, self.out),
            None => Ok(None),
        }
    }

    /// The other profiles whose secrets are `name`'s as config.toml has it (the same login
    /// on the same server, in the same store: one entry), escaped for messages.
    pub(crate) fn profiles_sharing_secrets(&self, name: &str) -> Vec<String> {
        match self.stored_under(name) {
            Some((kind, account)) => self.profiles_sharing(name, kind, &account),
            None => Vec::new(),
        }
    }

    /// The profiles other than `name` whose secrets are kept under `account` in the store
    /// `kind` (the same login on the same server: one entry), escaped for messages.
    pub(crate) fn profiles_sharing(
        &self,
        name: &str,
        kind: StoreKind,
        account: &str,
    ) -> Vec<String> {
        self.selected
            .config
            .profiles
            .keys()
            .filter(|other| {
                *other != name
                    && self
                        .stored_under(other)
                        .is_some_and(|(k, a)| k == kind && a == account)
            })
            .map(|other| redact::inline(other))
            .collect()
    }

    /// The store and account of profile `name`'s secrets, as config.toml has it.
    fn stored_under(&self, name: &str) -> Option<(StoreKind, String)> {
        let p = self.selected.config.profile(name)?;
        let server = ServerUrl::parse(p.server.as_deref()?).ok()?;
        Some((p.store?, store::account(p.login.as_deref()?, &server)))
    }
}
