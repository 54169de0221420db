//! Global PATs (valid in every organization, `targetAccounts: null`) stopped working on
//! 2026-12-01: Microsoft retired them. The date and how AdoPat words it live here only,
//! so the CLI, the window and the tray say the same, in the right tense.

use jiff::Timestamp;

/// 2026-12-01T00:00:00Z: from then on the service refuses a global PAT.
pub const RETIRED_FROM: Timestamp = Timestamp::constant(1_796_083_200, 0);

/// True once global PATs no longer authenticate, by the clock given (the service's).
pub fn retired(now: Timestamp) -> bool {
    now >= RETIRED_FROM
}

/// "stopped working on 1 December 2026" (or "stops" before the day); the month spelt
/// out, so no reader's locale turns the date around.
pub fn notice(now: Timestamp) -> String {
    let verb = if retired(now) { "stopped" } else { "stops" };
    format!("{verb} working on 1 December 2026")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a test timestamp")
    }

    #[test]
    fn the_notice_changes_tense_on_the_day() {
        assert_eq!(
            notice(at("2026-11-30T23:59:59Z")),
            "stops working on 1 December 2026"
        );
        assert!(!retired(at("2026-11-30T23:59:59Z")));
        assert_eq!(
            notice(at("2026-12-01T00:00:00Z")),
            "stopped working on 1 December 2026"
        );
        assert!(retired(at("2027-06-01T00:00:00Z")));
    }
}
