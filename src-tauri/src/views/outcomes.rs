//! What a change from the page did: the new or changed PAT, where its secret went, the
//! places it was put in. Never the secret itself.

use super::PatView;
use crate::error::IpcError;
use adopat_core::inventory::{Pat, Status};
use jiff::Timestamp;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

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
