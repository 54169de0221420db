//! Whether a PAT found on this machine still works: `connectionData` of its
//! organization with the PAT as the password, the cheapest request Azure DevOps
//! authenticates. Sent once, never retried: a check must not count against the user's
//! rate limit more than once.

use super::client::AdoClient;
use super::pats::check_org;
use crate::error::{Error, Result};
use crate::secret::Secret;
use reqwest::StatusCode;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(15);

impl AdoClient {
    /// `Ok(false)` when the service refuses the credential (expired, revoked, another
    /// organization's, a global PAT past its date); an error when it could not say.
    pub async fn credential_works(&self, org: &str, secret: &Secret) -> Result<bool> {
        let url = self
            .endpoints()
            .vssps
            .join(&format!("{}/_apis/connectionData", check_org(org)?))
            .map_err(|e| Error::invalid("organization", format!("'{org}': {e}")))?;
        let answer = self
            .http()
            .get(url)
            .basic_auth("", Some(secret.expose()))
            .timeout(TIMEOUT)
            .send()
            .await
            .map_err(|e| Error::Unavailable(format!("Azure DevOps could not be reached ({e})")))?;
        match answer.status() {
            // 203 is the sign-in page the service shows a credential it does not take.
            StatusCode::OK => Ok(true),
            StatusCode::NON_AUTHORITATIVE_INFORMATION
            | StatusCode::UNAUTHORIZED
            | StatusCode::FORBIDDEN
            | StatusCode::NOT_FOUND => Ok(false),
            status => Err(Error::Unavailable(format!(
                "Azure DevOps answered {status} when checking a credential"
            ))),
        }
    }
}
