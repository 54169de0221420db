//! What a regenerate does to the places of the PAT it replaces (`Rotation`), and what it
//! would do (`Preview`, for `regenerate --dry-run`).

use super::survey::Checks;
use super::{NotUpdated, Place, Scope, Survey, Updates, survey};
use crate::inventory::{Inventory, Pat};
use crate::secret::Secret;
use serde::Serialize;

/// What a regenerate of a PAT would do to the places (`regenerate --dry-run`): nothing is
/// created, written or sent with a found credential.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// Known to hold the PAT: they would get the new token before the old is revoked.
    pub would_update: Vec<Place>,
    /// Their PAT is not known: each would be checked before and after the revoke, and
    /// updated if it stopped working then.
    pub would_check: Vec<Place>,
}

impl Preview {
    pub async fn of(scope: &Scope, old: &Pat) -> Self {
        let (survey, held, candidates) = of_pat(scope, old).await;
        let pick = |which: Vec<usize>| {
            which
                .iter()
                .map(|&i| survey.holdings[i].place.clone())
                .collect()
        };
        Self {
            would_update: pick(held),
            would_check: pick(candidates),
        }
    }
}

/// The places that could hold `old`, found as a regenerate finds them: git is asked
/// about `old`'s organizations only (each ask is a credential helper started), and
/// those known to hold it are told from those that may (only while it works: an expired
/// or revoked PAT's places cannot be told by the revoke).
async fn of_pat(scope: &Scope, old: &Pat) -> (Survey, Vec<usize>, Vec<usize>) {
    let survey = survey(scope, &old.orgs).await;
    let held = survey.holding(old);
    let candidates = if old.status == crate::inventory::Status::Active {
        survey.unknown_of(old)
    } else {
        Vec::new()
    };
    (survey, held, candidates)
}

/// What a regenerate does with the places of the PAT it replaces: found before the
/// twin is made, written after its secret is handed over.
#[derive(Debug, Default)]
pub struct Rotation {
    survey: Survey,
    /// Known to hold the old PAT.
    held: Vec<usize>,
    /// Not known, and working while the old PAT is active: those failing once it is
    /// revoked held it.
    watched: Vec<usize>,
    /// The old PAT's organizations: where a place serving every one is checked.
    orgs: Vec<String>,
    updates: Updates,
}

impl Rotation {
    pub async fn prepare(scope: &Scope, inventory: &Inventory, old: &Pat) -> Self {
        let (mut survey, held, candidates) = of_pat(scope, old).await;
        let mut watched = Vec::new();
        let mut checks = Checks::default();
        for i in candidates {
            if survey.works(i, inventory, &old.orgs, &mut checks).await == Some(true) {
                survey.holdings[i].place.works = Some(true);
                watched.push(i);
            }
        }
        Self {
            survey,
            held,
            watched,
            orgs: old.orgs.clone(),
            updates: Updates::default(),
        }
    }

    /// Writes the new secret where the old PAT is known to be; before the revoke, so
    /// those places never stop working.
    pub async fn write_known(&mut self, new: &Pat, secret: &Secret) {
        let held = std::mem::take(&mut self.held);
        let done = self.survey.write(&held, secret, new).await;
        self.updates.extend(done);
    }

    /// After the old PAT is revoked: the watched places that stopped working held it.
    pub async fn write_learned(&mut self, inventory: &Inventory, new: &Pat, secret: &Secret) {
        let mut learned = Vec::new();
        // Asked anew: the answers before the revoke are what changed.
        let mut checks = Checks::default();
        for i in std::mem::take(&mut self.watched) {
            match self.survey.works(i, inventory, &self.orgs, &mut checks).await {
                Some(false) => learned.push(i),
                Some(true) => {}
                None => self.updates.not_updated.push(NotUpdated {
                    place: self.survey.holdings[i].place.clone(),
                    reason: "could not be checked after the old PAT was revoked; if it stopped working, put the new PAT there".into(),
                }),
            }
        }
        let done = self.survey.write(&learned, secret, new).await;
        self.updates.extend(done);
    }

    pub fn finish(self) -> Updates {
        self.updates
    }
}
