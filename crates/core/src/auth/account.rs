//! AccountClient-in accounts as token providers: each hands out an access token kept in
//! memory and refreshes it shortly before it expires, or when the service refused it.

use super::identity::Identity;
use super::{Authority, SignedIn, azure_cli, oauth};
use crate::ado::TokenProvider;
use crate::config::AccountRecord;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::vault::Vault;
use futures::future::BoxFuture;
use jiff::{SignedDuration, Timestamp};
use oauth2::RefreshToken;
use tokio::sync::Mutex;

/// A token is renewed when it has less than this left, so none expires mid-request.
const RENEW_BEFORE: SignedDuration = SignedDuration::from_mins(5);

struct Cached {
    token: Secret,
    expires_at: Timestamp,
}

impl Cached {
    fn fresh(&self) -> Option<Secret> {
        (self.expires_at - RENEW_BEFORE > Timestamp::now()).then(|| self.token.clone())
    }
}

/// An account signed in through AdoPat; its refresh token is in the OS keyring.
pub struct EntraAccount {
    id: String,
    identity: Identity,
    authority: Authority,
    vault: Vault,
    cache: Mutex<Option<Cached>>,
}

impl EntraAccount {
    pub fn new(record: &AccountRecord, authority: Authority, vault: Vault) -> Self {
        Self {
            id: record.id.clone(),
            identity: Identity {
                tenant: record.tenant.clone(),
                object_id: record.id.rsplit('/').next().unwrap_or_default().to_owned(),
                username: record.username.clone(),
                display_name: record.display_name.clone(),
            },
            authority,
            vault,
            cache: Mutex::new(None),
        }
    }

    /// Right after signing in: the first access token is already at hand.
    pub fn signed_in(
        record: &AccountRecord,
        authority: Authority,
        vault: Vault,
        tokens: &SignedIn,
    ) -> Self {
        let account = Self::new(record, authority, vault);
        *account.cache.try_lock().expect("new mutex") = Some(Cached {
            token: tokens.access_token.clone(),
            expires_at: tokens.expires_at,
        });
        account
    }

    async fn refresh(&self) -> Result<Cached> {
        let vault = self.vault.clone();
        let id = self.id.clone();
        let stored = tokio::task::spawn_blocking(move || vault.fetch(&id))
            .await
            .map_err(|e| Error::Other(format!("keyring task failed: {e}")))??
            .ok_or_else(|| {
                Error::SignIn(format!(
                    "The sign-in of {} is no longer in the OS keyring; sign in again.",
                    self.identity.username
                ))
            })?;
        let client = oauth::client(&self.authority)?;
        let response = client
            .exchange_refresh_token(&RefreshToken::new(stored.expose().to_owned()))
            .add_scopes(oauth::scopes())
            .request_async(&oauth::http()?)
            .await
            .map_err(oauth::token_error)?;
        let tokens = oauth::signed_in(&response, Some(&self.identity))?;
        // Entra rotates refresh tokens: the old one may stop working, so the new one
        // replaces it before anything else happens.
        let vault = self.vault.clone();
        let id = self.id.clone();
        let refresh = tokens.refresh_token;
        tokio::task::spawn_blocking(move || vault.store(&id, &refresh))
            .await
            .map_err(|e| Error::Other(format!("keyring task failed: {e}")))??;
        tracing::debug!(account = %self.id, "access token refreshed");
        Ok(Cached {
            token: tokens.access_token,
            expires_at: tokens.expires_at,
        })
    }
}

impl TokenProvider for EntraAccount {
    fn token(&self) -> BoxFuture<'_, Result<Secret>> {
        Box::pin(async move {
            let mut cache = self.cache.lock().await;
            if let Some(token) = cache.as_ref().and_then(Cached::fresh) {
                return Ok(token);
            }
            let fresh = self.refresh().await?;
            let token = fresh.token.clone();
            *cache = Some(fresh);
            Ok(token)
        })
    }

    fn invalidate(&self) -> bool {
        if let Ok(mut cache) = self.cache.try_lock() {
            *cache = None;
        }
        true
    }
}

/// An account borrowed from the Azure CLI: `az` keeps the credentials, AdoPat asks it
/// for an access token when it needs one.
pub struct AzureCliAccount {
    tenant: Option<String>,
    cache: Mutex<Option<Cached>>,
}

impl AzureCliAccount {
    pub fn new(tenant: Option<String>) -> Self {
        Self {
            tenant,
            cache: Mutex::new(None),
        }
    }

    pub fn with_token(tenant: Option<String>, token: azure_cli::CliToken) -> Self {
        let account = Self::new(tenant);
        *account.cache.try_lock().expect("new mutex") = Some(Cached {
            token: token.access_token,
            expires_at: token.expires_at,
        });
        account
    }
}

impl TokenProvider for AzureCliAccount {
    fn token(&self) -> BoxFuture<'_, Result<Secret>> {
        Box::pin(async move {
            let mut cache = self.cache.lock().await;
            if let Some(token) = cache.as_ref().and_then(Cached::fresh) {
                return Ok(token);
            }
            let got = azure_cli::access_token(self.tenant.as_deref()).await?;
            let token = got.access_token.clone();
            *cache = Some(Cached {
                token: got.access_token,
                expires_at: got.expires_at,
            });
            Ok(token)
        })
    }

    fn invalidate(&self) -> bool {
        if let Ok(mut cache) = self.cache.try_lock() {
            *cache = None;
        }
        true
    }
}
