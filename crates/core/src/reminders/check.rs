//! One round of reminding, and the loop that repeats it: list, plan by the service's
//! clock, notify, remember, and sleep until the plan's next moment (or the refresh
//! interval, or a nudge such as "Check now" or the system resuming). It never polls.

use super::{Notice, mark_sent, notices, plan, prune};
use crate::error::Result;
use crate::inventory::{Filter, Inventory, Pat};
use crate::state::{CachedList, State};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::path::Path;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often the list is read again when nothing is due sooner.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(6 * 3600);
/// After a failed round (offline, signed out), try again this soon.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(15 * 60);

#[derive(Debug)]
pub struct Round {
    pub pats: Vec<Pat>,
    pub shown: Vec<Notice>,
    /// How long until something may become due, by the service's clock.
    pub next_in: Option<Duration>,
    /// Why a notification could not be shown (none can be on this desktop, say); those
    /// not shown are tried again at the next round.
    pub unshown: Option<String>,
}

pub async fn check(
    inventory: &Inventory,
    state_dir: &Path,
    thresholds: &[u32],
    tz: &TimeZone,
    show: &(dyn Fn(&Notice) -> Result<()> + Sync),
) -> Result<Round> {
    let listing = inventory.list(Filter::All).await.into_result()?;
    let now = listing.now;
    let planned = State::update(state_dir, |state| {
        prune(&mut state.reminders, &listing.pats, now);
        state.last_list = Some(CachedList::new(&listing, Timestamp::now()));
        plan(&listing.pats, thresholds, now, &state.reminders, tz)
    })?;
    // Shown without the state file's lock: a notification server that hangs must not
    // hold up the window's writes.
    // A notification that cannot be shown does not stop the round: the list and the
    // tray still follow, and what was not told is not marked, so it is tried again.
    let mut shown = Vec::new();
    let mut unshown = None;
    for notice in notices(&planned.due, now, tz) {
        match show(&notice) {
            Ok(()) => shown.push(notice),
            Err(e) => {
                tracing::warn!("notification not shown: {e}");
                unshown.get_or_insert(e.to_string());
            }
        }
    }
    let told: Vec<_> = planned
        .due
        .iter()
        .filter(|d| {
            shown
                .iter()
                .any(|n: &Notice| n.pat.is_none_or(|id| id == d.pat.id))
        })
        .cloned()
        .collect();
    State::update(state_dir, |state| {
        mark_sent(&mut state.reminders, &told);
    })?;
    Ok(Round {
        next_in: planned.wake_at.map(|at| until(now, at)),
        pats: listing.pats,
        shown,
        unshown,
    })
}

fn until(now: Timestamp, at: Timestamp) -> Duration {
    Duration::try_from(at.duration_since(now)).unwrap_or(Duration::ZERO)
}

/// Repeats a round until the nudges channel closes. A nudge (Check now, resume, a
/// changed setting) starts a round at once. `round` is one `check` with whatever the
/// caller does around it (reading the settings, drawing the tray).
pub async fn run<F, Fut>(refresh: Duration, mut round: F, mut nudges: mpsc::Receiver<()>)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Round>>,
{
    loop {
        let sleep = match round().await {
            Ok(round) => round.next_in.map_or(refresh, |d| d.min(refresh)),
            Err(e) => {
                tracing::warn!("reminder round failed: {e}");
                RETRY_AFTER_FAILURE.min(refresh)
            }
        };
        tracing::debug!(?sleep, "next reminder round");
        tokio::select! {
            _ = tokio::time::sleep(sleep) => {}
            nudge = nudges.recv() => if nudge.is_none() { return },
        }
    }
}
