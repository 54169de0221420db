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

/// What the page's one moving thing, the spinner, does now.
async fn spinner_animation(app: &Desktop) -> String {
    let name = app
        .ui
        .execute(
            "const s = document.createElement('span'); s.className = 'spinner'; \
             document.body.append(s); const n = getComputedStyle(s).animationName; \
             s.remove(); return n;",
            vec![],
        )
        .await
        .unwrap();
    name.as_str().unwrap_or_default().to_owned()
}

/// A desktop that asks for less motion (GTK's "enable animations" off, which WebKit's
/// `prefers-reduced-motion` follows) gets a page where nothing turns.
#[tokio::test(flavor = "multi_thread")]
async fn asked_for_less_motion_nothing_moves() {
    let app = Desktop::start().await;
    app.rows().await;
    assert_eq!(spinner_animation(&app).await, "spin", "it turns by default");
    app.close().await;

    let gtk = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(gtk.path().join("gtk-3.0")).unwrap();
    std::fs::write(
        gtk.path().join("gtk-3.0/settings.ini"),
        "[Settings]\ngtk-enable-animations=0\n",
    )
    .unwrap();
    let config_home = gtk.path().to_str().unwrap();
    let app = Desktop::start_with_env(&[("XDG_CONFIG_HOME", config_home)]).await;
    app.rows().await;
    app.wait_until(
        "the page is asked for less motion",
        "return matchMedia('(prefers-reduced-motion: reduce)').matches",
    )
    .await;
    assert_eq!(spinner_animation(&app).await, "none");
    app.close().await;
}

/// What has the focus: its `data-action`, else its role, else its tag; and whether it
/// shows that it has it (an outline or a ring).
async fn focused(app: &Desktop) -> (String, bool) {
    let found = app
        .ui
        .execute(
            "const e = document.activeElement; const s = getComputedStyle(e); \
             const what = e.dataset.action || e.getAttribute('role') || e.tagName.toLowerCase(); \
             const shown = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) \
               || s.boxShadow !== 'none'; return [what, shown];",
            vec![],
        )
        .await
        .unwrap();
    (
        found[0].as_str().unwrap_or_default().to_owned(),
        found[1].as_bool().unwrap_or(false),
    )
}

async fn press(app: &Desktop, key: &str) {
    let element = app.ui.active_element().await.unwrap();
    element.send_keys(key).await.unwrap();
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const DOWN: &str = "\u{E015}";
const ESCAPE: &str = "\u{E00C}";

/// Keys alone: Tab goes through the toolbar to the list, arrows choose a PAT, Tab reaches
/// its actions, Enter opens one, Escape closes it and gives the focus back; whatever has
/// the focus shows it.
#[tokio::test(flavor = "multi_thread")]
async fn every_flow_works_by_keyboard_with_the_focus_shown() {
    let app = Desktop::start().await;
    app.rows().await;
    let mut order = Vec::new();
    let mut unseen = Vec::new();
    for _ in 0..40 {
        press(&app, TAB).await;
        let (what, shown) = focused(&app).await;
        if !shown {
            unseen.push(what.clone());
        }
        let at_list = what == "option";
        order.push(what);
        if at_list {
            break;
        }
    }
    assert!(
        unseen.is_empty(),
        "focus not shown on {unseen:?} (order {order:?})"
    );
    let toolbar = order.iter().position(|w| w == "create");
    let list = order.iter().position(|w| w == "option");
    assert!(
        matches!((toolbar, list), (Some(t), Some(l)) if t < l),
        "the toolbar, then the list: {order:?}"
    );

    // Arrows choose a PAT: its details open beside the list.
    press(&app, DOWN).await;
    app.wait_for("section.details").await;
    let chosen = app
        .ui
        .execute(
            "return document.querySelector('[role=option][aria-selected=true]').dataset.patId",
            vec![],
        )
        .await
        .unwrap();
    let id = chosen.as_str().unwrap().to_owned();

    // Tab on to its actions; Enter opens Extend.
    let mut reached = false;
    for _ in 0..20 {
        press(&app, TAB).await;
        let (what, shown) = focused(&app).await;
        assert!(shown, "focus not shown on {what}");
        if what == "extend" {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached Extend of {id}");
    press(&app, ENTER).await;
    app.wait_for("[role=dialog]").await;
    let inside = app
        .ui
        .execute(
            "return document.querySelector('[role=dialog]').contains(document.activeElement)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        inside,
        serde_json::json!(true),
        "the dialog takes the focus"
    );
    press(&app, ESCAPE).await;
    app.wait_until(
        "the dialog closes",
        "return document.querySelector('[role=dialog]') === null",
    )
    .await;
    let (back, _) = focused(&app).await;
    assert_eq!(back, "extend", "the focus goes back where it was");
    app.close().await;
}
