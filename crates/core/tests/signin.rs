#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! Core's sign-in flows against the emulator's Entra, with an in-memory vault (the real
//! keyring is exercised by the CLI's tests).

use adopat_core::ado::{AdoClient, Endpoints, TokenProvider};
use adopat_core::auth::{Authority, DEFAULT_CLIENT_ID, EntraAccount, device};
use adopat_core::config::{AccountKind, AccountRecord};
use adopat_core::vault::Vault;
use adopat_emulator::{Config, Emulator, Seed};
use serde_json::{Value, json};
use std::sync::Arc;

async fn emulator(auto_approve: bool) -> Emulator {
    let emulator = Emulator::start(Config {
        seed: Seed::Demo,
        ..Config::default()
    })
    .await
    .unwrap();
    control(
        &emulator,
        "entra",
        json!({"autoApprove": auto_approve, "deviceIntervalSecs": 1}),
    )
    .await;
    emulator
}

async fn control(emulator: &Emulator, path: &str, body: Value) -> Value {
    let url = format!("{}/_emulator/{path}", emulator.base_url());
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap_or(Value::Null)
}

fn authority(emulator: &Emulator) -> Authority {
    Authority::new(
        Endpoints::single(emulator.base_url()).unwrap(),
        "organizations",
        DEFAULT_CLIENT_ID,
    )
    .unwrap()
}

#[tokio::test]
async fn device_code_sign_in_waits_for_approval_and_names_the_account() {
    let emulator = emulator(true).await;
    let mut shown = None;
    let signed = device::sign_in(&authority(&emulator), |p| shown = Some(p.user_code.clone()))
        .await
        .unwrap();
    assert!(shown.is_some_and(|c| !c.is_empty()));
    assert!(!signed.identity.tenant.is_empty() && !signed.identity.object_id.is_empty());
    assert!(signed.identity.username.contains('@'));
    assert!(!signed.refresh_token.is_empty());
}

#[tokio::test]
async fn an_expired_device_code_says_so() {
    let emulator = emulator(false).await;
    let base = emulator.base_url().to_owned();
    let result = device::sign_in(&authority(&emulator), |_| {
        let url = format!("{base}/_emulator/clock");
        tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .json(&json!({"advanceSeconds": 16 * 60}))
                .send()
                .await
                .unwrap();
        });
    })
    .await;
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 3);
    assert!(err.to_string().contains("expired"), "{err}");
}

#[tokio::test]
async fn a_declined_device_sign_in_says_so() {
    let emulator = emulator(false).await;
    let base = emulator.base_url().to_owned();
    let err = device::sign_in(&authority(&emulator), |p| {
        let (url, code) = (
            format!("{base}/_emulator/entra/approve"),
            p.user_code.clone(),
        );
        tokio::spawn(async move {
            let body = json!({"userCode": code, "decline": true});
            reqwest::Client::new()
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap();
        });
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("declined"), "{err}");
}

#[tokio::test]
async fn an_access_token_the_service_refuses_is_renewed_once_and_the_new_refresh_token_kept() {
    let emulator = emulator(true).await;
    let authority = authority(&emulator);
    let signed = device::sign_in(&authority, |_| {}).await.unwrap();
    let vault = Vault::in_memory();
    let record = AccountRecord {
        id: signed.identity.account_id(),
        kind: AccountKind::Entra,
        tenant: signed.identity.tenant.clone(),
        username: signed.identity.username.clone(),
        display_name: signed.identity.display_name.clone(),
        client_id: DEFAULT_CLIENT_ID.into(),
    };
    vault.store(&record.id, &signed.refresh_token).unwrap();
    let account = Arc::new(EntraAccount::signed_in(
        &record,
        authority.clone(),
        vault.clone(),
        &signed,
    ));
    let client = AdoClient::new(authority.endpoints.clone(), account.clone()).unwrap();
    assert!(client.profile().await.is_ok());

    // The service's clock runs past the token's hour; this process still believes in it.
    control(&emulator, "clock", json!({"advanceSeconds": 2 * 3600})).await;
    assert!(
        client.profile().await.is_ok(),
        "the refused token was not renewed"
    );
    let kept = vault.fetch(&record.id).unwrap().unwrap();
    assert_ne!(
        kept.expose(),
        signed.refresh_token.expose(),
        "the rotated refresh token was not kept"
    );

    control(&emulator, "entra/revoke", json!({})).await;
    control(&emulator, "clock", json!({"advanceSeconds": 2 * 3600})).await;
    let err = client.profile().await.unwrap_err();
    assert_eq!(err.exit_code(), 3);
    assert!(err.to_string().contains("sign in again"), "{err}");
    assert!(account.invalidate());
}

#[test]
fn sign_in_settings_are_checked_before_any_request() {
    let endpoints = Endpoints::single("http://127.0.0.1:9").unwrap();
    let err = Authority::new(endpoints.clone(), "organizations", "not-a-guid").unwrap_err();
    assert!(err.to_string().starts_with("client id:"), "{err}");
    let err = Authority::new(endpoints, "contoso/../x", DEFAULT_CLIENT_ID).unwrap_err();
    assert!(err.to_string().starts_with("tenant:"), "{err}");
}
