//! How PATs read on a terminal and in JSON.

use adopat_core::global_pats;
use adopat_core::inventory::{Pat, Urgency};
use adopat_core::scopes;
use adopat_core::text::{printable, shortened};
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use std::io::{IsTerminal, Write};

pub fn colour_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

pub fn print_json(value: &impl Serialize) -> std::io::Result<()> {
    // Stdout is line-buffered: unbuffered, a long list costs a system call per line.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()
}

/// One line on stdout, flushed at once: a secret must be out before what follows.
pub fn print_line(line: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()
}

/// Writes `value` as `print_json` would, but leaves the object open: the caller adds its
/// last field with `close_json_with`. Flushed, so what is written survives a kill.
pub fn print_json_open(value: &impl Serialize) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let open = text.strip_suffix("\n}").unwrap_or(&text);
    let mut out = std::io::stdout().lock();
    out.write_all(open.as_bytes())?;
    out.flush()
}

/// Ends an object begun with `print_json_open` with its last fields.
pub fn close_json_with(fields: &[(&str, serde_json::Value)]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for (name, value) in fields {
        write!(
            out,
            ",\n  {}: {}",
            serde_json::to_string(name)?,
            serde_json::to_string(value)?
        )?;
    }
    writeln!(out, "\n}}")?;
    out.flush()
}

/// "in 3 days", "5 hours ago": the distance a person reads, not the exact one.
pub fn relative(at: Timestamp, now: Timestamp) -> String {
    let delta = at.duration_since(now);
    let secs = delta.as_secs().unsigned_abs();
    let (n, unit) = if secs < 3600 {
        ((secs / 60).max(1), "minute")
    } else if secs < 48 * 3600 {
        (secs / 3600, "hour")
    } else if secs < 60 * 86_400 {
        (secs / 86_400, "day")
    } else {
        (secs / (30 * 86_400), "month")
    };
    let plural = if n == 1 { "" } else { "s" };
    if delta >= SignedDuration::ZERO {
        format!("in {n} {unit}{plural}")
    } else {
        format!("{n} {unit}{plural} ago")
    }
}

pub fn expiry_text(pat: &Pat, now: Timestamp) -> String {
    format!(
        "{} ({})",
        relative(pat.valid_to, now),
        pat.valid_to.strftime("%Y-%m-%d")
    )
}

pub fn orgs_text(pat: &Pat, now: Timestamp) -> String {
    if pat.global {
        format!("all orgs: {}", global_pats::notice(now))
    } else {
        printable(&pat.orgs.join(", ")).into_owned()
    }
}

/// A name from the service as a terminal may show it (see `adopat_core::text`).
pub fn name(pat: &Pat) -> String {
    printable(&pat.name).into_owned()
}

/// The widest a cell of the table may be: laying out a longer one costs time that grows
/// with its square, and nobody reads a name of thousands of characters in a table.
const CELL_CHARS: usize = 80;

fn urgency_colour(urgency: Urgency) -> Option<Color> {
    match urgency {
        Urgency::Critical => Some(Color::Red),
        Urgency::Soon => Some(Color::Yellow),
        Urgency::Upcoming => Some(Color::Cyan),
        Urgency::Fine => None,
        Urgency::Inactive => Some(Color::DarkGrey),
    }
}

/// The list; a PAT that renews itself (in `renewing`) says so in its status.
pub fn table(pats: &[Pat], now: Timestamp, colour: bool, renewing: &Renewals) -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["NAME", "ORGANIZATIONS", "STATUS", "EXPIRES", "SCOPES"]);
    if !colour {
        table.force_no_tty();
    } else {
        table.enforce_styling();
    }
    for pat in pats {
        let paint = |cell: Cell| match (colour, urgency_colour(pat.urgency(now))) {
            (true, Some(c)) => cell.fg(c),
            _ => cell,
        };
        let mut orgs = Cell::new(orgs_text(pat, now));
        if colour && pat.global {
            orgs = orgs.fg(Color::Magenta).add_attribute(Attribute::Bold);
        }
        table.add_row(vec![
            Cell::new(printable(&shortened(&pat.name, CELL_CHARS))),
            orgs,
            paint(Cell::new(match renewing.get(&pat.id) {
                Some(r) => format!("{}, renews ({})", pat.state(now).label(), r.mode.as_str()),
                None => pat.state(now).label().to_owned(),
            })),
            paint(Cell::new(expiry_text(pat, now))),
            Cell::new(printable(&shortened(
                &scopes::summarize(&pat.scopes, 2),
                CELL_CHARS,
            ))),
        ]);
    }
    table.to_string()
}

/// The full record of one PAT, for `show` and after a change.
pub fn details(pat: &Pat, now: Timestamp) -> String {
    let mut lines = vec![
        format!("Name:          {}", name(pat)),
        format!("Id:            {}", pat.id),
        format!("Status:        {}", pat.state(now).label()),
        format!("Organizations: {}", printable(&pat.orgs.join(", "))),
    ];
    if pat.global {
        lines.push(format!(
            "               global PAT: it {}; regenerate it per organization",
            global_pats::notice(now)
        ));
    }
    lines.push(format!("Created:       {}", pat.valid_from));
    lines.push(format!(
        "Expires:       {} ({})",
        pat.valid_to,
        relative(pat.valid_to, now)
    ));
    lines.push("Scopes:".into());
    for id in &pat.scopes {
        match scopes::find(id) {
            Some(scope) => lines.push(format!("  {id:<32} {}", scope.name)),
            None => lines.push(format!("  {}", printable(id))),
        }
    }
    lines.join("\n")
}

/// A PAT in JSON, with the extra fields of create and regenerate (docs/CONTRACTS.md).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatJson<'a> {
    #[serde(flatten)]
    pub pat: &'a Pat,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<uuid::Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_revoked: Option<bool>,
    /// Regenerate: the places that held the old secret (docs/CONTRACTS.md).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub places: Option<&'a adopat_core::places::Updates>,
    /// It renews itself: how, and when next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autorenew: Option<serde_json::Value>,
}

/// The PATs that renew themselves, by id.
pub type Renewals = std::collections::BTreeMap<uuid::Uuid, adopat_core::state::Renewing>;

impl<'a> PatJson<'a> {
    pub fn plain(pat: &'a Pat) -> Self {
        Self {
            pat,
            token: None,
            replaces: None,
            old_revoked: None,
            places: None,
            autorenew: None,
        }
    }

    /// With how and when it renews itself, if it does.
    pub fn listed(pat: &'a Pat, renewing: &Renewals) -> Self {
        let autorenew = renewing.get(&pat.id).map(|r| {
            serde_json::json!({
                "mode": r.mode.as_str(),
                "before": adopat_core::renewal::before_text(r.before_secs),
                "due": adopat_core::renewal::due_at(pat, r),
            })
        });
        Self {
            autorenew,
            ..Self::plain(pat)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_reads_like_a_person_says_it() {
        let now: Timestamp = "2026-11-28T12:00:00Z".parse().unwrap();
        let at = |h: i64| now + SignedDuration::from_hours(h);
        assert_eq!(relative(at(72), now), "in 3 days");
        assert_eq!(relative(at(5), now), "in 5 hours");
        assert_eq!(relative(at(-48), now), "2 days ago");
        assert_eq!(relative(at(24 * 300), now), "in 10 months");
        assert_eq!(
            relative(now + SignedDuration::from_secs(20), now),
            "in 1 minute"
        );
    }
}
