//! New secrets: created and regenerated PATs go to the clipboard from Rust, work against
//! the service, and stay out of the page until Reveal is pressed.

use crate::desktop::{Desktop, clipboard, clipboard_change};
use adopat_emulator::{Config, Policies, Seed};
use fantoccini::elements::Element;

const ORG: &str = "contoso";
/// A PAT whose secret the test knows, so it can prove the secret stops working.
const KNOWN: &str = "e2e-known-secret-of-the-old-pat";

fn seed(dir: &std::path::Path) -> Seed {
    let path = dir.join("seed.json");
    let seed = serde_json::json!({
        "orgs": [{ "name": ORG }, { "name": "fabrikam" }],
        "pats": [
            { "displayName": "nuget-feed", "scope": "vso.packaging", "orgs": [ORG],
              "validFrom": "-80d", "validTo": "+2d", "token": KNOWN },
            { "displayName": "pipeline-ci", "scope": "vso.build_execute vso.code", "orgs": ["fabrikam"],
              "validTo": "+40d" }
        ]
    });
    std::fs::write(&path, seed.to_string()).unwrap();
    Seed::File(path)
}

#[tokio::test(flavor = "multi_thread")]
async fn regenerate_updates_the_places_that_used_the_old_secret_and_the_pane_names_them() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let dir = tempfile::tempdir().unwrap();
    let app = Desktop::start_with(Config {
        seed: seed(dir.path()),
        ..Config::default()
    })
    .await;
    let registry = "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/";
    let npmrc = format!("; team feed\n{registry}:_password={}\n", b64(KNOWN));
    let pip = format!(
        "[global]\nindex-url = https://me:{KNOWN}@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n"
    );
    std::fs::write(app.place("npmrc"), &npmrc).unwrap();
    std::fs::write(app.place("pip.conf"), &pip).unwrap();
    app.rows().await;
    let id = app.service_pat("nuget-feed").await["authorizationId"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = clipboard();

    app.select(&id).await;
    app.click(&format!(
        "section[data-pat-id='{id}'] [data-action=regenerate]"
    ))
    .await;
    app.wait_for("[role=dialog]").await;
    app.click("[role=dialog] [data-action=confirm]").await;
    let secret = clipboard_change(&before).await;

    let pane = app
        .wait_for("[data-places=updated]")
        .await
        .text()
        .await
        .unwrap();
    assert!(pane.contains(&format!("npm {registry} in ")), "{pane}");
    assert!(
        pane.contains("pip https://pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/ in "),
        "{pane}"
    );
    assert_eq!(
        std::fs::read_to_string(app.place("npmrc")).unwrap(),
        npmrc.replace(&b64(KNOWN), &b64(&secret))
    );
    assert_eq!(
        std::fs::read_to_string(app.place("pip.conf")).unwrap(),
        pip.replace(KNOWN, &secret)
    );
    assert!(
        !app.page_text().await.contains(&secret),
        "naming the places shows no secret"
    );
    app.screenshot("regenerate-places").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn regenerate_hands_the_new_secret_to_the_clipboard_and_the_old_one_stops_working() {
    let dir = tempfile::tempdir().unwrap();
    let app = Desktop::start_with(Config {
        seed: seed(dir.path()),
        ..Config::default()
    })
    .await;
    app.rows().await;
    assert!(
        app.authenticates(ORG, KNOWN).await,
        "the seeded PAT works at first"
    );
    let old = app.service_pat("nuget-feed").await;
    let id = old["authorizationId"].as_str().unwrap();
    let before = clipboard();

    app.select(id).await;
    app.click(&format!(
        "section[data-pat-id='{id}'] [data-action=regenerate]"
    ))
    .await;
    let question = app.wait_for("[role=dialog]").await.text().await.unwrap();
    assert!(
        question.contains("nuget-feed") && question.to_lowercase().contains("stops working"),
        "the dialog says the old secret stops working: {question}"
    );
    app.click("[role=dialog] [data-action=confirm]").await;

    let secret = clipboard_change(&before).await;
    assert_eq!(secret.len(), 84, "a new PAT is on the clipboard");
    assert_eq!(&secret[76..80], "AZDO");
    app.wait_for("[data-action=reveal]").await;
    assert!(app.authenticates(ORG, &secret).await, "the new PAT works");
    assert!(
        !app.authenticates(ORG, KNOWN).await,
        "the old PAT no longer works"
    );
    let revoked = app
        .service_pats()
        .await
        .into_iter()
        .find(|p| p["authorizationId"] == id)
        .unwrap();
    assert_eq!(revoked["status"], "revoked");
    let pane = app.wait_for("[role=dialog]").await.text().await.unwrap();
    assert!(
        pane.contains("copied to the clipboard"),
        "the pane says where the secret went: {pane}"
    );
    assert!(
        !app.page_text().await.contains(&secret),
        "the new secret never enters the page unasked"
    );
    app.screenshot("regenerate").await;

    // Copy again puts it back after something else was copied.
    let other = std::process::Command::new("sh")
        .args([
            "-c",
            // xclip owns the selection until Copy again takes it back; no -loops, since
            // the app may read the clipboard itself and use up a counted paste.
            "printf other | xclip -selection clipboard >/dev/null 2>&1 &",
        ])
        .status()
        .unwrap();
    assert!(other.success());
    clipboard_change(&secret).await;
    app.click("[data-action=copy-again]").await;
    assert_eq!(clipboard_change("other").await, secret);

    // Reveal is the one way into the page.
    app.click("[data-action=reveal]").await;
    app.wait_until(
        "the revealed secret shows",
        &format!(
            "const s = '{secret}'; return document.body.innerText.includes(s) || [...document.querySelectorAll('input, textarea')].some(e => e.value.includes(s))"
        ),
    )
    .await;
    app.close().await;
}

/// Fills the create dialog: a name, an organization, a 30-day preset and the scope mode.
async fn fill_create(app: &Desktop, name: &str, full_access: bool) -> Element {
    app.click("[data-action=create]").await;
    let dialog = app.wait_for("[role=dialog]").await;
    app.wait_for("[role=dialog] input[name=name]")
        .await
        .send_keys(name)
        .await
        .unwrap();
    app.wait_until(
        "the organizations load",
        &format!("return !!document.querySelector(\"[role=dialog] select[name=org] option[value='{ORG}']\")"),
    )
    .await;
    app.wait_for("[role=dialog] select[name=org]")
        .await
        .select_by_value(ORG)
        .await
        .unwrap();
    app.wait_for("[role=dialog] select[name=expires]")
        .await
        .select_by_value("30d")
        .await
        .unwrap();
    let mode = if full_access { "full" } else { "custom" };
    app.click(&format!(
        "[role=dialog] input[name=scope-mode][value={mode}]"
    ))
    .await;
    if !full_access {
        // Code: read, a radio whose value is the scope id.
        app.click("[role=dialog] input[type=radio][value='vso.code']")
            .await;
    }
    dialog
}

#[tokio::test(flavor = "multi_thread")]
async fn create_hands_the_new_secret_to_the_clipboard_and_the_pat_joins_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let app = Desktop::start_with(Config {
        seed: seed(dir.path()),
        ..Config::default()
    })
    .await;
    let before_rows = app.rows().await.len();
    let before = clipboard();

    fill_create(&app, "npm-feed-e2e", false).await;
    app.wait_until(
        "the dialog scrolls back to its top, for the screenshot",
        "document.querySelector('[role=dialog] input[name=name]').scrollIntoView({ block: 'center' }); return true",
    )
    .await;
    app.screenshot("create").await;
    app.click("[role=dialog] [data-action=confirm]").await;

    let secret = clipboard_change(&before).await;
    assert_eq!(secret.len(), 84, "a new PAT is on the clipboard");
    app.wait_for("[data-action=copy-again]").await;
    assert!(app.authenticates(ORG, &secret).await, "the new PAT works");
    let created = app.service_pat("npm-feed-e2e").await;
    assert_eq!(created["scope"], "vso.code", "only the chosen scope");
    assert_eq!(created["status"], "active");
    let expires: jiff::Timestamp = created["validTo"].as_str().unwrap().parse().unwrap();
    let days = expires.duration_since(jiff::Timestamp::now()).as_hours() / 24;
    assert!(
        (28..=31).contains(&days),
        "the 30-day preset, got {days} days"
    );
    assert!(
        !app.page_text().await.contains(&secret),
        "the new secret never enters the page unasked"
    );

    app.click("[role=dialog] [data-action=cancel]").await;
    let id = created["authorizationId"].as_str().unwrap().to_owned();
    app.wait_for(&format!("[data-pat-id='{id}']")).await;
    assert_eq!(
        app.rows().await.len(),
        before_rows + 1,
        "the new PAT is listed"
    );
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_access_create_refused_by_policy_keeps_the_form_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let app = Desktop::start_with(Config {
        seed: seed(dir.path()),
        policies: Policies {
            restrict_full_scope: true,
            ..Policies::default()
        },
        ..Config::default()
    })
    .await;
    app.rows().await;
    let before = app.service_pats().await.len();

    fill_create(&app, "too-broad", true).await;
    app.click("[role=dialog] [data-action=confirm]").await;
    let alert = app.wait_for("[role=dialog] [role=alert]").await;
    let said = alert.text().await.unwrap();
    assert!(
        said.contains("policy") && said.contains("Full access"),
        "the refusal in plain words: {said}"
    );
    let kept = app
        .wait_for("[role=dialog] input[name=name]")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("too-broad"), "the form is kept");
    assert_eq!(
        app.service_pats().await.len(),
        before,
        "nothing was created"
    );

    // Narrowing the scopes then succeeds from the same dialog.
    app.click("[role=dialog] input[name=scope-mode][value=custom]")
        .await;
    app.click("[role=dialog] input[type=radio][value='vso.code']")
        .await;
    app.click("[role=dialog] [data-action=confirm]").await;
    app.wait_for("[data-action=copy-again]").await;
    assert_eq!(app.service_pat("too-broad").await["scope"], "vso.code");
    app.close().await;
}

/// Quitting (SIGTERM, as logging out sends it; closing the window takes the same path)
/// while a regenerate waits for the service to create the new PAT: the app does not drop
/// it half-way. The new PAT is made and its secret served on the clipboard; the old one,
/// not yet revoked when the app was asked to quit, keeps working.
#[tokio::test(flavor = "multi_thread")]
async fn quitting_during_a_regenerate_leaves_a_working_secret_and_the_old_pat() {
    let dir = tempfile::tempdir().unwrap();
    let app = Desktop::start_with(Config {
        seed: seed(dir.path()),
        ..Config::default()
    })
    .await;
    app.rows().await;
    let base = app.emulator.base_url().to_owned();
    adopat_test_support::emulator_fault(
        &base,
        serde_json::json!({"method": "POST", "act": true, "delayMs": 2500}),
    )
    .await;
    let id = app.service_pat("nuget-feed").await["authorizationId"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = clipboard();
    app.select(&id).await;
    app.click(&format!(
        "section[data-pat-id='{id}'] [data-action=regenerate]"
    ))
    .await;
    app.click("[role=dialog] [data-action=confirm]").await;
    adopat_test_support::wait_for_request(&base, "POST", "").await;
    let quit = std::process::Command::new("kill")
        .args(["-TERM", &app.pid().to_string()])
        .status()
        .unwrap();
    assert!(quit.success());

    let secret = clipboard_change(&before).await;
    assert_eq!(secret.len(), 84, "the new secret is on the clipboard");
    assert!(app.authenticates(ORG, &secret).await, "and it works");
    assert!(
        app.authenticates(ORG, KNOWN).await,
        "the old PAT was not revoked after the app was asked to quit"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_place_gets_a_new_pat_from_the_places_dialog() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.json");
    let dead = "e2e-secret-of-an-expired-pat";
    let seed = serde_json::json!({
        "orgs": [{ "name": ORG }],
        "pats": [
            { "displayName": "npm-ci", "scope": "vso.packaging", "orgs": [ORG],
              "validFrom": "-100d", "validTo": "-3d", "token": dead },
            { "displayName": "nuget-feed", "scope": "vso.packaging", "orgs": [ORG],
              "validFrom": "-10d", "validTo": "+20d", "token": KNOWN }
        ]
    });
    std::fs::write(&path, seed.to_string()).unwrap();
    let app = Desktop::start_with(Config {
        seed: Seed::File(path),
        ..Config::default()
    })
    .await;
    let registry = "//pkgs.dev.azure.com/contoso/_packaging/ci/npm/registry/";
    let working = "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/";
    let npmrc = format!(
        "{registry}:_password={}\n{working}:_password={}\n",
        b64(dead),
        b64(KNOWN)
    );
    std::fs::write(app.place("npmrc"), &npmrc).unwrap();
    app.rows().await;

    app.click("[data-action=places]").await;
    app.wait_for(&format!("li[data-place='npm:{registry}']"))
        .await;
    app.click("[data-action=check]").await;
    app.wait_for(&format!(
        "li[data-place='npm:{registry}'][data-works=false]"
    ))
    .await;
    app.wait_for(&format!("li[data-place='npm:{working}'][data-works=true]"))
        .await;
    app.screenshot("places").await;

    let before = clipboard();
    app.click(&format!(
        "li[data-place='npm:{registry}'] [data-action=new-pat-for-place]"
    ))
    .await;
    let form = app.wait_for(".for-place").await.text().await.unwrap();
    assert!(form.contains("npmrc"), "{form}");
    app.wait_until(
        "the feed's scope is chosen",
        "return [...document.querySelectorAll('[role=dialog] input:checked')].some(i => i.value === 'vso.packaging')",
    )
    .await;
    app.click("[role=dialog] [data-action=confirm]").await;
    let secret = clipboard_change(&before).await;
    let pane = app
        .wait_for("[data-places=updated]")
        .await
        .text()
        .await
        .unwrap();
    assert!(pane.contains(registry), "{pane}");
    assert_eq!(
        std::fs::read_to_string(app.place("npmrc")).unwrap(),
        npmrc.replace(&b64(dead), &b64(&secret)),
        "the dead place holds the new token, the working one is untouched"
    );
    assert!(app.authenticates(ORG, &secret).await);
}

/// The window replaces a global PAT as the CLI regenerates one: each place that used it
/// gets the new PAT of its own organization, and the global PAT is revoked.
#[tokio::test(flavor = "multi_thread")]
async fn replacing_a_global_pat_puts_each_organization_s_pat_where_the_global_one_was() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.json");
    let global = "e2e-secret-of-the-global-pat";
    let seed = serde_json::json!({
        "orgs": [{ "name": ORG }, { "name": "fabrikam" }, { "name": "tailspin" }],
        "pats": [
            { "displayName": "everywhere", "scope": "vso.packaging", "orgs": null,
              "validFrom": "-60d", "validTo": "+30d", "token": global }
        ]
    });
    std::fs::write(&path, seed.to_string()).unwrap();
    // Before 1 December, while the global PAT still works: its revoke tells its places.
    let app = Desktop::start_with(Config {
        seed: Seed::File(path),
        now: Some("2026-11-20T12:00:00Z".parse().unwrap()),
        ..Config::default()
    })
    .await;
    let contoso = "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/";
    let npmrc = format!("{contoso}:_password={}\n", b64(global));
    let pip = format!(
        "[global]\nindex-url = https://me:{global}@pkgs.dev.azure.com/fabrikam/_packaging/py/pypi/simple/\n"
    );
    std::fs::write(app.place("npmrc"), &npmrc).unwrap();
    std::fs::write(app.place("pip.conf"), &pip).unwrap();
    let rows = app.row_ids().await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    app.select(&rows[0]).await;
    app.click(&format!(
        "section[data-pat-id='{}'] [data-action=replace]",
        rows[0]
    ))
    .await;
    app.wait_for("[role=dialog] input[name=replace-org][value=tailspin]")
        .await;
    app.click("[role=dialog] label:has(input[name=replace-org][value=tailspin])")
        .await;
    app.wait_until(
        "tailspin is left out",
        "return !document.querySelector('[role=dialog] input[name=replace-org][value=tailspin]').checked && document.querySelector('[role=dialog] [data-action=confirm]').textContent.includes('2 PATs')",
    )
    .await;

    let before = clipboard();
    app.click("[role=dialog] [data-action=confirm]").await;
    let first = clipboard_change(&before).await;
    app.wait_for("[role=dialog] [data-places=updated]").await;
    app.click("[role=dialog] [data-action=confirm]").await;
    let second = clipboard_change(&first).await;
    app.click("[role=dialog] [data-action=confirm]").await;
    let done = app
        .wait_for("[role=dialog] .copied")
        .await
        .text()
        .await
        .unwrap();
    assert!(done.contains("is revoked"), "{done}");
    app.screenshot("replace-global").await;

    assert!(app.authenticates(ORG, &first).await);
    assert!(app.authenticates("fabrikam", &second).await);
    assert_eq!(
        std::fs::read_to_string(app.place("npmrc")).unwrap(),
        npmrc.replace(&b64(global), &b64(&first)),
        "contoso's feed has contoso's PAT"
    );
    assert_eq!(
        std::fs::read_to_string(app.place("pip.conf")).unwrap(),
        pip.replace(global, &second),
        "fabrikam's feed has fabrikam's PAT"
    );
    assert!(
        !app.authenticates(ORG, global).await,
        "the global PAT is revoked"
    );
    assert!(!app.page_text().await.contains(&first));
}
