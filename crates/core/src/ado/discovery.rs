//! Which organizations the signed-in user belongs to: the profile `me`, then the
//! accounts that list that member (the only documented way across organizations).

use super::client::AdoClient;
use crate::error::{Error, Result};
use reqwest::Method;
use serde::Deserialize;
use uuid::Uuid;

const API_VERSION: &str = "7.1";

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: Uuid,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email_address: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub account_id: Uuid,
    pub account_name: String,
}

#[derive(Deserialize)]
struct Accounts {
    #[serde(default)]
    value: Vec<Account>,
}

impl AdoClient {
    pub async fn profile(&self) -> Result<Profile> {
        let mut url = self
            .endpoints()
            .app_vssps
            .join("_apis/profile/profiles/me")
            .map_err(|e| Error::Other(format!("bad profile URL: {e}")))?;
        url.query_pairs_mut()
            .append_pair("api-version", API_VERSION);
        self.json(Method::GET, url, None).await
    }

    pub async fn accounts(&self, member: Uuid) -> Result<Vec<Account>> {
        let mut url = self
            .endpoints()
            .app_vssps
            .join("_apis/accounts")
            .map_err(|e| Error::Other(format!("bad accounts URL: {e}")))?;
        url.query_pairs_mut()
            .append_pair("memberId", &member.to_string())
            .append_pair("api-version", API_VERSION);
        let accounts: Accounts = self.json(Method::GET, url, None).await?;
        Ok(accounts.value)
    }

    /// The organizations of the signed-in user, sorted by name.
    pub async fn discover_orgs(&self) -> Result<(Profile, Vec<Account>)> {
        let profile = self.profile().await?;
        let mut accounts = self.accounts(profile.id).await?;
        accounts.sort_by_key(|a| a.account_name.to_ascii_lowercase());
        Ok((profile, accounts))
    }
}
