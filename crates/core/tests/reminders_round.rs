#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! A reminder round against the emulator: the service's clock decides, a threshold is
//! told once, and a restart (a new round from the state file) tells nothing twice.

use adopat_core::Secret;
use adopat_core::ado::{AdoClient, Endpoints, StaticToken};
use adopat_core::inventory::{Inventory, OrgTarget};
use adopat_core::reminders::check::check;
use adopat_core::reminders::{DEFAULT_THRESHOLDS, Notice};
use adopat_emulator::{Config, Emulator, Seed};
use jiff::tz::TimeZone;
use serde_json::json;
use std::sync::{Arc, Mutex};

/// The emulator with one organization holding `pats`, and an inventory of it.
async fn contoso(pats: serde_json::Value) -> (tempfile::TempDir, Emulator, Inventory) {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(Config {
        seed: Seed::Json(json!({"orgs": [{"name": "contoso"}], "pats": pats})),
        static_token: Some("t".into()),
        ..Config::default()
    })
    .await
    .unwrap();
    let client = AdoClient::new(
        Endpoints::single(emulator.base_url()).unwrap(),
        Arc::new(StaticToken(Secret::new("t"))),
    )
    .unwrap();
    let inventory = Inventory::new(vec![OrgTarget {
        name: "contoso".into(),
        account: "t".into(),
        client,
    }]);
    (dir, emulator, inventory)
}

#[tokio::test]
async fn a_crossed_threshold_is_told_once_across_restarts() {
    let (dir, emulator, inventory) = contoso(json!([
        {"displayName": "nuget-feed", "scope": "vso.packaging", "orgs": ["contoso"], "validFrom": "-30d", "validTo": "+20d"},
        {"displayName": "far", "scope": "vso.code", "orgs": ["contoso"], "validFrom": "-1d", "validTo": "+200d"}
    ]))
    .await;
    let shown: Mutex<Vec<Notice>> = Mutex::new(Vec::new());
    let show = |n: &Notice| {
        shown.lock().unwrap().push(n.clone());
        Ok(())
    };
    let state = dir.path().join("state");

    let round = check(
        &inventory,
        &state,
        &DEFAULT_THRESHOLDS,
        &TimeZone::UTC,
        &show,
    )
    .await
    .unwrap();
    assert!(round.shown.is_empty());
    let next = round.next_in.unwrap().as_secs();
    assert!(
        (5 * 86_400..7 * 86_400).contains(&next),
        "wakes when 14 days are left: {next} s"
    );

    let url = format!("{}/_emulator/clock", emulator.base_url());
    reqwest::Client::new()
        .post(url)
        .json(&json!({"advanceSeconds": 7 * 86_400}))
        .send()
        .await
        .unwrap();
    check(
        &inventory,
        &state,
        &DEFAULT_THRESHOLDS,
        &TimeZone::UTC,
        &show,
    )
    .await
    .unwrap();
    check(
        &inventory,
        &state,
        &DEFAULT_THRESHOLDS,
        &TimeZone::UTC,
        &show,
    )
    .await
    .unwrap();
    let told = shown.lock().unwrap().clone();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(
        told[0].title,
        "PAT 'nuget-feed' (contoso) expires in 13 days"
    );
}

#[tokio::test]
async fn a_notification_that_cannot_be_shown_does_not_stop_the_round_and_is_tried_again() {
    let (dir, _emulator, inventory) = contoso(json!([
        {"displayName": "feed", "scope": "vso.packaging", "orgs": ["contoso"], "validFrom": "-30d", "validTo": "+2d"}
    ]))
    .await;
    let state = dir.path().join("state");
    let refuse = |_: &Notice| {
        Err(adopat_core::Error::Other(
            "the notification could not be shown: no notification server".into(),
        ))
    };
    let round = check(
        &inventory,
        &state,
        &DEFAULT_THRESHOLDS,
        &TimeZone::UTC,
        &refuse,
    )
    .await
    .expect("the round completes without notifications");
    assert_eq!(round.pats.len(), 1, "the list still arrives for the tray");
    assert!(round.shown.is_empty());
    assert!(round.unshown.unwrap().contains("no notification server"));

    // Once notifications work again, what was not told is told.
    let shown: Mutex<Vec<Notice>> = Mutex::new(Vec::new());
    let show = |n: &Notice| {
        shown.lock().unwrap().push(n.clone());
        Ok(())
    };
    let round = check(
        &inventory,
        &state,
        &DEFAULT_THRESHOLDS,
        &TimeZone::UTC,
        &show,
    )
    .await
    .unwrap();
    assert!(round.unshown.is_none());
    assert_eq!(shown.lock().unwrap().len(), 1);
}
