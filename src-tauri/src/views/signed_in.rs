//! The accounts signed in, and a sign-in under way.

use adopat_core::accounts;
use adopat_core::config::{self, AccountRecord};
use serde::Serialize;
use ts_rs::TS;

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
