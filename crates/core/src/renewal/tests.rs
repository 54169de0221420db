//! Due-ness and the lead, by the clock given (no test reads the real one).

use super::*;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn pat(from: &str, to: &str) -> Pat {
    Pat {
        id: Uuid::from_u128(1),
        name: "nuget-feed".into(),
        orgs: vec!["contoso".into()],
        global: false,
        scopes: vec!["vso.packaging".into()],
        valid_from: at(from),
        valid_to: at(to),
        status: Status::Active,
    }
}

fn renewing(before: SignedDuration, lifetime: Option<SignedDuration>) -> Renewing {
    Renewing {
        mode: RenewMode::Regenerate,
        before_secs: before.as_secs(),
        name: "nuget-feed".into(),
        org: "contoso".into(),
        lifetime_secs: lifetime.map(|l| l.as_secs()),
        last: None,
        pending: None,
        blocked_until: None,
    }
}

#[test]
fn a_pat_is_due_within_its_lead() {
    let pat = pat("2026-11-01T00:00:00Z", "2026-12-31T00:00:00Z");
    let r = renewing(DEFAULT_BEFORE, None);
    assert_eq!(due_at(&pat, &r), at("2026-12-24T00:00:00Z"));
    assert!(!is_due(&pat, &r, at("2026-12-23T23:59:59Z")));
    assert!(is_due(&pat, &r, at("2026-12-24T00:00:00Z")));
    assert!(is_due(&pat, &r, at("2027-01-05T00:00:00Z")), "expired: due");
}

#[test]
fn a_short_pat_waits_for_half_its_lifetime_so_it_never_loops() {
    // Three days long, a week's lead: due with a day and a half left, not at once.
    let pat = pat("2026-12-01T00:00:00Z", "2026-12-04T00:00:00Z");
    let r = renewing(DEFAULT_BEFORE, None);
    assert_eq!(due_at(&pat, &r), at("2026-12-02T12:00:00Z"));
    assert!(
        !is_due(&pat, &r, at("2026-12-01T00:00:01Z")),
        "not when just made"
    );
}

#[test]
fn the_lifetime_taken_when_turned_on_wins_over_an_extended_pat_s_dates() {
    // Extended twice from 30 days: its own dates say 90, its renewals go by 30.
    let pat = pat("2026-10-01T00:00:00Z", "2026-12-30T00:00:00Z");
    let thirty = SignedDuration::from_hours(24 * 30);
    let r = renewing(SignedDuration::from_hours(24 * 20), Some(thirty));
    assert_eq!(lifetime(&pat, Some(&r)), thirty);
    assert_eq!(
        due_at(&pat, &r),
        at("2026-12-15T00:00:00Z"),
        "half of 30 days"
    );
    assert_eq!(lifetime(&pat, None), SignedDuration::from_hours(24 * 90));
}

#[test]
fn the_lead_is_read_and_said_as_the_cli_takes_it() {
    assert_eq!(parse_before("7d").unwrap(), SignedDuration::from_hours(168));
    assert_eq!(parse_before("2w").unwrap(), SignedDuration::from_hours(336));
    assert_eq!(
        parse_before(" 36h ").unwrap(),
        SignedDuration::from_hours(36)
    );
    for bad in [
        "",
        "7",
        "d",
        "0d",
        "181d",
        "7x",
        "-1d",
        "99999999999999999999d",
    ] {
        let error = parse_before(bad).unwrap_err().to_string();
        assert!(error.contains("is not a lead such as 7d"), "{bad}: {error}");
    }
    assert_eq!(before_text(7 * 86_400), "7d");
    assert_eq!(before_text(36 * 3_600), "36h");
}
