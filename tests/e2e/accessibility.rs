//! Accessibility in the real window: axe-core's WCAG 2.1 A and AA rules on every screen
//! and state of the demo, in the light and the dark theme, with no serious or critical
//! violation; each screen reached and left by keyboard where a user would.

use crate::desktop::Desktop;
use adopat_emulator::{Config, Policies, Seed};

/// Every screen of the app, each checked by axe; what axe found, by screen.
async fn walk(app: &Desktop) -> Vec<String> {
    let mut found = Vec::new();
    let mut note = |screen: &str, violations: Vec<String>| {
        found.extend(violations.into_iter().map(|v| format!("{screen}: {v}")));
    };
    app.rows().await;
    note("the list", app.axe().await);

    let pats = app.service_pats().await;
    let active = pats
        .iter()
        .find(|p| p["status"] == "active" && !p["targetAccounts"].is_null())
        .unwrap();
    let id = active["authorizationId"].as_str().unwrap();
    app.select(id).await;
    note("a PAT's details", app.axe().await);
    for (action, screen) in [
        ("edit", "Edit"),
        ("extend", "Extend"),
        ("revoke", "the revoke confirmation"),
        ("regenerate", "the regenerate confirmation"),
    ] {
        app.click(&format!(
            "section[data-pat-id='{id}'] [data-action={action}]"
        ))
        .await;
        app.wait_for("[role=dialog]").await;
        note(screen, app.axe().await);
        app.dismiss().await;
    }
    app.click(&format!("section[data-pat-id='{id}'] [data-action=renew]"))
        .await;
    app.wait_for(&format!(
        "section[data-pat-id='{id}'] [data-action=renew-mode]"
    ))
    .await;
    note("a PAT that renews itself", app.axe().await);

    for (action, screen) in [
        ("create", "New PAT"),
        ("places", "Places"),
        ("accounts", "Accounts"),
        ("settings", "Settings"),
    ] {
        app.click(&format!("[data-action={action}]")).await;
        app.wait_for("[role=dialog]").await;
        // Dialogs that load (organizations, scopes, places) are checked once loaded.
        app.wait_until(
            "the dialog has loaded",
            "return !document.querySelector('[role=dialog] [aria-busy=true]')",
        )
        .await;
        note(screen, app.axe().await);
        app.dismiss().await;
    }

    if let Some(global) = pats
        .iter()
        .find(|p| p["status"] == "active" && p["targetAccounts"].is_null())
    {
        let gid = global["authorizationId"].as_str().unwrap();
        app.select(gid).await;
        note("a global PAT's details", app.axe().await);
        app.click(&format!(
            "section[data-pat-id='{gid}'] [data-action=replace]"
        ))
        .await;
        app.wait_for("[role=dialog]").await;
        note("Replace global", app.axe().await);
        app.dismiss().await;
    }

    // Regenerated: the pane that says where the secret went.
    app.select(id).await;
    app.click(&format!(
        "section[data-pat-id='{id}'] [data-action=regenerate]"
    ))
    .await;
    app.click("[role=dialog] [data-action=confirm]").await;
    app.wait_for("[role=dialog] [data-action=copy-again]").await;
    note("the regenerate pane", app.axe().await);
    app.dismiss().await;

    // A search that finds nothing.
    let search = app.wait_for("input[type=search]").await;
    search.send_keys("no such pat anywhere").await.unwrap();
    app.wait_until(
        "the list is empty",
        "return document.querySelectorAll('[role=option]').length === 0",
    )
    .await;
    note("a search that finds nothing", app.axe().await);
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn no_screen_has_a_serious_violation_in_the_light_theme() {
    let app = Desktop::start().await;
    let found = walk(&app).await;
    app.close().await;
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn no_screen_has_a_serious_violation_in_the_dark_theme() {
    let app = Desktop::start_dark().await;
    app.rows().await;
    app.wait_until(
        "the page is dark",
        "return matchMedia('(prefers-color-scheme: dark)').matches",
    )
    .await;
    let found = walk(&app).await;
    app.close().await;
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The states a user meets when something is wrong: signed out (the list's error, the
/// sign-in form, a device code shown), and a create a policy refuses.
#[tokio::test(flavor = "multi_thread")]
async fn errors_sign_in_and_a_policy_refusal_have_no_serious_violation() {
    let mut found = Vec::new();
    let app = Desktop::start_signed_out(Config {
        seed: Seed::Demo,
        // The device code stays on screen: nobody approves it.
        auto_approve: false,
        ..Config::default()
    })
    .await;
    app.wait_for("[data-action=sign-in]").await;
    found.extend(
        app.axe()
            .await
            .into_iter()
            .map(|v| format!("signed out: {v}")),
    );
    app.click("[data-action=sign-in]").await;
    app.wait_for("[role=dialog]").await;
    found.extend(
        app.axe()
            .await
            .into_iter()
            .map(|v| format!("Accounts: {v}")),
    );
    app.click("[role=dialog] input[name=sign-in-method][value=deviceCode]")
        .await;
    app.click("[role=dialog] [data-action=sign-in]").await;
    app.wait_for("[role=dialog] [data-action=cancel-sign-in]")
        .await;
    found.extend(
        app.axe()
            .await
            .into_iter()
            .map(|v| format!("a device code: {v}")),
    );
    app.close().await;

    let app = Desktop::start_with(Config {
        seed: Seed::Demo,
        policies: Policies {
            restrict_full_scope: true,
            ..Policies::default()
        },
        ..Config::default()
    })
    .await;
    app.rows().await;
    app.click("[data-action=create]").await;
    let name = app.wait_for("[role=dialog] input[name=name]").await;
    name.send_keys("everything").await.unwrap();
    app.click("[role=dialog] input[name=scope-mode][value=full]")
        .await;
    app.click("[role=dialog] [data-action=confirm]").await;
    app.wait_for("[role=dialog] [role=alert]").await;
    found.extend(
        app.axe()
            .await
            .into_iter()
            .map(|v| format!("New PAT refused: {v}")),
    );
    app.close().await;
    assert!(found.is_empty(), "{}", found.join("\n"));
}
