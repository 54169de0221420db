//! What renewing one PAT did (or, with a dry run, would do), as `renew --json` prints it
//! and as a notification says it.

use crate::error::ErrorCode;
use crate::inventory::Pat;
use crate::places::{NotUpdated, Place, Updates};
use crate::secret::Secret;
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Action {
    Regenerated,
    Extended,
    NotDue,
    Failed,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Renewal {
    pub id: Uuid,
    pub name: String,
    pub org: String,
    pub action: Action,
    /// The PAT that replaced it (regenerated).
    pub new_id: Option<Uuid>,
    /// Its expiry now: the replacement's, the extended one's, or when it becomes due.
    pub valid_to: Option<Timestamp>,
    pub updated: Vec<Place>,
    pub not_updated: Vec<NotUpdated>,
    pub old_revoked: Option<bool>,
    pub reason: Option<String>,
    /// When a PAT not yet due will be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Timestamp>,
    /// Nothing was changed: what `action` says would be done.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
    /// The new secret, only when asked for (`renew --print`).
    #[serde(skip)]
    pub secret: Option<Secret>,
    /// Something was tried now (not a PAT that was not due, held back or dry-run): what
    /// the tray tells.
    #[serde(skip)]
    pub attempted: bool,
    /// Why it failed, by class (a sign-in to renew, the network).
    #[serde(skip)]
    pub failure: Option<ErrorCode>,
    /// The organization's policy gave the replacement less than was asked.
    #[serde(skip)]
    pub shortened_from: Option<Timestamp>,
    #[serde(skip)]
    pub notes: Vec<String>,
}

impl Renewal {
    pub(super) fn of(id: Uuid, name: &str, org: &str, action: Action) -> Self {
        Self {
            id,
            name: name.to_owned(),
            org: org.to_owned(),
            action,
            new_id: None,
            valid_to: None,
            updated: Vec::new(),
            not_updated: Vec::new(),
            old_revoked: None,
            reason: None,
            due: None,
            dry_run: false,
            secret: None,
            attempted: false,
            failure: None,
            shortened_from: None,
            notes: Vec::new(),
        }
    }

    pub(super) fn for_pat(pat: &Pat, action: Action) -> Self {
        let org = pat.orgs.first().map(String::as_str).unwrap_or_default();
        Self::of(pat.id, &pat.name, org, action)
    }

    pub(super) fn failed(mut self, reason: impl Into<String>, failure: Option<ErrorCode>) -> Self {
        self.action = Action::Failed;
        self.reason = Some(reason.into());
        self.failure = failure;
        self
    }

    pub(super) fn with_places(mut self, places: Updates) -> Self {
        self.updated = places.updated;
        self.not_updated = places.not_updated;
        self.notes = places.notes;
        self
    }

    /// A place that held the old secret has not got the new one: the old PAT is kept
    /// active for it (`renew` exits 7).
    pub fn places_left(&self) -> bool {
        !self.not_updated.is_empty()
    }

    /// One or two sentences for a notification or the PAT's details.
    pub fn said(&self) -> String {
        let who = format!("'{}' ({})", self.name, self.org);
        let would = if self.dry_run { "Would have " } else { "" };
        match self.action {
            Action::Regenerated if self.places_left() => format!(
                "{would}Renewed {who}, but {} still hold{} the old token: {}. The old one stays active until they have the new one; AdoPat tries again in its next round.",
                names(self.not_updated.iter().map(|n| &n.place)),
                if self.not_updated.len() == 1 { "s" } else { "" },
                self.not_updated
                    .iter()
                    .map(|n| n.reason.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Action::Regenerated => {
                let into = if self.updated.is_empty() {
                    "the new token is kept in the OS keyring (Copy token, `adopat copy`)".to_owned()
                } else {
                    format!("the new token is in {}", names(self.updated.iter()))
                };
                let old = match (self.old_revoked, &self.reason) {
                    (Some(true), _) => "the old one is revoked".to_owned(),
                    (_, Some(reason)) => reason.clone(),
                    _ => "the old one is still active".to_owned(),
                };
                let mut text = format!("{would}Renewed {who}: {into}; {old}.");
                if let (Some(asked), Some(got)) = (self.shortened_from, self.valid_to) {
                    text.push_str(&format!(
                        " The organization's policy shortened it: it expires on {} rather than {}.",
                        day(got),
                        day(asked)
                    ));
                }
                text
            }
            Action::Extended => format!(
                "{would}Extended {who} to {}; its token is unchanged.",
                self.valid_to.map(day).unwrap_or_default()
            ),
            Action::NotDue => match (&self.reason, self.due) {
                (Some(reason), _) => format!("{who}: {reason}"),
                (None, Some(due)) => format!("{who} renews itself on {}.", day(due)),
                (None, None) => format!("{who} is not due."),
            },
            Action::Failed => format!(
                "Could not renew {who}: {}",
                self.reason.as_deref().unwrap_or("it failed")
            ),
        }
    }
}

fn names<'a>(places: impl Iterator<Item = &'a Place>) -> String {
    let mut names: Vec<String> = Vec::new();
    for place in places {
        let name = match &place.file {
            Some(file) => file
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            None => "git".to_owned(),
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn day(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d").to_string()
}
