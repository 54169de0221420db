//! Commands that change a PAT: create, edit, revoke.

use super::read::io;
use super::{check_token, find};
use crate::args::Global;
use crate::delivery::{self, Shape};
use crate::output::{self, PatJson};
use crate::session::{self, Session};
use adopat_core::ado::pats::PatChanges;
use adopat_core::changes::NewPat;
use adopat_core::config::Config;
use adopat_core::inventory::{Pat, Status};
use adopat_core::stop::Stop;
use adopat_core::text::printable;
use adopat_core::{Error, Result, input};
use jiff::Timestamp;
use std::io::{BufRead, IsTerminal, Write};

pub struct CreateArgs<'a> {
    pub keep: bool,
    pub name: &'a str,
    pub scopes: &'a [String],
    pub expires: &'a str,
    pub print: bool,
    /// Places to write the secret into, as `places` names them.
    pub put_in: &'a [String],
    pub dirs: Vec<std::path::PathBuf>,
    pub put_in_anyway: bool,
}

pub async fn create(global: &Global, args: CreateArgs<'_>, stop: &Stop) -> Result<i32> {
    let name = input::name(args.name)?;
    let scopes = input::scope_list(args.scopes)?;
    let valid_to = input::expiry(args.expires, Timestamp::now())?;
    if session::named_orgs(global)?.len() > 1 {
        return Err(Error::invalid(
            "--org",
            "a PAT is created in one organization; give --org once",
        ));
    }
    super::places::check_dirs(&args.dirs)?;
    let route = delivery::route(args.print, global.json)?;
    let session = session::open(global).await?;
    let org = single_org(&session)?;
    let then_places = !args.put_in.is_empty();
    let done = session
        .inventory
        .create_and_deliver(
            &NewPat {
                renew: false,
                org,
                name,
                scopes,
                valid_to,
                keep: args.keep || Config::keeps_secrets(session.inventory.local_dir()),
                put_in: args.put_in.to_vec(),
                look_in: args.dirs,
                put_in_anyway: args.put_in_anyway,
            },
            stop,
            |pat, secret| route.deliver(pat, secret, Shape::Created { then_places }),
        )
        .await?;
    let created = &done.created;
    let updates = then_places.then_some(&done.places);
    if let (true, true, Some(updates)) = (route.prints(), global.json, updates) {
        output::close_json_with(&[
            ("updated", serde_json::json!(updates.updated)),
            ("notUpdated", serde_json::json!(updates.not_updated)),
        ])
        .map_err(io)?;
    }
    let now = session.inventory.server_now();
    if let Some(asked) = created.shortened_from {
        notice_shortened(asked, created.pat.valid_to);
    }
    if route.prints() {
        eprintln!(
            "Created '{}' in {}, expiring {}.",
            output::name(&created.pat),
            created.pat.orgs.join(", "),
            output::expiry_text(&created.pat, now)
        );
    } else if global.json {
        output::print_json(&PatJson {
            places: updates,
            ..PatJson::plain(&created.pat)
        })
        .map_err(io)?;
    } else {
        println!("{}", output::details(&created.pat, now));
    }
    if let Some(updates) = updates {
        super::places::tell_updates(updates);
    }
    tell_kept(done.kept.as_ref(), &created.pat);
    done.delivery.finish().await;
    Ok(match (done.stopped, updates) {
        (Some(reason), _) => {
            eprintln!("Interrupted after the PAT was created; its secret was handed over.");
            reason.exit_code()
        }
        (None, Some(updates)) if !updates.not_updated.is_empty() => {
            eprintln!(
                "The PAT was created and its secret handed over, but not every place got it."
            );
            1
        }
        (None, _) => 0,
    })
}

/// Says whether a secret was kept as asked.
pub fn tell_kept(kept: Option<&std::result::Result<(), String>>, pat: &Pat) {
    match kept {
        Some(Ok(())) => eprintln!(
            "Kept in the OS keyring: `adopat copy {}` copies it again.",
            pat.id
        ),
        Some(Err(e)) => eprintln!("The secret could not be kept: {}", printable(e)),
        None => {}
    }
}

/// The one organization a new PAT goes to.
fn single_org(session: &Session) -> Result<String> {
    match session.inventory.targets() {
        [one] => Ok(one.name.clone()),
        many => Err(Error::invalid(
            "--org",
            format!(
                "you are in several organizations; name the one for this PAT with --org ({})",
                many.iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

pub async fn edit(
    global: &Global,
    token: &str,
    name: Option<&str>,
    scopes: &[String],
    expires: Option<&str>,
    stop: &Stop,
) -> Result<i32> {
    let changes = PatChanges {
        display_name: name.map(input::name).transpose()?,
        scopes: (!scopes.is_empty())
            .then(|| input::scope_list(scopes))
            .transpose()?,
        valid_to: expires
            .map(|e| input::expiry(e, Timestamp::now()))
            .transpose()?,
    };
    if changes.display_name.is_none() && changes.scopes.is_none() && changes.valid_to.is_none() {
        return Err(Error::invalid(
            "edit",
            "nothing to change; give --name, --scope or --expires",
        ));
    }
    check_token(token)?;
    session::named_orgs(global)?;
    let session = session::open(global).await?;
    let pat = find(&session, token).await?;
    stopped_before(stop, &pat)?;
    // Checked above by this machine's clock, before any request; a span counts from the
    // service's, which finding the PAT has just told.
    let changes = PatChanges {
        valid_to: expires
            .map(|e| input::expiry(e, session.inventory.server_now()))
            .transpose()?,
        ..changes
    };
    let edited = session.inventory.edit(&pat, &changes).await?;
    if let (Some(asked), true) = (edited.shortened_from, changes.valid_to.is_some()) {
        notice_shortened(asked, edited.pat.valid_to);
    }
    if global.json {
        output::print_json(&PatJson::plain(&edited.pat)).map_err(io)?;
    } else {
        println!(
            "{}",
            output::details(&edited.pat, session.inventory.server_now())
        );
    }
    Ok(done_unless_stopped(stop, "edited"))
}

pub async fn revoke(global: &Global, token: &str, yes: bool, stop: &Stop) -> Result<i32> {
    let interactive = std::io::stdin().is_terminal();
    if !yes && !interactive {
        return Err(Error::invalid(
            "--yes",
            "revoking cannot be undone; without a terminal to confirm on, add --yes",
        ));
    }
    check_token(token)?;
    session::named_orgs(global)?;
    let session = session::open(global).await?;
    let pat = find(&session, token).await?;
    if pat.status == Status::Revoked {
        return Err(Error::invalid(
            "TOKEN",
            format!("'{}' is already revoked", output::name(&pat)),
        ));
    }
    if !yes
        && !confirm(&format!(
            "Revoke '{}' ({}, {})? Anything using it stops working. [y/N] ",
            output::name(&pat),
            output::orgs_text(&pat, session.inventory.server_now()),
            pat.id
        ))
    {
        eprintln!("Nothing revoked.");
        return Ok(1);
    }
    stopped_before(stop, &pat)?;
    session.inventory.revoke(&pat).await?;
    let revoked = adopat_core::inventory::Pat {
        status: Status::Revoked,
        ..pat
    };
    if global.json {
        output::print_json(&PatJson::plain(&revoked)).map_err(io)?;
    } else {
        println!("Revoked '{}' ({}).", output::name(&revoked), revoked.id);
    }
    Ok(done_unless_stopped(stop, "revoked"))
}

/// A stop asked for before the change is sent: nothing changed.
fn stopped_before(stop: &Stop, pat: &adopat_core::inventory::Pat) -> Result<()> {
    match stop.asked() {
        Some(reason) => Err(Error::Stopped {
            reason,
            message: format!("Interrupted; '{}' is unchanged.", output::name(pat)),
        }),
        None => Ok(()),
    }
}

/// A stop asked for while the change was under way: it was made all the same.
fn done_unless_stopped(stop: &Stop, what: &str) -> i32 {
    match stop.asked() {
        Some(reason) => {
            eprintln!("Interrupted, but the PAT had been {what} already.");
            reason.exit_code()
        }
        None => 0,
    }
}

fn confirm(question: &str) -> bool {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

pub fn notice_shortened(asked: Timestamp, granted: Timestamp) {
    eprintln!(
        "Azure DevOps shortened the expiry to {} (you asked for {}): an organization policy limits how long PATs may live.",
        granted.strftime("%Y-%m-%d %H:%M UTC"),
        asked.strftime("%Y-%m-%d")
    );
}
