//! One module per kind of work; each returns the process exit code on success paths
//! that are not plain success (a partial listing, a partial regenerate).

mod account;
mod change;
mod places;
mod read;
mod regenerate;
mod renew;

use crate::args::{Cli, Command};
use crate::session::Session;
use adopat_core::inventory::{Filter, Listing, Pat};
use adopat_core::lookup::Found;
use adopat_core::stop::Stop;
use adopat_core::text::printable;
use adopat_core::{Error, Result};

pub async fn run(cli: Cli, stop: &Stop) -> Result<i32> {
    let global = &cli.global;
    match cli.command {
        Command::Scopes => read::scopes(global.json),
        Command::Orgs { hide, unhide } => read::orgs(global, &hide, &unhide).await,
        Command::Login {
            device_code,
            azure_cli,
            tenant,
            client_id,
        } => {
            account::login(account::LoginArgs {
                device_code,
                azure_cli,
                tenant: tenant.as_deref(),
                client_id: client_id.as_deref(),
            })
            .await
        }
        Command::Logout { account, all } => account::logout(account.as_deref(), all).await,
        Command::Whoami => account::whoami(global.json),
        Command::List {
            filter,
            expiring_within,
        } => read::list(global, filter, expiring_within.as_deref()).await,
        Command::Show { token } => read::show(global, &token).await,
        Command::Create {
            name,
            scopes,
            expires,
            print,
            keep,
            put_in,
            dirs,
            put_in_anyway,
        } => {
            let new = change::CreateArgs {
                keep,
                name: &name,
                scopes: &scopes,
                expires: &expires,
                print,
                put_in: &put_in,
                dirs,
                put_in_anyway,
            };
            change::create(global, new, stop).await
        }
        Command::Edit {
            token,
            name,
            scopes,
            expires,
        } => {
            change::edit(
                global,
                &token,
                name.as_deref(),
                &scopes,
                expires.as_deref(),
                stop,
            )
            .await
        }
        Command::Revoke { token, yes } => change::revoke(global, &token, yes, stop).await,
        Command::Regenerate {
            token,
            expires,
            print,
            no_update,
            keep,
            dry_run,
            dirs,
        } => {
            if dry_run {
                return regenerate::dry_run(global, &token, dirs).await;
            }
            let how = regenerate::How {
                print,
                keep,
                places: (!no_update).then_some(dirs),
            };
            regenerate::run(global, &token, expires.as_deref(), how, stop).await
        }
        Command::Autorenew {
            token,
            mode,
            before,
            off,
        } => renew::autorenew(global, token.as_deref(), mode, before.as_deref(), off).await,
        Command::Renew {
            tokens,
            due,
            dry_run,
            print,
        } => renew::run(global, &tokens, due, renew::How { dry_run, print }, stop).await,
        Command::Copy { token } => read::copy(global, &token).await,
        Command::Places { check, dirs } => places::list(global, check, dirs).await,
        // Written before anything starts (main).
        Command::Completions { .. } => Ok(0),
        // Run by `main` before any of this.
        #[cfg(feature = "tray")]
        Command::Tray { .. } => Ok(0),
    }
}

/// Lists and reports organizations that could not be read; their error decides the
/// exit code even when others could be listed.
async fn listing(session: &Session, filter: Filter) -> Result<(Vec<Pat>, i32)> {
    let Listing { pats, failures, .. } = session.inventory.list(filter).await.into_result()?;
    let mut code = 0;
    for (org, error) in &failures {
        eprintln!(
            "Could not list the PATs of '{org}': {}",
            printable(&error.to_string())
        );
        code = error.exit_code();
    }
    Ok((pats, code))
}

/// Refused before any request: a name or id must be given.
fn check_token(token: &str) -> Result<()> {
    if token.trim().is_empty() {
        return Err(Error::invalid(
            "TOKEN",
            "give an authorizationId or a PAT's name",
        ));
    }
    Ok(())
}

/// The PAT a user named (active PATs looked at first, then expired and revoked ones).
/// Organizations that could not be listed are named on stderr; they do not change the
/// exit code of an operation that then succeeds.
async fn find(session: &Session, token: &str) -> Result<Pat> {
    find_fresh(session, token).await.map(|found| found.pat)
}

/// As `find`, saying whether the PAT was read from the service just now (by id).
async fn find_fresh(session: &Session, token: &str) -> Result<Found> {
    let found = session.inventory.find(token).await?;
    for (org, why) in &found.unchecked {
        eprintln!(
            "Could not list the PATs of '{org}' (so it was not looked in): {}",
            printable(why)
        );
    }
    Ok(found)
}
