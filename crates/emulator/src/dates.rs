//! Timestamps as the service stores and shows them.
//!
//! The token store keeps SQL `datetime` values, which tick in 1/300 s: an input of
//! `…23.319Z` comes back as `…23.32Z`, and stored fractions read `.1033333` or
//! `.5233333` (the official examples). Rendering rounds to 100 ns, the .NET tick, so at
//! most 7 fractional digits appear, and jiff trims the trailing zeros.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const SQL_TICKS_PER_SECOND: i128 = 300;
const NANOS_PER_DOTNET_TICK: i128 = 100;

/// Rounds to the nearest SQL `datetime` tick, then to the nearest .NET tick, which is
/// what a value written to the store and read back looks like.
pub(crate) fn stored(ts: Timestamp) -> Timestamp {
    let sql_ticks = div_round(ts.as_nanosecond() * SQL_TICKS_PER_SECOND, NANOS_PER_SECOND);
    let dotnet_ticks = div_round(
        sql_ticks * NANOS_PER_SECOND / NANOS_PER_DOTNET_TICK,
        SQL_TICKS_PER_SECOND,
    );
    // Only the far ends of jiff's range can fail; they are clamped by the callers'
    // validation long before, so the unrounded value is a safe answer.
    Timestamp::from_nanosecond(dotnet_ticks * NANOS_PER_DOTNET_TICK).unwrap_or(ts)
}

/// RFC 3339 in UTC with a `Z`, as the PAT API writes dates.
pub(crate) fn render(ts: Timestamp) -> String {
    ts.to_string()
}

/// The profile API writes its `timeStamp` with an explicit `+00:00` offset.
pub(crate) fn render_with_offset(ts: Timestamp) -> String {
    let text = render(ts);
    match text.strip_suffix('Z') {
        Some(head) => format!("{head}+00:00"),
        None => text,
    }
}

/// Reads a date the way the service's JSON reader does: an RFC 3339 time with an
/// offset, or a time or a date without one, which it takes as UTC.
pub(crate) fn parse_lenient(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    if let Ok(dt) = text.parse::<DateTime>() {
        return dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp());
    }
    if let Ok(date) = text.parse::<Date>() {
        return date
            .to_datetime(jiff::civil::Time::midnight())
            .to_zoned(TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    None
}

pub(crate) fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n * 24)
}

/// Adds a span, staying inside jiff's range instead of failing: the emulator's clock may
/// be moved anywhere by a test, and a far-off answer is better than a panic.
pub(crate) fn add(ts: Timestamp, span: SignedDuration) -> Timestamp {
    ts.checked_add(span).unwrap_or(if span.is_negative() {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

fn div_round(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator.div_euclid(denominator);
    let remainder = numerator.rem_euclid(denominator);
    if remainder * 2 >= denominator {
        quotient + 1
    } else {
        quotient
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn rounds_to_sql_ticks_like_the_official_example() {
        assert_eq!(
            render(stored(ts("2020-12-01T23:46:23.319Z"))),
            "2020-12-01T23:46:23.32Z"
        );
    }

    #[test]
    fn stored_values_survive_a_second_round_trip() {
        for text in [
            "2020-11-02T22:56:52.1033333Z",
            "2020-11-23T04:04:38.5233333Z",
            "2020-10-24T03:04:19.1466667Z",
            "2020-10-29T17:26:46.72Z",
            "2020-10-24T03:04:57Z",
        ] {
            assert_eq!(render(stored(ts(text))), text);
        }
    }

    #[test]
    fn rounding_carries_into_the_next_second() {
        assert_eq!(
            render(stored(ts("2020-01-01T00:00:59.999Z"))),
            "2020-01-01T00:01:00Z"
        );
    }

    #[test]
    fn renders_at_most_seven_fraction_digits() {
        let text = render(stored(ts("2024-05-06T07:08:09.123456789Z")));
        let fraction = text.split('.').nth(1).unwrap().trim_end_matches('Z');
        assert!(fraction.len() <= 7, "{text}");
        assert!(text.ends_with('Z'));
    }

    #[test]
    fn reads_dates_without_offset_as_utc() {
        assert_eq!(
            parse_lenient("2027-03-01"),
            Some(ts("2027-03-01T00:00:00Z"))
        );
        assert_eq!(
            parse_lenient("2027-03-01T10:00:00"),
            Some(ts("2027-03-01T10:00:00Z"))
        );
        assert_eq!(
            parse_lenient("2027-03-01T10:00:00+02:00"),
            Some(ts("2027-03-01T08:00:00Z"))
        );
        assert_eq!(parse_lenient("next tuesday"), None);
    }

    #[test]
    fn profile_offset_form() {
        assert_eq!(
            render_with_offset(ts("2019-06-13T18:15:12.19Z")),
            "2019-06-13T18:15:12.19+00:00"
        );
    }
}
