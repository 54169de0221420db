//! A global PAT replaced by one PAT per organization: the first new secret to the
//! clipboard, all of them kept for the user to copy in turn.

use super::{LastSecret, copied};
use crate::views::Copied;
use adopat_core::handoff::{Clipboard, no_longer_held};
use adopat_core::inventory::{Inventory, Pat};
use adopat_core::rotate::{self, ReplaceOptions, Replaced};
use adopat_core::stop::Stop;
use adopat_core::{Result, Secret};

impl LastSecret {
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
