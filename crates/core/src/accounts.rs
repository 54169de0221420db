//! Signing in and out, for the CLI and the app alike: an Entra account's refresh token
//! goes to the OS keyring and its metadata to the config file; an Azure CLI account
//! keeps nothing but its metadata.

use crate::ado::{AdoClient, Endpoints, StaticToken};
use crate::auth::{self, Authority, AzureCliAccount, EntraAccount, SignedIn, browser, device};
use crate::config::{AccountKind, AccountRecord, Config};
use crate::vault::Vault;
use crate::{Error, Result};
use std::path::Path;
use std::sync::Arc;

/// How to sign in (the window's sign-in form sends it as camelCase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SignInMethod"))]
pub enum Method {
    /// The system browser, redirected back to a loopback port.
    Browser,
    /// A code to enter on another device.
    DeviceCode,
    /// The Azure CLI's own sign-in (`az login`), asked for a token whenever one is needed.
    AzureCli,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SignInOptions<'a> {
    /// A tenant other than the config's (or `organizations`), e.g. for a second account.
    pub tenant: Option<&'a str>,
    /// An app registration of the user's own instead of the default public client.
    pub client_id: Option<&'a str>,
}

/// What the user must do to go on: shown by the CLI on stderr, by the app in its dialog.
pub enum Prompt<'a> {
    /// The sign-in page, and whether a browser could be opened on it.
    Browser {
        url: &'a str,
        opened: bool,
    },
    DeviceCode(&'a device::Prompt),
}

/// A new account, kept, with a client that works as it.
pub struct NewAccount {
    pub record: AccountRecord,
    pub client: AdoClient,
}

/// Signs in and keeps the account. Dropping the future cancels the sign-in; nothing is
/// kept until it has succeeded.
pub async fn sign_in(
    dir: &Path,
    method: Method,
    options: SignInOptions<'_>,
    prompt: impl FnOnce(Prompt<'_>),
) -> Result<NewAccount> {
    let config = Config::load(dir)?;
    let endpoints = Endpoints::from_env()?;
    if method == Method::AzureCli {
        return sign_in_azure_cli(dir, endpoints, options.tenant).await;
    }
    let authority = Authority::new(
        endpoints.clone(),
        options
            .tenant
            .or(config.tenant.as_deref())
            .unwrap_or(auth::DEFAULT_TENANT),
        options
            .client_id
            .or(config.client_id.as_deref())
            .unwrap_or(auth::DEFAULT_CLIENT_ID),
    )?;
    // The keyring first: nobody is sent through a sign-in whose result could not be kept.
    let vault = Vault::os()?;
    let signed: SignedIn = match method {
        Method::DeviceCode => {
            device::sign_in(&authority, |code| prompt(Prompt::DeviceCode(code))).await?
        }
        _ => {
            browser::sign_in(&authority, |url| {
                let opened = browser::open_system_browser(url);
                prompt(Prompt::Browser {
                    url: url.as_str(),
                    opened,
                });
            })
            .await?
        }
    };
    let record = AccountRecord {
        id: signed.identity.account_id(),
        kind: AccountKind::Entra,
        tenant: signed.identity.tenant.clone(),
        username: signed.identity.username.clone(),
        display_name: signed.identity.display_name.clone(),
        client_id: authority.client_id.clone(),
    };
    let (keep, id, refresh) = (
        vault.clone(),
        record.id.clone(),
        signed.refresh_token.clone(),
    );
    tokio::task::spawn_blocking(move || keep.store(&id, &refresh))
        .await
        .map_err(|e| Error::Other(format!("keyring task failed: {e}")))??;
    Config::update(dir, |config| {
        config.upsert(record.clone());
        Ok(())
    })?;
    let account = EntraAccount::signed_in(&record, authority, vault, &signed);
    let client = AdoClient::new(endpoints, Arc::new(account))?;
    Ok(NewAccount { record, client })
}

async fn sign_in_azure_cli(
    dir: &Path,
    endpoints: Endpoints,
    tenant: Option<&str>,
) -> Result<NewAccount> {
    let token = auth::azure_cli::access_token(tenant).await?;
    let tenant = token
        .tenant
        .clone()
        .or(tenant.map(str::to_owned))
        .unwrap_or_default();
    let probe = AdoClient::new(
        endpoints.clone(),
        Arc::new(StaticToken(token.access_token.clone())),
    )?;
    let profile = probe.profile().await?;
    let record = AccountRecord {
        id: format!("{tenant}/{}", profile.id),
        kind: AccountKind::AzureCli,
        tenant: tenant.clone(),
        username: profile
            .email_address
            .clone()
            .unwrap_or_else(|| profile.display_name.clone()),
        display_name: profile.display_name.clone(),
        client_id: String::new(),
    };
    Config::update(dir, |config| {
        config.upsert(record.clone());
        Ok(())
    })?;
    let client = AdoClient::new(
        endpoints,
        Arc::new(AzureCliAccount::with_token(Some(tenant), token)),
    )?;
    Ok(NewAccount { record, client })
}

/// Forgets the accounts with these ids: their refresh tokens leave the keyring, then
/// their records leave the config file. Returns those that were signed in.
pub async fn sign_out(dir: &Path, ids: &[String]) -> Result<Vec<AccountRecord>> {
    let config = Config::load(dir)?;
    let leaving: Vec<AccountRecord> = config
        .accounts
        .iter()
        .filter(|a| ids.contains(&a.id))
        .cloned()
        .collect();
    if leaving.iter().any(|a| a.kind == AccountKind::Entra) {
        let vault = Vault::os()?;
        for record in leaving.iter().filter(|a| a.kind == AccountKind::Entra) {
            let (vault, id) = (vault.clone(), record.id.clone());
            tokio::task::spawn_blocking(move || vault.delete(&id))
                .await
                .map_err(|e| Error::Other(format!("keyring task failed: {e}")))??;
        }
    }
    Config::update(dir, |config| {
        config
            .accounts
            .retain(|a| !leaving.iter().any(|l| l.id == a.id));
        Ok(())
    })?;
    Ok(leaving)
}
