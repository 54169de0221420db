//! Core's operations that make a new secret, each delivering it to the clipboard and
//! keeping it for Copy again and Reveal.

use super::{LastSecret, copied};
use crate::views::Copied;
use adopat_core::changes::{Delivered, NewPat};
use adopat_core::handoff::{Clipboard, no_longer_held};
use adopat_core::inventory::{Inventory, Pat};
use adopat_core::rotate::{self, RegenerateOptions, Regenerated, ReplaceOptions, Replaced};
use adopat_core::stop::Stop;
use adopat_core::{Result, Secret};

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

    /// `adopat_core::rotate::replace_global`: the first new secret to the clipboard, all of
    /// them kept for `copy_replacement`.
    pub async fn replace_global(
        &self,
        inventory: &Inventory,
        old: &Pat,
        options: &ReplaceOptions,
        stop: &Stop,
    ) -> Result<(Replaced<()>, Copied)> {
        let clipboard = Clipboard::ready()?;
        let (done, lease) = rotate::replace_global(inventory, old, options, stop, |made| {
            let first = made.first().ok_or_else(no_longer_held)?;
            clipboard.copy(&first.secret)
        })
        .await?
        .take_delivery();
        let secrets: Vec<Secret> = done.made.iter().map(|m| m.secret.clone()).collect();
        let first = secrets.first().cloned().ok_or_else(no_longer_held)?;
        let clears_in = self.clipboard.hold(lease, done.stopped.is_some());
        self.keep(first, secrets);
        Ok((done, copied(clears_in)))
    }
}
