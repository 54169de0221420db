//! What a user types, checked before any request. Each error names the field.

use crate::error::{Error, Result};
use crate::scopes;
use jiff::{Span, Timestamp, ToSpan, Zoned, civil::Date, tz::TimeZone};

/// Azure DevOps lets a PAT live at most one year.
pub const MAX_LIFETIME_DAYS: i64 = 365;

pub fn name(value: &str) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid("name", "a PAT needs a name"));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(Error::invalid(
            "name",
            "a name cannot hold control characters",
        ));
    }
    if trimmed.chars().any(crate::text::is_bidi_control) {
        return Err(Error::invalid(
            "name",
            "a name cannot hold bidirectional override characters (they reverse how it reads)",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Scopes from `--scope`, repeated or space-separated; `app_token` is full access and
/// stands alone.
pub fn scope_list(values: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for id in values.iter().flat_map(|v| scopes::split(v)) {
        let known = scopes::find(&id).ok_or_else(|| {
            let hint = suggestion(&id)
                .map(|s| format!("; did you mean '{s}'?"))
                .unwrap_or_default();
            Error::invalid(
                "scopes",
                format!("'{id}' is not an Azure DevOps scope{hint}"),
            )
        })?;
        if !known.selectable {
            return Err(Error::invalid(
                "scopes",
                format!("'{id}' cannot be given to a PAT"),
            ));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    if out.is_empty() {
        return Err(Error::invalid(
            "scopes",
            "give at least one scope, e.g. vso.code or app_token for full access",
        ));
    }
    if out.len() > 1 && out.iter().any(|s| s == scopes::FULL_ACCESS) {
        return Err(Error::invalid(
            "scopes",
            "app_token is full access and cannot be combined with other scopes",
        ));
    }
    Ok(out)
}

fn suggestion(id: &str) -> Option<&'static str> {
    let wanted = id.trim_start_matches("vso.").to_ascii_lowercase();
    scopes::catalog()
        .iter()
        .filter(|s| s.selectable)
        .map(|s| s.id)
        .find(|s| s.trim_start_matches("vso.").eq_ignore_ascii_case(&wanted))
        .or_else(|| {
            scopes::catalog()
                .iter()
                .filter(|s| s.selectable)
                .map(|s| s.id)
                .find(|s| s.contains(&wanted) && wanted.len() >= 3)
        })
}

/// An expiry given as a date (`2027-03-01`, the end of that day where the user is), an
/// RFC 3339 time, or a span from now (`30d`, `12w`, `1y`).
pub fn expiry(value: &str, now: Timestamp) -> Result<Timestamp> {
    expiry_in(value, now, &TimeZone::system())
}

pub fn expiry_in(value: &str, now: Timestamp, tz: &TimeZone) -> Result<Timestamp> {
    let text = value.trim();
    let bad = |why: String| Error::invalid("expiry", why);
    let parsed = text.parse::<Timestamp>();
    let at = if let Ok(ts) = parsed {
        ts
    } else if text.len() > 10
        && text.is_char_boundary(10)
        && text[..10].parse::<Date>().is_ok()
        && parsed.is_err_and(|e| e.to_string().contains("range"))
    {
        // A well-formed time past what any clock here holds (9999-12-31T23:59:59Z).
        return Err(bad(format!(
            "'{text}' is more than a year ahead; Azure DevOps allows at most one year"
        )));
    } else if let Ok(date) = text.parse::<Date>() {
        let end = date
            .at(23, 59, 59, 0)
            .to_zoned(tz.clone())
            .map_err(|e| bad(format!("'{text}': {e}")))?;
        end.timestamp()
    } else if let Some(span) = parse_span(text) {
        Zoned::new(now, tz.clone())
            .checked_add(span)
            .map_err(|e| bad(format!("'{text}' is too far ahead: {e}")))?
            .timestamp()
    } else {
        return Err(bad(format!(
            "'{text}' is not a date (2027-03-01), a time (2027-03-01T12:00:00Z) or a span (30d, 12w)"
        )));
    };
    check_window(at, now, tz)
}

/// `--expiring-within SPAN`: the moment SPAN from now (`7d`, `2w`, `12h`).
pub fn within(value: &str, now: Timestamp) -> Result<Timestamp> {
    let text = value.trim();
    let span = match text.strip_suffix('h').and_then(|n| n.parse::<i64>().ok()) {
        Some(hours) if (1..=24 * 366).contains(&hours) => Some(hours.hours()),
        _ => parse_span(text),
    }
    .ok_or_else(|| {
        Error::invalid(
            "within",
            format!("'{text}' is not a span such as 7d, 2w or 12h"),
        )
    })?;
    Zoned::new(now, TimeZone::UTC)
        .checked_add(span)
        .map(|z| z.timestamp())
        .map_err(|e| Error::invalid("within", format!("'{text}': {e}")))
}

fn parse_span(text: &str) -> Option<Span> {
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = text.split_at(split);
    let n: i64 = digits.parse().ok().filter(|n| *n > 0 && *n <= 10_000)?;
    match unit.trim().to_ascii_lowercase().as_str() {
        "d" | "day" | "days" => Some(n.days()),
        "w" | "week" | "weeks" => Some(n.weeks()),
        "m" | "mo" | "month" | "months" => Some(n.months()),
        "y" | "year" | "years" => Some(n.years()),
        _ => None,
    }
}

fn check_window(at: Timestamp, now: Timestamp, tz: &TimeZone) -> Result<Timestamp> {
    if at <= now {
        return Err(Error::invalid(
            "expiry",
            format!(
                "{} is in the past; give a future date",
                at.strftime("%Y-%m-%d %H:%M UTC")
            ),
        ));
    }
    let limit = Zoned::new(now, tz.clone())
        .checked_add(1.year())
        .map(|z| z.timestamp())
        .unwrap_or(now);
    // A day of slack, so "the same day next year" in any time zone is accepted.
    if at > limit + jiff::SignedDuration::from_hours(24) {
        return Err(Error::invalid(
            "expiry",
            format!(
                "{} is more than a year ahead; Azure DevOps allows at most one year",
                at.strftime("%Y-%m-%d")
            ),
        ));
    }
    Ok(at.min(limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-28T12:00:00Z".parse().unwrap()
    }

    fn utc(value: &str) -> Result<Timestamp> {
        expiry_in(value, now(), &TimeZone::UTC)
    }

    #[test]
    fn a_time_beyond_any_clock_is_out_of_range_not_unreadable() {
        let err = utc("9999-12-31T23:59:59Z").unwrap_err().to_string();
        assert!(err.contains("more than a year ahead"), "{err}");
        let err = utc("2027-13-45").unwrap_err().to_string();
        assert!(err.contains("is not a date"), "{err}");
    }

    #[test]
    fn names_with_bidirectional_overrides_are_refused() {
        let err = name("invoice\u{202E}gpj.exe").unwrap_err().to_string();
        assert!(err.starts_with("name:"), "{err}");
        assert!(name("café ci").is_ok());
    }

    #[test]
    fn spans_dates_and_times() {
        assert_eq!(utc("30d").unwrap().to_string(), "2026-12-28T12:00:00Z");
        assert_eq!(utc("2w").unwrap().to_string(), "2026-12-12T12:00:00Z");
        assert_eq!(
            utc("2027-03-01").unwrap().to_string(),
            "2027-03-01T23:59:59Z"
        );
        assert_eq!(
            utc("2027-01-05T08:00:00Z").unwrap().to_string(),
            "2027-01-05T08:00:00Z"
        );
        assert_eq!(utc("1y").unwrap().to_string(), "2027-11-28T12:00:00Z");
    }

    #[test]
    fn a_date_is_the_end_of_that_day_where_the_user_is() {
        let tz = TimeZone::get("America/New_York").unwrap();
        let at = expiry_in("2027-03-01", now(), &tz).unwrap();
        assert_eq!(at.to_string(), "2027-03-02T04:59:59Z");
    }

    #[test]
    fn past_far_and_garbage_are_refused_naming_the_field() {
        for (input, needle) in [
            ("2020-01-01", "past"),
            ("2028-06-01", "one year"),
            ("400d", "one year"),
            ("soon", "not a date"),
            ("0d", "not a date"),
            ("", "not a date"),
        ] {
            let err = utc(input).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            let text = err.to_string();
            assert!(
                text.starts_with("expiry:") && text.contains(needle),
                "{input}: {text}"
            );
        }
    }

    #[test]
    fn expiring_within_takes_hours_days_and_weeks() {
        assert_eq!(
            within("12h", now()).unwrap().to_string(),
            "2026-11-29T00:00:00Z"
        );
        assert_eq!(
            within("7d", now()).unwrap().to_string(),
            "2026-12-05T12:00:00Z"
        );
        let err = within("soon", now()).unwrap_err();
        assert!(err.to_string().starts_with("within:"), "{err}");
    }

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(name("  nuget feed ").unwrap(), "nuget feed");
        assert!(name("   ").unwrap_err().to_string().starts_with("name:"));
        assert!(name("a\u{7}b").is_err());
    }

    #[test]
    fn scopes_are_checked_against_the_catalog() {
        let got = scope_list(&["vso.code vso.packaging".into(), "vso.code".into()]).unwrap();
        assert_eq!(got, ["vso.code", "vso.packaging"]);
        assert_eq!(scope_list(&["app_token".into()]).unwrap(), ["app_token"]);
        let err = scope_list(&["vso.codez".into()]).unwrap_err();
        assert!(err.to_string().starts_with("scopes:") && err.to_string().contains("vso.codez"));
        let err = scope_list(&["code_write".into()]).unwrap_err();
        assert!(err.to_string().contains("vso.code_write"), "{err}");
        assert!(scope_list(&[]).is_err());
        assert!(scope_list(&["app_token vso.code".into()]).is_err());
    }
}
