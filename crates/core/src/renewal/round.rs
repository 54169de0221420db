//! One renewal round over the PATs it was given: each renewed by its mode, a replacement
//! waiting for a place finished, and what happened noted in the PAT's setting.

use super::{Action, BLOCKED_FOR, MAX_AHEAD, Options, Renewal, due_at, is_due, lifetime};
use crate::error::{Error, Result};
use crate::inventory::{Inventory, Listing, Pat, Status};
use crate::places::Rotation;
use crate::rotate::{self, RegenerateOptions};
use crate::secret::Secret;
use crate::state::{LastRenewal, RenewMode, Renewing, State};
use crate::stop::Stop;
use jiff::Timestamp;
use std::path::Path;
use uuid::Uuid;

pub(super) struct Round<'a> {
    inventory: &'a Inventory,
    dir: &'a Path,
    options: &'a Options,
    stop: &'a Stop,
    listing: &'a Listing,
    now: Timestamp,
}

impl<'a> Round<'a> {
    pub(super) fn new(
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
    pub(super) fn unlisted(&self, id: Uuid, renewing: &Renewing) -> Renewal {
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
    pub(super) async fn one(
        &self,
        pat: &Pat,
        renewing: Option<&Renewing>,
        forced: bool,
    ) -> Renewal {
        if pat.status == Status::Revoked {
            if !self.options.dry_run
                && renewing.is_some()
                && let Err(e) = State::drop_renewal(self.dir, pat.id)
            {
                tracing::warn!("could not end the renewal of a revoked PAT: {e}");
            }
            let why = match renewing {
                Some(_) => "it was revoked; it renews itself no more (make a new PAT instead)",
                None => "it is revoked; make a new PAT instead",
            };
            return Renewal::for_pat(pat, Action::Failed).failed(why, None);
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
            self.change(pat.id, |r| r.pending = Some(new_id));
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
            self.change(old.id, |r| r.pending = None);
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
        self.change(id, |r| r.blocked_until = Some(until));
    }

    /// Changes PAT `id`'s renewal setting, if it has one. Failing to only costs a repeat
    /// (a further replacement, a refusal asked again), so it is logged.
    fn change(&self, id: Uuid, change: impl FnOnce(&mut Renewing)) {
        let changed = State::update(self.dir, |state| {
            if let Some(renewing) = state.renewals.get_mut(&id) {
                change(renewing);
            }
        });
        if let Err(e) = changed {
            tracing::warn!("could not note a renewal's progress: {e}");
        }
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
        self.change(holder, |r| r.last = Some(last));
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
