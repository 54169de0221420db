//! What the window keeps for the user in AdoPat's folder: settings, kept tokens, snoozes
//! and the PATs that renew themselves (none in the demo).

use super::Session;
use crate::requests::SettingsRequest;
use adopat_core::config::Config;
use adopat_core::state::{RenewMode, State};
use adopat_core::{Error, Result, Secret};
use jiff::Timestamp;
use std::path::PathBuf;
use uuid::Uuid;

impl Session {
    /// The PATs that renew themselves (none in the demo).
    pub fn renewals(&self) -> crate::views::Renewals {
        self.state_dir
            .as_deref()
            .map(adopat_core::renewal::kept)
            .unwrap_or_default()
    }

    /// Turns a PAT's renewal on (in `mode`, or as it was) or off; how it renews itself now.
    pub async fn set_renewal(
        &self,
        id: Uuid,
        on: bool,
        mode: Option<RenewMode>,
    ) -> Result<Option<crate::views::RenewsView>> {
        let dir = self.state_dir.as_deref();
        if !on {
            adopat_core::renewal::turn_off(dir, id)?;
            return Ok(None);
        }
        let pat = self.find(id).await?;
        let renewing = adopat_core::renewal::turn_on(dir, &pat, mode, None)?;
        Ok(Some(crate::views::RenewsView::new(&pat, &renewing)))
    }

    /// The reminder settings, and whether they can be kept at all (not in the demo).
    pub fn settings(&self) -> Result<(Config, bool)> {
        match &self.state_dir {
            Some(dir) => Ok((Config::load(dir)?, true)),
            None => Ok((Config::default(), false)),
        }
    }

    /// Settings' "keep new secrets" (never in the demo).
    pub fn keep_secrets(&self) -> bool {
        Config::keeps_secrets(self.state_dir.as_deref())
    }

    /// Keeps new settings; the tray reads the reminders at its next round.
    pub fn save_settings(&self, request: &SettingsRequest) -> Result<Config> {
        let settings = adopat_core::autostart::Settings {
            thresholds: request.thresholds.clone(),
            start_at_login: request.start_at_login,
            keep_secrets: request.keep_secrets,
        };
        adopat_core::autostart::save_settings(self.kept_dir("settings")?, &settings)
    }

    /// The PATs whose secret is kept in the OS keyring.
    pub fn kept_ids(&self) -> Vec<Uuid> {
        self.state_dir
            .as_ref()
            .map(|dir| State::load(dir).kept)
            .unwrap_or_default()
    }

    /// A PAT's kept secret.
    pub fn kept_secret(&self, id: Uuid) -> Result<Secret> {
        let dir = self.kept_dir("kept secret")?;
        adopat_core::kept::fetch(dir, id)?.ok_or_else(|| {
            Error::NotFound(
                "No secret is kept for this PAT; AdoPat keeps new ones when Settings say so."
                    .into(),
            )
        })
    }

    /// No reminder about this PAT for `days` days (by the service's clock, which reminders
    /// count by); returns until when.
    pub fn snooze(&self, id: Uuid, days: u32) -> Result<Timestamp> {
        State::snooze(self.kept_dir("reminders")?, id, days, self.service_now())
    }

    /// Azure DevOps' time as far as this session knows it without a request (a snooze
    /// works offline): the open inventory's clock, else the last list's, else this
    /// machine's.
    pub(super) fn service_now(&self) -> Timestamp {
        if let Some(open) = self.inventory.try_lock().ok().and_then(|slot| slot.clone()) {
            return open.server_now();
        }
        let machine = Timestamp::now();
        self.state_dir
            .as_ref()
            .and_then(|dir| State::load(dir).last_list)
            .map_or(machine, |list| list.service_now(machine))
    }

    pub(super) fn kept_dir(&self, what: &'static str) -> Result<&PathBuf> {
        self.state_dir.as_ref().ok_or_else(|| {
            Error::invalid(
                what,
                "The demo keeps nothing; start AdoPat without --demo to keep it.",
            )
        })
    }
}
