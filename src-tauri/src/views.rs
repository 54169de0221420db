//! What the UI is shown. None of these holds a secret: the one way a secret crosses
//! into the webview is `reveal_secret`, which returns a bare string.

use adopat_core::global_pats;
use adopat_core::inventory::{Listing, OrgTarget, Pat, State, Status, Urgency};
use adopat_core::scopes;
use adopat_core::state::CachedList;
use jiff::Timestamp;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::IpcError;

mod choices;
mod outcomes;
mod renews;
mod signed_in;

pub use choices::*;
pub use outcomes::*;
pub use renews::*;
pub use signed_in::*;

/// How many scope names the list shows before "+N".
const SCOPES_IN_SHORT: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScopeView {
    /// As the service spells it, e.g. `vso.code_write`.
    pub id: String,
    /// "Code (read & write)"; the id itself for a scope AdoPat does not know.
    pub name: String,
}

/// One PAT as the list and the details pane show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatView {
    pub id: Uuid,
    pub name: String,
    pub orgs: Vec<String>,
    /// Valid in every organization of the account (`targetAccounts: null`).
    pub global: bool,
    pub scopes: Vec<ScopeView>,
    /// "Code (read), Packaging (read) +1", or "Full access".
    pub scopes_summary: String,
    pub valid_from: Timestamp,
    pub valid_to: Timestamp,
    pub status: Status,
    /// What it is now, as core says it: a retired global PAT is not "active".
    pub state: State,
    pub state_label: String,
    pub urgency: Urgency,
    /// For a global PAT, "stopped working on 1 December 2026": core's wording, in the
    /// tense of the day.
    pub global_notice: Option<String>,
    /// Full access (`app_token`) rather than scopes.
    pub full_access: bool,
    /// Its lifetime in whole days, a day to a year: what a replacement gets by default.
    pub lifetime_days: u32,
    /// It renews itself (core's `renewal`): how and when.
    pub renews: Option<RenewsView>,
}

impl PatView {
    pub fn new(pat: &Pat, now: Timestamp) -> Self {
        Self {
            id: pat.id,
            name: pat.name.clone(),
            orgs: pat.orgs.clone(),
            global: pat.global,
            scopes: pat
                .scopes
                .iter()
                .map(|id| ScopeView {
                    id: id.clone(),
                    name: scopes::find(id).map_or_else(|| id.clone(), |s| s.name.to_owned()),
                })
                .collect(),
            scopes_summary: scopes::summarize(&pat.scopes, SCOPES_IN_SHORT),
            valid_from: pat.valid_from,
            valid_to: pat.valid_to,
            status: pat.status,
            state: pat.state(now),
            state_label: pat.state(now).label().to_owned(),
            urgency: pat.urgency(now),
            global_notice: pat.global.then(|| global_pats::notice(now)),
            full_access: pat.is_full_access(),
            lifetime_days: pat.lifetime_days(),
            renews: None,
        }
    }

    /// As shown where the PATs that renew themselves are known.
    pub fn marked(pat: &Pat, now: Timestamp, renewals: &Renewals) -> Self {
        Self {
            renews: renewals.get(&pat.id).map(|r| RenewsView::new(pat, r)),
            ..Self::new(pat, now)
        }
    }
}

/// An organization whose PATs could not be listed, while others could.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrgFailure {
    pub org: String,
    pub error: IpcError,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatList {
    /// Soonest expiry first.
    pub pats: Vec<PatView>,
    pub failures: Vec<OrgFailure>,
    /// When the list was read, for "as of" and for counting down to expiries.
    pub listed_at: Timestamp,
    /// Drawn from the state file (the last list seen), not fresh from the service.
    pub cached: bool,
    /// How far the service's clock is ahead of this machine's (behind when negative):
    /// the page counts "in 3 days" by the service's clock, as `urgency` is counted.
    #[ts(type = "number")]
    pub clock_ahead_ms: i64,
}

impl PatList {
    /// Urgency counts from the service's clock as it answered, as in the CLI and the tray.
    pub fn new(listing: Listing, renewals: &Renewals) -> Self {
        let now = listing.now;
        Self {
            pats: listing
                .pats
                .iter()
                .map(|p| PatView::marked(p, now, renewals))
                .collect(),
            failures: listing
                .failures
                .into_iter()
                .map(|(org, error)| OrgFailure {
                    org,
                    error: error.into(),
                })
                .collect(),
            listed_at: now,
            cached: false,
            clock_ahead_ms: i64::try_from(now.duration_since(Timestamp::now()).as_millis())
                .unwrap_or_default(),
        }
    }

    /// The last list seen, as the state file keeps it; urgency counts from `now`.
    pub fn cached(list: &CachedList, now: Timestamp, renewals: &Renewals) -> Self {
        Self {
            pats: list
                .pats
                .iter()
                .map(|p| PatView::marked(p, now, renewals))
                .collect(),
            failures: Vec::new(),
            listed_at: list.fetched_at,
            cached: true,
            clock_ahead_ms: list.service_ahead_secs.saturating_mul(1000),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrgView {
    pub name: String,
    /// The account (or tenant label) it is reached through.
    pub account: String,
}

impl From<&OrgTarget> for OrgView {
    fn from(target: &OrgTarget) -> Self {
        Self {
            name: target.name.clone(),
            account: target.account.clone(),
        }
    }
}
