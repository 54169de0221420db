//! Which PAT a secret AdoPat handed over belongs to, so a place holding it is known
//! exactly. Kept in the state file as a fingerprint (SHA-256 of the secret with a
//! domain prefix, cut to 128 bits), never the secret: a PAT is 52+ random characters,
//! so the fingerprint tells nothing about it to whoever reads the file.

use crate::inventory::Pat;
use crate::secret::Secret;
use crate::state::State;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The newest handed-over secrets kept; older ones belong to long-gone PATs.
const KEEP: usize = 500;

pub use crate::state::Remembered;

pub(super) fn pat_of_remembered(remembered: &Remembered) -> super::PatRef {
    super::PatRef {
        id: remembered.id,
        name: remembered.name.clone(),
    }
}

pub(super) struct Memory(Vec<Remembered>);

impl Memory {
    pub(super) fn load(dir: &Path) -> Self {
        Self(State::load(dir).handed_over)
    }

    pub(super) fn pat_of(&self, secret: &Secret) -> Option<&Remembered> {
        let fingerprint = fingerprint(secret);
        self.0.iter().find(|r| r.fingerprint == fingerprint)
    }
}

pub fn fingerprint(secret: &Secret) -> String {
    let mut hash = Sha256::new();
    hash.update(b"adopat handed-over secret\0");
    hash.update(secret.expose().as_bytes());
    hash.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Notes in `state` that `secret` is `pat`'s (saved with whatever else the caller
/// changes in the same locked write).
pub fn note(state: &mut State, pat: &Pat, secret: &Secret) {
    let entry = Remembered {
        fingerprint: fingerprint(secret),
        id: pat.id,
        name: pat.name.clone(),
        org: pat.orgs.first().cloned().unwrap_or_default(),
    };
    state
        .handed_over
        .retain(|r| r.fingerprint != entry.fingerprint);
    state.handed_over.push(entry);
    let over = state.handed_over.len().saturating_sub(KEEP);
    state.handed_over.drain(..over);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_stable_distinct_and_not_the_secret() {
        let one = fingerprint(&Secret::new("abc"));
        assert_eq!(one, fingerprint(&Secret::new("abc")));
        assert_ne!(one, fingerprint(&Secret::new("abd")));
        assert_eq!(one.len(), 32);
        assert!(!one.contains("abc"));
    }
}
