//! Sign-in with Microsoft Entra: the browser (authorization code + PKCE, loopback
//! redirect), the device code, or a borrowed Azure CLI login; and access tokens that
//! refresh themselves.

pub mod account;
pub mod azure_cli;
pub mod browser;
pub mod device;
mod identity;
mod oauth;

pub use account::{AzureCliAccount, EntraAccount};
pub use identity::Identity;

use crate::ado::Endpoints;
use crate::error::{Error, Result};
use crate::secret::Secret;
use jiff::Timestamp;

/// The public client Git Credential Manager signs in to Azure DevOps with (Visual
/// Studio's); pre-authorized for Azure DevOps in every tenant. Use your own app
/// registration with `--client-id` where a tenant does not allow it.
pub const DEFAULT_CLIENT_ID: &str = "872cd9fa-d31f-45e0-9eab-6e460a02d1f1";
/// Work and school accounts of any tenant; Azure DevOps' PAT API needs one.
pub const DEFAULT_TENANT: &str = "organizations";
/// Azure DevOps' resource (application) id.
pub const AZURE_DEVOPS_RESOURCE: &str = "499b84ac-1321-427f-aa17-267ca6975798";

/// Where and as which app to sign in.
#[derive(Debug, Clone)]
pub struct Authority {
    pub endpoints: Endpoints,
    pub tenant: String,
    pub client_id: String,
}

impl Authority {
    /// Checks the settings before any request, naming the one that is wrong.
    pub fn new(endpoints: Endpoints, tenant: &str, client_id: &str) -> Result<Self> {
        let tenant = tenant.trim();
        let tenant_ok = !tenant.is_empty()
            && tenant.len() <= 100
            && tenant
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if !tenant_ok {
            return Err(Error::invalid(
                "tenant",
                format!("'{tenant}' is not a tenant id, a domain or 'organizations'"),
            ));
        }
        if client_id.trim().parse::<uuid::Uuid>().is_err() {
            return Err(Error::invalid(
                "client id",
                format!("'{client_id}' is not an application (client) id, which is a GUID"),
            ));
        }
        Ok(Self {
            endpoints,
            tenant: tenant.to_owned(),
            client_id: client_id.trim().to_owned(),
        })
    }
}

/// What a sign-in yields: who, and the tokens. The refresh token goes to the keyring
/// and nowhere else.
#[derive(Debug)]
pub struct SignedIn {
    pub identity: Identity,
    pub access_token: Secret,
    pub expires_at: Timestamp,
    pub refresh_token: Secret,
}
