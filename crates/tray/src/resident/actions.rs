//! What the menu's actions do to a PAT, each told in a notification: the tray has no
//! window to say it in.

use super::{PAUSE, Resident};
use adopat_core::ado::pats::PatChanges;
use adopat_core::config::Config;
use adopat_core::handoff::Clipboard;
use adopat_core::inventory::{Inventory, Pat};
use adopat_core::places::Scope;
use adopat_core::renewal;
use adopat_core::rotate::{self, RegenerateOptions};
use adopat_core::state::State;
use adopat_core::stop::Stop;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use uuid::Uuid;

impl Resident {
    /// By the service's clock, which reminders count by; the machine's before any answer.
    pub(super) fn now(&self) -> Timestamp {
        Self::lock(&self.latest)
            .as_ref()
            .map_or_else(Timestamp::now, |(inventory, _)| inventory.server_now())
    }

    pub(super) fn pause(&self) {
        let until = self.now() + PAUSE;
        match State::update(&self.place.state_dir, |state| {
            state.reminders.paused_until = Some(until);
        }) {
            Ok(()) => {
                let at = until.to_zoned(TimeZone::system()).strftime("%A %H:%M");
                self.tell(
                    "Reminders paused for a day".into(),
                    format!("AdoPat reminds you again from {at}."),
                    None,
                );
            }
            Err(e) => self.tell("Reminders not paused".into(), e.to_string(), None),
        }
    }

    pub(super) fn find(&self, id: Uuid) -> Option<(Arc<Inventory>, Pat)> {
        let latest = Self::lock(&self.latest);
        let (inventory, pats) = latest.as_ref()?;
        let pat = pats.iter().find(|p| p.id == id)?.clone();
        Some((inventory.clone(), pat))
    }

    pub(super) async fn extend(&self, id: Uuid, days: i64) {
        let Some((inventory, pat)) = self.find(id) else {
            return self.gone(id);
        };
        let requested = inventory.server_now() + SignedDuration::from_hours(24 * days);
        let changes = PatChanges {
            valid_to: Some(requested),
            ..PatChanges::default()
        };
        match inventory.edit(&pat, &changes).await {
            Ok(edited) => {
                let until = day(edited.pat.valid_to);
                let body = match edited.shortened_from {
                    Some(asked) => format!(
                        "It now expires on {until}: the organization's policy does not allow {} or later.",
                        day(asked)
                    ),
                    None => format!("It now expires on {until}."),
                };
                self.tell(format!("'{}' extended", pat.name), body, Some(id));
            }
            Err(e) => self.tell(
                format!("'{}' was not extended", pat.name),
                e.to_string(),
                Some(id),
            ),
        }
    }

    /// Turns renewal on (regenerate, a week ahead); the round the menu's nudge starts
    /// renews it when it is due.
    pub(super) fn renew_itself(&self, id: Uuid) {
        let Some((inventory, pat)) = self.find(id) else {
            return self.gone(id);
        };
        match renewal::turn_on(inventory.local_dir(), &pat, None, None) {
            Ok(renewing) => self.tell(
                format!("'{}' renews itself", pat.name),
                format!(
                    "AdoPat regenerates it from now on, {} before it expires, and puts the new token where the old one was.",
                    renewal::before_text(renewing.before_secs)
                ),
                Some(id),
            ),
            Err(e) => self.tell(
                format!("'{}' does not renew itself", pat.name),
                e.to_string(),
                Some(id),
            ),
        }
    }

    pub(super) async fn regenerate(&self, id: Uuid, stop: &Stop) {
        let Some((inventory, pat)) = self.find(id) else {
            return self.gone(id);
        };
        // Its replacement needs an organization chosen: the window asks.
        if pat.global {
            return self.open(Some(id));
        }
        let clipboard = match Clipboard::ready() {
            Ok(clipboard) => clipboard,
            Err(e) => {
                return self.tell(
                    format!("'{}' was not regenerated", pat.name),
                    e.to_string(),
                    Some(id),
                );
            }
        };
        let options = RegenerateOptions {
            places: Scope::of(&inventory, Vec::new()),
            keep: Config::keeps_secrets(inventory.local_dir()),
            ..RegenerateOptions::default()
        };
        let outcome = rotate::regenerate(&inventory, &pat, &options, stop, |_, secret| {
            clipboard.copy(secret)
        })
        .await;
        match outcome {
            Ok(done) => {
                let (done, lease) = done.take_delivery();
                let clears = self
                    .clipboard
                    .hold(lease, done.stopped.is_some())
                    .map(|left| {
                        format!(
                            " It is cleared from the clipboard in {} s.",
                            left.as_secs_f64().round()
                        )
                    })
                    .unwrap_or_default();
                let old = if done.old_revoked {
                    "The old token no longer works.".to_owned()
                } else {
                    format!(
                        "The old token is still active ({}): revoke it in AdoPat.",
                        done.revoke_error.map(|e| e.to_string()).unwrap_or_default()
                    )
                };
                let paste = match done.places.summary() {
                    Some(places) => places,
                    None => "Paste it where the old one was used.".to_owned(),
                };
                self.tell(
                    format!("New token for '{}' copied", pat.name),
                    format!("{paste}{clears} {old}"),
                    Some(done.new.id),
                );
            }
            Err(e) => self.tell(
                format!("'{}' was not regenerated", pat.name),
                e.to_string(),
                Some(id),
            ),
        }
    }

    pub(super) fn gone(&self, id: Uuid) {
        self.tell(
            "That PAT is no longer listed".into(),
            "AdoPat checks again now; open AdoPat to see the current list.".into(),
            Some(id),
        );
    }

    /// On the way out: core's rule of a stop for the secret last handed over.
    pub(super) async fn finish_handoff(&self) {
        let finishing = self.clipboard.finishing();
        let _ = tokio::task::spawn_blocking(move || finishing.run()).await;
    }
}

/// "28 February 2027", where the user is.
fn day(at: Timestamp) -> String {
    at.to_zoned(TimeZone::system())
        .strftime("%-d %B %Y")
        .to_string()
}
