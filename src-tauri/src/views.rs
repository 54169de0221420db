//! What the UI is shown. None of these holds a secret: the one way a secret crosses
//! into the webview is `reveal_secret`, which returns a bare string.

use adopat_core::accounts;
use adopat_core::config::{self, AccountRecord};
use adopat_core::global_pats;
use adopat_core::inventory::{Listing, OrgTarget, Pat, State, Status, Urgency};
use adopat_core::scopes::{self, Scope, ScopeLevel};
use adopat_core::state::{CachedList, LastRenewal, RenewMode, Renewing};
use jiff::Timestamp;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::IpcError;

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

/// How a PAT renews itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenewsView {
    pub mode: RenewMode,
    /// Its lead, as `adopat autorenew --before` takes it: "7d".
    pub before: String,
    /// When it is renewed next, by Azure DevOps' clock.
    pub due: Timestamp,
    /// What its last renewal did.
    pub last: Option<LastRenewal>,
}

impl RenewsView {
    pub fn new(pat: &Pat, renewing: &Renewing) -> Self {
        Self {
            mode: renewing.mode,
            before: adopat_core::renewal::before_text(renewing.before_secs),
            due: adopat_core::renewal::due_at(pat, renewing),
            last: renewing.last.clone(),
        }
    }
}

/// The PATs that renew themselves, by id.
pub type Renewals = std::collections::BTreeMap<Uuid, Renewing>;

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

/// Where a new secret went: always the clipboard, from Rust (a command whose secret
/// could not be copied fails, and its PAT is revoked again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Copied {
    /// Null when it is never cleared (`ADOPAT_CLIPBOARD_CLEAR_SECONDS=0`): it stays until
    /// something else is copied.
    pub clears_in_seconds: Option<u32>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatedView {
    pub pat: PatView,
    #[serde(flatten)]
    pub copied: Copied,
    /// The expiry asked for, when an organization's lifespan policy shortened it.
    pub shortened_from: Option<Timestamp>,
    /// The places it was put in (New PAT for this place).
    pub places: adopat_core::places::Updates,
    pub kept: Option<KeptView>,
    /// Why it does not renew itself, when that was asked and could not be turned on.
    pub renew_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EditedView {
    pub pat: PatView,
    pub shortened_from: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegeneratedView {
    pub new_id: Uuid,
    pub pat: PatView,
    /// The PAT it replaces.
    pub replaces: Uuid,
    /// That PAT as it is now (revoked, or still working): the page updates its row from
    /// this rather than listing every organization again.
    pub replaced: PatView,
    #[serde(flatten)]
    pub copied: Copied,
    /// False when the old PAT could not be revoked: it still works, and the error says why.
    pub old_revoked: bool,
    pub old_revoke_error: Option<IpcError>,
    pub shortened_from: Option<Timestamp>,
    /// The places on this machine that held the old secret: given the new one, or not.
    pub places: adopat_core::places::Updates,
    /// Whether the new secret is kept in the OS keyring (Settings), with why not.
    pub kept: Option<KeptView>,
}

/// A global PAT replaced, wholly or in part. The first new PAT's secret is on the
/// clipboard; `copy_replacement` copies the others, one at a time.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReplacedView {
    /// In the order of the organizations asked for.
    pub made: Vec<MadeView>,
    /// The organization whose PAT could not be made, and why: those after it were not
    /// tried, and the global PAT still works.
    pub failed: Option<FailedOrg>,
    #[serde(flatten)]
    pub copied: Copied,
    pub old_revoked: bool,
    pub old_revoke_error: Option<IpcError>,
    /// The global PAT as it is now (revoked, or still working), for its row.
    pub replaced: PatView,
    /// The places that held the global PAT, each given the PAT of its organization.
    pub places: adopat_core::places::Updates,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MadeView {
    pub pat: PatView,
    pub shortened_from: Option<Timestamp>,
    pub kept: Option<KeptView>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FailedOrg {
    pub org: String,
    pub error: IpcError,
}

impl ReplacedView {
    pub fn new(done: adopat_core::rotate::Replaced<()>, copied: Copied, now: Timestamp) -> Self {
        let replaced = Pat {
            status: if done.old_revoked {
                Status::Revoked
            } else {
                done.replaces.status
            },
            ..done.replaces.clone()
        };
        Self {
            made: done
                .made
                .into_iter()
                .map(|made| MadeView {
                    pat: PatView::new(&made.new, now),
                    shortened_from: made.shortened_from,
                    kept: KeptView::from_outcome(made.kept),
                })
                .collect(),
            failed: done.failed.map(|(org, error)| FailedOrg {
                org,
                error: error.into(),
            }),
            copied,
            old_revoked: done.old_revoked,
            old_revoke_error: done.revoke_error.map(IpcError::from),
            replaced: PatView::new(&replaced, now),
            places: done.places,
        }
    }
}

/// Whether a secret was kept in the OS keyring as Settings ask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeptView {
    pub kept: bool,
    /// Why it could not be kept.
    pub error: Option<String>,
}

impl KeptView {
    pub fn from_outcome(outcome: Option<std::result::Result<(), String>>) -> Option<Self> {
        outcome.map(|o| Self {
            kept: o.is_ok(),
            error: o.err(),
        })
    }
}

/// One scope the create and edit dialog can offer, from core's catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScopeOption {
    pub id: String,
    pub name: String,
    pub category: String,
    /// "Code" of "Code (read & write)": what the picker groups levels under.
    pub resource: String,
    /// "read & write": the level in the scope's own words, when its name has them.
    pub level_text: Option<String>,
    pub level: ScopeLevel,
    pub high_privilege: bool,
    /// Full access (`app_token`): the picker's other mode, not a scope among others.
    pub full_access: bool,
}

impl From<&Scope> for ScopeOption {
    fn from(scope: &Scope) -> Self {
        Self {
            id: scope.id.to_owned(),
            name: scope.name.to_owned(),
            category: scope.category.to_owned(),
            resource: scope.resource().to_owned(),
            level_text: scope.level_text().map(str::to_owned),
            level: scope.level,
            high_privilege: scope.high_privilege,
            full_access: scope.is_full_access(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    /// `<tenant id>/<object id>`: what `sign_out` takes.
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub tenant: String,
    pub kind: config::AccountKind,
}

impl From<&AccountRecord> for AccountView {
    fn from(record: &AccountRecord) -> Self {
        Self {
            id: record.id.clone(),
            username: record.username.clone(),
            display_name: record.display_name.clone(),
            tenant: record.tenant.clone(),
            kind: record.kind,
        }
    }
}

/// Whom the app works as, besides the accounts: the demo and `ADOPAT_ACCESS_TOKEN` need
/// none, and signing in changes nothing while they are in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AccountSource {
    SignedIn,
    Demo,
    AccessToken,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Accounts {
    pub accounts: Vec<AccountView>,
    pub source: AccountSource,
}

/// What the user must do to finish a sign-in: open `url` (a browser was opened on it
/// when `opened`), and for a device code, enter `code` there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInPrompt {
    pub url: String,
    pub code: Option<String>,
    /// Entra's own sentence for a device code.
    pub message: Option<String>,
    pub opened: bool,
}

impl From<accounts::Prompt<'_>> for SignInPrompt {
    fn from(prompt: accounts::Prompt<'_>) -> Self {
        match prompt {
            accounts::Prompt::Browser { url, opened } => Self {
                url: url.to_owned(),
                code: None,
                message: None,
                opened,
            },
            accounts::Prompt::DeviceCode(device) => Self {
                url: device.verification_uri.clone(),
                code: Some(device.user_code.clone()),
                message: device.message.clone(),
                opened: false,
            },
        }
    }
}

/// What the Settings dialog shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// Days before expiry to remind at, most first; `0` = once it has expired.
    pub thresholds: Vec<u32>,
    /// AdoPat (its tray, for reminders) starts with the session.
    pub start_at_login: bool,
    /// False in the demo, which keeps nothing.
    pub kept: bool,
    /// Each new secret is kept in the OS keyring, to copy it again later.
    pub keep_secrets: bool,
}

impl From<(adopat_core::config::Config, bool)> for SettingsView {
    fn from((config, kept): (adopat_core::config::Config, bool)) -> Self {
        Self {
            thresholds: config.reminders.thresholds,
            start_at_login: config.reminders.start_at_login.unwrap_or(false),
            kept,
            keep_secrets: config.keep_secrets,
        }
    }
}

/// A place on this machine, with the scopes a new PAT for it needs (preselected by
/// "New PAT for this place").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlaceView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub place: adopat_core::places::Place,
    /// As the CLI names it (`kind:entry`): what `create_pat`'s `putIn` takes.
    pub id: String,
    pub suggested_scopes: Vec<String>,
}

impl From<adopat_core::places::Place> for PlaceView {
    fn from(place: adopat_core::places::Place) -> Self {
        Self {
            id: place.id(),
            suggested_scopes: place
                .suggested_scopes()
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            place,
        }
    }
}
