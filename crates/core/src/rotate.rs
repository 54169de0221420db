//! Rotation, as Microsoft documents it: read the old PAT, create its replacement(s),
//! hand the new secret(s) off, then revoke the old one. Two operations share this
//! engine: `regenerate` (one twin: same name, scopes, organization) and `replace_global`
//! (a global PAT, which stopped working on 2026-12-01, replaced by one PAT per
//! organization, each going only to the places that organization is served from).
//!
//! Nothing is lost on the way. If a hand-off fails, the new PATs are revoked again and
//! the old PAT keeps working; if revoking the old PAT fails, the new secrets have already
//! been delivered and the outcome says the old one is still active. A stop asked for
//! (Ctrl-C, SIGTERM, Quit) is heeded before anything is created (nothing changed) or
//! after the secrets are handed over (the old PAT left active, and said so); never in
//! between.
//!
//! The places on this machine that held the old secret (`crate::places`) get the new
//! one: those known to hold it before the revoke, those learned by the revoke (their
//! credential stopped working at that moment) right after.

use crate::changes::shortened;
use crate::error::{Error, Result};
use crate::inventory::{Inventory, Pat, Status};
use crate::places::{Rotation, Twin};
use crate::secret::Secret;
use crate::stop::Stop;
use jiff::Timestamp;

#[derive(Debug, Clone, Default)]
pub struct RegenerateOptions {
    /// The organization of the twin; required for a global PAT, since global PATs can no
    /// longer be created.
    pub org: Option<String>,
    /// The twin's expiry; by default the old PAT's lifetime again, from now.
    pub valid_to: Option<Timestamp>,
    /// The old PAT was read from the service just now (`Found::fresh`): not read again.
    pub fresh: bool,
    /// Keep the new secret in the OS keyring to copy it again later (`crate::kept`).
    pub keep: bool,
    /// Where to look for places that held the old secret and give them the new one;
    /// `None` leaves every place as it is.
    pub places: Option<crate::places::Scope>,
    /// Leave the old PAT active when a place that held it could not be given the new
    /// secret, so that nothing stops working behind the user's back (a renewal nobody
    /// watches); the outcome then has `held_back`.
    pub hold_unless_placed: bool,
}

#[derive(Debug)]
pub struct Regenerated<T> {
    pub new: Pat,
    pub replaces: Pat,
    pub secret: Secret,
    /// What the hand-off returned (a clipboard lease, say).
    pub delivery: T,
    pub old_revoked: bool,
    /// Why the old PAT is still active, when it is.
    pub revoke_error: Option<Error>,
    /// A stop was asked for on the way: the caller ends once it has said what was done.
    pub stopped: Option<crate::stop::StopReason>,
    pub shortened_from: Option<Timestamp>,
    /// The places that held the old secret: given the new one, or not and why.
    pub places: crate::places::Updates,
    /// Whether the new secret was kept in the OS keyring, when that was asked.
    pub kept: Option<std::result::Result<(), String>>,
    /// The old PAT was left active because a place that held it did not get the new
    /// secret (`hold_unless_placed`).
    pub held_back: bool,
}

/// What replacing a global PAT asks: one PAT per organization, with its name and scopes.
#[derive(Debug, Clone, Default)]
pub struct ReplaceOptions {
    pub orgs: Vec<String>,
    /// The replacements' expiry; by default the global PAT's lifetime again, from now.
    pub valid_to: Option<Timestamp>,
    pub keep: bool,
    pub places: Option<crate::places::Scope>,
}

/// One new PAT of a replacement, with its secret.
#[derive(Debug)]
pub struct Made {
    pub new: Pat,
    pub secret: Secret,
    pub shortened_from: Option<Timestamp>,
    /// Whether the secret was kept in the OS keyring, when that was asked.
    pub kept: Option<std::result::Result<(), String>>,
}

/// A global PAT replaced, wholly or in part.
#[derive(Debug)]
pub struct Replaced<T> {
    /// In the order of the organizations asked for.
    pub made: Vec<Made>,
    /// The organization whose PAT could not be made, and why: those after it were not
    /// tried, and the global PAT was not revoked.
    pub failed: Option<(String, Error)>,
    pub replaces: Pat,
    pub delivery: T,
    pub old_revoked: bool,
    pub revoke_error: Option<Error>,
    pub stopped: Option<crate::stop::StopReason>,
    /// The places that held the global PAT: each given the new PAT of its organization.
    pub places: crate::places::Updates,
    pub held_back: bool,
}

pub async fn regenerate<T>(
    inventory: &Inventory,
    old: &Pat,
    options: &RegenerateOptions,
    stop: &Stop,
    deliver: impl FnOnce(&Pat, &Secret) -> Result<T>,
) -> Result<Regenerated<T>> {
    if old.status == Status::Revoked {
        return Err(revoked(old));
    }
    let twin_org = match (&options.org, old.global) {
        (Some(org), _) => inventory.target(org)?.name.clone(),
        (None, true) => {
            return Err(Error::invalid(
                "organization",
                format!(
                    "'{}' is a global PAT, and Azure DevOps no longer creates those; choose the one organization for its replacement",
                    old.name
                ),
            ));
        }
        (None, false) => inventory.home_org(old)?.to_owned(),
    };
    let plan = Plan {
        orgs: vec![twin_org],
        valid_to: options.valid_to,
        fresh: options.fresh,
        keep: options.keep,
        places: options.places.as_ref(),
        hold_unless_placed: options.hold_unless_placed,
    };
    let done = rotate(inventory, old, &plan, stop, |made| {
        let one = made.first().ok_or_else(nothing_made)?;
        deliver(&one.new, &one.secret)
    })
    .await?;
    let made = done.made.into_iter().next().ok_or_else(nothing_made)?;
    Ok(Regenerated {
        new: made.new,
        replaces: done.replaces,
        secret: made.secret,
        delivery: done.delivery,
        old_revoked: done.old_revoked,
        revoke_error: done.revoke_error,
        stopped: done.stopped,
        shortened_from: made.shortened_from,
        places: done.places,
        kept: made.kept,
        held_back: done.held_back,
    })
}

/// Replaces a global PAT with one PAT per organization of `options.orgs`, in one go: the
/// places that used it get the PAT of their organization, and it is revoked once every
/// replacement exists. `deliver` gets them all (the window copies the first and holds
/// the rest for the user to copy in turn).
pub async fn replace_global<T>(
    inventory: &Inventory,
    old: &Pat,
    options: &ReplaceOptions,
    stop: &Stop,
    deliver: impl FnOnce(&[Made]) -> Result<T>,
) -> Result<Replaced<T>> {
    if !old.global {
        return Err(Error::invalid(
            "pat",
            format!("'{}' is not a global PAT; regenerate it instead", old.name),
        ));
    }
    if old.status == Status::Revoked {
        return Err(revoked(old));
    }
    let mut orgs: Vec<String> = Vec::new();
    for org in &options.orgs {
        let name = &inventory.target(org)?.name;
        if !orgs.contains(name) {
            orgs.push(name.clone());
        }
    }
    if orgs.is_empty() {
        return Err(Error::invalid(
            "organization",
            "choose at least one organization for the replacements",
        ));
    }
    let plan = Plan {
        orgs,
        valid_to: options.valid_to,
        fresh: false,
        keep: options.keep,
        places: options.places.as_ref(),
        hold_unless_placed: false,
    };
    rotate(inventory, old, &plan, stop, deliver).await
}

impl<T> Regenerated<T> {
    /// The outcome without what the hand-off returned, and that.
    pub fn take_delivery(self) -> (Regenerated<()>, T) {
        let Self {
            new,
            replaces,
            secret,
            delivery,
            old_revoked,
            revoke_error,
            stopped,
            shortened_from,
            places,
            kept,
            held_back,
        } = self;
        let done = Regenerated {
            new,
            replaces,
            secret,
            delivery: (),
            old_revoked,
            revoke_error,
            stopped,
            shortened_from,
            places,
            kept,
            held_back,
        };
        (done, delivery)
    }
}

impl<T> Replaced<T> {
    /// The outcome without what the hand-off returned, and that.
    pub fn take_delivery(self) -> (Replaced<()>, T) {
        let Self {
            made,
            failed,
            replaces,
            delivery,
            old_revoked,
            revoke_error,
            stopped,
            places,
            held_back,
        } = self;
        let done = Replaced {
            made,
            failed,
            replaces,
            delivery: (),
            old_revoked,
            revoke_error,
            stopped,
            places,
            held_back,
        };
        (done, delivery)
    }
}

/// Not reached: a rotation that could make nothing returns why.
fn nothing_made() -> Error {
    Error::Other("no new PAT was made".into())
}

fn revoked(old: &Pat) -> Error {
    Error::invalid(
        "pat",
        format!("'{}' is revoked; create a new PAT instead", old.name),
    )
}

struct Plan<'a> {
    orgs: Vec<String>,
    valid_to: Option<Timestamp>,
    fresh: bool,
    keep: bool,
    places: Option<&'a crate::places::Scope>,
    hold_unless_placed: bool,
}

/// Regenerate and replace alike: twins of `old` in each organization of the plan, handed
/// over, put into the places, then `old` revoked.
async fn rotate<T>(
    inventory: &Inventory,
    old: &Pat,
    plan: &Plan<'_>,
    stop: &Stop,
    deliver: impl FnOnce(&[Made]) -> Result<T>,
) -> Result<Replaced<T>> {
    let now = inventory.server_now();
    let home = inventory.target(inventory.home_org(old)?)?;
    let unchanged = |reason| Error::Stopped {
        reason,
        message: format!(
            "Stopped before anything was created: '{}' is unchanged.",
            old.name
        ),
    };
    // What the twins copy: the PAT as the service has it now. Only a read is in flight
    // here, so abandoning it on a stop loses nothing.
    let (name, scopes, valid_from, old_valid_to) = if plan.fresh {
        (
            old.name.clone(),
            old.scopes.clone(),
            old.valid_from,
            old.valid_to,
        )
    } else {
        let current = tokio::select! {
            current = home.client.get_pat(&home.name, old.id) => current?,
            reason = stop.wait() => return Err(unchanged(reason)),
        };
        (
            current.display_name.clone(),
            crate::scopes::split(&current.scope),
            current.valid_from,
            current.valid_to,
        )
    };
    if let Some(reason) = stop.asked() {
        return Err(unchanged(reason));
    }
    // Where the old secret is used, found while it still works; reads and checks only,
    // so a stop here loses nothing.
    let mut rotation = match plan.places {
        Some(scope) => tokio::select! {
            rotation = Rotation::prepare(scope, inventory, old) => Some(rotation),
            reason = stop.wait() => return Err(unchanged(reason)),
        },
        None => None,
    };
    let valid_to = plan
        .valid_to
        .unwrap_or(now + crate::inventory::lifetime(valid_from, old_valid_to));

    let mut made: Vec<Made> = Vec::new();
    let mut failed = None;
    for org in &plan.orgs {
        if let Some(reason) = stop.asked() {
            if made.is_empty() {
                return Err(unchanged(reason));
            }
            break;
        }
        let twin = inventory.target(org)?;
        match twin
            .client
            .create_pat(&twin.name, &name, &scopes, valid_to)
            .await
        {
            Ok(created) => {
                let new = Pat::from_token(&created.pat, &twin.name, Status::Active);
                made.push(Made {
                    shortened_from: shortened(valid_to, new.valid_to),
                    new,
                    secret: created.secret,
                    kept: None,
                });
            }
            Err(error) if made.is_empty() => return Err(error),
            Err(error) => {
                failed = Some((twin.name.clone(), error));
                break;
            }
        }
    }

    let delivery = match deliver(&made) {
        Ok(delivery) => delivery,
        Err(error) => return Err(undo(inventory, old, &made, error).await),
    };

    for one in &mut made {
        one.kept = inventory
            .local_dir()
            .and_then(|dir| crate::kept::remember(dir, &one.new, &one.secret, plan.keep));
    }
    let twins: Vec<Twin<'_>> = made.iter().map(|one| (&one.new, &one.secret)).collect();
    // Places known to hold the old secret get the new one before it is revoked, so they
    // never stop working.
    if let Some(rotation) = rotation.as_mut() {
        rotation.write_known(&twins).await;
    }
    if let Some(rotation) = rotation.as_mut().filter(|_| plan.hold_unless_placed) {
        rotation.check_watched();
    }
    let held_back = plan.hold_unless_placed && rotation.as_ref().is_some_and(Rotation::missed);

    // The secrets are in the user's hands now; a stop asked for meanwhile leaves the old
    // PAT active rather than revoking it behind the user's back, as does a replacement
    // that could not be made.
    let (old_revoked, revoke_error) = match (stop.asked(), &failed) {
        (Some(reason), _) => (
            false,
            Some(Error::Stopped {
                reason,
                message: "stopped before it was revoked".into(),
            }),
        ),
        (None, Some(_)) => (false, None),
        (None, None) if held_back => (false, None),
        (None, None) => match home.client.revoke_pat(&home.name, old.id).await {
            Ok(()) => {
                if let Some(dir) = inventory.local_dir() {
                    crate::kept::forget(dir, old.id);
                    carry_renewal(dir, old, &made);
                }
                (true, None)
            }
            Err(error) => (false, Some(error)),
        },
    };
    let places = match rotation {
        Some(mut rotation) => {
            if old_revoked {
                rotation.write_learned(inventory, &twins).await;
            }
            rotation.finish(old_revoked)
        }
        None => crate::places::Updates::default(),
    };
    Ok(Replaced {
        made,
        failed,
        replaces: old.clone(),
        delivery,
        old_revoked,
        revoke_error,
        stopped: stop.asked(),
        places,
        held_back,
    })
}

/// A regenerated PAT's renewal goes on with its twin (a global PAT's replacements are
/// several: none inherits it, and it ends with the global PAT).
fn carry_renewal(dir: &std::path::Path, old: &Pat, made: &[Made]) {
    let carried = match made {
        [one] => crate::state::State::carry_renewal(dir, old.id, &one.new),
        _ => crate::state::State::drop_renewal(dir, old.id),
    };
    if let Err(e) = carried {
        tracing::warn!("could not carry the renewal setting to the new PAT: {e}");
    }
}

/// The hand-off failed: the new PATs are revoked again, so nobody is left with a PAT
/// whose secret nobody has, and `old` still works.
async fn undo(inventory: &Inventory, old: &Pat, made: &[Made], error: Error) -> Error {
    let news: Vec<&Pat> = made.iter().map(|one| &one.new).collect();
    let left = inventory.revoke_again(&news).await;
    if left.is_empty() {
        Error::Clipboard(format!(
            "{error} Nothing changed: the new PAT was revoked again and '{}' still works.",
            old.name
        ))
    } else {
        Error::Other(format!(
            "{error} The new PAT {} could not be revoked again; revoke it, '{}' still works.",
            left.join(", "),
            old.name
        ))
    }
}
