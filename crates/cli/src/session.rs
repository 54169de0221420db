//! Who the CLI works as and where: the demo service, or a given access token; the
//! organizations named with `--org`, or all of the account's.

use crate::args::Global;
use adopat_core::ado::pats::check_org;
use adopat_core::ado::{AdoClient, Endpoints, StaticToken};
use adopat_core::inventory::{Inventory, OrgTarget};
use adopat_core::{Error, Result, Secret};
use adopat_emulator::{Config, Emulator, Seed};
use std::sync::Arc;

pub const ACCESS_TOKEN_ENV: &str = "ADOPAT_ACCESS_TOKEN";
const DEMO_TOKEN: &str = "adopat-demo-session";

pub struct Session {
    pub inventory: Inventory,
    /// Keeps the demo service alive as long as the session.
    _demo: Option<Emulator>,
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

pub async fn open(global: &Global) -> Result<Session> {
    let named = named_orgs(global)?;
    let (client, demo) = if global.demo {
        let emulator = Emulator::start(Config {
            seed: Seed::Demo,
            static_token: Some(DEMO_TOKEN.into()),
            ..Config::default()
        })
        .await
        .map_err(|e| Error::Other(format!("could not start the demo service: {e}")))?;
        let endpoints = Endpoints::single(emulator.base_url())?;
        let client = AdoClient::new(endpoints, Arc::new(StaticToken(Secret::new(DEMO_TOKEN))))?;
        (client, Some(emulator))
    } else {
        let endpoints = Endpoints::from_env()?;
        let token = std::env::var(ACCESS_TOKEN_ENV)
            .ok()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Error::SignIn(format!(
                    "Not signed in. Set {ACCESS_TOKEN_ENV} to an Entra access token for Azure DevOps \
                     (az account get-access-token --resource 499b84ac-1321-427f-aa17-267ca6975798), or try --demo."
                ))
            })?;
        let client = AdoClient::new(endpoints, Arc::new(StaticToken(Secret::new(token))))?;
        (client, None)
    };
    let targets = if named.is_empty() {
        discover(&client).await?
    } else {
        let account = account_label(global);
        named
            .into_iter()
            .map(|name| OrgTarget {
                name,
                account: account.clone(),
                client: client.clone(),
            })
            .collect()
    };
    Ok(Session {
        inventory: Inventory::new(targets),
        _demo: demo,
    })
}

fn account_label(global: &Global) -> String {
    if global.demo {
        "demo".into()
    } else {
        ACCESS_TOKEN_ENV.into()
    }
}

async fn discover(client: &AdoClient) -> Result<Vec<OrgTarget>> {
    let (profile, accounts) = client.discover_orgs().await?;
    if accounts.is_empty() {
        return Err(Error::NotFound(format!(
            "{} belongs to no Azure DevOps organization.",
            profile.display_name
        )));
    }
    let label = profile
        .email_address
        .filter(|e| !e.is_empty())
        .unwrap_or(profile.display_name);
    Ok(accounts
        .into_iter()
        .map(|a| OrgTarget {
            name: a.account_name,
            account: label.clone(),
            client: client.clone(),
        })
        .collect())
}
