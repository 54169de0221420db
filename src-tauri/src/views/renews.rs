//! How a PAT renews itself (core's `renewal`), as the list and the details show it.

use adopat_core::inventory::Pat;
use adopat_core::state::{LastRenewal, RenewMode, Renewing};
use jiff::Timestamp;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

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
