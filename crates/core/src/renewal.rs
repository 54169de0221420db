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
mod round;

use round::Round;
#[cfg(test)]
mod tests;

pub use due::{DEFAULT_BEFORE, before_text, due_at, is_due, lifetime, parse_before};
pub use outcome::{Action, Renewal};

use crate::error::{Error, Result};
use crate::files;
use crate::inventory::{Filter, Inventory, Listing, Pat, Status};
use crate::places::Scope;
use crate::state::{RenewMode, Renewing, State};
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
