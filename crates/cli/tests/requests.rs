//! Azure DevOps rate-limits users: every request counts. Acting on a PAT by its id in a
//! named organization sends only the operation's own requests; a name costs only the
//! listings needed to find it, active PATs first.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod common;

use common::{Service, stderr, stdout_json};

/// "METHOD filter" for each PAT API request the service received since the last call.
fn sent(service: &Service) -> Vec<String> {
    let log = service.requests();
    service.forget_requests();
    log.iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("/_apis/tokens/pats"))
        .map(|r| {
            let query = r["query"].as_str().unwrap_or_default();
            let filter = query
                .split('&')
                .find_map(|p| p.strip_prefix("displayFilterOption="))
                .unwrap_or("");
            format!("{} {filter}", r["method"].as_str().unwrap())
                .trim()
                .to_owned()
        })
        .collect()
}

fn id_of(service: &Service, name: &str) -> String {
    service.pat_by_name(name)[0]["authorizationId"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn by_id_in_one_organization_only_the_operation_is_sent() {
    let service = Service::start();
    let feed = id_of(&service, "nuget-feed");
    service.forget_requests();

    let out = service
        .adopat()
        .args(["--org", "contoso", "edit", &feed, "--expires", "20d"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sent(&service), ["GET", "PUT"]);

    let out = service
        .adopat()
        .args(["--org", "contoso", "--json", "regenerate", &feed, "--print"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sent(&service), ["GET", "POST", "DELETE"]);
    let new = stdout_json(&out);
    assert_eq!(new["name"], "nuget-feed", "the twin copies the PAT as read");
    assert_eq!(new["scopes"], serde_json::json!(["vso.packaging"]));
    assert!(service.pat_works("contoso", new["token"].as_str().unwrap()));

    let new_id = new["id"].as_str().unwrap();
    let out = service
        .adopat()
        .args(["--org", "contoso", "revoke", new_id, "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sent(&service), ["GET", "DELETE"]);
}

#[test]
fn a_name_costs_only_the_listings_needed_to_find_it() {
    let service = Service::start();
    service.forget_requests();
    // Active in contoso: one active listing per organization.
    let out = service
        .adopat()
        .args(["regenerate", "nuget-feed", "--print"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut requests = sent(&service);
    requests.sort();
    assert_eq!(
        requests,
        ["DELETE", "GET", "GET active", "GET active", "POST"],
        "two organizations listed once each, then the regenerate"
    );

    // Expired: not among the active ones, so the other statuses are listed too.
    let out = service
        .adopat()
        .args(["--org", "contoso", "show", "old-ci"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut requests = sent(&service);
    requests.sort();
    assert_eq!(requests, ["GET active", "GET expired", "GET revoked"]);
}
