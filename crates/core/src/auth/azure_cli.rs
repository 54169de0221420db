//! Reusing an existing `az login`: the Azure CLI hands out access tokens for Azure
//! DevOps, and keeps its own credentials.

use super::AZURE_DEVOPS_RESOURCE;
use crate::error::{Error, Result};
use crate::secret::Secret;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

/// The Azure CLI answers in a few seconds; one that waits for a network that is gone is
/// given up on, and ended.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Overrides the `az` executable (tests, or an unusual install).
pub const AZ_ENV: &str = "ADOPAT_AZ";

pub struct CliToken {
    pub access_token: Secret,
    pub expires_at: Timestamp,
    pub tenant: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    access_token: Secret,
    /// Seconds since the epoch (Azure CLI 2.54 and later).
    #[serde(default, rename = "expires_on")]
    expires_on: Option<i64>,
    #[serde(default)]
    tenant: Option<String>,
}

pub async fn access_token(tenant: Option<&str>) -> Result<CliToken> {
    let az = std::env::var(AZ_ENV).unwrap_or_else(|_| "az".into());
    let mut command = crate::programs::command(&az);
    command.args([
        "account",
        "get-access-token",
        "--resource",
        AZURE_DEVOPS_RESOURCE,
        "--output",
        "json",
    ]);
    if let Some(tenant) = tenant {
        command.args(["--tenant", tenant]);
    }
    let output = crate::programs::run(command, b"", TIMEOUT)
        .await
        .map_err(|failure| match failure {
            crate::programs::Failure::NotStarted(e) => Error::SignIn(format!(
                "The Azure CLI could not be run ({az}: {e}). Install it and run `az login`, or sign in with a browser or a device code instead."
            )),
            other => Error::SignIn(format!(
                "{}. Run `az account get-access-token` yourself to see why, or sign in with a browser or a device code instead.",
                other.said("The Azure CLI")
            )),
        })?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said
            .lines()
            .find(|l| !l.trim().is_empty())
            .map_or_else(|| "no message".into(), crate::text::printable);
        return Err(Error::SignIn(format!(
            "The Azure CLI has no token for Azure DevOps ({said}). Run `az login` first."
        )));
    }
    let answer: Answer = serde_json::from_slice(&output.stdout)
        .map_err(|e| Error::SignIn(format!("The Azure CLI's answer could not be read ({e}).")))?;
    let expires_at = answer
        .expires_on
        .and_then(|s| Timestamp::from_second(s).ok())
        .unwrap_or_else(|| Timestamp::now() + SignedDuration::from_mins(30));
    Ok(CliToken {
        access_token: answer.access_token,
        expires_at,
        tenant: answer.tenant,
    })
}
