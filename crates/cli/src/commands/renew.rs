//! `autorenew` and `renew`: PATs that renew themselves before they expire (core's
//! `renewal`). A renewed secret goes into the places that held the old one and into the
//! OS keyring (`adopat copy`), never to the clipboard; `--print` also writes it here.

use super::read::io;
use super::{check_token, find_fresh};
use crate::args::Global;
use crate::output;
use crate::session;
use adopat_core::Result;
use adopat_core::inventory::Pat;
use adopat_core::places::Scope;
use adopat_core::renewal::{self, Action, Options, Renewal};
use adopat_core::state::RenewMode;
use adopat_core::stop::Stop;
use adopat_core::text::printable;
use serde::Serialize;
use serde_json::json;

/// One PAT that renews itself, as `autorenew --json` prints it.
#[derive(Serialize)]
struct SettingJson<'a> {
    id: uuid::Uuid,
    name: &'a str,
    org: &'a str,
    mode: Option<&'static str>,
    before: Option<String>,
    due: Option<jiff::Timestamp>,
}

pub async fn autorenew(
    global: &Global,
    token: Option<&str>,
    mode: Option<RenewMode>,
    before: Option<&str>,
    off: bool,
) -> Result<i32> {
    // Checked before any request.
    let before = before.map(renewal::parse_before).transpose()?;
    if let Some(token) = token {
        check_token(token)?;
    }
    session::named_orgs(global)?;
    let session = session::open(global).await?;
    let Some(token) = token else {
        return list(global, &session).await;
    };
    let pat = find_fresh(&session, token).await?.pat;
    let org = session.inventory.home_org(&pat)?.to_owned();
    if off {
        let was = renewal::turn_off(session.inventory.local_dir(), pat.id)?;
        if global.json {
            let off = SettingJson {
                id: pat.id,
                name: &pat.name,
                org: &org,
                mode: None,
                before: None,
                due: None,
            };
            output::print_json(&off).map_err(io)?;
        } else if was {
            eprintln!("'{}' no longer renews itself.", output::name(&pat));
        } else {
            eprintln!("'{}' did not renew itself.", output::name(&pat));
        }
        return Ok(0);
    }
    let renewing = renewal::turn_on(session.inventory.local_dir(), &pat, mode, before)?;
    let due = renewal::due_at(&pat, &renewing);
    if global.json {
        output::print_json(&SettingJson {
            id: pat.id,
            name: &pat.name,
            org: &org,
            mode: Some(renewing.mode.as_str()),
            before: Some(renewal::before_text(renewing.before_secs)),
            due: Some(due),
        })
        .map_err(io)?;
    } else {
        let now = session.inventory.server_now();
        let how = match renewing.mode {
            RenewMode::Regenerate => {
                "regenerating it (a new token into the places that used the old one)"
            }
            RenewMode::Extend => "extending it (the same token, for longer)",
        };
        eprintln!(
            "'{}' renews itself {} by {how}, {} before it expires.",
            output::name(&pat),
            when(due, now),
            renewal::before_text(renewing.before_secs)
        );
    }
    Ok(0)
}

fn when(due: jiff::Timestamp, now: jiff::Timestamp) -> String {
    if due <= now {
        "at the next round".into()
    } else {
        format!(
            "on {} ({})",
            due.strftime("%Y-%m-%d"),
            output::relative(due, now)
        )
    }
}

async fn list(global: &Global, session: &session::Session) -> Result<i32> {
    let settings = renewal::settings(&session.inventory).await?;
    if global.json {
        let items: Vec<SettingJson> = settings
            .iter()
            .map(|s| SettingJson {
                id: s.id,
                name: s.pat.as_ref().map_or(&s.renewing.name, |p| &p.name),
                org: &s.renewing.org,
                mode: Some(s.renewing.mode.as_str()),
                before: Some(renewal::before_text(s.renewing.before_secs)),
                due: s.due,
            })
            .collect();
        output::print_json(&items).map_err(io)?;
        return Ok(0);
    }
    if settings.is_empty() {
        eprintln!("No PAT renews itself. Turn it on with: adopat autorenew TOKEN");
        return Ok(0);
    }
    let now = session.inventory.server_now();
    for s in &settings {
        let due = s
            .due
            .map_or_else(|| "(not listed now)".to_owned(), |due| when(due, now));
        println!(
            "{} ({})  {}, {} ahead, {due}",
            printable(&s.renewing.name),
            printable(&s.renewing.org),
            s.renewing.mode.as_str(),
            renewal::before_text(s.renewing.before_secs),
        );
        if let Some(last) = &s.renewing.last {
            println!(
                "    last: {} {}",
                last.at.strftime("%Y-%m-%d"),
                printable(&last.said)
            );
        }
    }
    Ok(0)
}

pub struct How {
    pub dry_run: bool,
    pub print: bool,
}

pub async fn run(
    global: &Global,
    tokens: &[String],
    due: bool,
    how: How,
    stop: &Stop,
) -> Result<i32> {
    for token in tokens {
        check_token(token)?;
    }
    session::named_orgs(global)?;
    let session = session::open(global).await?;
    let inventory = &session.inventory;
    let options = Options {
        places: Scope::of(inventory, Vec::new()),
        dry_run: how.dry_run,
        print: how.print,
    };
    let done = if due {
        renewal::due(inventory, &options, stop).await?
    } else {
        let mut pats: Vec<Pat> = Vec::new();
        for token in tokens {
            pats.push(find_fresh(&session, token).await?.pat);
        }
        renewal::now(inventory, &pats, &options, stop).await?
    };
    if global.json {
        let items: Vec<serde_json::Value> = done.iter().map(renewal_json).collect();
        output::print_json(&items).map_err(io)?;
    } else {
        tell(&done, how.print, due)?;
    }
    if let Some(reason) = stop.asked() {
        return Ok(reason.exit_code());
    }
    Ok(exit_code(&done))
}

fn renewal_json(renewal: &Renewal) -> serde_json::Value {
    let mut value = serde_json::to_value(renewal).unwrap_or_default();
    if let (Some(secret), Some(object)) = (&renewal.secret, value.as_object_mut()) {
        object.insert("token".into(), json!(secret.expose()));
    }
    value
}

/// What each renewal did, a line each (stderr when the secrets are on stdout).
fn tell(done: &[Renewal], print: bool, due: bool) -> Result<()> {
    if done.is_empty() && due {
        eprintln!("No PAT renews itself. Turn it on with: adopat autorenew TOKEN");
    }
    for renewal in done {
        let said = printable(&renewal.said()).into_owned();
        if print {
            eprintln!("{said}");
        } else {
            println!("{said}");
        }
        if let Some(secret) = &renewal.secret {
            output::print_line(secret.expose()).map_err(io)?;
        }
    }
    Ok(())
}

/// 1 when a PAT failed; 7 when a place that held an old secret has not got the new one
/// (the old PAT then stays active); else 0.
fn exit_code(done: &[Renewal]) -> i32 {
    if done.iter().any(|r| r.action == Action::Failed) {
        1
    } else if done.iter().any(Renewal::places_left) {
        7
    } else {
        0
    }
}
