//! The state file: what AdoPat remembers between runs that is not a setting — the last
//! list it saw (metadata only, drawn at start before the refresh completes) and which
//! reminders were told. Never a secret; written atomically like the config.

use crate::error::{Error, Result};
use crate::files::write_atomically;
use crate::inventory::{Filter, Listing, Pat};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use uuid::Uuid;

/// What was told and what the user put off; kept in the state file (`reminders`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderState {
    #[serde(default)]
    pub sent: BTreeMap<Uuid, Sent>,
    #[serde(default)]
    pub snoozed: BTreeMap<Uuid, Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_until: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sent {
    /// The expiry the reminder was about.
    pub valid_to: Timestamp,
    /// The most urgent threshold told, in days (0 = expired).
    pub threshold: u32,
}

/// A secret AdoPat handed over, by fingerprint (`places::memory`), and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Remembered {
    pub fingerprint: String,
    pub id: uuid::Uuid,
    pub name: String,
    pub org: String,
}

const FILE: &str = "state.json";
/// Taken while the state file is read, changed and written: the window and the tray
/// are two processes, and neither may undo what the other just wrote.
const LOCK: &str = "state.lock";
/// The last list of 5,000 PATs is about 2 MB; far more is not ours.
const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// The longest a PAT's reminders may be put off.
pub const MAX_SNOOZE_DAYS: u32 = 30;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    #[serde(default)]
    pub reminders: ReminderState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_list: Option<CachedList>,
    /// Fingerprints of the secrets AdoPat handed over (`places::memory`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handed_over: Vec<Remembered>,
    /// PATs whose secret is kept in the OS keyring (`kept`); ids only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<uuid::Uuid>,
    /// PATs that renew themselves (`renewal`), by the id of the PAT now in use.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub renewals: std::collections::BTreeMap<uuid::Uuid, Renewing>,
}

/// A week, as Azure DevOps' own reminder mail.
pub const DEFAULT_RENEW_BEFORE_SECS: i64 = 7 * 86_400;

/// How a PAT renews itself: a new secret each time, or the same secret for longer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RenewMode {
    #[default]
    Regenerate,
    Extend,
}

impl RenewMode {
    pub const ALL: [RenewMode; 2] = [RenewMode::Regenerate, RenewMode::Extend];

    pub fn as_str(self) -> &'static str {
        match self {
            RenewMode::Regenerate => "regenerate",
            RenewMode::Extend => "extend",
        }
    }
}

impl std::str::FromStr for RenewMode {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| Error::invalid("mode", format!("'{text}' is not regenerate or extend")))
    }
}

/// A PAT set to renew itself, and what its last renewal did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Renewing {
    pub mode: RenewMode,
    /// Renewed once no more than this is left of it (and no more than half its lifetime).
    pub before_secs: i64,
    /// Said while the PAT cannot be listed (offline, signed out).
    pub name: String,
    pub org: String,
    /// The lifetime each renewal gives again; taken at the first one, since an extended
    /// PAT's own dates would count the extensions too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_secs: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<LastRenewal>,
    /// A replacement made whose secret is kept, while a place still holds this PAT's:
    /// this PAT stays active until every place has the new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<uuid::Uuid>,
    /// Refused by the service (a policy, an expired PAT that cannot be extended): not
    /// tried again on its own before this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_until: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LastRenewal {
    pub at: Timestamp,
    pub ok: bool,
    /// What happened, as the notification said it.
    pub said: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CachedList {
    /// By the service's clock.
    pub fetched_at: Timestamp,
    /// How far the service's clock was ahead of this machine's when it answered (behind
    /// when negative), so that a list drawn before it answers again counts urgency as
    /// the fresh one will.
    #[serde(default)]
    pub service_ahead_secs: i64,
    pub pats: Vec<Pat>,
}

impl CachedList {
    /// A listing as the next start draws it; `machine_now` is this machine's clock as
    /// the listing arrived.
    pub fn new(listing: &Listing, machine_now: Timestamp) -> Self {
        let mut list = CachedList {
            fetched_at: listing.now,
            service_ahead_secs: 0,
            pats: Vec::new(),
        };
        list.merge(Filter::All, listing, machine_now);
        list
    }

    /// Takes in a fresh listing of the statuses `filter` shows, keeping what was last
    /// seen of the other statuses, so the list drawn at start is the latest of each.
    pub fn merge(&mut self, filter: Filter, listing: &Listing, machine_now: Timestamp) {
        self.pats.retain(|p| !filter.includes(p.status));
        self.pats.extend(listing.pats.iter().cloned());
        self.pats.sort_by(|a, b| {
            a.valid_to
                .cmp(&b.valid_to)
                .then_with(|| a.name.cmp(&b.name))
        });
        self.fetched_at = listing.now;
        self.service_ahead_secs = listing.now.duration_since(machine_now).as_secs();
    }

    /// The service's time now, as far as this list knows it.
    pub fn service_now(&self, machine_now: Timestamp) -> Timestamp {
        machine_now + jiff::SignedDuration::from_secs(self.service_ahead_secs)
    }
}

impl State {
    /// A state file that cannot be read is started afresh rather than blocking the app:
    /// it holds nothing the service cannot tell again, at worst a repeated reminder.
    pub fn load(dir: &Path) -> Self {
        crate::files::read_capped(&dir.join(FILE), MAX_BYTES)
            .ok()
            .flatten()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Reads, changes and writes the state file under the lock, so the tray and the
    /// window, two processes, never undo each other's changes.
    pub fn update<T>(dir: &Path, change: impl FnOnce(&mut State) -> T) -> Result<T> {
        crate::files::locked(dir, LOCK, || {
            let mut state = Self::load(dir);
            let out = change(&mut state);
            state.save(dir)?;
            Ok(out)
        })
    }

    /// No reminder about PAT `id` for `days` days from `now`; checked before anything is
    /// written. Returns until when.
    pub fn snooze(dir: &Path, id: uuid::Uuid, days: u32, now: Timestamp) -> Result<Timestamp> {
        if !(1..=MAX_SNOOZE_DAYS).contains(&days) {
            return Err(Error::invalid(
                "days",
                format!("snooze for 1 to {MAX_SNOOZE_DAYS} days, not {days}"),
            ));
        }
        let until = now + jiff::SignedDuration::from_hours(24 * i64::from(days));
        Self::update(dir, |state| {
            state.reminders.snoozed.insert(id, until);
        })?;
        Ok(until)
    }

    /// Turns renewal on for `pat` of organization `org` (regenerate, a week ahead,
    /// unless given), or changes its mode or lead, keeping what is not given; a renewal
    /// held back by a refusal is tried again at the next round (the user's say).
    pub fn renew(
        dir: &Path,
        pat: &Pat,
        org: &str,
        mode: Option<RenewMode>,
        before_secs: Option<i64>,
    ) -> Result<Renewing> {
        Self::update(dir, |state| {
            let renewing = state.renewals.entry(pat.id).or_insert_with(|| Renewing {
                mode: RenewMode::default(),
                before_secs: DEFAULT_RENEW_BEFORE_SECS,
                name: pat.name.clone(),
                org: org.to_owned(),
                lifetime_secs: Some(
                    crate::inventory::lifetime(pat.valid_from, pat.valid_to).as_secs(),
                ),
                last: None,
                pending: None,
                blocked_until: None,
            });
            if let Some(mode) = mode {
                renewing.mode = mode;
            }
            if let Some(before) = before_secs {
                renewing.before_secs = before;
            }
            renewing.blocked_until = None;
            renewing.clone()
        })
    }

    /// A PAT's renewal follows it to the PAT that replaced it (a regenerate, by hand or
    /// by itself), its lifetime and last outcome with it.
    pub fn carry_renewal(dir: &Path, from: uuid::Uuid, to: &Pat) -> Result<()> {
        if !Self::load(dir).renewals.contains_key(&from) {
            return Ok(());
        }
        Self::update(dir, |state| {
            if let Some(mut renewing) = state.renewals.remove(&from) {
                renewing.pending = None;
                renewing.blocked_until = None;
                renewing.name.clone_from(&to.name);
                state.renewals.insert(to.id, renewing);
            }
        })
    }

    /// A revoked PAT renews itself no more.
    pub fn drop_renewal(dir: &Path, id: uuid::Uuid) -> Result<()> {
        if !Self::load(dir).renewals.contains_key(&id) {
            return Ok(());
        }
        Self::update(dir, |state| {
            state.renewals.remove(&id);
        })
    }

    pub fn save(&self, dir: &Path) -> Result<()> {
        let bytes = serde_json::to_vec(self)
            .map_err(|e| Error::Other(format!("could not encode the state: {e}")))?;
        write_atomically(&dir.join(FILE), &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Status;

    #[test]
    fn round_trips_and_survives_a_damaged_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(State::load(dir.path()), State::default());
        let now = Timestamp::now();
        let state = State {
            reminders: ReminderState {
                paused_until: Some(now),
                ..ReminderState::default()
            },
            last_list: Some(CachedList {
                fetched_at: now,
                service_ahead_secs: -90,
                pats: vec![Pat {
                    id: uuid::Uuid::new_v4(),
                    name: "nuget".into(),
                    orgs: vec!["contoso".into()],
                    global: false,
                    scopes: vec!["vso.packaging".into()],
                    valid_from: now,
                    valid_to: now,
                    status: Status::Active,
                }],
            }),
            ..State::default()
        };
        state.save(dir.path()).unwrap();
        assert_eq!(State::load(dir.path()), state);
        std::fs::write(dir.path().join(FILE), b"\0garbage").unwrap();
        assert_eq!(State::load(dir.path()), State::default());
    }

    #[test]
    fn updates_from_two_writers_are_both_kept() {
        let dir = tempfile::tempdir().unwrap();
        let until = Timestamp::now();
        let writers: Vec<_> = (0..8)
            .map(|_| {
                let dir = dir.path().to_owned();
                std::thread::spawn(move || {
                    State::update(&dir, |state| {
                        state.reminders.snoozed.insert(uuid::Uuid::new_v4(), until);
                    })
                    .unwrap();
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        assert_eq!(State::load(dir.path()).reminders.snoozed.len(), 8);
    }

    #[test]
    fn a_snooze_is_kept_and_its_length_checked_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let id = uuid::Uuid::new_v4();
        let now: Timestamp = "2026-11-29T10:00:00Z".parse().unwrap();
        for days in [0, MAX_SNOOZE_DAYS + 1] {
            let refused = State::snooze(dir.path(), id, days, now).unwrap_err();
            assert!(
                refused.to_string().contains("snooze for 1 to 30 days"),
                "{refused}"
            );
        }
        assert!(!dir.path().join(FILE).exists(), "nothing written");
        let until = State::snooze(dir.path(), id, 7, now).unwrap();
        assert_eq!(until, "2026-12-06T10:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(State::load(dir.path()).reminders.snoozed[&id], until);
    }

    fn pat(name: &str, status: Status, days: i64) -> Pat {
        let now = Timestamp::now();
        Pat {
            id: uuid::Uuid::new_v4(),
            name: name.into(),
            orgs: vec!["contoso".into()],
            global: false,
            scopes: vec!["vso.code".into()],
            valid_from: now,
            valid_to: now + jiff::SignedDuration::from_hours(24 * days),
            status,
        }
    }

    #[test]
    fn a_fresh_listing_replaces_only_the_statuses_it_shows() {
        let gone = pat("revoked-since", Status::Active, 3);
        let expired = pat("old", Status::Expired, -2);
        let mut list = CachedList {
            fetched_at: Timestamp::UNIX_EPOCH,
            service_ahead_secs: 0,
            pats: vec![gone, expired.clone()],
        };
        let late = pat("late", Status::Active, 9);
        let early = pat("early", Status::Active, 1);
        let at = Timestamp::now();
        list.merge(
            Filter::Active,
            &listing(vec![late.clone(), early.clone()], at),
            at,
        );
        let names: Vec<_> = list.pats.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["old", "early", "late"], "soonest expiry first");
        assert_eq!(list.fetched_at, at);
        list.merge(Filter::All, &listing(vec![late], at), at);
        assert_eq!(list.pats.len(), 1, "All replaces every status");
    }

    fn listing(pats: Vec<Pat>, now: Timestamp) -> Listing {
        Listing {
            pats,
            failures: Vec::new(),
            now,
        }
    }

    #[test]
    fn a_list_drawn_from_the_file_counts_by_the_service_s_clock() {
        let service: Timestamp = "2027-06-01T12:00:00Z".parse().unwrap();
        let machine: Timestamp = "2027-05-30T12:00:00Z".parse().unwrap();
        let list = CachedList::new(&listing(Vec::new(), service), machine);
        let state = State {
            last_list: Some(list),
            ..State::default()
        };
        let dir = tempfile::tempdir().unwrap();
        state.save(dir.path()).unwrap();
        let kept = State::load(dir.path()).last_list.unwrap();
        assert_eq!(kept.fetched_at, service);
        // An hour later by the machine's clock is an hour later by the service's too.
        let later = machine + jiff::SignedDuration::from_hours(1);
        assert_eq!(
            kept.service_now(later),
            service + jiff::SignedDuration::from_hours(1)
        );
    }
}
