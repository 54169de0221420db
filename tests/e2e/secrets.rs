//! New secrets: created and regenerated PATs go to the clipboard from Rust, work against
//! the service, and stay out of the page until Reveal is pressed.

use crate::desktop::{Desktop, clipboard, clipboard_change};
use adopat_emulator::{Config, Seed};

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
            "printf other | xclip -selection clipboard -loops 1 >/dev/null 2>&1 &",
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
