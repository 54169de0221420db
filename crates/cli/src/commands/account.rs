//! Signing in and out: login, logout, whoami.

use super::read::io;
use crate::output;
use crate::session;
use adopat_core::accounts::{self, Method, NewAccount, Prompt, SignInOptions};
use adopat_core::ado::AdoClient;
use adopat_core::config::{AccountKind, AccountRecord, Config};
use adopat_core::text::printable;
use adopat_core::{Error, Result};
use serde::Serialize;

pub struct LoginArgs<'a> {
    pub device_code: bool,
    pub azure_cli: bool,
    pub tenant: Option<&'a str>,
    pub client_id: Option<&'a str>,
}

pub async fn login(args: LoginArgs<'_>) -> Result<i32> {
    let dir = Config::dir()?;
    let method = match (args.azure_cli, args.device_code) {
        (true, _) => Method::AzureCli,
        (false, true) => Method::DeviceCode,
        (false, false) => Method::Browser,
    };
    let options = SignInOptions {
        tenant: args.tenant,
        client_id: args.client_id,
    };
    let signing_in = accounts::sign_in(&dir, method, options, |prompt| match prompt {
        Prompt::DeviceCode(code) => match &code.message {
            Some(message) => eprintln!("{}", printable(message)),
            None => eprintln!(
                "To sign in, open {} and enter the code {}.",
                printable(code.verification_uri.as_str()),
                printable(&code.user_code)
            ),
        },
        Prompt::Browser { url, opened } => eprintln!(
            "{}\n  {}",
            if opened {
                "Sign in in your browser. If it did not open, visit:"
            } else {
                "Open this address in a browser to sign in:"
            },
            printable(url)
        ),
    });
    // Ctrl-C ends the command in main (exit 130): nothing is kept before the end.
    let NewAccount { record, client } = signing_in.await?;
    report_signed_in(&record, &client).await;
    Ok(0)
}

async fn report_signed_in(record: &AccountRecord, client: &AdoClient) {
    let how = match record.kind {
        AccountKind::Entra => "kept in the OS keyring",
        AccountKind::AzureCli => "through the Azure CLI",
    };
    eprintln!("Signed in as {} ({how}).", printable(&record.username));
    match client.discover_orgs().await {
        Ok((_, orgs)) => {
            let names: Vec<&str> = orgs.iter().map(|o| o.account_name.as_str()).collect();
            eprintln!(
                "Organizations: {}",
                if names.is_empty() {
                    "none".into()
                } else {
                    printable(&names.join(", ")).into_owned()
                }
            );
        }
        Err(e) => eprintln!("Your organizations could not be listed yet: {e}"),
    }
}

pub async fn logout(account: Option<&str>, all: bool) -> Result<i32> {
    let dir = Config::dir()?;
    let config = Config::load(&dir)?;
    if config.accounts.is_empty() {
        eprintln!("Not signed in.");
        return Ok(0);
    }
    let ids: Vec<String> = if all {
        config.accounts.iter().map(|a| a.id.clone()).collect()
    } else {
        vec![pick(&config, account)?.id.clone()]
    };
    for record in accounts::sign_out(&dir, &ids).await? {
        eprintln!("Signed out {}.", printable(&record.username));
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
                printable(w.username),
                printable(w.display_name),
                printable(w.tenant)
            );
        }
    }
    Ok(0)
}
