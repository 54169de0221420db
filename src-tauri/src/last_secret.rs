//! The last new secret, between the moment it is copied and the moment its success pane
//! closes: Rust copies it (`adopat_core::handoff`) and keeps it for "Copy again" and
//! "Reveal", so the webview never holds it unless the user asks to see it.
//!
//! Closing the pane forgets the secret but leaves the clipboard to clear on its own
//! schedule: the user closes the pane and then pastes. Quitting clears both.

use crate::views::Copied;
use adopat_core::changes::{Delivered, NewPat};
use adopat_core::handoff::{self, ClipboardLease};
use adopat_core::inventory::{Inventory, Pat};
use adopat_core::rotate::{self, RegenerateOptions, Regenerated, ReplaceOptions, Replaced};
use adopat_core::stop::Stop;
use adopat_core::{Error, Result, Secret};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

#[derive(Default)]
pub struct LastSecret(Mutex<Held>);

#[derive(Default)]
struct Held {
    /// Until the success pane closes.
    secret: Option<Secret>,
    /// Until it clears the clipboard, something else is copied, or the app quits.
    lease: Option<ClipboardLease>,
    /// Handed over while the app was quitting: served until it clears, not cleared.
    handed_while_quitting: bool,
    /// The new secrets of a global PAT's replacement, in order, for the user to copy in
    /// turn; until the dialog closes.
    replacements: Vec<Secret>,
}

impl LastSecret {
    /// Creates a PAT and copies its secret; when the copy fails the new PAT is revoked
    /// again, so nobody is left with a PAT whose secret nobody has.
    pub async fn create(
        &self,
        inventory: &Inventory,
        new: &NewPat,
        stop: &Stop,
    ) -> Result<(Delivered<()>, Copied)> {
        let clear_after = clear_after()?;
        handoff::check_available()?;
        let done = inventory
            .create_and_deliver(new, stop, |_, secret| handoff::copy(secret, clear_after))
            .await?;
        let copied = self.keep(done.created.secret.clone(), done.delivery);
        self.lock().handed_while_quitting = done.stopped.is_some();
        let done = Delivered {
            created: done.created,
            delivery: (),
            stopped: done.stopped,
            kept: done.kept,
            places: done.places,
        };
        Ok((done, copied))
    }

    /// `adopat_core::rotate::regenerate`, delivering to the clipboard.
    pub async fn regenerate(
        &self,
        inventory: &Inventory,
        old: &Pat,
        options: &RegenerateOptions,
        stop: &Stop,
    ) -> Result<(Regenerated<()>, Copied)> {
        let clear_after = clear_after()?;
        handoff::check_available()?;
        let done = rotate::regenerate(inventory, old, options, stop, |_, secret| {
            handoff::copy(secret, clear_after)
        })
        .await?;
        let copied = self.keep(done.secret.clone(), done.delivery);
        self.lock().handed_while_quitting = done.stopped.is_some();
        let done = Regenerated {
            new: done.new,
            replaces: done.replaces,
            secret: done.secret,
            delivery: (),
            old_revoked: done.old_revoked,
            revoke_error: done.revoke_error,
            shortened_from: done.shortened_from,
            stopped: done.stopped,
            places: done.places,
            kept: done.kept,
        };
        Ok((done, copied))
    }

    /// `adopat_core::rotate::replace_global`: the first new secret to the clipboard, all of
    /// them kept for `copy_replacement`.
    pub async fn replace_global(
        &self,
        inventory: &Inventory,
        old: &Pat,
        options: &ReplaceOptions,
        stop: &Stop,
    ) -> Result<(Replaced<()>, Copied)> {
        let clear_after = clear_after()?;
        handoff::check_available()?;
        let (done, lease) = rotate::replace_global(inventory, old, options, stop, |made| {
            let first = made.first().ok_or_else(nothing_kept)?;
            handoff::copy(&first.secret, clear_after)
        })
        .await?
        .take_delivery();
        let secrets: Vec<Secret> = done.made.iter().map(|m| m.secret.clone()).collect();
        let first = secrets.first().cloned().ok_or_else(nothing_kept)?;
        let copied = self.keep(first, lease);
        let mut held = self.lock();
        held.handed_while_quitting = done.stopped.is_some();
        held.replacements = secrets;
        drop(held);
        Ok((done, copied))
    }

    /// The `index`th secret of the last replacement to the clipboard, in place of what
    /// this put there; Copy again and Reveal then mean that one.
    pub fn copy_replacement(&self, index: usize) -> Result<Copied> {
        let mut held = self.lock();
        let secret = held
            .replacements
            .get(index)
            .cloned()
            .ok_or_else(nothing_kept)?;
        drop(held.lease.take());
        let lease = handoff::copy(&secret, clear_after()?)?;
        let copied = copied(&lease);
        held.lease = Some(lease);
        held.secret = Some(secret);
        Ok(copied)
    }

    /// Copies the kept secret again, with a fresh clear-after.
    pub fn copy_again(&self) -> Result<Copied> {
        let mut held = self.lock();
        let secret = held.secret.clone().ok_or_else(nothing_kept)?;
        // The old lease goes first: it clears what it put there, then the copy is anew.
        drop(held.lease.take());
        let lease = handoff::copy(&secret, clear_after()?)?;
        let copied = copied(&lease);
        held.lease = Some(lease);
        Ok(copied)
    }

    /// Another secret to the clipboard (one kept in the OS keyring), in place of what
    /// this put there; the last new secret stays for Copy again.
    pub fn copy_other(&self, secret: &Secret) -> Result<Copied> {
        let mut held = self.lock();
        drop(held.lease.take());
        let lease = handoff::copy(secret, clear_after()?)?;
        let copied = copied(&lease);
        held.lease = Some(lease);
        Ok(copied)
    }

    /// The kept secret itself: the one path by which a secret enters the webview.
    pub fn reveal(&self) -> Result<Secret> {
        self.lock().secret.clone().ok_or_else(nothing_kept)
    }

    /// The success pane closed: no more "Copy again" or "Reveal".
    pub fn forget(&self) {
        let mut held = self.lock();
        let secret = held.secret.take();
        let replacements = std::mem::take(&mut held.replacements);
        drop(held);
        drop((secret, replacements));
    }

    /// Quitting after the changes under way wound down: a secret they handed over
    /// meanwhile has had no time on the clipboard yet, so it is served until it clears
    /// (on X11 it lives only as long as this process). Blocks until then.
    pub fn serve_what_quitting_handed_over(&self) {
        let lease = {
            let mut held = self.lock();
            if !held.handed_while_quitting {
                return;
            }
            held.secret = None;
            held.lease.take()
        };
        if let Some(lease) = lease {
            tracing::info!("serving the new secret until it is cleared before quitting");
            lease.wait();
        }
    }

    /// Quitting: forgets the secret and clears the clipboard if it still holds it.
    pub fn clear(&self) {
        let held = std::mem::take(&mut *self.lock());
        drop(held);
    }

    fn keep(&self, secret: Secret, lease: ClipboardLease) -> Copied {
        let copied = copied(&lease);
        let previous = std::mem::replace(
            &mut *self.lock(),
            Held {
                secret: Some(secret),
                lease: Some(lease),
                ..Held::default()
            },
        );
        drop(previous);
        copied
    }

    fn lock(&self) -> MutexGuard<'_, Held> {
        // A panic while holding the lock leaves nothing half-written worth refusing.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn clear_after() -> Result<Option<Duration>> {
    handoff::clear_after_from_env(handoff::DEFAULT_CLEAR_SECONDS)
}

fn copied(lease: &ClipboardLease) -> Copied {
    Copied {
        clears_in_seconds: lease
            .clears_in()
            .map(|left| u32::try_from((left.as_millis() + 500) / 1000).unwrap_or(u32::MAX)),
    }
}

fn nothing_kept() -> Error {
    Error::NotFound("The new secret is no longer kept; regenerate the PAT to get a new one.".into())
}
