//! When to warn about PATs that expire: a pure function of the PATs, the thresholds, the
//! time, and what was already told; the shell only shows what it returns and sleeps
//! until the time it names.
//!
//! - Thresholds are whole days before expiry, counted on the calendar where the user is
//!   (so a daylight-saving change does not move "7 days before" by an hour); `0` means
//!   "has expired".
//! - Each PAT is told once per threshold. When several thresholds were crossed since it
//!   was last told (at first start, after a holiday), only the most urgent is told.
//! - What was told is remembered with the expiry it was told for: a PAT extended after a
//!   reminder starts afresh.
//! - A PAT that expired long before AdoPat first saw it is not announced: it is in the
//!   list, and a notification for a months-old expiry helps nobody.

pub mod check;

use crate::inventory::{Pat, Status};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan, Zoned};
use uuid::Uuid;

pub use crate::config::DEFAULT_THRESHOLDS;
/// More reminders than this at once become one summary notification.
pub const SUMMARY_AFTER: usize = 3;
/// An expiry older than this at the time it is first noticed is not announced.
pub const STALE_EXPIRY: SignedDuration = SignedDuration::from_hours(24 * 7);

pub use crate::state::{ReminderState, Sent};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub pat: Pat,
    pub threshold: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub due: Vec<Due>,
    /// The next moment something may become due; `None` when nothing ever will.
    pub wake_at: Option<Timestamp>,
}

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
    /// The PAT to open when the notification is clicked; none for a summary.
    pub pat: Option<Uuid>,
}

/// The moment a threshold is crossed: `days` calendar days before expiry, where the
/// user is.
fn crossing(valid_to: Timestamp, days: u32, tz: &TimeZone) -> Timestamp {
    if days == 0 {
        return valid_to;
    }
    Zoned::new(valid_to, tz.clone())
        .checked_sub(i64::from(days).days())
        .map(|z| z.timestamp())
        .unwrap_or(valid_to)
}

pub fn plan(
    pats: &[Pat],
    thresholds: &[u32],
    now: Timestamp,
    state: &ReminderState,
    tz: &TimeZone,
) -> Plan {
    let mut thresholds: Vec<u32> = thresholds.to_vec();
    thresholds.sort_unstable_by(|a, b| b.cmp(a));
    thresholds.dedup();
    let paused = state.paused_until.filter(|until| *until > now);
    let mut due = Vec::new();
    let mut wake_at: Option<Timestamp> = paused;
    let mut wake = |at: Timestamp| {
        if at > now {
            wake_at = Some(wake_at.map_or(at, |w| w.min(at)));
        }
    };
    for pat in pats.iter().filter(|p| p.status != Status::Revoked) {
        let snoozed = state
            .snoozed
            .get(&pat.id)
            .copied()
            .filter(|until| *until > now);
        if let Some(until) = snoozed {
            wake(until);
        }
        let told = state
            .sent
            .get(&pat.id)
            .filter(|sent| sent.valid_to == pat.valid_to)
            .map(|sent| sent.threshold);
        let mut most_urgent_crossed = None;
        for &days in &thresholds {
            let at = crossing(pat.valid_to, days, tz);
            if at <= now {
                most_urgent_crossed = Some(days);
            } else if told.is_none_or(|t| days < t) {
                wake(at);
            }
        }
        let Some(threshold) = most_urgent_crossed else {
            continue;
        };
        let already = told.is_some_and(|t| t <= threshold);
        let stale = threshold == 0 && told.is_none() && now - STALE_EXPIRY > pat.valid_to;
        if already || stale || snoozed.is_some() || paused.is_some() {
            continue;
        }
        due.push(Due {
            pat: pat.clone(),
            threshold,
        });
    }
    due.sort_by_key(|d| d.pat.valid_to);
    Plan { due, wake_at }
}

/// Remembers that `due` was told.
pub fn mark_sent(state: &mut ReminderState, due: &[Due]) {
    for d in due {
        state.sent.insert(
            d.pat.id,
            Sent {
                valid_to: d.pat.valid_to,
                threshold: d.threshold,
            },
        );
    }
}

/// Forgets what no longer exists, so the state file does not grow forever.
pub fn prune(state: &mut ReminderState, pats: &[Pat], now: Timestamp) {
    state.sent.retain(|id, _| pats.iter().any(|p| p.id == *id));
    state.snoozed.retain(|_, until| *until > now);
    if state.paused_until.is_some_and(|until| until <= now) {
        state.paused_until = None;
    }
}

/// "in 3 days", "tomorrow", "today", "2 days ago", by the calendar where the user is.
pub fn when(valid_to: Timestamp, now: Timestamp, tz: &TimeZone) -> String {
    let today = Zoned::new(now, tz.clone()).date();
    let day = Zoned::new(valid_to, tz.clone()).date();
    let days = (day - today).get_days();
    match days {
        0 if valid_to <= now => "expired today".into(),
        0 => "expires today".into(),
        1 => "expires tomorrow".into(),
        -1 => "expired yesterday".into(),
        d if d > 1 => format!("expires in {d} days"),
        d => format!("expired {} days ago", -d),
    }
}

/// The notifications for `due`: one each, or one summary when there are many.
pub fn notices(due: &[Due], now: Timestamp, tz: &TimeZone) -> Vec<Notice> {
    let describe = |d: &Due| {
        let org = if d.pat.global {
            "all organizations".to_owned()
        } else {
            d.pat.orgs.join(", ")
        };
        format!(
            "PAT '{}' ({org}) {}",
            d.pat.name,
            when(d.pat.valid_to, now, tz)
        )
    };
    if due.len() > SUMMARY_AFTER {
        let names: Vec<&str> = due.iter().map(|d| d.pat.name.as_str()).collect();
        let shown = names[..SUMMARY_AFTER].join(", ");
        return vec![Notice {
            title: format!("{} PATs need attention", due.len()),
            body: format!("{shown} and {} more", names.len() - SUMMARY_AFTER),
            pat: None,
        }];
    }
    due.iter()
        .map(|d| Notice {
            title: describe(d),
            body: if d.threshold == 0 {
                "Regenerate it in AdoPat to get a working one.".into()
            } else {
                "Extend or regenerate it in AdoPat before it breaks what uses it.".into()
            },
            pat: Some(d.pat.id),
        })
        .collect()
}

#[cfg(test)]
mod tests;
