//! Reminders and renewals from the window: Settings kept in the config the tray reads, a
//! PAT's reminders snoozed and its renewal turned on in the state file the tray reads.

use crate::desktop::Desktop;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn settings_and_a_snooze_are_kept_where_the_tray_reads_them() {
    let app = Desktop::start().await;
    app.rows().await;
    app.click("[data-action=settings]").await;
    app.wait_for("[role=dialog] input[name=threshold][value='14']:checked")
        .await;
    // 30 days more, and no reminder once expired.
    app.click("[role=dialog] input[name=threshold][value='30']")
        .await;
    app.click("[role=dialog] input[name=threshold][value='0']")
        .await;
    app.screenshot("settings").await;
    app.click("[role=dialog] [data-action=confirm]").await;
    app.wait_until(
        "the dialog closes",
        "return document.querySelector('[role=dialog]') === null",
    )
    .await;
    let config = app.config_file();
    assert_eq!(
        config["reminders"]["thresholds"],
        json!([30, 14, 7, 1]),
        "{config}"
    );

    let pat = app
        .service_pats()
        .await
        .into_iter()
        .find(|p| p["status"] == "active")
        .unwrap();
    let id = pat["authorizationId"].as_str().unwrap();
    app.select(id).await;
    app.click(&format!(
        "section[data-pat-id='{id}'] [data-action=snooze][data-days='7']"
    ))
    .await;
    app.wait_until(
        "the snooze is confirmed",
        "return document.querySelector('.notice').textContent.startsWith('No reminder about')",
    )
    .await;
    let state = app.state_file();
    assert!(
        state["reminders"]["snoozed"][id].is_string(),
        "snoozed in the state file: {state}"
    );
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pat_set_to_renew_itself_in_its_details_is_marked_and_kept_for_the_tray() {
    let app = Desktop::start().await;
    app.rows().await;
    let pat = app
        .service_pats()
        .await
        .into_iter()
        .find(|p| p["status"] == "active" && !p["targetAccounts"].is_null())
        .unwrap();
    let id = pat["authorizationId"].as_str().unwrap();
    app.select(id).await;
    app.click(&format!("section[data-pat-id='{id}'] [data-action=renew]"))
        .await;
    app.wait_for(&format!(
        "[role=option][data-pat-id='{id}'] [data-renews=regenerate]"
    ))
    .await;
    app.wait_for(&format!(
        "section[data-pat-id='{id}'] [data-action=renew-mode]"
    ))
    .await;
    let state = app.state_file();
    assert_eq!(
        state["renewals"][id]["mode"], "regenerate",
        "kept where the tray reads it: {state}"
    );
    app.screenshot("renews").await;
    // Off again: the mark goes, and so does the setting.
    app.click(&format!("section[data-pat-id='{id}'] [data-action=renew]"))
        .await;
    app.wait_until(
        "the mark goes",
        &format!("return document.querySelector(\"[role=option][data-pat-id='{id}'] [data-renews]\") === null"),
    )
    .await;
    assert!(app.state_file()["renewals"][id].is_null());
    app.close().await;
}
