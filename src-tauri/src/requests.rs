//! What the UI asks for. Free text (names, expiries) arrives as typed and is checked by
//! `adopat_core::input`, as the CLI's arguments are.

use adopat_core::accounts;
use serde::Deserialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreateRequest {
    pub org: String,
    pub name: String,
    pub scopes: Vec<String>,
    /// A date (`2027-03-01`), an RFC 3339 time, or a span from now (`30d`).
    pub expires: String,
    /// Places (`kind:entry`, as `list_places` names them) to write the secret into.
    #[serde(default)]
    #[ts(optional)]
    pub put_in: Option<Vec<String>>,
    /// It renews itself from the start (regenerate, a week ahead).
    #[serde(default)]
    #[ts(optional)]
    pub renew: Option<bool>,
}

/// `None` keeps what the PAT has.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EditRequest {
    pub id: Uuid,
    #[ts(optional)]
    pub name: Option<String>,
    #[ts(optional)]
    pub scopes: Option<Vec<String>>,
    #[ts(optional)]
    pub expires: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegenerateRequest {
    pub id: Uuid,
    /// The new PAT's expiry; by default the old one's lifetime again, from now.
    #[ts(optional)]
    pub expires: Option<String>,
    /// The organization for the replacement of a global PAT.
    #[ts(optional)]
    pub org: Option<String>,
}

/// A global PAT to replace with one PAT per organization.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceGlobalRequest {
    pub id: Uuid,
    /// The organizations to make a PAT in, in this order.
    pub orgs: Vec<String>,
    /// A date, an RFC 3339 time, or a span from now, as for a new PAT.
    pub expires: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInRequest {
    pub method: accounts::Method,
    /// Another tenant than the default, e.g. for a second account; null for the default.
    pub tenant: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsRequest {
    /// Days before expiry to remind at; `0` = once it has expired.
    pub thresholds: Vec<u32>,
    pub start_at_login: bool,
    /// Keep each new secret in the OS keyring, to copy it again later.
    pub keep_secrets: bool,
}

/// Where the window's start went, in milliseconds since its page began to load: its
/// script started, the app's mount began and ended, the first list was there, and it
/// was on screen.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct StartUp {
    pub script: f64,
    pub mount: f64,
    pub mounted: f64,
    pub list: f64,
    pub page: f64,
}
