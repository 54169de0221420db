//! Regenerate, as Microsoft documents it: read the old PAT, create its twin (same name,
//! scopes, organization), hand the new secret off, then revoke the old one.
//!
//! Nothing is lost on the way. If the hand-off fails, the twin is revoked again and the
//! old PAT keeps working; if revoking the old PAT fails, the new secret has already been
//! delivered and the outcome says the old one is still active. A stop asked for (Ctrl-C,
//! SIGTERM, Quit) is heeded before the twin is created (nothing changed) or after its
//! secret is handed over (the old PAT left active, and said so); never in between.
//!
//! The places on this machine that held the old secret (`crate::places`) get the new
//! one: those known to hold it before the revoke, those learned by the revoke (their
//! credential stopped working at that moment) right after.

use crate::changes::shortened;
use crate::error::{Error, Result};
use crate::inventory::{Inventory, Pat, Status};
use crate::places::Rotation;
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
}

pub async fn regenerate<T>(
    inventory: &Inventory,
    old: &Pat,
    options: &RegenerateOptions,
    stop: &Stop,
    deliver: impl FnOnce(&Pat, &Secret) -> Result<T>,
) -> Result<Regenerated<T>> {
    if old.status == Status::Revoked {
        return Err(Error::invalid(
            "pat",
            format!("'{}' is revoked; create a new PAT instead", old.name),
        ));
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
    let now = Timestamp::now();
    let home = inventory.target(inventory.home_org(old)?)?;
    let unchanged = |reason| Error::Stopped {
        reason,
        message: format!(
            "Stopped before anything was created: '{}' is unchanged.",
            old.name
        ),
    };
    // What the twin copies: the PAT as the service has it now. Only a read is in flight
    // here, so abandoning it on a stop loses nothing.
    let (name, scopes, valid_from, old_valid_to) = if options.fresh {
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
    let mut rotation = match &options.places {
        Some(scope) => tokio::select! {
            rotation = Rotation::prepare(scope, inventory, old) => Some(rotation),
            reason = stop.wait() => return Err(unchanged(reason)),
        },
        None => None,
    };
    let valid_to = options
        .valid_to
        .unwrap_or(now + crate::inventory::lifetime(valid_from, old_valid_to));
    let twin = inventory.target(&twin_org)?;
    let created = twin
        .client
        .create_pat(&twin.name, &name, &scopes, valid_to)
        .await?;
    let new = Pat::from_token(&created.pat, &twin.name, Status::Active);
    let secret = created.secret;

    let delivery = match deliver(&new, &secret) {
        Ok(delivery) => delivery,
        Err(error) => {
            let undo = twin.client.revoke_pat(&twin.name, new.id).await;
            return Err(match undo {
                Ok(()) => Error::Clipboard(format!(
                    "{error} Nothing changed: the new PAT was revoked again and '{}' still works.",
                    old.name
                )),
                Err(undo_error) => Error::Other(format!(
                    "{error} The new PAT {} could not be revoked again ({undo_error}); revoke it, '{}' still works.",
                    new.id, old.name
                )),
            });
        }
    };

    let kept = inventory.remember(&new, &secret, options.keep);
    // Places known to hold the old secret get the new one before it is revoked, so they
    // never stop working.
    if let Some(rotation) = rotation.as_mut() {
        rotation.write_known(&new, &secret).await;
    }

    // The secret is in the user's hands now; a stop asked for meanwhile leaves the old
    // PAT active rather than revoking it behind the user's back.
    let (old_revoked, revoke_error) = match stop.asked() {
        Some(reason) => (
            false,
            Some(Error::Stopped {
                reason,
                message: "stopped before it was revoked".into(),
            }),
        ),
        None => match home.client.revoke_pat(&home.name, old.id).await {
            Ok(()) => {
                inventory.forget(old.id);
                (true, None)
            }
            Err(error) => (false, Some(error)),
        },
    };
    let places = match rotation {
        Some(mut rotation) => {
            if old_revoked {
                rotation.write_learned(inventory, &new, &secret).await;
            }
            rotation.finish()
        }
        None => crate::places::Updates::default(),
    };
    Ok(Regenerated {
        places,
        kept,
        shortened_from: shortened(valid_to, new.valid_to),
        new,
        replaces: old.clone(),
        secret,
        delivery,
        old_revoked,
        revoke_error,
        stopped: stop.asked(),
    })
}
