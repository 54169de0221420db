//! Every PAT of every organization as one list.
//!
//! The API object carries no status, so the status comes from which filtered list a
//! PAT was found in; a global PAT (`targetAccounts: null`) shows up in every
//! organization's list and is merged into one entry naming them all.

use crate::ado::client::AdoClient;
use crate::ado::models::PatToken;
use crate::error::{Error, Result};
use crate::scopes;
use futures::future::join_all;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

pub use crate::status::{Filter, Status};

/// What a PAT is now, as the CLI, the window and the tray say it: its status, except that
/// a global PAT still listed as active stopped working on 1 December 2026.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PatState"))]
pub enum State {
    Active,
    Expired,
    Revoked,
    /// A global PAT after Microsoft retired them: listed as active, refused by the service.
    Retired,
}

impl State {
    /// In a sentence or a column: "active", "stopped working".
    pub fn label(self) -> &'static str {
        match self {
            State::Active => "active",
            State::Expired => "expired",
            State::Revoked => "revoked",
            State::Retired => "stopped working",
        }
    }
}

/// One PAT as AdoPat shows it; this is also the CLI's JSON element (docs/CONTRACTS.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pat {
    pub id: Uuid,
    pub name: String,
    pub orgs: Vec<String>,
    pub global: bool,
    pub scopes: Vec<String>,
    pub valid_from: Timestamp,
    pub valid_to: Timestamp,
    pub status: Status,
}

/// The longest a PAT may live.
const MAX_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 365);

/// A PAT's lifetime as a replacement copies it: at least a day, at most a year.
pub fn lifetime(valid_from: Timestamp, valid_to: Timestamp) -> SignedDuration {
    valid_to
        .duration_since(valid_from)
        .clamp(SignedDuration::from_hours(24), MAX_LIFETIME)
}

/// How soon a PAT needs attention, for colours and ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Urgency {
    /// Expired while nobody looked, or expires within a day.
    Critical,
    /// Within a week.
    Soon,
    /// Within a month.
    Upcoming,
    Fine,
    /// Revoked: nothing to do.
    Inactive,
}

impl Pat {
    pub fn from_token(token: &PatToken, org: &str, status: Status) -> Self {
        Self {
            id: token.authorization_id,
            name: token.display_name.clone(),
            orgs: vec![org.to_owned()],
            global: token.target_accounts.is_none(),
            scopes: scopes::split(&token.scope),
            valid_from: token.valid_from,
            valid_to: token.valid_to,
            status,
        }
    }

    /// What it is at `now` (the service's clock).
    pub fn state(&self, now: Timestamp) -> State {
        match self.status {
            Status::Active if self.global && crate::global_pats::retired(now) => State::Retired,
            Status::Active => State::Active,
            Status::Expired => State::Expired,
            Status::Revoked => State::Revoked,
        }
    }

    pub fn urgency(&self, now: Timestamp) -> Urgency {
        if self.status == Status::Revoked {
            return Urgency::Inactive;
        }
        // Listed as active, but the service refuses it: as urgent as an expired PAT.
        if self.state(now) == State::Retired {
            return Urgency::Critical;
        }
        let left = self.valid_to.duration_since(now);
        if left <= SignedDuration::from_hours(24) {
            Urgency::Critical
        } else if left <= SignedDuration::from_hours(24 * 7) {
            Urgency::Soon
        } else if left <= SignedDuration::from_hours(24 * 30) {
            Urgency::Upcoming
        } else {
            Urgency::Fine
        }
    }

    /// How long the PAT lives, in whole days: what its replacement gets by default.
    pub fn lifetime_days(&self) -> u32 {
        let days = lifetime(self.valid_from, self.valid_to).as_secs() as f64 / 86_400.0;
        days.round() as u32
    }

    pub fn is_full_access(&self) -> bool {
        self.scopes.iter().any(|s| s == scopes::FULL_ACCESS)
    }
}

/// An organization and the client (account) that reaches it.
#[derive(Clone)]
pub struct OrgTarget {
    pub name: String,
    /// The account or tenant label it was discovered through.
    pub account: String,
    pub client: AdoClient,
}

/// The result of listing many organizations: what could be read, and what could not.
#[derive(Debug, Default)]
pub struct Listing {
    pub pats: Vec<Pat>,
    pub failures: Vec<(String, Error)>,
    /// The service's time as it answered: what the listed PATs' urgency counts from, in
    /// every face, whatever the machine's clock says.
    pub now: Timestamp,
}

impl Listing {
    /// The listing as a whole: an error only when no organization could be read.
    pub fn into_result(mut self) -> Result<Listing> {
        if self.pats.is_empty() && !self.failures.is_empty() {
            return Err(self.failures.remove(0).1);
        }
        Ok(self)
    }
}

#[derive(Clone)]
pub struct Inventory {
    targets: Vec<OrgTarget>,
    /// AdoPat's folder when it works for this machine's user (not the demo): where it
    /// remembers which PAT a secret it handed over is (`places::memory`).
    local: Option<std::path::PathBuf>,
}

impl Inventory {
    pub fn new(targets: Vec<OrgTarget>) -> Self {
        Self {
            targets,
            local: None,
        }
    }

    /// Works for this machine's user, AdoPat's folder being `dir`.
    pub fn for_this_machine(mut self, dir: std::path::PathBuf) -> Self {
        self.local = Some(dir);
        self
    }

    pub fn local_dir(&self) -> Option<&std::path::Path> {
        self.local.as_deref()
    }

    pub fn targets(&self) -> &[OrgTarget] {
        &self.targets
    }

    pub fn target(&self, org: &str) -> Result<&OrgTarget> {
        self.targets
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(org))
            .ok_or_else(|| {
                Error::invalid(
                    "organization",
                    format!(
                        "'{org}' is not one of your organizations ({})",
                        self.names()
                    ),
                )
            })
    }

    /// The time by the service's clock (see `AdoClient::server_now`).
    pub fn server_now(&self) -> Timestamp {
        self.targets
            .first()
            .map_or_else(Timestamp::now, |t| t.client.server_now())
    }

    pub fn names(&self) -> String {
        self.org_names().join(", ")
    }

    pub fn org_names(&self) -> Vec<String> {
        self.targets.iter().map(|t| t.name.clone()).collect()
    }

    /// Lists every organization concurrently; within one organization pages follow
    /// each other, as continuation tokens require.
    pub async fn list(&self, filter: Filter) -> Listing {
        let requests = self.targets.iter().flat_map(|target| {
            filter
                .queries()
                .iter()
                .map(move |&(query, status)| async move {
                    let result = target.client.list_pats(&target.name, query).await;
                    (target, status, result)
                })
        });
        let mut merged: Vec<Pat> = Vec::new();
        let mut index: HashMap<Uuid, usize> = HashMap::new();
        let mut failures: Vec<(String, Error)> = Vec::new();
        for (target, status, result) in join_all(requests).await {
            let tokens = match result {
                Ok(tokens) => tokens,
                Err(error) => {
                    if !failures.iter().any(|(org, _)| org == &target.name) {
                        failures.push((target.name.clone(), error));
                    }
                    continue;
                }
            };
            for token in &tokens {
                match index.get(&token.authorization_id) {
                    Some(&at) => {
                        let pat = &mut merged[at];
                        if !pat.orgs.contains(&target.name) {
                            pat.orgs.push(target.name.clone());
                        }
                        // A PAT that changed state between two lists counts as the later state.
                        pat.status = pat.status.max(status);
                    }
                    None => {
                        index.insert(token.authorization_id, merged.len());
                        merged.push(Pat::from_token(token, &target.name, status));
                    }
                }
            }
        }
        for pat in &mut merged {
            pat.orgs.sort_by_key(|o| o.to_ascii_lowercase());
        }
        merged.sort_by(|a, b| {
            a.valid_to
                .cmp(&b.valid_to)
                .then_with(|| a.name.cmp(&b.name))
        });
        Listing {
            pats: merged,
            failures,
            now: self.server_now(),
        }
    }
}

/// Finds the PAT a user means by an authorizationId or a display name.
///
/// A name may match a revoked or expired PAT of the same name (regenerating leaves one
/// behind), so active PATs win; several matches of the same standing are ambiguous.
pub fn resolve<'a>(pats: &'a [Pat], token: &str) -> Result<&'a Pat> {
    let token = token.trim();
    if token.is_empty() {
        return Err(Error::invalid(
            "pat",
            "give an authorizationId or a PAT's name",
        ));
    }
    if let Ok(id) = token.parse::<Uuid>() {
        return pats.iter().find(|p| p.id == id).ok_or_else(|| {
            Error::NotFound(format!(
                "No PAT with the id {id} in the organizations listed."
            ))
        });
    }
    let exact: Vec<&Pat> = pats.iter().filter(|p| p.name == token).collect();
    let matches = if exact.is_empty() {
        pats.iter()
            .filter(|p| p.name.eq_ignore_ascii_case(token))
            .collect()
    } else {
        exact
    };
    let best = matches.iter().map(|p| p.status).min();
    let top: Vec<&Pat> = matches
        .into_iter()
        .filter(|p| Some(p.status) == best)
        .collect();
    match top.as_slice() {
        [] => Err(Error::NotFound(format!(
            "No PAT named '{token}' in the organizations listed."
        ))),
        [one] => Ok(one),
        many => {
            let lines: Vec<String> = many
                .iter()
                .map(|p| {
                    format!(
                        "  {}  {}  ({}, expires {})",
                        p.id,
                        p.name,
                        p.orgs.join(", "),
                        p.valid_to.strftime("%Y-%m-%d")
                    )
                })
                .collect();
            Err(Error::Ambiguous(format!(
                "'{token}' names {} PATs; give one of these ids instead:\n{}",
                many.len(),
                lines.join("\n")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(name: &str, status: Status, days: i64) -> Pat {
        let now = Timestamp::now();
        Pat {
            id: Uuid::new_v4(),
            name: name.into(),
            orgs: vec!["contoso".into()],
            global: false,
            scopes: vec!["vso.code".into()],
            valid_from: now,
            valid_to: now + SignedDuration::from_hours(24 * days),
            status,
        }
    }

    #[test]
    fn a_name_prefers_the_active_pat_over_its_revoked_namesake() {
        let pats = [
            pat("nuget", Status::Revoked, 5),
            pat("nuget", Status::Active, 5),
        ];
        assert_eq!(resolve(&pats, "nuget").unwrap().status, Status::Active);
    }

    #[test]
    fn two_active_namesakes_are_ambiguous_and_listed() {
        let pats = [pat("ci", Status::Active, 5), pat("ci", Status::Active, 9)];
        let err = resolve(&pats, "ci").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let text = err.to_string();
        assert!(
            text.contains(&pats[0].id.to_string()) && text.contains(&pats[1].id.to_string()),
            "{text}"
        );
    }

    #[test]
    fn ids_and_unknown_names() {
        let pats = [pat("a", Status::Active, 5)];
        assert_eq!(resolve(&pats, &pats[0].id.to_string()).unwrap().name, "a");
        assert_eq!(resolve(&pats, "A").unwrap().name, "a");
        assert_eq!(resolve(&pats, "zzz").unwrap_err().exit_code(), 4);
        assert_eq!(
            resolve(&pats, &Uuid::new_v4().to_string())
                .unwrap_err()
                .exit_code(),
            4
        );
        assert_eq!(resolve(&pats, " ").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn urgency_follows_time_left() {
        let now = Timestamp::now();
        assert_eq!(pat("x", Status::Active, 0).urgency(now), Urgency::Critical);
        assert_eq!(pat("x", Status::Active, 3).urgency(now), Urgency::Soon);
        assert_eq!(pat("x", Status::Active, 20).urgency(now), Urgency::Upcoming);
        assert_eq!(pat("x", Status::Active, 90).urgency(now), Urgency::Fine);
        assert_eq!(
            pat("x", Status::Expired, -2).urgency(now),
            Urgency::Critical
        );
        assert_eq!(
            pat("x", Status::Revoked, 90).urgency(now),
            Urgency::Inactive
        );
    }

    #[test]
    fn a_global_pat_listed_as_active_stopped_working_on_the_first_of_december() {
        let before: Timestamp = "2026-11-30T23:59:59Z".parse().unwrap();
        let after: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let mut global = pat("everywhere", Status::Active, 400);
        global.global = true;
        assert_eq!(global.state(before), State::Active);
        assert_eq!(global.state(after), State::Retired);
        assert_eq!(global.state(after).label(), "stopped working");
        assert_eq!(global.urgency(after), Urgency::Critical);
        let scoped = pat("one-org", Status::Active, 400);
        assert_eq!(scoped.state(after), State::Active);
        global.status = Status::Revoked;
        assert_eq!(global.state(after), State::Revoked);
    }
}
