#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod common;

use common::{Service, known_token, stderr, stdout_json};
use serde_json::json;

#[test]
fn regenerate_hands_over_a_working_twin_and_kills_the_old_secret() {
    let service = Service::start();
    let old = service.pat_by_name("nuget-feed")[0].clone();
    let out = service
        .adopat()
        .args(["--json", "regenerate", "nuget-feed", "--print"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let new = stdout_json(&out);
    assert_eq!(new["replaces"], old["authorizationId"]);
    assert_eq!(new["oldRevoked"], true);
    assert_eq!(new["name"], "nuget-feed");
    assert_eq!(new["scopes"], json!(["vso.packaging"]));
    assert_ne!(new["id"], old["authorizationId"]);
    assert!(service.pat_works("contoso", new["token"].as_str().unwrap()));
    assert!(!service.pat_works("contoso", &known_token('a')));
    // The same lifetime again, from now (23 days).
    let valid_to: jiff::Timestamp = new["validTo"].as_str().unwrap().parse().unwrap();
    let days = valid_to.duration_since(jiff::Timestamp::now()).as_hours() / 24;
    assert!((22..=23).contains(&days), "{days}");
}

#[test]
fn a_failed_revoke_still_delivers_the_new_secret_and_exits_6() {
    let service = Service::start();
    service.fault(json!({"method": "DELETE", "status": 503, "count": 0}));
    let out = service
        .adopat()
        .args(["--json", "regenerate", "nuget-feed", "--print"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    let new = stdout_json(&out);
    assert_eq!(new["oldRevoked"], false);
    assert!(service.pat_works("contoso", new["token"].as_str().unwrap()));
    assert!(
        service.pat_works("contoso", &known_token('a')),
        "the old one is still active"
    );
    assert!(stderr(&out).contains("still active"), "{}", stderr(&out));
    // A DELETE is never repeated blindly.
    let deletes = service
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "DELETE")
        .count();
    assert_eq!(deletes, 1);
}

#[test]
fn a_global_pat_is_replaced_in_the_one_org_given() {
    let service = Service::start();
    let out = service
        .adopat()
        .args(["regenerate", "everywhere", "--print"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--org"), "{}", stderr(&out));
    assert!(service.requests().iter().all(|r| r["method"] == "GET"));

    let out = service
        .adopat()
        .args([
            "--json",
            "--org",
            "fabrikam",
            "regenerate",
            "everywhere",
            "--print",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let new = stdout_json(&out);
    assert_eq!(new["global"], false);
    assert_eq!(new["orgs"], json!(["fabrikam"]));
    let token = new["token"].as_str().unwrap();
    assert!(service.pat_works("fabrikam", token));
    assert!(!service.pat_works("contoso", token));
    assert!(
        !service.pat_works("contoso", &known_token('d')),
        "the global PAT is revoked"
    );
}

#[test]
fn a_revoked_pat_cannot_be_regenerated() {
    let service = Service::start();
    let out = service
        .adopat()
        .args(["regenerate", "gone", "--print"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("revoked"), "{}", stderr(&out));
    assert!(service.requests().iter().all(|r| r["method"] == "GET"));
}
