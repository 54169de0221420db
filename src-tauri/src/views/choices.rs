//! What the page offers to choose from: the scopes, the settings, the places.

use adopat_core::scopes::{Scope, ScopeLevel};
use serde::Serialize;
use ts_rs::TS;

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
