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
use adopat_core::Result;
use adopat_core::handoff::OnClipboard;
use adopat_core::inventory::{Inventory, Pat};
use adopat_core::reminders::Notice;
use adopat_core::reminders::check::{self, DEFAULT_REFRESH};
use adopat_core::stop::{Stop, StopReason};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc;
use uuid::Uuid;

mod actions;
mod round;

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
    renewals: Arc<renewals::Told>,
    /// Asked on SIGTERM or Ctrl-C: a menu action or a renewal under way finishes where
    /// stopping loses nothing.
    stop: Stop,
    /// Held by a renewal under way, which runs as a task of its own: ending the
    /// schedule never cuts one between its create and its hand-over, and the tray waits
    /// for it before it leaves.
    renewing: Arc<tokio::sync::Mutex<()>>,
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
        renewals: Arc::default(),
        stop: Stop::never(),
        renewing: Arc::default(),
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
    // SIGTERM or Ctrl-C asks the menu and a renewal to stop; an action under way (a
    // regenerate) is finished where stopping loses nothing, never dropped half-way.
    let stop = &resident.stop;
    let menu = async {
        loop {
            let command = tokio::select! {
                command = commands.recv() => command,
                _ = stop.wait() => None,
            };
            let Some(command) = command else { return };
            tracing::info!(?command, "menu");
            if !resident.carry_out(command, &nudge, stop).await || stop.asked().is_some() {
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
    drop(resident.renewing.lock().await);
    resident.finish_handoff().await;
    Ok(())
}

impl Resident {
    fn lock<T>(slot: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        slot.lock().unwrap_or_else(PoisonError::into_inner)
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
}
