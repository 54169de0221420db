//! PATs that renew themselves (off by default, turned on per PAT): before one expires,
//! AdoPat regenerates it (a new secret into every place that held the old one, and into
//! the OS keyring as a kept token; the old PAT revoked) or extends it (the same secret,
//! for places AdoPat cannot write). The tray runs `due` in its rounds, `adopat renew
//! --due` once; `now` renews named PATs on the user's say.
//!
//! Nothing breaks: when a place that held the old secret could not be written, the old
//! PAT is left active and the replacement is kept (`Renewing::pending`); the next round
//! writes it there again and revokes the old PAT once every place has it. A refused
//! create (a policy) is not tried again before a day has passed or the user says so.
//! One process renews at a time (a lock file the system frees when its holder dies),
//! and it reads the settings again once it holds it, so a PAT is renewed once.

mod due;
mod outcome;
#[cfg(test)]
mod tests;

pub use due::{DEFAULT_BEFORE, before_text, due_at, is_due, lifetime, parse_before};
pub use outcome::{Action, Renewal};

use crate::error::{Error, Result};
use crate::files;
use crate::inventory::{Filter, Inventory, Listing, Pat, Status};
use crate::places::{Rotation, Scope};
use crate::rotate::{self, RegenerateOptions};
use crate::secret::Secret;
use crate::state::{LastRenewal, RenewMode, Renewing, State};
use crate::stop::Stop;
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeMap;
use std::path::Path;
use uuid::Uuid;

/// The lock of a renewal round, in AdoPat's folder.
const CLAIM: &str = "renewal.lock";
/// How long a refused renewal waits before it is tried again on its own.
const BLOCKED_FOR: SignedDuration = SignedDuration::from_hours(24);
/// The longest expiry Azure DevOps gives.
const MAX_AHEAD: SignedDuration = SignedDuration::from_hours(24 * 365);

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where to look for the places of a regenerated PAT; `None` writes none.
    pub places: Option<Scope>,
    /// Say what would be done; nothing is created, written or revoked.
    pub dry_run: bool,
    /// Keep the new secret in the outcome (`renew --print`).
    pub print: bool,
}

/// A PAT set to renew itself, as `autorenew` lists it.
#[derive(Debug, Clone)]
pub struct Setting {
    pub id: Uuid,
    pub renewing: Renewing,
    /// As listed just now; `None` when it could not be.
    pub pat: Option<Pat>,
    pub due: Option<Timestamp>,
}

/// AdoPat's folder, where the settings are kept: none in the demo.
pub fn own_dir(dir: Option<&Path>) -> Result<&Path> {
    dir.ok_or_else(|| {
        Error::invalid(
            "demo",
            "PATs renew themselves for your own accounts only, not in the demo",
        )
    })
}

/// Turns renewal on for `pat` (regenerate, a week ahead, unless given), or changes its
/// mode or lead, keeping what is not given; a renewal held back by a refusal is tried
/// again in the next round (the user's say).
pub fn turn_on(
    dir: Option<&Path>,
    pat: &Pat,
    mode: Option<RenewMode>,
    before: Option<SignedDuration>,
) -> Result<Renewing> {
    let dir = own_dir(dir)?;
    if pat.status == Status::Revoked {
        return Err(Error::invalid(
            "pat",
            format!("'{}' is revoked; it cannot renew itself", pat.name),
        ));
    }
    if pat.global {
        return Err(Error::invalid(
            "pat",
            format!(
                "'{}' is a global PAT: replace it with a PAT of one organization (adopat --org ORG regenerate), and let that one renew itself",
                pat.name
            ),
        ));
    }
    let org = pat.orgs.first().ok_or_else(|| {
        Error::NotFound(format!("'{}' is in none of your organizations", pat.name))
    })?;
    State::renew(dir, pat, org, mode, before.map(|b| b.as_secs()))
}

/// Turns renewal off; whether it was on.
pub fn turn_off(dir: Option<&Path>, id: Uuid) -> Result<bool> {
    let dir = own_dir(dir)?;
    State::update(dir, |state| state.renewals.remove(&id).is_some())
}

/// The settings as kept, without asking the service (the window's marks).
pub fn kept(dir: &Path) -> BTreeMap<Uuid, Renewing> {
    State::load(dir).renewals
}

/// The PATs set to renew themselves, with when each becomes due.
pub async fn settings(inventory: &Inventory) -> Result<Vec<Setting>> {
    let dir = own_dir(inventory.local_dir())?;
    let renewals = kept(dir);
    if renewals.is_empty() {
        return Ok(Vec::new());
    }
    let listing = inventory.list(Filter::All).await.into_result()?;
    Ok(renewals
        .into_iter()
        .map(|(id, renewing)| {
            let pat = listing.pats.iter().find(|p| p.id == id).cloned();
            let due = pat.as_ref().map(|p| due_at(p, &renewing));
            Setting {
                id,
                renewing,
                pat,
                due,
            }
        })
        .collect())
}

/// Renews every PAT set to renew itself that is due; one outcome per PAT set (`NotDue`
/// where it is not). Nothing is asked of the service when none is set.
pub async fn due(inventory: &Inventory, options: &Options, stop: &Stop) -> Result<Vec<Renewal>> {
    let dir = own_dir(inventory.local_dir())?;
    if kept(dir).is_empty() {
        return Ok(Vec::new());
    }
    let Some(_claim) = files::claim(dir, CLAIM)? else {
        return Ok(kept(dir)
            .iter()
            .map(|(&id, renewing)| {
                let mut busy = Renewal::of(id, &renewing.name, &renewing.org, Action::NotDue);
                busy.reason = Some("another AdoPat process is renewing it now".into());
                busy
            })
            .collect());
    };
    // Read again under the claim: a round that just ended has moved what it renewed.
    let renewals = kept(dir);
    let listing = inventory.list(Filter::All).await;
    let round = Round::new(inventory, dir, options, stop, &listing);
    let mut out = Vec::new();
    for (id, renewing) in &renewals {
        if stop.asked().is_some() {
            break;
        }
        let renewal = match listing.pats.iter().find(|p| p.id == *id) {
            Some(pat) => round.one(pat, Some(renewing), false).await,
            None => round.unlisted(*id, renewing),
        };
        out.push(renewal);
    }
    Ok(out)
}

/// Renews `pats` now, each by its mode (regenerate when it has none), due or not.
pub async fn now(
    inventory: &Inventory,
    pats: &[Pat],
    options: &Options,
    stop: &Stop,
) -> Result<Vec<Renewal>> {
    let dir = own_dir(inventory.local_dir())?;
    let Some(_claim) = files::claim(dir, CLAIM)? else {
        return Err(Error::Other(
            "another AdoPat process is renewing PATs now; try again in a moment".into(),
        ));
    };
    let renewals = kept(dir);
    // A pending replacement is looked for among the listed PATs.
    let listing = if pats
        .iter()
        .any(|p| renewals.get(&p.id).is_some_and(|r| r.pending.is_some()))
    {
        inventory.list(Filter::Active).await
    } else {
        Listing {
            now: inventory.server_now(),
            ..Listing::default()
        }
    };
    let round = Round::new(inventory, dir, options, stop, &listing);
    let mut out = Vec::new();
    for pat in pats {
        if stop.asked().is_some() {
            break;
        }
        out.push(round.one(pat, renewals.get(&pat.id), true).await);
    }
    Ok(out)
}

struct Round<'a> {
    inventory: &'a Inventory,
    dir: &'a Path,
    options: &'a Options,
    stop: &'a Stop,
    listing: &'a Listing,
    now: Timestamp,
}

impl<'a> Round<'a> {
    fn new(
        inventory: &'a Inventory,
        dir: &'a Path,
        options: &'a Options,
        stop: &'a Stop,
        listing: &'a Listing,
    ) -> Self {
        Self {
            inventory,
            dir,
            options,
            stop,
            listing,
            now: listing.now,
        }
    }

    /// A PAT set to renew itself that the listing does not show.
    fn unlisted(&self, id: Uuid, renewing: &Renewing) -> Renewal {
        let failed = self
            .listing
            .failures
            .iter()
            .find(|(org, _)| org.eq_ignore_ascii_case(&renewing.org));
        let renewal = Renewal::of(id, &renewing.name, &renewing.org, Action::Failed);
        match failed {
            Some((_, error)) => renewal.failed(
                format!("its organization could not be listed: {error}"),
                Some(error.code()),
            ),
            None => renewal.failed(
                format!(
                    "it is not among the PATs of {} that your account sees; sign in with the account that owns it, or turn its renewal off (adopat autorenew {id} --off)",
                    renewing.org
                ),
                None,
            ),
        }
    }

    /// Renews one PAT if it is due (or `forced`), and notes what happened.
    async fn one(&self, pat: &Pat, renewing: Option<&Renewing>, forced: bool) -> Renewal {
        if pat.status == Status::Revoked {
            if !self.options.dry_run && renewing.is_some() {
                let _ = State::drop_renewal(self.dir, pat.id);
            }
            return Renewal::for_pat(pat, Action::Failed).failed(
                "it was revoked; it renews itself no more (make a new PAT instead)",
                None,
            );
        }
        if let Some(pending) = renewing.and_then(|r| r.pending) {
            let renewal = self.finish(pat, pending).await;
            return self.noted(pat.id, renewal);
        }
        // The user's say (`renew TOKEN`) renews whatever the schedule says.
        if let Some(renewing) = renewing.filter(|_| !forced) {
            if let Some(until) = renewing.blocked_until.filter(|u| *u > self.now) {
                let last = renewing.last.as_ref().map(|l| l.said.as_str());
                return Renewal::for_pat(pat, Action::Failed).failed(
                    format!(
                        "{} It is not tried again before {}, or until you renew it yourself (adopat renew {}).",
                        last.unwrap_or("It was refused."),
                        until.strftime("%Y-%m-%d %H:%M UTC"),
                        pat.id
                    ),
                    None,
                );
            }
            if !is_due(pat, renewing, self.now) {
                let mut renewal = Renewal::for_pat(pat, Action::NotDue);
                renewal.due = Some(due_at(pat, renewing));
                renewal.valid_to = Some(pat.valid_to);
                return renewal;
            }
        }
        let renewal = match renewing.map(|r| r.mode).unwrap_or_default() {
            RenewMode::Regenerate => self.regenerate(pat, renewing).await,
            RenewMode::Extend => self.extend(pat, renewing).await,
        };
        self.noted(pat.id, renewal)
    }

    async fn regenerate(&self, pat: &Pat, renewing: Option<&Renewing>) -> Renewal {
        let mut renewal = Renewal::for_pat(pat, Action::Regenerated);
        if self.options.dry_run {
            renewal.dry_run = true;
            if let Some(scope) = &self.options.places {
                // Those whose PAT is not known would be checked, and written when they
                // held it.
                let preview = crate::places::Preview::of(scope, pat).await;
                renewal.updated = preview.would_update;
                renewal.updated.extend(preview.would_check);
            }
            return renewal;
        }
        renewal.attempted = true;
        let org = if pat.global {
            Some(renewing.map_or_else(|| pat.orgs[0].clone(), |r| r.org.clone()))
        } else {
            None
        };
        let options = RegenerateOptions {
            org,
            valid_to: Some(self.now + lifetime(pat, renewing).min(MAX_AHEAD)),
            fresh: false,
            keep: false,
            places: self.options.places.clone(),
            hold_unless_placed: true,
        };
        let dir = self.dir;
        let done = rotate::regenerate(self.inventory, pat, &options, self.stop, |new, secret| {
            keep(dir, new, secret)
        })
        .await;
        let done = match done {
            Ok(done) => done,
            Err(error) => return refused(renewal, &error),
        };
        renewal.new_id = Some(done.new.id);
        renewal.valid_to = Some(done.new.valid_to);
        renewal.shortened_from = done.shortened_from;
        renewal.old_revoked = Some(done.old_revoked);
        if self.options.print {
            renewal.secret = Some(done.secret.clone());
        }
        if !done.old_revoked {
            // Kept active (a place, a failed revoke, a stop): the next round finishes it
            // with the kept secret, making no further PAT.
            renewal.reason = Some(match (&done.revoke_error, done.held_back) {
                (Some(error), _) => format!("the old one is still active: {error}"),
                (None, true) => "the old one stays active until every place has the new one".into(),
                (None, false) => "the old one is still active".into(),
            });
            let new_id = done.new.id;
            let _ = State::update(self.dir, |state| {
                if let Some(r) = state.renewals.get_mut(&pat.id) {
                    r.pending = Some(new_id);
                }
            });
        }
        renewal.with_places(done.places)
    }

    /// A replacement made in an earlier round whose old PAT is still active: its kept
    /// secret goes where the old one still is, and the old one is revoked once nothing
    /// holds it.
    async fn finish(&self, old: &Pat, new_id: Uuid) -> Renewal {
        let mut renewal = Renewal::for_pat(old, Action::Regenerated);
        renewal.new_id = Some(new_id);
        renewal.old_revoked = Some(false);
        let Some(new) = self.listing.pats.iter().find(|p| p.id == new_id) else {
            let org_failed = self
                .listing
                .failures
                .iter()
                .find(|(org, _)| old.orgs.iter().any(|o| o.eq_ignore_ascii_case(org)));
            if let Some((_, error)) = org_failed {
                return renewal.failed(
                    format!("its organization could not be listed: {error}"),
                    Some(error.code()),
                );
            }
            let _ = State::update(self.dir, |state| {
                if let Some(r) = state.renewals.get_mut(&old.id) {
                    r.pending = None;
                }
            });
            return renewal.failed(
                format!("its replacement ({new_id}) is gone; the next round makes a new one"),
                None,
            );
        };
        renewal.valid_to = Some(new.valid_to);
        if self.options.dry_run {
            renewal.dry_run = true;
            return renewal;
        }
        renewal.attempted = true;
        let secret = match crate::kept::fetch(self.dir, new_id) {
            Ok(Some(secret)) => secret,
            Ok(None) => {
                return renewal.failed(
                    format!("the token of its replacement ({new_id}) is not in the OS keyring any more: put it into the places yourself, or revoke the replacement"),
                    None,
                );
            }
            Err(error) => return renewal.failed(error.to_string(), Some(error.code())),
        };
        let twins = [(new, &secret)];
        let mut rotation = match &self.options.places {
            Some(scope) => Some(Rotation::prepare(scope, self.inventory, old).await),
            None => None,
        };
        if let Some(rotation) = rotation.as_mut() {
            rotation.write_known(&twins).await;
            rotation.check_watched();
        }
        if rotation.as_ref().is_some_and(Rotation::missed) {
            renewal.reason =
                Some("the old one stays active until every place has the new one".into());
            let places = rotation.map(|r| r.finish(false)).unwrap_or_default();
            return renewal.with_places(places);
        }
        let left = self.inventory.revoke_again(&[old]).await;
        if let Some(why) = left.first() {
            renewal.reason = Some(format!("the old one could not be revoked: {why}"));
            let places = rotation.map(|r| r.finish(false)).unwrap_or_default();
            return renewal.with_places(places);
        }
        renewal.old_revoked = Some(true);
        crate::kept::forget(self.dir, old.id);
        if let Err(e) = State::carry_renewal(self.dir, old.id, new) {
            tracing::warn!("could not carry the renewal setting to the new PAT: {e}");
        }
        let places = match rotation {
            Some(mut rotation) => {
                rotation.write_learned(self.inventory, &twins).await;
                rotation.finish(true)
            }
            None => crate::places::Updates::default(),
        };
        if self.options.print {
            renewal.secret = Some(secret);
        }
        renewal.with_places(places)
    }

    async fn extend(&self, pat: &Pat, renewing: Option<&Renewing>) -> Renewal {
        let mut renewal = Renewal::for_pat(pat, Action::Extended);
        if pat.status == Status::Expired || pat.valid_to <= self.now {
            renewal.attempted = true;
            renewal = renewal.failed(
                "it has expired, and Azure DevOps does not extend an expired PAT: let it renew itself by regenerating (adopat autorenew TOKEN --mode regenerate)",
                None,
            );
            self.block(pat.id);
            return renewal;
        }
        let valid_to = (pat.valid_to + lifetime(pat, renewing)).min(self.now + MAX_AHEAD);
        renewal.valid_to = Some(valid_to);
        if self.options.dry_run {
            renewal.dry_run = true;
            return renewal;
        }
        renewal.attempted = true;
        let changes = crate::ado::pats::PatChanges {
            valid_to: Some(valid_to),
            ..Default::default()
        };
        match self.inventory.edit(pat, &changes).await {
            Ok(edited) => {
                renewal.valid_to = Some(edited.pat.valid_to);
                renewal.shortened_from = edited.shortened_from;
                renewal
            }
            Err(error) => refused(renewal, &error),
        }
    }

    fn block(&self, id: Uuid) {
        let until = self.now + BLOCKED_FOR;
        let _ = State::update(self.dir, |state| {
            if let Some(r) = state.renewals.get_mut(&id) {
                r.blocked_until = Some(until);
            }
        });
    }

    /// Notes what was done in the PAT's setting (followed to its replacement when it
    /// moved); a refusal holds it back for a day.
    fn noted(&self, id: Uuid, renewal: Renewal) -> Renewal {
        if !renewal.attempted {
            return renewal;
        }
        if matches!(
            renewal.failure,
            Some(crate::ErrorCode::RefusedByPolicy | crate::ErrorCode::Refused)
        ) {
            self.block(id);
        }
        let holder = match (renewal.old_revoked, renewal.new_id) {
            (Some(true), Some(new)) => new,
            _ => id,
        };
        let last = LastRenewal {
            at: self.now,
            ok: renewal.action != Action::Failed && !renewal.places_left(),
            said: renewal.said(),
        };
        if let Err(e) = State::update(self.dir, |state| {
            if let Some(r) = state.renewals.get_mut(&holder) {
                r.last = Some(last);
            }
        }) {
            tracing::warn!("could not note what a renewal did: {e}");
        }
        renewal
    }
}

/// Nobody is at the clipboard: the new secret goes into the OS keyring (and the places).
/// When it cannot be kept the rotation revokes the new PAT again and the old one goes on.
fn keep(dir: &Path, new: &Pat, secret: &Secret) -> Result<()> {
    match crate::kept::remember(dir, new, secret, true) {
        Some(Err(e)) => Err(Error::Keyring(format!(
            "the new token could not be kept in the OS keyring ({e})"
        ))),
        _ => Ok(()),
    }
}

fn refused(renewal: Renewal, error: &Error) -> Renewal {
    let mut reason = error.to_string();
    if let Error::Refused {
        code: crate::refusal::PatTokenError::DisablePatCreationPolicyViolation,
        ..
    } = error
    {
        reason.push_str(&format!(
            " It can renew itself by extending its expiry instead, keeping its token: adopat autorenew {} --mode extend",
            renewal.id
        ));
    }
    renewal.failed(reason, Some(error.code()))
}
