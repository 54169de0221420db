//! `regenerate`: a new secret for a PAT, the old one revoked (exit 6 when it could not be).
//!
//! The new secret is handed over (printed, or on the clipboard) before the old PAT is
//! revoked; with `--json --print` the object is written up to `oldRevoked`, which is
//! added once the revoke is done, so a kill during the revoke leaves the secret on stdout.

use super::change::notice_shortened;
use super::read::io;
use super::{check_token, find_fresh};
use crate::args::Global;
use crate::delivery::{self, Shape};
use crate::output::{self, PatJson};
use crate::session;
use adopat_core::config::Config;
use adopat_core::places::Scope;
use adopat_core::rotate::{self, RegenerateOptions};
use adopat_core::stop::Stop;
use adopat_core::text::printable;
use adopat_core::{Error, Result, input};
use jiff::Timestamp;

/// How the new secret is handed over and kept, and which places it goes to.
pub struct How {
    pub print: bool,
    pub keep: bool,
    /// `None`: `--no-update`; else the folders to look in besides the user's own files.
    pub places: Option<Vec<std::path::PathBuf>>,
}

pub async fn run(
    global: &Global,
    token: &str,
    expires: Option<&str>,
    how: How,
    stop: &Stop,
) -> Result<i32> {
    let How {
        print,
        keep,
        places,
    } = how;
    if let Some(expires) = expires {
        input::expiry(expires, Timestamp::now())?;
    }
    check_token(token)?;
    let named = session::named_orgs(global)?;
    let route = delivery::route(print, global.json)?;
    if let Some(dirs) = &places {
        super::places::check_dirs(dirs)?;
    }
    let session = session::open(global).await?;
    let found = find_fresh(&session, token).await?;
    let (old, fresh) = (found.pat, found.fresh);
    let org = if old.global {
        match named.as_slice() {
            [one] => Some(one.clone()),
            _ => {
                return Err(Error::invalid(
                    "--org",
                    format!(
                        "'{}' is a global PAT, and Azure DevOps no longer creates those; give exactly one --org for its replacement",
                        output::name(&old)
                    ),
                ));
            }
        }
    } else {
        None
    };
    // Checked above by this machine's clock, before any request; a span counts from the
    // service's, which finding the PAT has just told.
    let valid_to = expires
        .map(|e| input::expiry(e, session.inventory.server_now()))
        .transpose()?;
    let done = rotate::regenerate(
        &session.inventory,
        &old,
        &RegenerateOptions {
            org,
            valid_to,
            fresh,
            places: places.and_then(|dirs| Scope::of(&session.inventory, dirs)),
            keep: keep || Config::keeps_secrets(session.inventory.local_dir()),
            hold_unless_placed: false,
        },
        stop,
        |new, secret| route.deliver(new, secret, Shape::Twin { replaces: old.id }),
    )
    .await?;
    if route.prints() && global.json {
        let fields = [
            ("oldRevoked", serde_json::json!(done.old_revoked)),
            ("updated", serde_json::json!(done.places.updated)),
            ("notUpdated", serde_json::json!(done.places.not_updated)),
        ];
        output::close_json_with(&fields).map_err(io)?;
    }
    if let Some(asked) = done.shortened_from {
        notice_shortened(asked, done.new.valid_to);
    }
    if old.global {
        eprintln!(
            "'{}' was a global PAT; its replacement works in {} only.",
            output::name(&old),
            done.new.orgs.join(", ")
        );
    }
    let now = session.inventory.server_now();
    if global.json && !route.prints() {
        output::print_json(&PatJson {
            replaces: Some(done.replaces.id),
            old_revoked: Some(done.old_revoked),
            places: Some(&done.places),
            ..PatJson::plain(&done.new)
        })
        .map_err(io)?;
    } else if !route.prints() {
        println!("{}", output::details(&done.new, now));
    }
    super::places::tell_updates(&done.places);
    super::change::tell_kept(done.kept.as_ref(), &done.new);
    let code = match (&done.revoke_error, done.stopped) {
        (None, None) => {
            eprintln!(
                "Regenerated '{}'; the old secret no longer works.",
                output::name(&done.new)
            );
            0
        }
        (None, Some(reason)) => {
            eprintln!(
                "Interrupted, but '{}' had been regenerated already: the new secret was handed over and the old one revoked.",
                output::name(&done.new)
            );
            reason.exit_code()
        }
        (Some(_), Some(reason)) => {
            eprintln!(
                "Interrupted after the new PAT was made and its secret handed over; the old one ({}) is still active. Revoke it with: adopat revoke {}",
                done.replaces.id, done.replaces.id
            );
            reason.exit_code()
        }
        (Some(error), None) => {
            eprintln!(
                "The new PAT was created and handed over, but the old one ({}) is still active: {} Revoke it with: adopat revoke {}",
                done.replaces.id,
                printable(&error.to_string()),
                done.replaces.id
            );
            6
        }
    };
    // The old secret no longer works, and a place that held it did not get the new one.
    let code = if code == 0 && !done.places.not_updated.is_empty() {
        7
    } else {
        code
    };
    done.delivery.finish().await;
    Ok(code)
}

/// `regenerate --dry-run`: the PAT that would be replaced and the places that would get
/// its new token, read only: nothing is created, written, or sent with a found credential.
pub async fn dry_run(global: &Global, token: &str, dirs: Vec<std::path::PathBuf>) -> Result<i32> {
    check_token(token)?;
    super::places::check_dirs(&dirs)?;
    session::named_orgs(global)?;
    let session = session::open(global).await?;
    let old = find_fresh(&session, token).await?.pat;
    let preview = match Scope::of(&session.inventory, dirs) {
        Some(scope) => adopat_core::places::Preview::of(&scope, &old).await,
        None => adopat_core::places::Preview::default(),
    };
    if global.json {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct DryRun<'a> {
            replaces: &'a adopat_core::inventory::Pat,
            #[serde(flatten)]
            places: &'a adopat_core::places::Preview,
        }
        output::print_json(&DryRun {
            replaces: &old,
            places: &preview,
        })
        .map_err(io)?;
        return Ok(0);
    }
    println!(
        "Would create a new '{}' in {} with the same scopes, hand its token over, and revoke the old one ({}).",
        output::name(&old),
        old.orgs.join(", "),
        old.id
    );
    for place in &preview.would_update {
        println!("Would update {}", super::places::where_(place));
    }
    for place in &preview.would_check {
        println!(
            "Would check {} (its PAT is not known), and update it if it stops working when the old PAT is revoked",
            super::places::where_(place)
        );
    }
    if preview.would_update.is_empty() && preview.would_check.is_empty() {
        println!("No place on this machine would change.");
    }
    Ok(0)
}
