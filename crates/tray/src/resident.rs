//! What stays running: a reminder round now and whenever core's plan says something
//! becomes due (or every six hours, or when the system resumes, or on "Check now"),
//! the tray redrawn after each round, and the menu's actions carried out one at a time.

use crate::context::Context;
use crate::menu::Command;
use crate::menu::{self as tray_menu, PatAction};
use crate::notify;
use crate::renewals;
use crate::signals::{ended, resumed};
use crate::tray::Tray;
use crate::{icons, instance};
use adopat_core::ado::pats::PatChanges;
use adopat_core::config::{Config, ReminderSettings};
use adopat_core::handoff::{Clipboard, OnClipboard};
use adopat_core::inventory::{Inventory, Pat};
use adopat_core::places::Scope;
use adopat_core::reminders::Notice;
use adopat_core::reminders::check::{self, DEFAULT_REFRESH, Round};
use adopat_core::rotate::{self, RegenerateOptions};
use adopat_core::source::{self, Source};
use adopat_core::state::State;
use adopat_core::stop::{Stop, StopReason};
use adopat_core::{Result, autostart};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc;
use uuid::Uuid;

const HOW_TO_SIGN_IN: &str = "Open AdoPat and sign in under Accounts";
const PAUSE: SignedDuration = SignedDuration::from_hours(24);

struct Resident {
    place: Context,
    tray: Tray,
    /// The app icon's file, for notifications.
    icon: String,
    /// The last round's inventory and list, which the menu's actions work on.
    latest: Mutex<Option<(Arc<Inventory>, Vec<Pat>)>>,
    /// The last secret handed off, until its clipboard clears; ending clears it too,
    /// unless it was handed over while a stop was asked for (core's rule).
    clipboard: OnClipboard,
    /// Notifications could not be shown (said once).
    notifications_failed: std::sync::atomic::AtomicBool,
    /// What the renewals said once.
    renewals: renewals::Told,
}

pub async fn run(demo: bool, open: bool) -> Result<()> {
    let place = if demo {
        Context::demo().await?
    } else {
        Context::from_env()?
    };
    let _instance = match place.demo {
        Some(_) => None,
        None => match instance::claim(&place.state_dir)? {
            Some(held) => Some(held),
            None => {
                tracing::info!("AdoPat is already in the tray");
                if open {
                    place.window.open(None)?;
                }
                return Ok(());
            }
        },
    };
    let (commands_tx, mut commands) = mpsc::unbounded_channel();
    let tz = TimeZone::system();
    let tray = Tray::start(tray_menu::build(&[], Timestamp::now(), &tz), commands_tx).await;
    tracing::debug!("tray started");
    let resident = Resident {
        icon: icons::app_icon_file(&place.state_dir),
        place,
        tray,
        latest: Mutex::new(None),
        clipboard: OnClipboard::default(),
        notifications_failed: std::sync::atomic::AtomicBool::new(false),
        renewals: renewals::Told::default(),
    };
    if open {
        resident.open(None);
    }
    tracing::debug!("app icon written");
    if let Err(e) = notify::register_app_id(&resident.icon) {
        tracing::warn!("{e}");
    }
    let (nudge, nudges) = mpsc::channel(1);
    // Not for a demo: it is not the user's tray.
    let _remote = match resident.place.demo {
        Some(_) => None,
        None => adopat_core::link::serve(&resident.place.state_dir, nudge.clone()).await,
    };
    tracing::debug!("listening for check now");
    let schedule = check::run(DEFAULT_REFRESH, || resident.round(), nudges);
    // SIGTERM or Ctrl-C asks the menu to stop; an action under way (a regenerate) is
    // finished where stopping loses nothing, never dropped half-way.
    let stop = Stop::never();
    let menu = async {
        loop {
            let command = tokio::select! {
                command = commands.recv() => command,
                _ = stop.wait() => None,
            };
            let Some(command) = command else { return };
            tracing::info!(?command, "menu");
            if !resident.carry_out(command, &nudge, &stop).await || stop.asked().is_some() {
                return;
            }
        }
    };
    let ending = async {
        ended().await;
        stop.ask(StopReason::Terminate);
        std::future::pending::<()>().await
    };
    tokio::select! {
        () = schedule => {}
        () = menu => {}
        () = resumed(nudge.clone()) => {}
        () = ending => {}
    }
    resident.finish_handoff().await;
    Ok(())
}

impl Resident {
    fn lock<T>(slot: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn settings(&self) -> ReminderSettings {
        Config::load(&self.place.state_dir)
            .map(|c| c.reminders)
            .unwrap_or_default()
    }

    async fn round(&self) -> Result<Round> {
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
        let renewed = renewals::round(&inventory, &self.renewals, &Stop::never()).await;
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

    /// A reminder; clicking it opens the window on its PAT.
    fn notify(&self, notice: &Notice) -> Result<()> {
        let window = self.place.window.clone();
        let pat = notice.pat;
        notify::show_clickable(notice, &self.icon, move || {
            if let Err(e) = window.open(pat) {
                tracing::warn!("{e}");
            }
        })
    }

    fn say(&self, notice: &Notice) {
        if let Err(e) = self.notify(notice) {
            tracing::warn!("{e}");
        }
    }

    /// What an action did, or why it failed: the tray has no window to say it in.
    fn tell(&self, title: String, body: String, pat: Option<Uuid>) {
        if let Err(e) = self.notify(&Notice { title, body, pat }) {
            tracing::warn!("{e}");
        }
    }

    fn open(&self, pat: Option<Uuid>) {
        if let Err(e) = self.place.window.open(pat) {
            self.tell(
                "AdoPat could not open its window".into(),
                e.to_string(),
                None,
            );
        }
    }

    /// Carries out one menu action; false for Quit.
    async fn carry_out(&self, command: Command, nudge: &mpsc::Sender<()>, stop: &Stop) -> bool {
        match command {
            Command::Quit => return false,
            Command::OpenApp => self.open(None),
            Command::Pat(id, PatAction::Open) => self.open(Some(id)),
            Command::CheckNow => {}
            Command::PauseForADay => self.pause(),
            Command::Pat(id, PatAction::Extend30) => self.extend(id, 30).await,
            Command::Pat(id, PatAction::Extend90) => self.extend(id, 90).await,
            Command::Pat(id, PatAction::RegenerateAndCopy) => self.regenerate(id, stop).await,
            Command::Pat(id, PatAction::RenewItself) => self.renew_itself(id),
        }
        // Everything but opening the window changes what the menu should show.
        if !matches!(command, Command::OpenApp | Command::Pat(_, PatAction::Open)) {
            let _ = nudge.try_send(());
        }
        true
    }

    /// By the service's clock, which reminders count by; the machine's before any answer.
    fn now(&self) -> Timestamp {
        Self::lock(&self.latest)
            .as_ref()
            .map_or_else(Timestamp::now, |(inventory, _)| inventory.server_now())
    }

    fn pause(&self) {
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

    fn find(&self, id: Uuid) -> Option<(Arc<Inventory>, Pat)> {
        let latest = Self::lock(&self.latest);
        let (inventory, pats) = latest.as_ref()?;
        let pat = pats.iter().find(|p| p.id == id)?.clone();
        Some((inventory.clone(), pat))
    }

    async fn extend(&self, id: Uuid, days: i64) {
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
    fn renew_itself(&self, id: Uuid) {
        let Some((inventory, pat)) = self.find(id) else {
            return self.gone(id);
        };
        match adopat_core::renewal::turn_on(inventory.local_dir(), &pat, None, None) {
            Ok(renewing) => self.tell(
                format!("'{}' renews itself", pat.name),
                format!(
                    "AdoPat regenerates it from now on, {} before it expires, and puts the new token where the old one was.",
                    adopat_core::renewal::before_text(renewing.before_secs)
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

    async fn regenerate(&self, id: Uuid, stop: &Stop) {
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

    fn gone(&self, id: Uuid) {
        self.tell(
            "That PAT is no longer listed".into(),
            "AdoPat checks again now; open AdoPat to see the current list.".into(),
            Some(id),
        );
    }

    /// On the way out: core's rule of a stop for the secret last handed over.
    async fn finish_handoff(&self) {
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
