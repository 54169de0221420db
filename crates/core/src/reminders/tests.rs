use super::*;
use jiff::civil::date;

fn utc() -> TimeZone {
    TimeZone::UTC
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn pat(name: &str, valid_to: &str) -> Pat {
    Pat {
        id: Uuid::new_v4(),
        name: name.into(),
        orgs: vec!["contoso".into()],
        global: false,
        scopes: vec!["vso.packaging".into()],
        valid_from: at("2026-01-01T00:00:00Z"),
        valid_to: at(valid_to),
        status: Status::Active,
    }
}

fn thresholds(plan: &Plan) -> Vec<(String, u32)> {
    plan.due
        .iter()
        .map(|d| (d.pat.name.clone(), d.threshold))
        .collect()
}

#[test]
fn nothing_is_due_before_the_first_threshold_and_it_wakes_then() {
    let pats = [pat("nuget", "2026-12-30T12:00:00Z")];
    let plan = plan(
        &pats,
        &DEFAULT_THRESHOLDS,
        at("2026-12-01T00:00:00Z"),
        &ReminderState::default(),
        &utc(),
    );
    assert!(plan.due.is_empty());
    assert_eq!(plan.wake_at, Some(at("2026-12-16T12:00:00Z")));
}

#[test]
fn each_threshold_is_told_once() {
    let pats = [pat("nuget", "2026-12-30T12:00:00Z")];
    let mut state = ReminderState::default();
    let now = at("2026-12-17T00:00:00Z");
    let first = plan(&pats, &DEFAULT_THRESHOLDS, now, &state, &utc());
    assert_eq!(thresholds(&first), [("nuget".to_owned(), 14)]);
    mark_sent(&mut state, &first.due);
    let again = plan(&pats, &DEFAULT_THRESHOLDS, now, &state, &utc());
    assert!(again.due.is_empty());
    assert_eq!(
        again.wake_at,
        Some(at("2026-12-23T12:00:00Z")),
        "wakes for the 7-day threshold"
    );
    let later = plan(
        &pats,
        &DEFAULT_THRESHOLDS,
        at("2026-12-24T00:00:00Z"),
        &state,
        &utc(),
    );
    assert_eq!(thresholds(&later), [("nuget".to_owned(), 7)]);
}

#[test]
fn several_crossed_thresholds_give_one_reminder_for_the_most_urgent() {
    let pats = [pat("nuget", "2026-12-02T12:00:00Z")];
    let plan = plan(
        &pats,
        &DEFAULT_THRESHOLDS,
        at("2026-12-02T00:00:00Z"),
        &ReminderState::default(),
        &utc(),
    );
    assert_eq!(thresholds(&plan), [("nuget".to_owned(), 1)]);
    assert_eq!(
        plan.wake_at,
        Some(at("2026-12-02T12:00:00Z")),
        "then wakes for the expiry"
    );
}

#[test]
fn a_restart_with_the_saved_state_sends_no_duplicate() {
    let pats = [pat("nuget", "2026-12-05T12:00:00Z")];
    let mut state = ReminderState::default();
    let now = at("2026-12-01T00:00:00Z");
    let due = plan(&pats, &DEFAULT_THRESHOLDS, now, &state, &utc()).due;
    mark_sent(&mut state, &due);
    let saved = serde_json::to_string(&state).unwrap();
    let restored: ReminderState = serde_json::from_str(&saved).unwrap();
    assert!(
        plan(&pats, &DEFAULT_THRESHOLDS, now, &restored, &utc())
            .due
            .is_empty()
    );
}

#[test]
fn an_extended_pat_starts_afresh() {
    let mut nuget = pat("nuget", "2026-12-05T12:00:00Z");
    let mut state = ReminderState::default();
    let now = at("2026-12-01T00:00:00Z");
    let due = plan(
        std::slice::from_ref(&nuget),
        &DEFAULT_THRESHOLDS,
        now,
        &state,
        &utc(),
    )
    .due;
    mark_sent(&mut state, &due);
    nuget.valid_to = at("2027-03-01T12:00:00Z");
    let extended = plan(
        std::slice::from_ref(&nuget),
        &DEFAULT_THRESHOLDS,
        now,
        &state,
        &utc(),
    );
    assert!(extended.due.is_empty());
    assert_eq!(extended.wake_at, Some(at("2027-02-15T12:00:00Z")));
}

#[test]
fn snoozed_pats_wait_and_a_pause_silences_all() {
    let nuget = pat("nuget", "2026-12-03T12:00:00Z");
    let ci = pat("ci", "2026-12-04T12:00:00Z");
    let now = at("2026-12-01T00:00:00Z");
    let mut state = ReminderState::default();
    state.snoozed.insert(nuget.id, at("2026-12-02T00:00:00Z"));
    let pats = [nuget.clone(), ci];
    let plan1 = plan(&pats, &DEFAULT_THRESHOLDS, now, &state, &utc());
    assert_eq!(thresholds(&plan1), [("ci".to_owned(), 7)]);
    assert_eq!(plan1.wake_at, Some(at("2026-12-02T00:00:00Z")));
    let after = plan(
        &pats,
        &DEFAULT_THRESHOLDS,
        at("2026-12-02T00:00:01Z"),
        &state,
        &utc(),
    );
    assert!(thresholds(&after).contains(&("nuget".to_owned(), 7)));

    state.paused_until = Some(at("2026-12-01T06:00:00Z"));
    let paused = plan(&pats, &DEFAULT_THRESHOLDS, now, &state, &utc());
    assert!(paused.due.is_empty());
    assert_eq!(paused.wake_at, Some(at("2026-12-01T06:00:00Z")));
}

#[test]
fn expiry_is_told_but_old_expiries_and_revoked_pats_are_not() {
    let fresh = pat("fresh", "2026-11-30T12:00:00Z");
    let old = pat("old", "2026-06-01T12:00:00Z");
    let mut revoked = pat("revoked", "2026-12-01T12:00:00Z");
    revoked.status = Status::Revoked;
    let plan = plan(
        &[fresh, old, revoked],
        &DEFAULT_THRESHOLDS,
        at("2026-12-01T00:00:00Z"),
        &ReminderState::default(),
        &utc(),
    );
    assert_eq!(thresholds(&plan), [("fresh".to_owned(), 0)]);
    assert_eq!(plan.wake_at, None);
}

#[test]
fn days_are_counted_on_the_calendar_across_a_daylight_saving_change() {
    // Europe/Berlin leaves summer time on 2026-10-25: 7 calendar days before a Sunday
    // noon expiry is the previous Sunday noon local time, 169 hours earlier.
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let expiry = date(2026, 10, 28)
        .at(12, 0, 0, 0)
        .to_zoned(tz.clone())
        .unwrap()
        .timestamp();
    let pats = [Pat {
        valid_to: expiry,
        ..pat("x", "2026-10-28T11:00:00Z")
    }];
    let plan = plan(
        &pats,
        &[7],
        at("2026-10-01T00:00:00Z"),
        &ReminderState::default(),
        &tz,
    );
    let wake = plan.wake_at.unwrap();
    assert_eq!(
        wake.to_zoned(tz.clone()).datetime(),
        date(2026, 10, 21).at(12, 0, 0, 0)
    );
    assert_eq!(
        expiry.duration_since(wake),
        SignedDuration::from_hours(7 * 24 + 1)
    );
}

#[test]
fn when_reads_by_the_local_calendar() {
    let tz = TimeZone::get("America/New_York").unwrap();
    let now = at("2026-12-01T03:00:00Z"); // 22:00 on 30 November in New York
    assert_eq!(
        when(at("2026-12-01T15:00:00Z"), now, &tz),
        "expires tomorrow"
    );
    assert_eq!(when(at("2026-12-01T04:00:00Z"), now, &tz), "expires today");
    assert_eq!(
        when(at("2026-12-04T15:00:00Z"), now, &tz),
        "expires in 4 days"
    );
    assert_eq!(
        when(at("2026-11-28T15:00:00Z"), now, &tz),
        "expired 2 days ago"
    );
}

#[test]
fn many_due_at_once_become_one_summary_naming_them() {
    let now = at("2026-12-01T00:00:00Z");
    let due: Vec<Due> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|n| Due {
            pat: pat(n, "2026-12-04T00:00:00Z"),
            threshold: 7,
        })
        .collect();
    let notices = notices(&due, now, &utc());
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].title, "5 PATs need attention");
    assert_eq!(notices[0].body, "a, b, c and 2 more");
    let few = super::notices(&due[..2], now, &utc());
    assert_eq!(few.len(), 2);
    assert_eq!(few[0].title, "PAT 'a' (contoso) expires in 3 days");
    assert_eq!(few[0].pat, Some(due[0].pat.id));
}

#[test]
fn pruning_forgets_what_is_gone() {
    let kept = pat("kept", "2026-12-04T00:00:00Z");
    let mut state = ReminderState::default();
    state.sent.insert(
        kept.id,
        Sent {
            valid_to: kept.valid_to,
            threshold: 7,
        },
    );
    state.sent.insert(
        Uuid::new_v4(),
        Sent {
            valid_to: kept.valid_to,
            threshold: 7,
        },
    );
    state.snoozed.insert(kept.id, at("2026-11-01T00:00:00Z"));
    state.paused_until = Some(at("2026-11-01T00:00:00Z"));
    prune(&mut state, &[kept], at("2026-12-01T00:00:00Z"));
    assert_eq!(state.sent.len(), 1);
    assert!(state.snoozed.is_empty() && state.paused_until.is_none());
}
