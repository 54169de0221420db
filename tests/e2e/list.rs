//! The list: every active PAT of every organization at start, then the other filters.

use crate::desktop::Desktop;
use adopat_emulator::{Config, Seed};
use serde_json::Value;
use std::collections::BTreeSet;

fn ids_with_status(pats: &[Value], status: &str) -> BTreeSet<String> {
    pats.iter()
        .filter(|p| p["status"] == status)
        .map(|p| p["authorizationId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_shows_every_active_pat_and_the_filters_switch_status() {
    let app = Desktop::start().await;
    let pats = app.service_pats().await;
    let active = ids_with_status(&pats, "active");
    let expired = ids_with_status(&pats, "expired");
    assert!(
        active.len() > 5 && !expired.is_empty(),
        "the demo seed: {pats:?}"
    );

    let shown: BTreeSet<String> = app.row_ids().await.into_iter().collect();
    assert_eq!(shown, active, "at start the list shows the active PATs");
    // Made hidden, the window shows itself once its page has loaded (src-tauri/src/lib.rs).
    app.wait_until(
        "the window is shown",
        "return document.visibilityState === 'visible'",
    )
    .await;
    app.screenshot("list").await;

    app.click("input[name=filter][value=expired]").await;
    app.wait_until(
        "the expired PATs are listed",
        &format!(
            "const ids = [...document.querySelectorAll('[role=option][data-pat-id]')].map(r => r.dataset.patId).sort(); return JSON.stringify(ids) === '{}'",
            serde_json::to_string(&expired.iter().collect::<Vec<_>>()).unwrap()
        ),
    )
    .await;

    app.click("input[name=filter][value=all]").await;
    app.wait_until(
        "every PAT is listed",
        &format!(
            "return document.querySelectorAll('[role=option][data-pat-id]').length === {}",
            pats.len()
        ),
    )
    .await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn searching_by_name_narrows_the_list_and_says_when_nothing_matches() {
    let app = Desktop::start().await;
    let pats = app.service_pats().await;
    let nuget: Vec<&Value> = pats
        .iter()
        .filter(|p| p["status"] == "active")
        .filter(|p| p["displayName"].as_str().unwrap().contains("nuget"))
        .collect();
    assert!(!nuget.is_empty(), "the demo seed has a nuget PAT");
    app.rows().await;

    let search = app.wait_for("input[type=search]").await;
    search.send_keys("nuget").await.unwrap();
    app.wait_until(
        "only the nuget PATs are listed",
        &format!(
            "const rows = [...document.querySelectorAll('[role=option][data-pat-id]')]; return rows.length === {} && rows.every(r => r.textContent.includes('nuget'))",
            nuget.len()
        ),
    )
    .await;

    search.send_keys("-no-such-pat").await.unwrap();
    app.wait_until(
        "the empty state names the search",
        "return document.querySelectorAll('[role=option][data-pat-id]').length === 0 && document.body.innerText.includes('nuget-no-such-pat')",
    )
    .await;
    app.close().await;
}

#[tokio::test]
async fn a_pat_asked_for_at_launch_is_shown_even_when_expired() {
    // As the tray or a notification opens the window: `--select ID`.
    const OLD: &str = "5b1f0e2a-7c1d-4e55-9a0b-3c2d1e0f9a88";
    const FEED: &str = "0d9c8b7a-6f5e-4d3c-8b2a-190817263544";
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    let pats = serde_json::json!({"orgs": [{"name": "contoso"}], "pats": [
        {"authorizationId": FEED, "displayName": "nuget-feed", "scope": "vso.packaging",
         "orgs": ["contoso"], "validTo": "+20d"},
        {"authorizationId": OLD, "displayName": "old-runner", "scope": "vso.build", "orgs": ["contoso"],
         "validFrom": "-60d", "validTo": "-2d"}
    ]});
    std::fs::write(&seed, pats.to_string()).unwrap();
    let app = Desktop::start_with_args(
        Config {
            seed: Seed::File(seed),
            ..Config::default()
        },
        &["--select", OLD],
    )
    .await;
    let details = app
        .wait_for(&format!(".details[data-pat-id=\"{OLD}\"]"))
        .await;
    assert!(details.text().await.unwrap().contains("old-runner"));
    let all = app.wait_for("input[name=filter][value=all]").await;
    assert_eq!(
        all.prop("checked").await.unwrap().as_deref(),
        Some("true"),
        "All is chosen, since the PAT has expired"
    );

    // A second launch hands its request to the window already open, and ends.
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_adopat-desktop"))
        .args(["--no-tray", "--select", FEED])
        .status()
        .unwrap();
    assert!(second.success());
    app.wait_for(&format!(".details[data-pat-id=\"{FEED}\"]"))
        .await;
    app.close().await;
}

/// Azure DevOps decides when a PAT expires, so its clock counts, not this machine's: a
/// machine whose clock is months behind still shows what is urgent, as the CLI and the
/// tray do.
#[tokio::test(flavor = "multi_thread")]
async fn urgency_counts_by_the_service_s_clock_not_the_machine_s() {
    let ahead = jiff::SignedDuration::from_hours(24 * 200);
    let app = Desktop::start_with(Config {
        seed: Seed::Demo,
        now: Some(jiff::Timestamp::now() + ahead),
        ..Config::default()
    })
    .await;
    let state = app.service_state().await;
    let service_now: jiff::Timestamp = state["now"].as_str().unwrap().parse().unwrap();
    let expected: BTreeSet<(String, &str)> = state["pats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "active" && !p["targetAccounts"].is_null())
        .map(|p| {
            let valid_to: jiff::Timestamp = p["validTo"].as_str().unwrap().parse().unwrap();
            let hours = valid_to.duration_since(service_now).as_secs_f64() / 3600.0;
            let urgency = if hours <= 24.0 {
                "critical"
            } else if hours <= 7.0 * 24.0 {
                "soon"
            } else if hours <= 30.0 * 24.0 {
                "upcoming"
            } else {
                "fine"
            };
            (p["authorizationId"].as_str().unwrap().to_owned(), urgency)
        })
        .collect();
    assert!(
        expected.iter().any(|(_, u)| *u == "soon") && expected.iter().any(|(_, u)| *u == "fine"),
        "the demo seed has PATs due this week and later: {expected:?}"
    );

    app.wait_for("[role=option][data-pat-id]").await;
    let shown: Vec<(String, String)> = serde_json::from_value(
        app.ui
            .execute(
                "return [...document.querySelectorAll('[role=option][data-pat-id]')].map(r => \
                 [r.dataset.patId, [...r.querySelector('.expiry').classList].find(c => c.startsWith('urgency-')).slice(8)])",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    for (id, urgency) in &expected {
        assert!(
            shown.iter().any(|(i, u)| i == id && u == urgency),
            "{id} is {urgency} by the service's clock; the window shows {shown:?}"
        );
    }
    app.close().await;
}
