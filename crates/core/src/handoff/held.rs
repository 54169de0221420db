//! The hand-off as every face uses it: the clipboard made ready before anything is
//! created, and the secret last put there held until it clears, with the one rule of a
//! stop (quitting, SIGTERM, Ctrl-C). A secret handed over while a stop was asked for has
//! had no time on the clipboard yet, so it is served until it clears (on X11 it lives
//! only while this process serves it); any other is cleared now, as quitting promises.

use super::{ClipboardLease, LeaseEnd};
use crate::error::{Error, Result};
use crate::secret::Secret;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The clipboard as a destination, with the clear-after of
/// `ADOPAT_CLIPBOARD_CLEAR_SECONDS` (45 s by default).
#[derive(Debug, Clone, Copy)]
pub struct Clipboard {
    clear_after: Option<Duration>,
}

impl Clipboard {
    /// The settings alone: a bad `ADOPAT_CLIPBOARD_CLEAR_SECONDS` is an error here.
    pub fn from_env() -> Result<Self> {
        Ok(Self {
            clear_after: super::clear_after_from_env(super::DEFAULT_CLEAR_SECONDS)?,
        })
    }

    /// The settings, and a clipboard there to copy to: checked before anything is made.
    pub fn ready() -> Result<Self> {
        let clipboard = Self::from_env()?;
        clipboard.check()?;
        Ok(clipboard)
    }

    pub fn check(&self) -> Result<()> {
        super::check_available()
    }

    pub fn copy(&self, secret: &Secret) -> Result<ClipboardLease> {
        super::copy(secret, self.clear_after)
    }
}

/// The secret a long-running face (the window, the tray) last put on the clipboard.
#[derive(Default)]
pub struct OnClipboard(Mutex<Option<Held>>);

struct Held {
    lease: ClipboardLease,
    /// Handed over while a stop was asked for: served until it clears.
    during_stop: bool,
}

impl OnClipboard {
    /// Holds `lease` in place of the one before (which ends: what it put there was
    /// copied over). `during_stop`: it was handed over while a stop was asked for.
    /// Returns when it clears.
    pub fn hold(&self, lease: ClipboardLease, during_stop: bool) -> Option<Duration> {
        let clears_in = lease.clears_in();
        let earlier = self.lock().replace(Held { lease, during_stop });
        drop(earlier);
        clears_in
    }

    /// Copies `secret` in place of what this holds, as a new hand-off.
    pub fn copy(&self, clipboard: &Clipboard, secret: &Secret) -> Result<Option<Duration>> {
        // The old lease goes first: it clears what it put there, then the copy is anew.
        drop(self.lock().take());
        let lease = clipboard.copy(secret)?;
        Ok(self.hold(lease, false))
    }

    /// On the way out (blocks): the stop rule above.
    pub fn finish(&self) -> Option<LeaseEnd> {
        self.finishing().run()
    }

    /// What is left to do on the way out, to run on a thread of its own.
    pub fn finishing(&self) -> Finishing {
        Finishing(self.lock().take())
    }

    fn lock(&self) -> MutexGuard<'_, Option<Held>> {
        // A panic while holding the lock leaves nothing half-written worth refusing.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The stop rule, applied to the lease a face held when it ended.
pub struct Finishing(Option<Held>);

impl Finishing {
    /// Blocks while the secret is served; `None` when nothing was on the clipboard.
    pub fn run(self) -> Option<LeaseEnd> {
        let held = self.0?;
        if held.during_stop {
            tracing::info!("serving the new secret until it is cleared before ending");
            Some(held.lease.wait())
        } else {
            Some(held.lease.clear_now())
        }
    }
}

/// Why a secret a face no longer holds cannot be copied or shown again.
pub fn no_longer_held() -> Error {
    Error::NotFound("The new secret is no longer kept; regenerate the PAT to get a new one.".into())
}
