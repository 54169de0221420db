//! Extend and revoke, and what the user is told when the service says no.

use crate::desktop::Desktop;
use adopat_emulator::{Config, Policies, Seed};
use jiff::{SignedDuration, Timestamp};

fn expiry(pat: &serde_json::Value) -> Timestamp {
    pat["validTo"].as_str().unwrap().parse().unwrap()
}

/// The active PAT that expires first.
async fn soonest(app: &Desktop) -> serde_json::Value {
    let mut active: Vec<_> = app
        .service_pats()
        .await
        .into_iter()
        .filter(|p| p["status"] == "active")
        .collect();
    active.sort_by_key(expiry);
    active.remove(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn extend_moves_the_expiry_at_the_service_and_in_the_row() {
    let app = Desktop::start().await;
    app.rows().await;
    let pat = soonest(&app).await;
    let id = pat["authorizationId"].as_str().unwrap();
    app.select(id).await;
    app.click(&format!("section[data-pat-id='{id}'] [data-action=extend]"))
        .await;
    app.click("[role=dialog] input[value='90']").await;
    app.click("[role=dialog] [data-action=confirm]").await;
    app.wait_until(
        "the dialog closes",
        "return document.querySelector('[role=dialog]') === null",
    )
    .await;
    let extended = expiry(&app.service_pat(pat["displayName"].as_str().unwrap()).await);
    let wanted = Timestamp::now() + SignedDuration::from_hours(90 * 24);
    assert!(
        extended.duration_since(wanted).as_hours().abs() <= 48,
        "extended to {extended}, wanted about {wanted}"
    );
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lifespan_policy_shortening_an_extension_is_said_in_plain_words() {
    let app = Desktop::start_with(Config {
        policies: Policies {
            max_lifespan_days: Some(30),
            ..Policies::default()
        },
        seed: Seed::Demo,
        ..Config::default()
    })
    .await;
    app.rows().await;
    let pat = soonest(&app).await;
    let id = pat["authorizationId"].as_str().unwrap();
    app.select(id).await;
    app.click(&format!("section[data-pat-id='{id}'] [data-action=extend]"))
        .await;
    app.click("[role=dialog] input[value='180']").await;
    app.click("[role=dialog] [data-action=confirm]").await;
    app.wait_until(
        "the app says the policy shortened the expiry",
        "return /polic/i.test(document.body.innerText) && /shorten/i.test(document.body.innerText)",
    )
    .await;
    let extended = expiry(&app.service_pat(pat["displayName"].as_str().unwrap()).await);
    assert!(
        extended <= Timestamp::now() + SignedDuration::from_hours(31 * 24),
        "clamped: {extended}"
    );
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn revoke_asks_first_then_the_pat_leaves_the_active_list() {
    let app = Desktop::start().await;
    let rows = app.row_ids().await.len();
    let pat = soonest(&app).await;
    let id = pat["authorizationId"].as_str().unwrap();
    app.select(id).await;

    // Cancel changes nothing.
    app.click(&format!("section[data-pat-id='{id}'] [data-action=revoke]"))
        .await;
    let dialog = app.wait_for("[role=dialog]").await;
    let question = dialog.text().await.unwrap();
    assert!(
        question.contains(pat["displayName"].as_str().unwrap()),
        "the dialog names the PAT: {question}"
    );
    app.click("[role=dialog] [data-action=cancel]").await;
    assert_eq!(
        app.service_pat(pat["displayName"].as_str().unwrap()).await["status"],
        "active"
    );

    app.click(&format!("section[data-pat-id='{id}'] [data-action=revoke]"))
        .await;
    app.click("[role=dialog] [data-action=confirm]").await;
    app.wait_until(
        "the row leaves the list",
        &format!(
            "return document.querySelector(\"[role=option][data-pat-id='{id}']\") === null && document.querySelectorAll('[role=option][data-pat-id]').length === {}",
            rows - 1
        ),
    )
    .await;
    assert_eq!(
        app.service_pat(pat["displayName"].as_str().unwrap()).await["status"],
        "revoked"
    );
    app.close().await;
}
