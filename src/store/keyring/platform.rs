//! The platform's store through keyring-core: the Secret Service on Linux and the BSDs, the
//! Keychain on macOS, the Credential Manager on Windows.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error as KeyringError};

use super::{Crowd, Problem, SecretKind, label, service};
use crate::redact::server_text;
use crate::secret::Secret;

pub(super) struct Keyring {
    store: Arc<CredentialStore>,
}

/// An account's items when there are several: saymon's own, and the labels of the
/// others.
pub(super) struct Survey {
    own: Vec<Entry>,
    others: Vec<String>,
}

/// What `delete` and `tidy` did: whether saymon's item(s) were there (and are gone),
/// and the labels of other clients' items that stay.
pub(super) struct Removed {
    pub had: bool,
    pub removed: usize,
    pub left: Vec<String>,
}

/// The Secret Service's own reasons, in our words (its texts name no secret).
#[cfg(all(unix, not(target_os = "macos")))]
fn platform_problem(e: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Problem> {
    use secret_service::Error as Ss;
    Some(match e.downcast_ref::<Ss>()? {
        Ss::Prompt => Problem::Refused("it is locked, and its unlock prompt was dismissed".into()),
        Ss::PromptDisconnected => {
            Problem::Refused("it is locked, and its unlock prompt went away unanswered".into())
        }
        Ss::Locked => Problem::Refused("it is locked".into()),
        Ss::NoResult => Problem::Refused(
            "it has no default collection to keep secrets in (create or unlock the \"login\" keyring)".into(),
        ),
        Ss::Unavailable => {
            Problem::Unreachable("no Secret Service is running on the session bus".into())
        }
        other => Problem::Unreachable(server_text(&other.to_string(), 200)),
    })
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn platform_problem(_: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Problem> {
    None
}

/// The platform's text names no secret; it is still folded to one line and cleaned of
/// control characters, as every text from elsewhere is. Several items (`Ambiguous`)
/// need the account's name: see `Keyring::crowd`.
fn problem(e: KeyringError) -> Problem {
    let one_line = |text: &str| server_text(text, 200);
    match e {
        KeyringError::NoStorageAccess(e) => platform_problem(e.as_ref())
            .unwrap_or_else(|| Problem::Refused(one_line(&e.to_string()))),
        KeyringError::PlatformFailure(e) => platform_problem(e.as_ref())
            .unwrap_or_else(|| Problem::Unreachable(one_line(&e.to_string()))),
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => Problem::NotText,
        other => Problem::Failed(one_line(&other.to_string())),
    }
}

/// An item's label (what Seahorse and secret-tool show). Only the Secret Service has
/// several items for one account; elsewhere there is no label to read.
#[cfg(all(unix, not(target_os = "macos")))]
fn label_of(item: &Entry) -> Option<String> {
    use zbus_secret_service_keyring_store::cred::Wrapper;
    item.as_any().downcast_ref::<Wrapper>()?.get_label().ok()
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn label_of(_: &Entry) -> Option<String> {
    None
}

/// Whether `item` is one saymon wrote for `account`: labelled as saymon labels it (or
/// as keyring-rs labels an item it was given no label for, as saymon's earlier client
/// was), with no attribute but `service` and `username` (and the generic schema that
/// gnome-keyring may add to an item written without one).
fn is_own(item: &Entry, kind: SecretKind, account: &str, item_label: Option<&str>) -> bool {
    let labelled = item_label.is_some_and(|l| {
        l == label(kind, account) || l == format!("keyring:{account}@{}", service(kind))
    });
    let plain = item.get_attributes().is_ok_and(|attributes| {
        attributes.iter().all(|(key, value)| match key.as_str() {
            "service" => value == service(kind),
            "username" => value == account,
            "xdg:schema" => value == "org.freedesktop.Secret.Generic",
            _ => false,
        })
    });
    labelled && plain
}

/// The items of `account` when there are several, sorted into saymon's and the others'.
fn survey(kind: SecretKind, account: &str, items: Vec<Entry>) -> Survey {
    let mut survey = Survey {
        own: Vec::new(),
        others: Vec::new(),
    };
    for item in items {
        let item_label = label_of(&item);
        if is_own(&item, kind, account, item_label.as_deref()) {
            survey.own.push(item);
        } else {
            let shown = item_label.map_or_else(|| "(no label)".into(), |l| server_text(&l, 80));
            survey.others.push(shown);
        }
    }
    survey
}

fn crowd(kind: SecretKind, account: &str, survey: &Survey) -> Problem {
    Problem::Ambiguous(Crowd {
        kind,
        account: account.to_string(),
        own: survey.own.len(),
        others: survey.others.clone(),
    })
}

impl Keyring {
    pub(super) fn open() -> Result<Keyring, Problem> {
        #[cfg(all(unix, not(target_os = "macos")))]
        let store = zbus_secret_service_keyring_store::Store::new();
        #[cfg(target_os = "macos")]
        let store = apple_native_keyring_store::keychain::Store::new();
        #[cfg(target_os = "windows")]
        let store = windows_native_keyring_store::Store::new();
        Ok(Keyring {
            store: store.map_err(problem)?,
        })
    }

    /// The entry of `account` for `kind`. On the Secret Service a new item is
    /// labelled `label` (what Seahorse and secret-tool show); Keychain and Credential
    /// Manager name entries by service and account themselves.
    fn entry(&self, kind: SecretKind, account: &str) -> Result<Entry, Problem> {
        #[cfg(all(unix, not(target_os = "macos")))]
        let entry = Entry::new_in_store_with_modifiers(
            &self.store,
            service(kind),
            account,
            &std::collections::HashMap::from([("label", label(kind, account).as_str())]),
        );
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        let entry = Entry::new_in_store(&self.store, service(kind), account);
        entry.map_err(problem)
    }

    /// `e` in words; several items are surveyed, so that the error can say whose they are.
    fn failure(kind: SecretKind, account: &str, e: KeyringError) -> Problem {
        match e {
            KeyringError::Ambiguous(items) => crowd(kind, account, &survey(kind, account, items)),
            e => problem(e),
        }
    }

    pub(super) fn get(
        &mut self,
        kind: SecretKind,
        account: &str,
    ) -> Result<Option<Secret>, Problem> {
        match self.entry(kind, account)?.get_password() {
            Ok(p) => Ok(Some(Secret::new(p))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(Self::failure(kind, account, e)),
        }
    }

    /// Set the secret of the one entry of `account` (updated in place, whoever wrote
    /// it), or create it labelled as saymon labels its items.
    pub(super) fn set(
        &mut self,
        kind: SecretKind,
        account: &str,
        secret: &str,
    ) -> Result<(), Problem> {
        self.entry(kind, account)?
            .set_password(secret)
            .map_err(|e| Self::failure(kind, account, e))
    }

    /// Remove the entry of `account`. Where there are several items (another client
    /// stored one beside saymon's), saymon's own go and the others stay: `left`.
    pub(super) fn delete(&mut self, kind: SecretKind, account: &str) -> Result<Removed, Problem> {
        match self.entry(kind, account)?.delete_credential() {
            Ok(()) => Ok(Removed {
                had: true,
                removed: 1,
                left: Vec::new(),
            }),
            Err(KeyringError::NoEntry) => Ok(Removed {
                had: false,
                removed: 0,
                left: Vec::new(),
            }),
            Err(KeyringError::Ambiguous(items)) => Self::remove_own(survey(kind, account, items)),
            Err(e) => Err(problem(e)),
        }
    }

    /// Where `account` has several items, remove saymon's own and keep the others
    /// (`left`); one item or none is left as it is.
    pub(super) fn tidy(&mut self, kind: SecretKind, account: &str) -> Result<Removed, Problem> {
        match self.entry(kind, account)?.get_credential() {
            Ok(_) | Err(KeyringError::NoEntry) => Ok(Removed {
                had: false,
                removed: 0,
                left: Vec::new(),
            }),
            Err(KeyringError::Ambiguous(items)) => Self::remove_own(survey(kind, account, items)),
            Err(e) => Err(problem(e)),
        }
    }

    fn remove_own(survey: Survey) -> Result<Removed, Problem> {
        let removed = survey.own.len();
        for item in survey.own {
            match item.delete_credential() {
                Ok(()) | Err(KeyringError::NoEntry) => {}
                Err(e) => return Err(problem(e)),
            }
        }
        Ok(Removed {
            had: removed > 0,
            removed,
            left: survey.others,
        })
    }
}
