//! The list: every active PAT of every organization at start, then the other filters.

use crate::desktop::Desktop;
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
