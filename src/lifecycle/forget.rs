//! The end of a stored token: `logout` and `token revoke` remove it here, under the same
//! token lock as its creation.

use anyhow::Result;

use super::TokenLock;
use crate::config::StoreKind;
use crate::credentials::Session;
use crate::server::ServerUrl;
use crate::store::{Change, SecretKind, SecretStore};

/// What `forget` removed, and from where.
pub(crate) struct Forgotten {
    pub account: String,
    pub store: String,
    /// `token`, `password`: what was there and is gone.
    pub removed: Vec<&'static str>,
}

/// The end of a stored token: remove the selected profile's `kinds` of secrets on
/// `server` (also any under saymon 0.1's name for it) in one write, under the token lock
/// so that no run in flight stores a token again behind our back, and sweep the file
/// store's temp files, which a killed writer may have left holding secrets.
pub(crate) fn forget(
    session: &Session<'_>,
    server: &ServerUrl,
    kinds: &[SecretKind],
) -> Result<Option<Forgotten>> {
    let Some((kind, account)) = session.profile_store(server) else {
        return Ok(None);
    };
    let _lock = TokenLock::acquire(session)?;
    let store = session.stores().open(kind);
    let login = session
        .selected
        .profile()
        .and_then(|p| p.login.clone())
        .unwrap_or_default();
    let legacy = session.own_legacy_account(server, &login);
    let mut changes = Vec::new();
    for name in std::iter::once(&account).chain(legacy.as_ref()) {
        for &kind in kinds {
            changes.push(Change {
                account: name,
                kind,
                value: None,
            });
        }
    }
    // A token waiting in the rescue file is this account's too. It goes first: it is a
    // plain file, and it is there when the store (a keyring that does not answer) fails.
    let rescue = session.stores().rescue();
    let rescued =
        kinds.contains(&SecretKind::Token) && rescue.delete(&account, SecretKind::Token)?;
    rescue.sweep()?;
    let had = store.write(&changes)?;
    if kind == StoreKind::File {
        crate::store::file::FileStore::new(&session.selected.config_dir).sweep()?;
    }
    let removed = kinds
        .iter()
        .filter(|&&k| {
            (rescued && k == SecretKind::Token)
                || changes.iter().zip(&had).any(|(c, had)| *had && c.kind == k)
        })
        .map(|k| k.name())
        .collect();
    Ok(Some(Forgotten {
        account,
        store: store.describe(),
        removed,
    }))
}
