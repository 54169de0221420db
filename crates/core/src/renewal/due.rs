//! When a PAT that renews itself is due: what is left of it is at most its lead and at
//! most half its lifetime, so a PAT shorter than twice its lead is not renewed in a loop.

use crate::error::{Error, Result};
use crate::inventory::Pat;
use crate::state::Renewing;
use jiff::{SignedDuration, Timestamp};

/// A week, as Azure DevOps' own reminder mail.
pub const DEFAULT_BEFORE: SignedDuration =
    SignedDuration::from_secs(crate::state::DEFAULT_RENEW_BEFORE_SECS);
const MAX_BEFORE: SignedDuration = SignedDuration::from_hours(24 * 180);

/// The lifetime each renewal gives again: the one taken when renewal was turned on,
/// else the PAT's own.
pub fn lifetime(pat: &Pat, renewing: Option<&Renewing>) -> SignedDuration {
    renewing
        .and_then(|r| r.lifetime_secs)
        .map(SignedDuration::from_secs)
        .unwrap_or_else(|| crate::inventory::lifetime(pat.valid_from, pat.valid_to))
}

/// The moment `pat` becomes due.
pub fn due_at(pat: &Pat, renewing: &Renewing) -> Timestamp {
    let before = SignedDuration::from_secs(renewing.before_secs);
    let half = lifetime(pat, Some(renewing)) / 2;
    pat.valid_to - before.min(half).max(SignedDuration::ZERO)
}

pub fn is_due(pat: &Pat, renewing: &Renewing, now: Timestamp) -> bool {
    now >= due_at(pat, renewing)
}

/// `--before`: a lead such as `7d`, `2w` or `36h`, from an hour to 180 days.
pub fn parse_before(text: &str) -> Result<SignedDuration> {
    let text = text.trim();
    let bad = || {
        Error::invalid(
            "before",
            format!("'{text}' is not a lead such as 7d, 2w or 36h (an hour to 180 days)"),
        )
    };
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (digits, unit) = text.split_at(split);
    let n: i64 = digits.parse().map_err(|_| bad())?;
    let hours = match unit.to_ascii_lowercase().as_str() {
        "h" => n,
        "d" => n.checked_mul(24).ok_or_else(bad)?,
        "w" => n.checked_mul(24 * 7).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    let before = SignedDuration::from_hours(hours);
    if before < SignedDuration::from_hours(1) || before > MAX_BEFORE {
        return Err(bad());
    }
    Ok(before)
}

/// A lead as `--before` takes it: `7d`, or `36h` when not whole days.
pub fn before_text(secs: i64) -> String {
    if secs % 86_400 == 0 {
        format!("{}d", secs / 86_400)
    } else {
        format!("{}h", secs / 3_600)
    }
}
