#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! The client against the emulator: every page is read, and no more requests than the
//! pages need.

use adopat_core::Secret;
use adopat_core::ado::{AdoClient, Endpoints, StaticToken};
use adopat_core::inventory::{Filter, Inventory, OrgTarget};
use adopat_emulator::{Config, Emulator, Seed};
use std::sync::Arc;

const TOKEN: &str = "paging-test-token";

async fn start(orgs: usize, pats: usize) -> (Emulator, AdoClient) {
    let emulator = Emulator::start(Config {
        seed: Seed::Generated {
            orgs,
            pats_per_org: pats,
        },
        static_token: Some(TOKEN.into()),
        ..Config::default()
    })
    .await
    .unwrap();
    let client = AdoClient::new(
        Endpoints::single(emulator.base_url()).unwrap(),
        Arc::new(StaticToken(Secret::new(TOKEN))),
    )
    .unwrap();
    (emulator, client)
}

async fn request_count(emulator: &Emulator) -> usize {
    let url = format!("{}/_emulator/requests", emulator.base_url());
    let list: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    list.as_array().unwrap().len()
}

#[tokio::test]
async fn every_page_is_read_with_one_request_per_page() {
    let (emulator, client) = start(1, 250).await;
    let pats = client.list_pats("org01", Filter::Active).await.unwrap();
    assert_eq!(pats.len(), 250);
    let mut ids: Vec<_> = pats.iter().map(|p| p.authorization_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 250, "a page was read twice");
    assert_eq!(request_count(&emulator).await, 3);
}

#[tokio::test]
async fn discovery_finds_every_org_and_the_inventory_lists_them_all() {
    let (emulator, client) = start(3, 120).await;
    let (_, accounts) = client.discover_orgs().await.unwrap();
    let names: Vec<_> = accounts.iter().map(|a| a.account_name.clone()).collect();
    assert_eq!(names, ["org01", "org02", "org03"]);
    let inventory = Inventory::new(
        names
            .into_iter()
            .map(|name| OrgTarget {
                name,
                account: "test".into(),
                client: client.clone(),
            })
            .collect(),
    );
    let listing = inventory.list(Filter::All).await;
    assert!(listing.failures.is_empty());
    assert_eq!(listing.pats.len(), 360);
    assert!(
        listing
            .pats
            .windows(2)
            .all(|w| w[0].valid_to <= w[1].valid_to),
        "soonest first"
    );
    drop(emulator);
}
