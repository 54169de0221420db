//! Kept secrets (opt-in, off by default): a new PAT's secret kept in the OS keyring so
//! that it can be copied again later. One entry per PAT (user `pat/<id>` of the service
//! `adopat`), removed when the PAT is revoked or regenerated. The state file lists which
//! PATs have one (ids only), so nothing asks the keyring for a PAT that has none.

use crate::error::Result;
use crate::secret::Secret;
use crate::state::State;
use crate::vault::Vault;
use std::path::Path;
use uuid::Uuid;

/// The keyring user of a PAT's kept secret; distinct from an account's
/// `<tenant>/<object id>`.
pub fn user(id: Uuid) -> String {
    format!("pat/{id}")
}

/// Keeps `secret` as PAT `id`'s.
pub fn keep(dir: &Path, id: Uuid, secret: &Secret) -> Result<()> {
    Vault::os()?.store(&user(id), secret)?;
    State::update(dir, |state| {
        if !state.kept.contains(&id) {
            state.kept.push(id);
        }
    })
}

/// The secret kept for PAT `id`, if one is.
pub fn fetch(dir: &Path, id: Uuid) -> Result<Option<Secret>> {
    if !is_kept(dir, id) {
        return Ok(None);
    }
    Vault::os()?.fetch(&user(id))
}

pub fn is_kept(dir: &Path, id: Uuid) -> bool {
    State::load(dir).kept.contains(&id)
}

/// Removes PAT `id`'s kept secret (it was revoked or replaced). Failing to is logged:
/// the PAT no longer works, so what is left behind opens nothing.
pub fn forget(dir: &Path, id: Uuid) {
    if !is_kept(dir, id) {
        return;
    }
    let removed = Vault::os().and_then(|vault| vault.delete(&user(id)));
    match removed {
        Ok(()) => {
            if let Err(e) = State::update(dir, |state| state.kept.retain(|k| *k != id)) {
                tracing::warn!("could not note that a kept secret was removed: {e}");
            }
        }
        Err(e) => tracing::warn!("could not remove the kept secret of PAT {id}: {e}"),
    }
}
