//! `places`: where Azure DevOps credentials are used on this machine, and what a
//! regenerate did to them.

use super::read::io;
use crate::args::Global;
use crate::output;
use crate::session;
use adopat_core::places::{self, Place, Updates};
use adopat_core::text::printable;
use adopat_core::{Error, Result};
use comfy_table::{ContentArrangement, Table, presets};
use std::path::PathBuf;

/// A folder given with `--in` must be one: a typo costs nothing.
pub fn check_dirs(dirs: &[PathBuf]) -> Result<()> {
    match dirs.iter().find(|d| !d.is_dir()) {
        Some(dir) => Err(Error::invalid(
            "--in",
            format!("'{}' is not a folder", dir.display()),
        )),
        None => Ok(()),
    }
}

pub async fn list(global: &Global, check: bool, dirs: Vec<PathBuf>) -> Result<i32> {
    check_dirs(&dirs)?;
    session::named_orgs(global)?;
    let session = session::open(global).await?;
    if check && !global.json {
        eprintln!("Checking each place with Azure DevOps…");
    }
    let mut survey = places::survey_of(&session.inventory, dirs).await?;
    if check {
        survey.check(&session.inventory).await;
    }
    for problem in &survey.problems {
        eprintln!("{}", printable(problem));
    }
    let found = survey.places();
    if global.json {
        output::print_json(&found).map_err(io)?;
    } else if found.is_empty() {
        eprintln!(
            "No Azure DevOps credentials found in git's credentials, .npmrc, NuGet.Config, settings.xml, pip.conf or .netrc."
        );
    } else {
        println!("{}", table(&found, check));
    }
    Ok(0)
}

fn table(found: &[Place], checked: bool) -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    let mut header = vec!["PLACE", "HOST", "ORG", "PAT"];
    if checked {
        header.push("WORKS");
    }
    header.push("FILE");
    table.set_header(header);
    for place in found {
        let mut row = vec![
            printable(&place.id()).into_owned(),
            printable(&place.host).into_owned(),
            place
                .org
                .as_deref()
                .map_or_else(|| "(any)".into(), |org| printable(org).into_owned()),
            place
                .pat
                .as_ref()
                .map_or_else(|| "(not known)".into(), |p| printable(&p.name).into_owned()),
        ];
        if checked {
            row.push(
                match place.works {
                    Some(true) => "works",
                    Some(false) => "no longer works",
                    None => "could not check",
                }
                .into(),
            );
        }
        row.push(place.file.as_ref().map_or_else(
            || "(git's credential helper)".into(),
            |f| printable(&f.display().to_string()).into_owned(),
        ));
        table.add_row(row);
    }
    table.to_string()
}

/// Says on stderr which places got the new secret and which did not, and why.
pub fn tell_updates(updates: &Updates) {
    for place in &updates.updated {
        eprintln!("Updated {}", where_(place));
    }
    for missed in &updates.not_updated {
        eprintln!(
            "Not updated: {}: {}",
            where_(&missed.place),
            printable(&missed.reason)
        );
    }
    for note in &updates.notes {
        eprintln!("Note: {}", printable(note));
    }
}

pub fn where_(place: &Place) -> String {
    let id = printable(&place.id()).into_owned();
    match &place.file {
        Some(file) => format!("{id} in {}", printable(&file.display().to_string())),
        None => id,
    }
}
