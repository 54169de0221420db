#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod common;

use common::{Service, stderr, stdout_json};
use serde_json::json;

fn list(service: &Service) -> std::process::Output {
    service
        .adopat()
        .args(["--json", "--org", "contoso", "list"])
        .output()
        .unwrap()
}

#[test]
fn no_token_means_sign_in_needed() {
    let service = Service::start();
    let out = service
        .adopat()
        .env_remove("ADOPAT_ACCESS_TOKEN")
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("ADOPAT_ACCESS_TOKEN"),
        "{}",
        stderr(&out)
    );
    assert!(service.requests().is_empty());
}

#[test]
fn a_token_the_service_refuses_means_sign_in_again() {
    let service = Service::start();
    let out = service
        .adopat()
        .env("ADOPAT_ACCESS_TOKEN", "not-a-valid-token")
        .args(["--org", "contoso", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("Sign in again"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("not-a-valid-token"));
}

#[test]
fn sign_in_pages_and_redirects_mean_sign_in_again() {
    for status in [203, 302] {
        let service = Service::start();
        service.fault(json!({"status": status, "html": true, "count": 0}));
        let out = list(&service);
        assert_eq!(out.status.code(), Some(3), "{status}: {}", stderr(&out));
        assert!(stderr(&out).contains("sign-in"), "{}", stderr(&out));
    }
}

#[test]
fn the_fed_auth_redirect_is_suppressed_on_every_call() {
    // The emulator answers 203 HTML without the header and 401 JSON with it; a 401
    // message shows the header went out.
    let service = Service::start();
    let out = service
        .adopat()
        .env("ADOPAT_ACCESS_TOKEN", "wrong")
        .args(["--org", "contoso", "list"])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("HTTP 401"), "{}", stderr(&out));
}

#[test]
fn access_denied_and_not_found_are_refusals() {
    let service = Service::start();
    service.fault(json!({"status": 403, "count": 0, "body": {"$id": "1", "message": "The requested operation is not allowed.", "typeKey": "InvalidAccessException", "errorCode": 0, "eventId": 3000}}));
    let out = list(&service);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("Access denied") && stderr(&out).contains("not allowed"),
        "{}",
        stderr(&out)
    );

    let service = Service::start();
    let out = service
        .adopat()
        .args(["--org", "nosuchorg", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

#[test]
fn a_short_rate_limit_is_waited_out() {
    let service = Service::start();
    service.fault(json!({"method": "GET", "status": 429, "retryAfter": 1, "count": 1}));
    let started = std::time::Instant::now();
    let out = list(&service);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "Retry-After was not honoured"
    );
}

#[test]
fn a_long_rate_limit_is_reported_with_its_wait() {
    let service = Service::start();
    service.fault(json!({"status": 429, "retryAfter": 120, "count": 0}));
    let out = list(&service);
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("120 s"), "{}", stderr(&out));
}

#[test]
fn gets_are_retried_through_outages_and_dropped_connections() {
    let service = Service::start();
    service.fault(json!({"method": "GET", "status": 503, "count": 1}));
    service.fault(json!({"method": "GET", "drop": true, "count": 1}));
    let out = list(&service);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout_json(&out).as_array().unwrap().is_empty());
}

#[test]
fn a_lasting_outage_is_unavailable_after_bounded_retries() {
    let service = Service::start();
    service.fault(json!({"status": 503, "count": 0}));
    let out = list(&service);
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("unavailable"), "{}", stderr(&out));
    let gets = service.requests().len();
    assert!((2..=5).contains(&gets), "{gets} attempts");
}

#[test]
fn a_failed_create_is_repeated_only_once_it_is_known_that_none_was_made() {
    let service = Service::start();
    service.fault(json!({"method": "POST", "status": 500, "count": 0}));
    let out = service
        .adopat()
        .args([
            "--org",
            "contoso",
            "create",
            "--name",
            "x",
            "--scope",
            "vso.code",
            "--expires",
            "30d",
            "--print",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let posts = service
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .count();
    // A 500 may come after the service acted: AdoPat lists, finds none, sends once more.
    assert_eq!(posts, 2);
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("No PAT was created (AdoPat checked, twice): nothing changed."),
        "{}",
        stderr(&out)
    );
    assert!(service.pat_by_name("x").is_empty());
}

#[test]
fn one_org_down_still_lists_the_others_and_says_so() {
    let service = Service::start();
    service.fault(json!({"pathContains": "/fabrikam/", "status": 503, "count": 0}));
    let out = service.adopat().args(["--json", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("fabrikam"), "{}", stderr(&out));
    let list = stdout_json(&out);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "nuget-feed")
    );
}

#[test]
fn a_plain_http_service_off_this_machine_is_refused() {
    let service = Service::start();
    let out = service
        .adopat()
        .env("ADOPAT_VSSPS_URL", "http://dev.example.com")
        .args(["--org", "contoso", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ADOPAT_VSSPS_URL"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unreachable_service_is_unavailable() {
    let service = Service::start();
    let out = service
        .adopat()
        .env("ADOPAT_VSSPS_URL", "http://127.0.0.1:9")
        .args(["--org", "contoso", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(
        stderr(&out).contains("could not be reached"),
        "{}",
        stderr(&out)
    );
}
