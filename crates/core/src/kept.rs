//! Kept secrets (opt-in, off by default): a new PAT's secret kept in the OS keyring so
//! that it can be copied again later. One entry per PAT (user `pat/<id>` of the service
//! `adopat`), removed when the PAT is revoked or regenerated. The state file lists which
//! PATs have one (ids only), so nothing asks the keyring for a PAT that has none.

use crate::error::Result;
use crate::inventory::Pat;
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

/// Notes that `secret` is `pat`'s (`places::memory`) and, when asked (`keep`), keeps it
/// in the keyring, in one locked write of the state file: `None` when not asked, else
/// whether it was kept. Failing to note it only costs exactness later, so it is logged.
pub fn remember(
    dir: &Path,
    pat: &Pat,
    secret: &Secret,
    keep: bool,
) -> Option<std::result::Result<(), String>> {
    let stored = keep.then(|| {
        Vault::os()
            .and_then(|vault| vault.store(&user(pat.id), secret))
            .map_err(|e| e.to_string())
    });
    let saved = State::update(dir, |state| {
        crate::places::memory::note(state, pat, secret);
        if matches!(stored, Some(Ok(()))) && !state.kept.contains(&pat.id) {
            state.kept.push(pat.id);
        }
    });
    match (saved, stored) {
        (Ok(()), stored) => stored,
        (Err(e), stored) => {
            tracing::warn!("could not note which PAT a new secret belongs to: {e}");
            stored.map(|kept| kept.and(Err(e.to_string())))
        }
    }
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
