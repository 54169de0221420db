//! `regenerate`: a new secret for a PAT, the old one revoked (exit 6 when it could not be).

use super::change::notice_shortened;
use super::find;
use super::read::io;
use crate::args::Global;
use crate::delivery;
use crate::output::{self, PatJson};
use crate::session;
use adopat_core::rotate::{self, RegenerateOptions};
use adopat_core::{Error, Result, input};
use jiff::Timestamp;

pub async fn run(global: &Global, token: &str, expires: Option<&str>, print: bool) -> Result<i32> {
    let valid_to = expires
        .map(|e| input::expiry(e, Timestamp::now()))
        .transpose()?;
    let named = session::named_orgs(global)?;
    let plan = delivery::plan(print)?;
    let session = session::open(global).await?;
    let (old, _) = find(&session, token).await?;
    let org = if old.global {
        match named.as_slice() {
            [one] => Some(one.clone()),
            _ => {
                return Err(Error::invalid(
                    "--org",
                    format!(
                        "'{}' is a global PAT, and Azure DevOps no longer creates those; give exactly one --org for its replacement",
                        old.name
                    ),
                ));
            }
        }
    } else {
        None
    };
    let done = rotate::regenerate(
        &session.inventory,
        &old,
        &RegenerateOptions { org, valid_to },
        |secret| plan.deliver(secret),
    )
    .await?;
    if let Some(asked) = done.shortened_from {
        notice_shortened(asked, done.new.valid_to);
    }
    if old.global {
        eprintln!(
            "'{}' was a global PAT; its replacement works in {} only.",
            old.name,
            done.new.orgs.join(", ")
        );
    }
    let now = session.inventory.server_now();
    if global.json {
        output::print_json(&PatJson {
            token: plan.prints().then(|| done.secret.expose()),
            replaces: Some(done.replaces.id),
            old_revoked: Some(done.old_revoked),
            ..PatJson::plain(&done.new)
        })
        .map_err(io)?;
    } else if plan.prints() {
        println!("{}", done.secret.expose());
    } else {
        println!("{}", output::details(&done.new, now));
    }
    let code = match &done.revoke_error {
        None => {
            eprintln!(
                "Regenerated '{}'; the old secret no longer works.",
                done.new.name
            );
            0
        }
        Some(error) => {
            eprintln!(
                "The new PAT was created and handed over, but the old one ({}) is still active: {error} Revoke it with: adopat revoke {}",
                done.replaces.id, done.replaces.id
            );
            6
        }
    };
    done.delivery.finish().await;
    Ok(code)
}
