//! Commands that only read: orgs, list, show, scopes.

use super::{check_token, find, listing};
use crate::args::Global;
use crate::output::{self, PatJson};
use crate::session::{self, Session};
use adopat_core::ado::pats::check_org;
use adopat_core::config::Config;
use adopat_core::inventory::{Filter, Status};
use adopat_core::text::printable;
use adopat_core::{Result, input, scopes};
use jiff::Timestamp;
use serde::Serialize;

pub async fn orgs(global: &Global, hide: &[String], unhide: &[String]) -> Result<i32> {
    if !hide.is_empty() || !unhide.is_empty() {
        return change_hidden(hide, unhide);
    }
    let session = session::open(global).await?;
    list_orgs(&session, global.json)
}

/// Hides or shows organizations; kept in the config, applied to every later listing.
fn change_hidden(hide: &[String], unhide: &[String]) -> Result<i32> {
    let dir = Config::dir()?;
    for org in hide {
        check_org(org.trim())?;
    }
    let config = Config::update(&dir, |config| {
        for org in hide.iter().map(|o| o.trim()) {
            if !config.is_hidden(org) {
                config.hidden_orgs.push(org.to_owned());
            }
        }
        for org in unhide {
            config
                .hidden_orgs
                .retain(|h| !h.eq_ignore_ascii_case(org.trim()));
        }
        Ok(config.clone())
    })?;
    if config.hidden_orgs.is_empty() {
        eprintln!("No organization is hidden.");
    } else {
        eprintln!(
            "Hidden organizations: {}",
            printable(&config.hidden_orgs.join(", "))
        );
    }
    Ok(0)
}

fn list_orgs(session: &Session, json: bool) -> Result<i32> {
    #[derive(Serialize)]
    struct Org<'a> {
        name: &'a str,
        account: &'a str,
    }
    let orgs: Vec<Org> = session
        .inventory
        .targets()
        .iter()
        .map(|t| Org {
            name: &t.name,
            account: &t.account,
        })
        .collect();
    if json {
        output::print_json(&orgs).map_err(io)?;
    } else {
        for org in &orgs {
            println!("{:<24} {}", printable(org.name), printable(org.account));
        }
    }
    Ok(0)
}

pub async fn list(global: &Global, filter: Filter, within: Option<&str>) -> Result<i32> {
    let now = Timestamp::now();
    // Checked before any request: a typo costs nothing.
    let deadline = within.map(|w| input::within(w, now)).transpose()?;
    session::named_orgs(global)?;
    let session = session::open(global).await?;
    let filter = if deadline.is_some() {
        Filter::Active
    } else {
        filter
    };
    let (mut pats, code) = listing(&session, filter).await?;
    // Checked above by our clock; counted by the service's, whose business expiry is.
    let deadline = within
        .zip(deadline)
        .map(|(w, _)| input::within(w, session.inventory.server_now()))
        .transpose()?;
    if let Some(deadline) = deadline {
        pats.retain(|p| p.status == Status::Active && p.valid_to <= deadline);
    }
    let renewing = session
        .inventory
        .local_dir()
        .map(adopat_core::renewal::kept)
        .unwrap_or_default();
    if global.json {
        let items: Vec<PatJson> = pats
            .iter()
            .map(|pat| PatJson::listed(pat, &renewing))
            .collect();
        output::print_json(&items).map_err(io)?;
    } else if pats.is_empty() {
        eprintln!("No PATs to show in {}.", session.inventory.names());
    } else {
        // Expiry is the service's business: count by its clock.
        let now = session.inventory.server_now();
        let colour = output::colour_enabled();
        println!("{}", output::table(&pats, now, colour, &renewing));
    }
    Ok(code)
}

pub async fn show(global: &Global, token: &str) -> Result<i32> {
    check_token(token)?;
    session::named_orgs(global)?;
    let session = session::open(global).await?;
    let pat = find(&session, token).await?;
    if global.json {
        output::print_json(&PatJson::plain(&pat)).map_err(io)?;
    } else {
        println!("{}", output::details(&pat, session.inventory.server_now()));
    }
    Ok(0)
}

pub fn scopes(json: bool) -> Result<i32> {
    let catalog: Vec<_> = scopes::catalog().iter().filter(|s| s.selectable).collect();
    if json {
        output::print_json(&catalog).map_err(io)?;
        return Ok(0);
    }
    for category in scopes::categories() {
        let in_category: Vec<_> = catalog.iter().filter(|s| s.category == category).collect();
        if in_category.is_empty() {
            continue;
        }
        println!("{category}");
        for scope in in_category {
            println!("  {:<36} {}", scope.id, scope.name);
        }
    }
    Ok(0)
}

pub fn io(e: std::io::Error) -> adopat_core::Error {
    adopat_core::Error::Other(format!("could not write the output: {e}"))
}

/// `copy`: a kept secret (`--keep`) to the clipboard again. By id it asks nothing of
/// Azure DevOps; a name is looked up first.
pub async fn copy(global: &Global, token: &str) -> Result<i32> {
    check_token(token)?;
    if global.demo {
        return Err(adopat_core::Error::invalid(
            "demo",
            "the demo keeps nothing; copy works with secrets kept with --keep",
        ));
    }
    let route = crate::delivery::route(false, false)?;
    let dir = Config::dir()?;
    let (id, name) = match uuid::Uuid::parse_str(token.trim()) {
        Ok(id) => (id, token.trim().to_owned()),
        Err(_) => {
            let session = session::open(global).await?;
            let pat = find(&session, token).await?;
            (pat.id, output::name(&pat))
        }
    };
    let secret = adopat_core::kept::fetch(&dir, id)?.ok_or_else(|| {
        adopat_core::Error::invalid(
            "pat",
            format!(
                "no secret is kept for '{name}': AdoPat keeps one only when asked (--keep on create or regenerate, or \"Keep new secrets\" in the app's Settings)"
            ),
        )
    })?;
    route.copy(&secret)?.finish().await;
    Ok(0)
}
