#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod common;

use common::{Service, known_token, stderr, stdout_json};
use serde_json::Value;

fn names(list: &Value) -> Vec<String> {
    let mut names: Vec<String> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["name"].as_str().expect("name").to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn list_shows_the_active_pats_of_every_org_by_default() {
    let service = Service::start();
    let out = service.adopat().args(["--json", "list"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout_json(&out);
    assert_eq!(
        names(&list),
        ["everywhere", "git-push", "nuget-feed", "twin", "twin"]
    );
    for pat in list.as_array().unwrap() {
        assert_eq!(pat["status"], "active");
        for key in [
            "id",
            "name",
            "orgs",
            "global",
            "scopes",
            "validFrom",
            "validTo",
            "status",
        ] {
            assert!(pat.get(key).is_some(), "{key} missing in {pat}");
        }
    }
}

#[test]
fn a_global_pat_is_one_entry_naming_every_org_that_lists_it() {
    let service = Service::start();
    let out = service
        .adopat()
        .args(["--json", "list", "--filter", "all"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout_json(&out);
    let global: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == "everywhere")
        .collect();
    assert_eq!(global.len(), 1);
    assert_eq!(global[0]["global"], true);
    assert_eq!(
        global[0]["orgs"],
        serde_json::json!(["contoso", "fabrikam"])
    );
}

#[test]
fn filter_all_tells_every_status_apart() {
    let service = Service::start();
    let out = service
        .adopat()
        .args(["--json", "list", "--filter", "all"])
        .output()
        .unwrap();
    let list = stdout_json(&out);
    let status = |name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("nuget-feed"), "active");
    assert_eq!(status("old-ci"), "expired");
    assert_eq!(status("gone"), "revoked");
    for (filter, expected) in [("expired", vec!["old-ci"]), ("revoked", vec!["gone"])] {
        let out = service
            .adopat()
            .args(["--json", "list", "--filter", filter])
            .output()
            .unwrap();
        assert_eq!(names(&stdout_json(&out)), expected, "{filter}");
    }
}

#[test]
fn a_moved_clock_turns_an_active_pat_expired() {
    let service = Service::start();
    service.control(
        reqwest::Method::POST,
        "clock",
        Some(serde_json::json!({"advanceSeconds": 4 * 86400})),
    );
    let out = service
        .adopat()
        .args(["--json", "list", "--filter", "expired"])
        .output()
        .unwrap();
    assert_eq!(names(&stdout_json(&out)), ["nuget-feed", "old-ci"]);
}

#[test]
fn expiring_within_keeps_only_what_is_due() {
    let service = Service::start();
    let out = service
        .adopat()
        .args(["--json", "list", "--expiring-within", "7d"])
        .output()
        .unwrap();
    assert_eq!(names(&stdout_json(&out)), ["nuget-feed"]);
    let out = service
        .adopat()
        .args(["list", "--expiring-within", "soon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--expiring-within"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_table_reads_as_text_with_no_colour_when_piped() {
    let service = Service::at("2026-11-20T10:00:00Z");
    let out = service
        .adopat()
        .env_remove("NO_COLOR")
        .arg("list")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}'),
        "escape codes in piped output: {text:?}"
    );
    let first_data_line = text.lines().nth(1).unwrap();
    // Soonest expiry first, with a relative time and the date.
    assert!(first_data_line.contains("nuget-feed"), "{text}");
    assert!(
        first_data_line.contains("in 2 days") || first_data_line.contains("in 3 days"),
        "{text}"
    );
    assert!(text.contains("Packaging (read)"), "{text}");
    assert!(
        text.contains("all orgs: stops working on 1 December 2026"),
        "{text}"
    );
}

#[test]
fn a_global_pat_is_listed_as_stopped_once_the_service_is_past_the_date() {
    let service = Service::at("2026-12-02T09:00:00Z");
    let out = service.adopat().arg("list").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text.lines().find(|l| l.contains("everywhere")).unwrap();
    assert!(
        row.contains("all orgs: stopped working on 1 December 2026"),
        "{text}"
    );
    assert!(
        !service.pat_works("contoso", &known_token('d')),
        "the service refuses it"
    );
    let out = service
        .adopat()
        .args(["show", "everywhere"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("global PAT: it stopped working on 1 December 2026"),
        "{text}"
    );
    // Replacing it per organization still works after the date.
    let out = service
        .adopat()
        .args([
            "--org",
            "fabrikam",
            "--json",
            "regenerate",
            "everywhere",
            "--print",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let new = stdout_json(&out);
    assert_eq!(new["orgs"], serde_json::json!(["fabrikam"]));
    assert_eq!(new["oldRevoked"], true);
    assert!(service.pat_works("fabrikam", new["token"].as_str().unwrap()));
}

#[test]
fn orgs_come_from_discovery_without_org() {
    let service = Service::start();
    let out = service.adopat().args(["--json", "orgs"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let orgs = stdout_json(&out);
    let names: Vec<&str> = orgs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["contoso", "fabrikam"]);
    assert!(orgs[0]["account"].as_str().is_some_and(|a| !a.is_empty()));
    let paths: Vec<String> = service
        .requests()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        paths.iter().any(|p| p.ends_with("/profiles/me")),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.ends_with("/_apis/accounts")),
        "{paths:?}"
    );
}

#[test]
fn org_limits_the_listing_and_skips_discovery() {
    let service = Service::start();
    let out = service
        .adopat()
        .args(["--json", "--org", "fabrikam", "list"])
        .output()
        .unwrap();
    assert_eq!(
        names(&stdout_json(&out)),
        ["everywhere", "git-push", "twin"]
    );
    assert!(
        service
            .requests()
            .iter()
            .all(|r| r["path"].as_str().unwrap().contains("/fabrikam/"))
    );
}

#[test]
fn show_finds_by_name_or_id_and_names_an_ambiguity() {
    let service = Service::start();
    let out = service
        .adopat()
        .args(["--json", "show", "git-push"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let pat = stdout_json(&out);
    assert_eq!(pat["scopes"], serde_json::json!(["vso.code_write"]));
    let id = pat["id"].as_str().unwrap().to_owned();
    let out = service.adopat().args(["show", &id]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Code (read & write)"));

    let out = service.adopat().args(["show", "twin"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let twins = service.pat_by_name("twin");
    for twin in twins {
        assert!(
            stderr(&out).contains(twin["authorizationId"].as_str().unwrap()),
            "{}",
            stderr(&out)
        );
    }

    let out = service
        .adopat()
        .args(["show", "no-such-pat"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("no-such-pat"));
}

#[test]
fn demo_lists_the_seeded_pats_with_no_account_and_no_network() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_adopat"))
        .env_clear()
        .args(["--demo", "--json", "list", "--filter", "all"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout_json(&out);
    let list = list.as_array().unwrap();
    assert!(list.len() >= 9, "{list:?}");
    for status in ["active", "expired", "revoked"] {
        assert!(
            list.iter().any(|p| p["status"] == status),
            "no {status} PAT in the demo"
        );
    }
    assert!(list.iter().any(|p| p["global"] == true));
    assert!(
        list.iter()
            .any(|p| p["scopes"] == serde_json::json!(["app_token"]))
    );
}

#[test]
fn hidden_orgs_stay_out_of_orgs_and_lists_until_shown_again() {
    let service = Service::start();
    let out = service
        .adopat()
        .args(["orgs", "--hide", "fabrikam"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(service.requests().is_empty(), "hiding is local");
    let out = service.adopat().args(["--json", "orgs"]).output().unwrap();
    assert_eq!(stdout_json(&out)[0]["name"], "contoso");
    assert_eq!(stdout_json(&out).as_array().unwrap().len(), 1);
    let out = service.adopat().args(["--json", "list"]).output().unwrap();
    assert!(!names(&stdout_json(&out)).contains(&"git-push".to_owned()));
    // Naming a hidden org still works.
    let out = service
        .adopat()
        .args(["--json", "--org", "fabrikam", "list"])
        .output()
        .unwrap();
    assert!(names(&stdout_json(&out)).contains(&"git-push".to_owned()));
    let out = service
        .adopat()
        .args(["orgs", "--unhide", "fabrikam"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = service.adopat().args(["--json", "orgs"]).output().unwrap();
    assert_eq!(stdout_json(&out).as_array().unwrap().len(), 2);
}
