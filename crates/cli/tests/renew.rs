#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! `autorenew` and `renew`, as a user (or a systemd timer) runs them: against the emulator,
//! with a temporary home whose `.npmrc` holds nuget-feed's secret, and the real keyring of
//! the private session `cargo xtask test` starts (a renewed secret is kept there).

mod common;

use base64::Engine;
use common::{Service, known_token, stderr, stdout_json};
use serde_json::Value;

const FEED: &str = "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/";

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// `adopat` with the private session's keyring.
fn adopat(service: &Service, args: &[&str]) -> std::process::Output {
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS")
        .expect("a renewed secret is kept in the keyring: run the suite with `cargo xtask test`");
    let mut cmd = service.adopat_std();
    cmd.args(args).env("DBUS_SESSION_BUS_ADDRESS", bus);
    cmd.output().unwrap()
}

fn npmrc(service: &Service) -> std::path::PathBuf {
    service.dir.path().join("home/.npmrc")
}

/// nuget-feed (3 days left of 23: due) used by npm; git-push (200 days left) not due.
fn setup() -> Service {
    let service = Service::start();
    let file = npmrc(&service);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        format!(
            "{FEED}:username=contoso\n{FEED}:_password={}\n",
            b64(&known_token('a'))
        ),
    )
    .unwrap();
    for name in ["nuget-feed", "git-push"] {
        let out = adopat(&service, &["autorenew", name]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    service.forget_requests();
    service
}

/// The object `renew --json` printed for the PAT named `name`.
fn renewal_of(done: &Value, name: &str) -> Value {
    done.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no renewal of {name} in {done:#}"))
        .clone()
}

fn changes(service: &Service) -> Vec<Value> {
    service
        .requests()
        .into_iter()
        .filter(|r| r["method"] != "GET")
        .collect()
}

#[test]
fn autorenew_turns_on_changes_lists_and_turns_off() {
    let service = Service::start();
    let out = adopat(&service, &["--json", "autorenew", "nuget-feed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let on = stdout_json(&out);
    assert_eq!(on["name"], "nuget-feed");
    assert_eq!(on["org"], "contoso");
    assert_eq!(on["mode"], "regenerate");
    assert_eq!(on["before"], "7d");
    assert!(
        on["due"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .is_ok()
    );

    let out = adopat(
        &service,
        &[
            "--json",
            "autorenew",
            "nuget-feed",
            "--mode",
            "extend",
            "--before",
            "2d",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let changed = stdout_json(&out);
    assert_eq!(changed["mode"], "extend");
    assert_eq!(changed["before"], "2d");

    let listed = stdout_json(&adopat(&service, &["--json", "autorenew"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["mode"], "extend");
    let list = stdout_json(&adopat(&service, &["--json", "list"]));
    let marked: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["autorenew"].is_null())
        .collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0]["name"], "nuget-feed");
    let table = adopat(&service, &["list"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("renews (extend)"));

    let out = adopat(&service, &["autorenew", "nuget-feed", "--off"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("no longer renews itself"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        stdout_json(&adopat(&service, &["--json", "autorenew"])),
        Value::Array(vec![])
    );
}

#[test]
fn a_bad_lead_is_refused_before_any_request() {
    let service = Service::start();
    let out = adopat(&service, &["autorenew", "nuget-feed", "--before", "soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--before: 'soon' is not a lead"),
        "{}",
        stderr(&out)
    );
    assert!(service.requests().is_empty());
}

#[test]
fn renew_due_dry_run_says_what_it_would_do_and_changes_nothing() {
    let service = setup();
    let before = std::fs::read_to_string(npmrc(&service)).unwrap();
    let out = adopat(&service, &["--json", "renew", "--due", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let done = stdout_json(&out);
    let nuget = renewal_of(&done, "nuget-feed");
    assert_eq!(nuget["action"], "regenerated");
    assert_eq!(nuget["dryRun"], true);
    assert_eq!(nuget["updated"][0]["entry"], FEED, "{nuget:#}");
    assert_eq!(renewal_of(&done, "git-push")["action"], "not-due");
    assert!(changes(&service).is_empty(), "{:#?}", changes(&service));
    assert_eq!(std::fs::read_to_string(npmrc(&service)).unwrap(), before);
    assert!(service.pat_works("contoso", &known_token('a')));
}

#[test]
fn renew_due_puts_the_new_secret_where_the_old_was_and_revokes_it() {
    let service = setup();
    let out = adopat(&service, &["--json", "renew", "--due"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("\"token\""),
        "never printed unasked"
    );
    let done = stdout_json(&out);
    let nuget = renewal_of(&done, "nuget-feed");
    assert_eq!(nuget["action"], "regenerated", "{nuget:#}");
    assert_eq!(nuget["oldRevoked"], true);
    assert_eq!(nuget["notUpdated"], Value::Array(vec![]));
    assert_eq!(nuget["updated"][0]["kind"], "npm");
    let new_id = nuget["newId"].as_str().unwrap().to_owned();
    assert!(!service.pat_works("contoso", &known_token('a')));
    // The .npmrc holds a secret that works: the new PAT's.
    let text = std::fs::read_to_string(npmrc(&service)).unwrap();
    let written = text
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{FEED}:_password=")))
        .unwrap();
    let secret = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(written)
            .unwrap(),
    )
    .unwrap();
    assert!(service.pat_works("contoso", &secret));
    assert!(
        adopat_test_support::keyring_users().contains(&format!("pat/{new_id}")),
        "kept"
    );

    // The setting followed the new PAT, which is a fresh 23 days: not due again.
    let again = stdout_json(&adopat(&service, &["--json", "renew", "--due"]));
    let again = again
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == new_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(again["action"], "not-due");
    let _ = adopat(&service, &["revoke", &new_id, "--yes"]);
}

#[test]
fn a_read_only_place_keeps_the_old_pat_exit_7_and_the_next_run_finishes_without_another_pat() {
    let service = setup();
    let file = npmrc(&service);
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&file, perms).unwrap();

    let out = adopat(&service, &["--json", "renew", "--due"]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    let done = stdout_json(&out);
    let nuget = renewal_of(&done, "nuget-feed");
    assert_eq!(nuget["oldRevoked"], false);
    assert!(
        nuget["notUpdated"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("read-only")
    );
    assert!(
        service.pat_works("contoso", &known_token('a')),
        "the old PAT keeps working"
    );
    let made = service.pat_by_name("nuget-feed").len();

    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let out = adopat(&service, &["--json", "renew", "--due"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let done = stdout_json(&out);
    let finished = renewal_of(&done, "nuget-feed");
    assert_eq!(finished["newId"], nuget["newId"], "the same replacement");
    assert_eq!(finished["oldRevoked"], true);
    assert_eq!(
        service.pat_by_name("nuget-feed").len(),
        made,
        "no further PAT"
    );
    assert!(!service.pat_works("contoso", &known_token('a')));
    let _ = adopat(
        &service,
        &["revoke", nuget["newId"].as_str().unwrap(), "--yes"],
    );
}

#[test]
fn renew_by_hand_prints_only_with_print_and_a_failure_exits_1() {
    let service = setup();
    let out = adopat(&service, &["renew", "git-push", "--print"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(
        service.pat_works("fabrikam", &token),
        "the new token alone on stdout"
    );
    assert!(
        stderr(&out).contains("Renewed 'git-push' (fabrikam)"),
        "{}",
        stderr(&out)
    );

    // Offline: said, exit 1, nothing made.
    service.fault(serde_json::json!({"method": "POST", "status": 503, "count": 0}));
    let out = adopat(&service, &["--json", "renew", "nuget-feed"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let done = stdout_json(&out);
    assert_eq!(done[0]["action"], "failed");
    assert!(!done[0]["reason"].as_str().unwrap().is_empty());
    assert!(service.pat_works("contoso", &known_token('a')));
}

#[test]
fn two_renewals_at_once_renew_a_pat_once() {
    let service = setup();
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").unwrap();
    let spawn = || {
        let mut cmd = service.adopat_std();
        cmd.args(["--json", "renew", "--due"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd.spawn().unwrap()
    };
    let (first, second) = (spawn(), spawn());
    let outs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    let regenerated: Vec<Value> = outs
        .iter()
        .flat_map(|out| stdout_json(out).as_array().cloned().unwrap_or_default())
        .filter(|r| r["name"] == "nuget-feed" && r["action"] == "regenerated")
        .collect();
    assert!(regenerated.len() <= 1, "{regenerated:#?}");
    let made = service
        .requests()
        .iter()
        .filter(|r| r["method"] == "POST")
        .count();
    assert_eq!(made, 1, "one new PAT, whichever process made it");
    if let Some(one) = regenerated.first() {
        let _ = adopat(
            &service,
            &["revoke", one["newId"].as_str().unwrap(), "--yes"],
        );
    }
}
