//! Who the CLI works as and where: the demo service, a given access token, or the
//! accounts signed in with `adopat login`; the organizations named with `--org`, or all
//! of the accounts' organizations that are not hidden.

use crate::args::Global;
use adopat_core::ado::pats::check_org;
use adopat_core::ado::{AdoClient, Endpoints, StaticToken, TokenProvider};
use adopat_core::auth::{Authority, AzureCliAccount, EntraAccount};
use adopat_core::config::{AccountKind, AccountRecord, Config};
use adopat_core::inventory::{Inventory, OrgTarget};
use adopat_core::vault::Vault;
use adopat_core::{Error, Result, Secret};
use adopat_emulator::{Config as EmulatorConfig, Emulator, Seed};
use futures::future::join_all;
use std::sync::Arc;

pub const ACCESS_TOKEN_ENV: &str = "ADOPAT_ACCESS_TOKEN";
const DEMO_TOKEN: &str = "adopat-demo-session";

pub struct Session {
    pub inventory: Inventory,
    /// Keeps the demo service alive as long as the session.
    _demo: Option<Emulator>,
}

/// An account and the client that acts as it.
pub struct Signed {
    /// How the account is shown; `None` takes the profile's e-mail from discovery.
    pub label: Option<String>,
    pub client: AdoClient,
}

/// What `--org` named, checked before any request.
pub fn named_orgs(global: &Global) -> Result<Vec<String>> {
    let mut orgs: Vec<String> = Vec::new();
    for org in &global.orgs {
        let org = check_org(org.trim())?.to_owned();
        if !orgs.iter().any(|o| o.eq_ignore_ascii_case(&org)) {
            orgs.push(org);
        }
    }
    Ok(orgs)
}

pub fn access_token_from_env() -> Option<Secret> {
    std::env::var(ACCESS_TOKEN_ENV)
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .map(Secret::new)
}

pub async fn open(global: &Global) -> Result<Session> {
    let named = named_orgs(global)?;
    let mut demo = None;
    let mut hidden = Vec::new();
    let accounts = if global.demo {
        let emulator = Emulator::start(EmulatorConfig {
            seed: Seed::Demo,
            static_token: Some(DEMO_TOKEN.into()),
            ..EmulatorConfig::default()
        })
        .await
        .map_err(|e| Error::Other(format!("could not start the demo service: {e}")))?;
        let endpoints = Endpoints::single(emulator.base_url())?;
        let client = client(endpoints, Arc::new(StaticToken(Secret::new(DEMO_TOKEN))))?;
        demo = Some(emulator);
        vec![Signed {
            label: None,
            client,
        }]
    } else if let Some(token) = access_token_from_env() {
        hidden = Config::load(&Config::dir()?)?.hidden_orgs;
        let client = client(Endpoints::from_env()?, Arc::new(StaticToken(token)))?;
        vec![Signed {
            label: None,
            client,
        }]
    } else {
        let dir = Config::dir()?;
        let config = Config::load(&dir)?;
        hidden = config.hidden_orgs.clone();
        signed_accounts(&config)?
    };
    let targets = targets(&accounts, &named, &hidden).await?;
    Ok(Session {
        inventory: Inventory::new(targets),
        _demo: demo,
    })
}

fn client(endpoints: Endpoints, auth: Arc<dyn TokenProvider>) -> Result<AdoClient> {
    AdoClient::new(endpoints, auth)
}

/// A client per signed-in account of the config.
pub fn signed_accounts(config: &Config) -> Result<Vec<Signed>> {
    if config.accounts.is_empty() {
        return Err(not_signed_in());
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
            Ok(Signed {
                label: Some(record.username.clone()),
                client: client(endpoints.clone(), provider)?,
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

pub fn not_signed_in() -> Error {
    Error::SignIn(format!(
        "Not signed in. Run `adopat login` (or `adopat login --device-code`, or `adopat login --azure-cli`), set {ACCESS_TOKEN_ENV}, or try --demo."
    ))
}

/// The organizations to work in: those named (found among the accounts' own when
/// several accounts could hold them), else every organization of every account that is
/// not hidden; an organization two accounts share is reached through the first.
async fn targets(
    accounts: &[Signed],
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
            "--org",
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
