//! The last new secret, between the moment it is copied and the moment its success pane
//! closes: Rust copies it (`adopat_core::handoff`) and keeps it for "Copy again" and
//! "Reveal", so the webview never holds it unless the user asks to see it.
//!
//! Closing the pane forgets the secret but leaves the clipboard to clear on its own
//! schedule: the user closes the pane and then pastes. Quitting clears both.

use crate::views::Copied;
use adopat_core::handoff::{Clipboard, OnClipboard, no_longer_held};
use adopat_core::{Result, Secret};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

mod changes;
mod replace;

#[derive(Default)]
pub struct LastSecret {
    /// Until it clears the clipboard, something else is copied, or the app quits.
    clipboard: OnClipboard,
    held: Mutex<Held>,
}

/// Until the success pane (or the replacement dialog) closes.
#[derive(Default)]
struct Held {
    secret: Option<Secret>,
    /// The new secrets of a global PAT's replacement, in order, for the user to copy in
    /// turn.
    replacements: Vec<Secret>,
}

impl LastSecret {
    /// The `index`th secret of the last replacement to the clipboard, in place of what
    /// this put there; Copy again and Reveal then mean that one.
    pub fn copy_replacement(&self, index: usize) -> Result<Copied> {
        let mut held = self.lock();
        let secret = held
            .replacements
            .get(index)
            .cloned()
            .ok_or_else(no_longer_held)?;
        let clears_in = self.clipboard.copy(&Clipboard::from_env()?, &secret)?;
        held.secret = Some(secret);
        Ok(copied(clears_in))
    }

    /// Copies the kept secret again, with a fresh clear-after.
    pub fn copy_again(&self) -> Result<Copied> {
        let secret = self.lock().secret.clone().ok_or_else(no_longer_held)?;
        self.copy_other(&secret)
    }

    /// Another secret to the clipboard (one kept in the OS keyring), in place of what
    /// this put there; the last new secret stays for Copy again.
    pub fn copy_other(&self, secret: &Secret) -> Result<Copied> {
        let clears_in = self.clipboard.copy(&Clipboard::from_env()?, secret)?;
        Ok(copied(clears_in))
    }

    /// The kept secret itself: the one path by which a secret enters the webview.
    pub fn reveal(&self) -> Result<Secret> {
        self.lock().secret.clone().ok_or_else(no_longer_held)
    }

    /// The success pane closed: no more "Copy again" or "Reveal".
    pub fn forget(&self) {
        let held = std::mem::take(&mut *self.lock());
        drop(held);
    }

    /// Quitting, after the changes under way wound down: core's rule of a stop (a
    /// secret handed over meanwhile is served until it clears, blocking until then;
    /// any other is cleared now), and the secret is forgotten.
    pub fn finish(&self) {
        self.forget();
        self.clipboard.finish();
    }

    pub(super) fn keep(&self, secret: Secret, replacements: Vec<Secret>) {
        let previous = std::mem::replace(
            &mut *self.lock(),
            Held {
                secret: Some(secret),
                replacements,
            },
        );
        drop(previous);
    }

    fn lock(&self) -> MutexGuard<'_, Held> {
        // A panic while holding the lock leaves nothing half-written worth refusing.
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(super) fn copied(clears_in: Option<Duration>) -> Copied {
    Copied {
        clears_in_seconds: clears_in
            .map(|left| u32::try_from((left.as_millis() + 500) / 1000).unwrap_or(u32::MAX)),
    }
}
