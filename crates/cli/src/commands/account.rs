//! Signing in and out: login, logout, whoami.

use super::read::io;
use crate::output;
use crate::session;
use adopat_core::ado::{AdoClient, Endpoints, StaticToken};
use adopat_core::auth::{
    self, Authority, AzureCliAccount, EntraAccount, SignedIn, browser, device,
};
use adopat_core::config::{AccountKind, AccountRecord, Config};
use adopat_core::vault::Vault;
use adopat_core::{Error, Result};
use serde::Serialize;
use std::sync::Arc;

pub struct LoginArgs<'a> {
    pub device_code: bool,
    pub azure_cli: bool,
    pub tenant: Option<&'a str>,
    pub client_id: Option<&'a str>,
}

pub async fn login(args: LoginArgs<'_>) -> Result<i32> {
    let dir = Config::dir()?;
    let mut config = Config::load(&dir)?;
    let endpoints = Endpoints::from_env()?;
    if args.azure_cli {
        return login_azure_cli(&dir, &mut config, endpoints, args.tenant).await;
    }
    let authority = Authority::new(
        endpoints.clone(),
        args.tenant
            .or(config.tenant.as_deref())
            .unwrap_or(auth::DEFAULT_TENANT),
        args.client_id
            .or(config.client_id.as_deref())
            .unwrap_or(auth::DEFAULT_CLIENT_ID),
    )?;
    // The keyring first: without one, the user is not sent through a sign-in whose
    // result could not be kept.
    let vault = Vault::os()?;
    let signing_in = async {
        if args.device_code {
            device::sign_in(&authority, |prompt| match &prompt.message {
                Some(message) => eprintln!("{message}"),
                None => eprintln!(
                    "To sign in, open {} and enter the code {}.",
                    prompt.verification_uri, prompt.user_code
                ),
            })
            .await
        } else {
            browser::sign_in(&authority, |url| {
                let opened = browser::open_system_browser(url);
                eprintln!(
                    "{}\n  {url}",
                    if opened {
                        "Sign in in your browser. If it did not open, visit:"
                    } else {
                        "Open this address in a browser to sign in:"
                    }
                );
            })
            .await
        }
    };
    let signed: SignedIn = tokio::select! {
        signed = signing_in => signed?,
        _ = tokio::signal::ctrl_c() => {
            return Err(Error::Other("Sign-in cancelled; nothing was saved.".into()));
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
    config.upsert(record.clone());
    config.save(&dir)?;
    let account = EntraAccount::signed_in(&record, authority, vault, &signed);
    let client = AdoClient::new(endpoints, Arc::new(account))?;
    report_signed_in(&record, &client).await;
    Ok(0)
}

async fn login_azure_cli(
    dir: &std::path::Path,
    config: &mut Config,
    endpoints: Endpoints,
    tenant: Option<&str>,
) -> Result<i32> {
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
    config.upsert(record.clone());
    config.save(dir)?;
    let client = AdoClient::new(
        endpoints,
        Arc::new(AzureCliAccount::with_token(Some(tenant), token)),
    )?;
    report_signed_in(&record, &client).await;
    Ok(0)
}

async fn report_signed_in(record: &AccountRecord, client: &AdoClient) {
    let how = match record.kind {
        AccountKind::Entra => "kept in the OS keyring",
        AccountKind::AzureCli => "through the Azure CLI",
    };
    eprintln!("Signed in as {} ({how}).", record.username);
    match client.discover_orgs().await {
        Ok((_, orgs)) => {
            let names: Vec<&str> = orgs.iter().map(|o| o.account_name.as_str()).collect();
            eprintln!(
                "Organizations: {}",
                if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                }
            );
        }
        Err(e) => eprintln!("Your organizations could not be listed yet: {e}"),
    }
}

pub async fn logout(account: Option<&str>, all: bool) -> Result<i32> {
    let dir = Config::dir()?;
    let mut config = Config::load(&dir)?;
    if config.accounts.is_empty() {
        eprintln!("Not signed in.");
        return Ok(0);
    }
    let leaving: Vec<AccountRecord> = if all {
        config.accounts.clone()
    } else {
        vec![pick(&config, account)?.clone()]
    };
    if leaving.iter().any(|a| a.kind == AccountKind::Entra) {
        let vault = Vault::os()?;
        for record in leaving.iter().filter(|a| a.kind == AccountKind::Entra) {
            let (vault, id) = (vault.clone(), record.id.clone());
            tokio::task::spawn_blocking(move || vault.delete(&id))
                .await
                .map_err(|e| Error::Other(format!("keyring task failed: {e}")))??;
        }
    }
    config
        .accounts
        .retain(|a| !leaving.iter().any(|l| l.id == a.id));
    config.save(&dir)?;
    for record in &leaving {
        eprintln!("Signed out {}.", record.username);
    }
    Ok(0)
}

fn pick<'a>(config: &'a Config, account: Option<&str>) -> Result<&'a AccountRecord> {
    match account {
        Some(wanted) => config
            .accounts
            .iter()
            .find(|a| a.id == wanted || a.username.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                Error::invalid(
                    "ACCOUNT",
                    format!("'{wanted}' is not signed in ({})", usernames(config)),
                )
            }),
        None => match config.accounts.as_slice() {
            [one] => Ok(one),
            _ => Err(Error::invalid(
                "ACCOUNT",
                format!(
                    "several accounts are signed in; name one ({}) or give --all",
                    usernames(config)
                ),
            )),
        },
    }
}

fn usernames(config: &Config) -> String {
    config
        .accounts
        .iter()
        .map(|a| a.username.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn whoami(json: bool) -> Result<i32> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Who<'a> {
        id: &'a str,
        username: &'a str,
        display_name: &'a str,
        tenant: &'a str,
        kind: AccountKind,
    }
    if session::access_token_from_env().is_some() {
        eprintln!("Using the access token in {}.", session::ACCESS_TOKEN_ENV);
    }
    let config = Config::load(&Config::dir()?)?;
    if config.accounts.is_empty() && session::access_token_from_env().is_none() {
        return Err(session::not_signed_in());
    }
    let who: Vec<Who> = config
        .accounts
        .iter()
        .map(|a| Who {
            id: &a.id,
            username: &a.username,
            display_name: &a.display_name,
            tenant: &a.tenant,
            kind: a.kind,
        })
        .collect();
    if json {
        output::print_json(&who).map_err(io)?;
    } else {
        for w in &who {
            let how = match w.kind {
                AccountKind::Entra => "signed in with AdoPat",
                AccountKind::AzureCli => "through the Azure CLI",
            };
            println!(
                "{}  {}  tenant {}  ({how})",
                w.username, w.display_name, w.tenant
            );
        }
    }
    Ok(0)
}
