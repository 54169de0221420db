//! One round: renewals first, then reminders, then the tray redrawn with what it found.

use super::{HOW_TO_SIGN_IN, Resident};
use crate::menu as tray_menu;
use crate::renewals;
use adopat_core::config::{Config, ReminderSettings};
use adopat_core::inventory::Inventory;
use adopat_core::reminders::Notice;
use adopat_core::reminders::check::{self, Round};
use adopat_core::source::{self, Source};
use adopat_core::{Result, autostart};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::sync::Arc;
use uuid::Uuid;

impl Resident {
    fn settings(&self) -> ReminderSettings {
        Config::load(&self.place.state_dir)
            .map(|c| c.reminders)
            .unwrap_or_default()
    }

    /// The renewals of a round, as a task of its own (see `Resident::renewing`).
    async fn renew(&self, inventory: &Arc<Inventory>) -> renewals::Renewed {
        let under_way = self.renewing.clone().lock_owned().await;
        let (inventory, told, stop) = (inventory.clone(), self.renewals.clone(), self.stop.clone());
        let task = tokio::spawn(async move {
            let renewed = renewals::round(&inventory, &told, &stop).await;
            drop(under_way);
            renewed
        });
        task.await.unwrap_or_else(|error| {
            // A panic in a renewal: said in the log, and the next round tries again.
            tracing::error!(%error, "a renewal round ended early");
            renewals::Renewed::default()
        })
    }

    pub(super) async fn round(&self) -> Result<Round> {
        let tz = TimeZone::system();
        if matches!(self.place.source, Source::Accounts) {
            let tray = autostart::tray_exe();
            match tray.and_then(|t| autostart::default_once_signed_in(&self.place.state_dir, &t)) {
                Ok(true) => tracing::info!("AdoPat now starts at login (a setting)"),
                Ok(false) => {}
                Err(e) => tracing::warn!("{e}"),
            }
        }
        let inventory = match source::open(&self.place.source, &[], HOW_TO_SIGN_IN).await {
            Ok(inventory) => Arc::new(inventory),
            Err(e) => {
                let mut menu = tray_menu::build(&[], Timestamp::now(), &tz);
                menu.tooltip = format!("AdoPat: {e}");
                self.tray.show(menu).await;
                if let Some(notice) = renewals::signed_out(&self.place.state_dir, &self.renewals) {
                    self.say(&notice);
                }
                return Err(e);
            }
        };
        // Renewed first, so the reminders and the menu count the new PATs.
        let renewed = self.renew(&inventory).await;
        for notice in &renewed.notices {
            self.say(notice);
        }
        let settings = self.settings();
        let show = |notice: &Notice| self.notify(notice);
        let mut round = check::check(
            &inventory,
            &self.place.state_dir,
            &settings.thresholds,
            &tz,
            &show,
        )
        .await?;
        let now = inventory.server_now();
        // The next renewal wakes the tray as a reminder does (a minute at the least: the
        // service's clock and this machine's may disagree by that much).
        if let Some(due) = renewed.next_due {
            let until = due
                .duration_since(now)
                .max(jiff::SignedDuration::from_secs(60));
            let until = std::time::Duration::try_from(until).unwrap_or_default();
            round.next_in = Some(round.next_in.map_or(until, |next| next.min(until)));
        }
        let renewing: Vec<Uuid> = adopat_core::renewal::kept(&self.place.state_dir)
            .into_keys()
            .collect();
        let mut menu = tray_menu::build(&round.pats, now, &tz).renewing(&renewing);
        if let Some(why) = &round.unshown {
            // Said once in the log; the menu and tooltip say it for as long as it lasts.
            if !self
                .notifications_failed
                .swap(true, std::sync::atomic::Ordering::AcqRel)
            {
                tracing::warn!("{}: {why}", tray_menu::NO_NOTIFICATIONS);
            }
            menu = menu.noting(tray_menu::NO_NOTIFICATIONS);
        }
        self.tray.show(menu).await;
        tracing::info!(
            pats = round.pats.len(),
            shown = round.shown.len(),
            next_in = ?round.next_in,
            "reminder round"
        );
        *Self::lock(&self.latest) = Some((inventory, round.pats.clone()));
        Ok(round)
    }
}
