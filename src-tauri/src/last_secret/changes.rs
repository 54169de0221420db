//! Create and regenerate: core's operation, the new secret delivered to the clipboard and
//! kept for Copy again and Reveal.

use super::{LastSecret, copied};
use crate::views::Copied;
use adopat_core::Result;
use adopat_core::changes::{Delivered, NewPat};
use adopat_core::handoff::Clipboard;
use adopat_core::inventory::{Inventory, Pat};
use adopat_core::rotate::{self, RegenerateOptions, Regenerated};
use adopat_core::stop::Stop;

impl LastSecret {
    /// `Inventory::create_and_deliver`, delivering to the clipboard.
    pub async fn create(
        &self,
        inventory: &Inventory,
        new: &NewPat,
        stop: &Stop,
    ) -> Result<(Delivered<()>, Copied)> {
        let clipboard = Clipboard::ready()?;
        let (done, lease) = inventory
            .create_and_deliver(new, stop, |_, secret| clipboard.copy(secret))
            .await?
            .take_delivery();
        let clears_in = self.clipboard.hold(lease, done.stopped.is_some());
        self.keep(done.created.secret.clone(), Vec::new());
        Ok((done, copied(clears_in)))
    }

    /// `adopat_core::rotate::regenerate`, delivering to the clipboard.
    pub async fn regenerate(
        &self,
        inventory: &Inventory,
        old: &Pat,
        options: &RegenerateOptions,
        stop: &Stop,
    ) -> Result<(Regenerated<()>, Copied)> {
        let clipboard = Clipboard::ready()?;
        let (done, lease) = rotate::regenerate(inventory, old, options, stop, |_, secret| {
            clipboard.copy(secret)
        })
        .await?
        .take_delivery();
        let clears_in = self.clipboard.hold(lease, done.stopped.is_some());
        self.keep(done.secret.clone(), Vec::new());
        Ok((done, copied(clears_in)))
    }
}
