//! Signing in from the app (a device code, against the emulator's Entra) and out again:
//! the refresh token goes to the real Secret Service and leaves it.

use crate::desktop::Desktop;
use adopat_emulator::{Config, Seed};

use adopat_test_support::{clear_keyring as clean_keyring, keyring_users};

#[tokio::test(flavor = "multi_thread")]
async fn a_device_code_sign_in_lists_the_pats_and_signing_out_forgets_the_account() {
    clean_keyring();
    let app = Desktop::start_signed_out(Config {
        seed: Seed::Demo,
        auto_approve: true,
        device_interval_secs: 1,
        ..Config::default()
    })
    .await;

    // Not signed in: the list says so and offers to.
    app.click("[data-action=sign-in]").await;
    app.wait_for("[role=dialog]").await;
    app.click("[role=dialog] input[name=sign-in-method][value=deviceCode]")
        .await;
    app.click("[role=dialog] [data-action=sign-in]").await;

    let account = app.wait_for("[role=dialog] [data-account-id]").await;
    let id = account.attr("data-account-id").await.unwrap().unwrap();
    assert_eq!(
        keyring_users(),
        vec![id.clone()],
        "the refresh token is in the keyring"
    );
    let kept = app.config_file();
    assert_eq!(kept["accounts"][0]["id"], id.as_str());
    assert!(
        !kept.to_string().contains("refresh"),
        "no token in the config file: {kept}"
    );

    app.click("[role=dialog] [data-action=cancel]").await;
    let rows = app.rows().await;
    assert!(!rows.is_empty(), "the account's PATs are listed");

    // Signing out asks first, then forgets the account and its refresh token.
    app.click("[data-action=accounts]").await;
    app.click(&format!("[data-account-id='{id}'] [data-action=sign-out]"))
        .await;
    let question = app.wait_for("[role=dialog]").await.text().await.unwrap();
    assert!(question.contains("Sign out"), "it asks first: {question}");
    app.click("[role=dialog] [data-action=confirm]").await;
    app.wait_until(
        "the dialog is back at its list, without the account",
        "return document.querySelector('[role=dialog] [data-action=confirm]') === null \
            && document.querySelector('[role=dialog] [data-action=sign-in]') !== null \
            && document.querySelector('[data-account-id]') === null",
    )
    .await;
    let left = keyring_users();
    assert!(
        left.is_empty(),
        "the refresh token left the keyring: {left:?}"
    );
    assert_eq!(
        app.config_file()["accounts"].as_array().map(Vec::len),
        Some(0)
    );
    app.close().await;
}
