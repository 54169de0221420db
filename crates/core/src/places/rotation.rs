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

/// A new PAT that replaces the old one, with its secret.
pub type Twin<'a> = (&'a Pat, &'a Secret);

/// What a regenerate does with the places of the PAT it replaces: found before the
/// twins are made, written after their secrets are handed over.
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
    global: bool,
    /// A global PAT's places, known to have held it, that serve an organization it got
    /// no replacement in.
    elsewhere: Vec<usize>,
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
            global: old.global,
            elsewhere: Vec::new(),
            updates: Updates::default(),
        }
    }

    /// Which of `twins` works where place `i` sends it: the one twin of a regenerate; for
    /// a global PAT, the twin of the place's organization (the first for a place that
    /// serves every organization), none when it got no replacement there.
    fn twin_for(&self, i: usize, twins: &[Twin<'_>]) -> Option<usize> {
        let org = self.survey.holdings[i].place.org.as_deref();
        match org {
            Some(org) if self.global => twins
                .iter()
                .position(|(pat, _)| pat.orgs.iter().any(|mine| mine.eq_ignore_ascii_case(org))),
            _ => (!twins.is_empty()).then_some(0),
        }
    }

    /// Writes each of `which` with the twin that works there.
    async fn write(&mut self, which: Vec<usize>, twins: &[Twin<'_>]) {
        let mut by_twin: Vec<Vec<usize>> = vec![Vec::new(); twins.len()];
        for i in which {
            match self.twin_for(i, twins) {
                Some(t) => by_twin[t].push(i),
                None => self.elsewhere.push(i),
            }
        }
        for ((pat, secret), places) in twins.iter().zip(by_twin) {
            if !places.is_empty() {
                let done = self.survey.write(&places, secret, pat).await;
                self.updates.extend(done);
            }
        }
    }

    /// Writes the new secrets where the old PAT is known to be; before the revoke, so
    /// those places never stop working.
    pub async fn write_known(&mut self, twins: &[Twin<'_>]) {
        let held = std::mem::take(&mut self.held);
        self.write(held, twins).await;
    }

    /// Before a revoke that must break nothing: a place whose PAT is not known but that
    /// works now may hold the old one, and would only be learned by the revoke; one that
    /// could not be written then counts as missed.
    pub fn check_watched(&mut self) {
        for &i in &self.watched {
            if let Some(why) = self.survey.unwritable(i) {
                self.updates.not_updated.push(NotUpdated {
                    place: self.survey.holdings[i].place.clone(),
                    reason: format!(
                        "it may hold the old token and {why}; the old PAT is kept active until it can be written"
                    ),
                });
            }
        }
    }

    /// A place known to hold the old PAT did not get the new secret.
    pub fn missed(&self) -> bool {
        !self.updates.not_updated.is_empty()
    }

    /// After the old PAT is revoked: the watched places that stopped working held it.
    pub async fn write_learned(&mut self, inventory: &Inventory, twins: &[Twin<'_>]) {
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
        self.write(learned, twins).await;
    }

    /// What was done. Once the old PAT is revoked, its places in organizations that got
    /// no replacement are said: nothing there works any more.
    pub fn finish(mut self, old_revoked: bool) -> Updates {
        if old_revoked {
            for i in std::mem::take(&mut self.elsewhere) {
                let place = self.survey.holdings[i].place.clone();
                let org = place.org.clone().unwrap_or_default();
                self.updates.not_updated.push(NotUpdated {
                    reason: format!(
                        "it is for {org}, which got no PAT in place of the global one: make a PAT of {org} and put it there (New PAT in the window, or `adopat create --put-in`)"
                    ),
                    place,
                });
            }
        }
        self.updates
    }
}
