//! A PAT's status as the service lists it, and which statuses a listing asks for: shared
//! by the service client (`ado`, its `displayFilterOption`) and the inventory.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PatStatus"))]
pub enum Status {
    Active,
    Expired,
    Revoked,
}

/// Which PATs a listing shows. `Active` is the default, as on Azure DevOps' own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PatFilter"))]
pub enum Filter {
    #[default]
    Active,
    Expired,
    Revoked,
    All,
}

impl std::fmt::Display for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Filter {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        Filter::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .ok_or_else(|| format!("'{text}' is not one of active, expired, revoked, all"))
    }
}

impl Filter {
    pub fn includes(self, status: Status) -> bool {
        self.queries().iter().any(|(_, s)| *s == status)
    }

    /// The service's lists (`displayFilterOption`) each status must be read from to tell
    /// statuses apart: `all` is three lists, since the service's own `all` says nothing
    /// of which is revoked.
    pub(crate) fn queries(self) -> &'static [(Filter, Status)] {
        match self {
            Filter::Active => &[(Filter::Active, Status::Active)],
            Filter::Expired => &[(Filter::Expired, Status::Expired)],
            Filter::Revoked => &[(Filter::Revoked, Status::Revoked)],
            Filter::All => &[
                (Filter::Active, Status::Active),
                (Filter::Expired, Status::Expired),
                (Filter::Revoked, Status::Revoked),
            ],
        }
    }

    /// As the service's `displayFilterOption` and the CLI's `--filter` spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Filter::Active => "active",
            Filter::Expired => "expired",
            Filter::Revoked => "revoked",
            Filter::All => "all",
        }
    }

    pub const ALL: [Filter; 4] = [
        Filter::Active,
        Filter::Expired,
        Filter::Revoked,
        Filter::All,
    ];
}
