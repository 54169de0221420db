//! Who AdoPat works as and where, for every face (the CLI and the desktop app): a service
//! that takes one bearer token for everything (the demo), an access token given in
//! `ADOPAT_ACCESS_TOKEN`, or the accounts signed in; and the organizations to work in:
//! those named, or every organization of those accounts that is not hidden.
//!
//! Starting the demo service is the faces' business, so the emulator stays out of core:
//! they start it and pass its base URL and token in as [`Source::Service`].

use crate::ado::pats::check_org;
use crate::ado::{AdoClient, Endpoints, StaticToken, TokenProvider};
use crate::auth::{Authority, AzureCliAccount, EntraAccount};
use crate::config::{AccountKind, AccountRecord, Config};
use crate::error::{Error, Result};
use crate::inventory::{Inventory, OrgTarget};
use crate::secret::Secret;
use crate::vault::Vault;
use futures::future::join_all;
use std::sync::Arc;

pub const ACCESS_TOKEN_ENV: &str = "ADOPAT_ACCESS_TOKEN";

/// Where the credentials come from.
pub enum Source {
    /// One base URL serving every host, and one token it accepts: the demo service.
    /// Nothing is read from the config, so no organization is hidden.
    Service { base_url: String, token: Secret },
    /// An Entra access token used as it is, against the configured endpoints.
    AccessToken(Secret),
    /// The accounts kept in the config.
    Accounts,
}

impl Source {
    /// `ADOPAT_ACCESS_TOKEN` when it is set, else the signed-in accounts.
    pub fn from_env() -> Self {
        access_token_from_env().map_or(Source::Accounts, Source::AccessToken)
    }
}

/// An account and the client that acts as it.
pub struct AccountClient {
    /// How the account is shown; `None` takes the profile's e-mail from discovery.
    pub label: Option<String>,
    pub client: AdoClient,
}

pub fn access_token_from_env() -> Option<Secret> {
    std::env::var(ACCESS_TOKEN_ENV)
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .map(Secret::new)
}

/// Organization names as a user gave them, checked and without duplicates; done before
/// any request so a typo costs nothing.
pub fn check_orgs(names: &[String]) -> Result<Vec<String>> {
    let mut orgs: Vec<String> = Vec::new();
    for org in names {
        let org = check_org(org.trim())?.to_owned();
        if !orgs.iter().any(|o| o.eq_ignore_ascii_case(&org)) {
            orgs.push(org);
        }
    }
    Ok(orgs)
}

/// The error for "no account and no token"; `how_to_sign_in` is the face's own advice
/// (commands and variables for the CLI, a button for the app).
pub fn not_signed_in(how_to_sign_in: &str) -> Error {
    Error::SignIn(format!("Not signed in. {how_to_sign_in}."))
}

/// The inventory of the organizations to work in. `named` must come from [`check_orgs`].
pub async fn open(source: &Source, named: &[String], how_to_sign_in: &str) -> Result<Inventory> {
    let local = match source {
        Source::Service { .. } => None,
        _ => Some(Config::dir()?),
    };
    let (accounts, hidden) = match source {
        Source::Service { base_url, token } => {
            let endpoints = Endpoints::single(base_url)?;
            let client = AdoClient::new(endpoints, Arc::new(StaticToken(token.clone())))?;
            (vec![anonymous(client)], Vec::new())
        }
        Source::AccessToken(token) => {
            let hidden = Config::load(&Config::dir()?)?.hidden_orgs;
            let client =
                AdoClient::new(Endpoints::from_env()?, Arc::new(StaticToken(token.clone())))?;
            (vec![anonymous(client)], hidden)
        }
        Source::Accounts => {
            let config = Config::load(&Config::dir()?)?;
            let accounts = signed_accounts(&config, how_to_sign_in)?;
            (accounts, config.hidden_orgs)
        }
    };
    let inventory = Inventory::new(targets(&accounts, named, &hidden).await?);
    Ok(match local {
        Some(dir) => inventory.for_this_machine(dir),
        None => inventory,
    })
}

fn anonymous(client: AdoClient) -> AccountClient {
    AccountClient {
        label: None,
        client,
    }
}

/// A client per signed-in account of the config.
pub fn signed_accounts(config: &Config, how_to_sign_in: &str) -> Result<Vec<AccountClient>> {
    if config.accounts.is_empty() {
        return Err(not_signed_in(how_to_sign_in));
    }
    let endpoints = Endpoints::from_env()?;
    let needs_keyring = config.accounts.iter().any(|a| a.kind == AccountKind::Entra);
    let vault = if needs_keyring {
        Some(Vault::os()?)
    } else {
        None
    };
    config
        .accounts
        .iter()
        .map(|record| {
            let provider = provider(record, &endpoints, vault.as_ref())?;
            Ok(AccountClient {
                label: Some(record.username.clone()),
                client: AdoClient::new(endpoints.clone(), provider)?,
            })
        })
        .collect()
}

fn provider(
    record: &AccountRecord,
    endpoints: &Endpoints,
    vault: Option<&Vault>,
) -> Result<Arc<dyn TokenProvider>> {
    Ok(match (record.kind, vault) {
        (AccountKind::Entra, Some(vault)) => Arc::new(EntraAccount::new(
            record,
            Authority::new(endpoints.clone(), &record.tenant, &record.client_id)?,
            vault.clone(),
        )),
        (AccountKind::AzureCli, _) => Arc::new(AzureCliAccount::new(Some(record.tenant.clone()))),
        (AccountKind::Entra, None) => return Err(Error::Keyring("no keyring".into())),
    })
}

/// The organizations to work in: those named (found among the accounts' own when
/// several accounts could hold them), else every organization of every account that is
/// not hidden; an organization two accounts share is reached through the first.
pub async fn targets(
    accounts: &[AccountClient],
    named: &[String],
    hidden: &[String],
) -> Result<Vec<OrgTarget>> {
    if let ([one], false) = (accounts, named.is_empty()) {
        return Ok(named
            .iter()
            .map(|name| OrgTarget {
                name: name.clone(),
                account: one.label.clone().unwrap_or_else(|| ACCESS_TOKEN_ENV.into()),
                client: one.client.clone(),
            })
            .collect());
    }
    let discovered = join_all(accounts.iter().map(|a| a.client.discover_orgs())).await;
    let mut targets: Vec<OrgTarget> = Vec::new();
    for (account, found) in accounts.iter().zip(discovered) {
        let (profile, orgs) = found?;
        let label = account.label.clone().unwrap_or_else(|| {
            profile
                .email_address
                .filter(|e| !e.is_empty())
                .unwrap_or(profile.display_name)
        });
        for org in orgs {
            let name = org.account_name;
            if targets.iter().any(|t| t.name.eq_ignore_ascii_case(&name)) {
                continue;
            }
            let wanted = if named.is_empty() {
                !hidden.iter().any(|h| h.eq_ignore_ascii_case(&name))
            } else {
                named.iter().any(|n| n.eq_ignore_ascii_case(&name))
            };
            if wanted {
                targets.push(OrgTarget {
                    name,
                    account: label.clone(),
                    client: account.client.clone(),
                });
            }
        }
    }
    if let Some(missing) = named
        .iter()
        .find(|n| !targets.iter().any(|t| t.name.eq_ignore_ascii_case(n)))
    {
        return Err(Error::invalid(
            "organization",
            format!("'{missing}' is not an organization of your signed-in accounts"),
        ));
    }
    if targets.is_empty() {
        return Err(Error::NotFound(
            "Your accounts belong to no Azure DevOps organization (or all are hidden).".into(),
        ));
    }
    Ok(targets)
}
