#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! PATs that renew themselves, against the emulator (its clock set, never the real one)
//! and the real keyring of the private session `cargo xtask test` starts: when a PAT is
//! due, both modes, a refusal not retried each round, the old PAT kept active until its
//! replacement is in the user's hands, the claim across processes and after a kill.

use adopat_core::ado::{AdoClient, Endpoints, StaticToken};
use adopat_core::inventory::{Inventory, OrgTarget};
use adopat_core::renewal::{self, Action, DEFAULT_BEFORE, Options};
use adopat_core::state::RenewMode;
use adopat_core::stop::Stop;
use adopat_core::{Secret, kept, rotate};
use adopat_emulator::{Config, CreationPolicy, Emulator, Policies, Seed};
use adopat_test_support::{emulator_fault, emulator_requests, known_token};
use serde_json::{Value, json};
use std::sync::Arc;

const NOW: &str = "2026-12-07T10:00:00Z";

struct Setup {
    dir: tempfile::TempDir,
    emulator: Emulator,
    inventory: Inventory,
}

impl Setup {
    async fn new(pats: Value, policies: Policies) -> Self {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "a renewed secret is kept in the keyring: run the suite with `cargo xtask test`"
        );
        let dir = tempfile::tempdir().unwrap();
        let emulator = Emulator::start(Config {
            seed: Seed::Json(json!({"orgs": [{"name": "contoso"}], "pats": pats})),
            static_token: Some("t".into()),
            policies,
            now: Some(NOW.parse().unwrap()),
            ..Config::default()
        })
        .await
        .unwrap();
        let client = AdoClient::new(
            Endpoints::single(emulator.base_url()).unwrap(),
            Arc::new(StaticToken(Secret::new("t"))),
        )
        .unwrap();
        let inventory = Inventory::new(vec![OrgTarget {
            name: "contoso".into(),
            account: "t".into(),
            client,
        }])
        .for_this_machine(dir.path().join("config"));
        Self {
            dir,
            emulator,
            inventory,
        }
    }

    fn base(&self) -> &str {
        self.emulator.base_url()
    }

    async fn pat(&self, name: &str) -> adopat_core::inventory::Pat {
        self.inventory.find(name).await.unwrap().pat
    }

    async fn turn_on(&self, name: &str, mode: RenewMode) {
        let pat = self.pat(name).await;
        renewal::turn_on(
            self.inventory.local_dir(),
            &pat,
            Some(mode),
            Some(DEFAULT_BEFORE),
        )
        .unwrap();
    }

    async fn due(&self) -> Vec<renewal::Renewal> {
        renewal::due(&self.inventory, &Options::default(), &Stop::never())
            .await
            .unwrap()
    }

    async fn creates(&self) -> usize {
        emulator_requests(self.base())
            .await
            .iter()
            .filter(|r| r["method"] == "POST" && !r["path"].as_str().unwrap().contains("_emulator"))
            .count()
    }

    async fn advance_hours(&self, hours: i64) {
        reqwest::Client::new()
            .post(format!("{}/_emulator/clock", self.base()))
            .json(&json!({"advanceSeconds": hours * 3_600}))
            .send()
            .await
            .unwrap();
    }

    async fn works(&self, secret: &str) -> bool {
        adopat_test_support::token_works(self.base(), secret).await
    }

    fn settings(&self) -> Vec<uuid::Uuid> {
        renewal::kept(&self.dir.path().join("config"))
            .into_keys()
            .collect()
    }
}

fn nuget(valid_from: &str, valid_to: &str) -> Value {
    json!([{"displayName": "nuget-feed", "scope": "vso.packaging", "orgs": ["contoso"],
            "validFrom": valid_from, "validTo": valid_to, "token": known_token('a')}])
}

#[tokio::test]
async fn a_due_pat_is_regenerated_into_the_keyring_and_its_setting_follows_the_new_id() {
    let s = Setup::new(nuget("-25d", "+5d"), Policies::default()).await;
    s.turn_on("nuget-feed", RenewMode::Regenerate).await;
    let old = s.pat("nuget-feed").await;

    let done = s.due().await;
    assert_eq!(done.len(), 1);
    let r = &done[0];
    assert_eq!(r.action, Action::Regenerated, "{}", r.said());
    assert_eq!(r.old_revoked, Some(true));
    let new_id = r.new_id.unwrap();
    assert!(r.secret.is_none(), "nobody asked to see it");
    assert!(
        r.said().contains("the new token is kept in the OS keyring"),
        "{}",
        r.said()
    );
    // The same lifetime again (30 days), from the service's now.
    let expected: jiff::Timestamp = "2027-01-06T10:00:00Z".parse().unwrap();
    let valid_to = r.valid_to.unwrap();
    assert!(
        valid_to.duration_since(expected).abs().as_secs() < 120,
        "{valid_to}"
    );

    let secret = kept::fetch(&s.dir.path().join("config"), new_id)
        .unwrap()
        .unwrap();
    assert!(
        s.works(secret.expose()).await,
        "the kept token is the new PAT's"
    );
    assert!(!s.works(&known_token('a')).await, "the old one is revoked");
    assert_eq!(
        s.settings(),
        vec![new_id],
        "the setting moved to the new PAT"
    );
    assert_ne!(new_id, old.id);

    // The new PAT is a month long: nothing is due, nothing is made.
    let before = s.creates().await;
    let again = s.due().await;
    assert_eq!(again[0].action, Action::NotDue);
    assert_eq!(again[0].id, new_id);
    let due = again[0].due.unwrap();
    assert!(due > "2026-12-30T00:00:00Z".parse().unwrap(), "{due}");
    assert_eq!(s.creates().await, before);
    kept::forget(&s.dir.path().join("config"), new_id);
}

#[tokio::test]
async fn nothing_is_asked_when_no_pat_renews_itself_and_a_pat_not_due_is_left_alone() {
    let s = Setup::new(nuget("-5d", "+55d"), Policies::default()).await;
    assert!(s.due().await.is_empty());
    assert!(
        emulator_requests(s.base()).await.is_empty(),
        "not a request"
    );

    s.turn_on("nuget-feed", RenewMode::Regenerate).await;
    let done = s.due().await;
    assert_eq!(done[0].action, Action::NotDue);
    assert_eq!(
        done[0].due.unwrap(),
        "2027-01-24T10:00:00Z".parse::<jiff::Timestamp>().unwrap(),
        "a week before its expiry"
    );
    assert_eq!(s.creates().await, 0);
    assert!(s.works(&known_token('a')).await);
}

#[tokio::test]
async fn a_policy_refusal_is_said_with_what_to_do_and_not_tried_again_until_a_day_or_the_user() {
    let mut policies = Policies::default();
    policies
        .restrict_creation
        .insert("contoso".into(), CreationPolicy::default());
    let s = Setup::new(nuget("-25d", "+5d"), policies).await;
    s.turn_on("nuget-feed", RenewMode::Regenerate).await;

    let done = s.due().await;
    assert_eq!(done[0].action, Action::Failed);
    let reason = done[0].reason.clone().unwrap();
    assert!(
        reason.contains("Restrict personal access token (PAT) creation"),
        "{reason}"
    );
    assert!(
        reason.contains("--mode extend"),
        "what they can do: {reason}"
    );
    assert!(s.works(&known_token('a')).await, "the old PAT goes on");
    assert_eq!(s.creates().await, 1);

    // The next round does not knock again, and says why.
    let again = s.due().await;
    assert_eq!(again[0].action, Action::Failed);
    assert!(
        again[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("not tried again before")
    );
    assert!(!again[0].attempted);
    assert_eq!(s.creates().await, 1);

    // A day later it is.
    s.advance_hours(25).await;
    s.due().await;
    assert_eq!(s.creates().await, 2);

    // The user's say: turning it on again (here, to extend) tries at once.
    s.turn_on("nuget-feed", RenewMode::Extend).await;
    let extended = s.due().await;
    assert_eq!(
        extended[0].action,
        Action::Extended,
        "{}",
        extended[0].said()
    );
    assert!(s.works(&known_token('a')).await, "extend keeps the token");
}

#[tokio::test]
async fn extend_moves_the_expiry_by_the_lifetime_and_an_expired_pat_is_not_extended() {
    let s = Setup::new(
        json!([
            {"displayName": "nuget-feed", "scope": "vso.packaging", "orgs": ["contoso"],
             "validFrom": "-25d", "validTo": "+5d", "token": known_token('a')},
            {"displayName": "old-ci", "scope": "vso.build", "orgs": ["contoso"],
             "validFrom": "-40d", "validTo": "-2d", "token": known_token('c')}
        ]),
        Policies::default(),
    )
    .await;
    s.turn_on("nuget-feed", RenewMode::Extend).await;
    s.turn_on("old-ci", RenewMode::Extend).await;
    let done = s.due().await;
    let by_name = |name: &str| done.iter().find(|r| r.name == name).unwrap();

    let extended = by_name("nuget-feed");
    assert_eq!(extended.action, Action::Extended, "{}", extended.said());
    assert_eq!(extended.new_id, None);
    let to = extended.valid_to.unwrap();
    let expected: jiff::Timestamp = "2027-01-11T10:00:00Z".parse().unwrap();
    assert!(
        to.duration_since(expected).abs().as_secs() < 120,
        "+5d +30d: {to}"
    );
    assert!(s.works(&known_token('a')).await);

    let expired = by_name("old-ci");
    assert_eq!(expired.action, Action::Failed);
    assert!(
        expired
            .reason
            .as_deref()
            .unwrap()
            .contains("--mode regenerate")
    );
    assert_eq!(s.creates().await, 0);
    // Extended once: 35 days left of a 30-day lifetime is not due.
    assert_eq!(
        s.due()
            .await
            .iter()
            .find(|r| r.name == "nuget-feed")
            .unwrap()
            .action,
        Action::NotDue
    );
}

#[tokio::test]
async fn a_failed_revoke_keeps_the_new_pat_and_the_next_round_finishes_without_another() {
    let s = Setup::new(nuget("-25d", "+5d"), Policies::default()).await;
    s.turn_on("nuget-feed", RenewMode::Regenerate).await;
    let old = s.pat("nuget-feed").await;
    emulator_fault(
        s.base(),
        json!({"method": "DELETE", "status": 503, "count": 1}),
    )
    .await;

    let first = s.due().await;
    assert_eq!(first[0].action, Action::Regenerated);
    assert_eq!(first[0].old_revoked, Some(false));
    let new_id = first[0].new_id.unwrap();
    assert!(s.works(&known_token('a')).await, "the old PAT still works");
    assert_eq!(
        s.settings(),
        vec![old.id],
        "still the old PAT's, with its replacement"
    );

    let second = s.due().await;
    assert_eq!(
        second[0].action,
        Action::Regenerated,
        "{}",
        second[0].said()
    );
    assert_eq!(second[0].new_id, Some(new_id), "the same replacement");
    assert_eq!(second[0].old_revoked, Some(true));
    assert!(!s.works(&known_token('a')).await);
    assert_eq!(s.creates().await, 1, "no further PAT was made");
    assert_eq!(s.settings(), vec![new_id]);
    kept::forget(&s.dir.path().join("config"), new_id);
}

#[tokio::test]
async fn a_regenerate_by_hand_carries_the_setting_and_a_revoke_ends_it() {
    let s = Setup::new(nuget("-5d", "+55d"), Policies::default()).await;
    s.turn_on("nuget-feed", RenewMode::Extend).await;
    let old = s.pat("nuget-feed").await;
    let done = rotate::regenerate(
        &s.inventory,
        &old,
        &rotate::RegenerateOptions::default(),
        &Stop::never(),
        |_, _| Ok(()),
    )
    .await
    .unwrap();
    let kept = renewal::kept(&s.dir.path().join("config"));
    assert_eq!(kept.keys().copied().collect::<Vec<_>>(), vec![done.new.id]);
    assert_eq!(kept[&done.new.id].mode, RenewMode::Extend);

    s.inventory.revoke(&done.new).await.unwrap();
    assert!(s.settings().is_empty());
}

#[tokio::test]
async fn one_process_renews_at_a_time_and_a_killed_one_holds_nothing() {
    let s = Setup::new(nuget("-25d", "+5d"), Policies::default()).await;
    s.turn_on("nuget-feed", RenewMode::Regenerate).await;
    let lock = s.dir.path().join("config").join("renewal.lock");
    // Another process holds the claim (flock(1), the lock AdoPat takes).
    let mut holder = std::process::Command::new("flock")
        .arg("--no-fork")
        .arg(&lock)
        .args(["sleep", "60"])
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        match adopat_core::files::claim(&s.dir.path().join("config"), "renewal.lock").unwrap() {
            None => break,
            Some(mine) => drop(mine),
        }
        assert!(
            std::time::Instant::now() < deadline,
            "flock never took the lock"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let busy = s.due().await;
    assert_eq!(busy[0].action, Action::NotDue);
    assert!(
        busy[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("another AdoPat process")
    );
    assert_eq!(s.creates().await, 0);
    let now = renewal::now(
        &s.inventory,
        &[s.pat("nuget-feed").await],
        &Options::default(),
        &Stop::never(),
    )
    .await;
    assert!(
        now.unwrap_err()
            .to_string()
            .contains("try again in a moment")
    );

    holder.kill().unwrap();
    holder.wait().unwrap();
    let done = s.due().await;
    assert_eq!(done[0].action, Action::Regenerated, "{}", done[0].said());
    assert_eq!(s.creates().await, 1);
    kept::forget(&s.dir.path().join("config"), done[0].new_id.unwrap());
}

#[tokio::test]
async fn an_organization_that_cannot_be_listed_is_said_and_nothing_is_made() {
    let s = Setup::new(nuget("-25d", "+5d"), Policies::default()).await;
    s.turn_on("nuget-feed", RenewMode::Regenerate).await;
    emulator_fault(
        s.base(),
        json!({"method": "GET", "status": 503, "count": 0}),
    )
    .await;
    let done = s.due().await;
    assert_eq!(done[0].action, Action::Failed);
    assert_eq!(done[0].name, "nuget-feed");
    assert!(
        done[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("could not be listed")
    );
    assert_eq!(s.creates().await, 0);
}
