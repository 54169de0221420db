//! "Nothing lost": answers lost after the service acted, interruptions at each step of a
//! regenerate, and hostile or odd answers. Each ends with the secret in the user's hands
//! or nothing changed, and the user told which.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod common;

use common::{Service, known_token, stderr, stdout_json};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const CREATE: [&str; 10] = [
    "--org",
    "contoso",
    "create",
    "--name",
    "fresh",
    "--scope",
    "vso.code",
    "--expires",
    "30d",
    "--print",
];

fn active_named(service: &Service, name: &str) -> Vec<Value> {
    service
        .pat_by_name(name)
        .into_iter()
        .filter(|p| p["status"] == "active")
        .collect()
}

fn posts(service: &Service) -> usize {
    service
        .requests()
        .iter()
        .filter(|r| r["method"] == "POST")
        .count()
}

#[test]
fn a_create_whose_answer_is_lost_leaves_nothing_behind_and_says_so() {
    for spoil in [
        json!({"drop": true}),
        json!({"truncate": true}),
        json!({"garble": true}),
        json!({"delayMs": 4000}),
    ] {
        let service = Service::start();
        let mut fault = json!({"method": "POST", "act": true});
        fault
            .as_object_mut()
            .unwrap()
            .extend(spoil.as_object().unwrap().clone());
        service.fault(fault);
        let out = service
            .adopat()
            .args(["--timeout", "2"])
            .args(CREATE)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(5), "{spoil}: {err}");
        assert!(
            err.contains("had created 'fresh' all the same") && err.contains("revoked it again"),
            "{spoil}: {err}"
        );
        assert!(out.stdout.is_empty(), "{spoil}: no secret to print");
        let made = service.pat_by_name("fresh");
        assert_eq!(made.len(), 1, "{spoil}: the service made it once");
        assert_eq!(
            made[0]["status"], "revoked",
            "{spoil}: the orphan is revoked"
        );
        assert_eq!(posts(&service), 1, "{spoil}: not sent again once made");
    }
}

#[test]
fn a_create_refused_before_the_service_acted_is_sent_once_more_and_succeeds() {
    let service = Service::start();
    service.fault(json!({"method": "POST", "status": 503}));
    let out = service.adopat().args(CREATE).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let secret = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(service.pat_works("contoso", &secret));
    assert_eq!(active_named(&service, "fresh").len(), 1);
    assert_eq!(posts(&service), 2);
}

#[test]
fn a_regenerate_whose_create_answer_is_lost_keeps_the_old_pat_and_can_be_retried() {
    let service = Service::start();
    service.fault(json!({"method": "POST", "act": true, "drop": true}));
    let regenerate = ["--org", "contoso", "regenerate", "nuget-feed", "--print"];
    let out = service.adopat().args(regenerate).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("revoked it again"),
        "{}",
        stderr(&out)
    );
    assert!(
        service.pat_works("contoso", &known_token('a')),
        "old still works"
    );
    assert_eq!(
        active_named(&service, "nuget-feed").len(),
        1,
        "no twin left"
    );

    let out = service.adopat().args(regenerate).output().unwrap();
    assert!(out.status.success(), "the retry works: {}", stderr(&out));
    let secret = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(service.pat_works("contoso", &secret));
    assert!(!service.pat_works("contoso", &known_token('a')));
}

#[test]
fn no_retry_after_value_panics_and_long_waits_are_reported() {
    for value in [
        "1e20",
        "1e300",
        "18446744073709551616",
        "inf",
        "NaN",
        "-5",
        "soon",
    ] {
        let service = Service::start();
        service.fault(
            json!({"method": "GET", "pathContains": "/_apis/tokens/pats",
            "status": 429, "headers": {"Retry-After": value}, "count": 0}),
        );
        let started = Instant::now();
        let out = service
            .adopat()
            .args(["--org", "contoso", "--timeout", "5", "list"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(5), "{value}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("panicked"),
            "{value}: {}",
            stderr(&out)
        );
        assert!(started.elapsed() < Duration::from_secs(20), "{value}");
    }
}

#[test]
fn a_circle_of_continuation_tokens_is_an_error_after_a_few_pages() {
    let service = Service::start();
    let page =
        |next: &str| json!({"count": 0, "value": null, "patTokens": [], "continuationToken": next});
    service.fault(
        json!({"method": "GET", "queryContains": "continuationToken=A",
        "status": 200, "body": page("B"), "count": 0}),
    );
    service.fault(
        json!({"method": "GET", "queryContains": "continuationToken=B",
        "status": 200, "body": page("A"), "count": 0}),
    );
    service.fault(
        json!({"method": "GET", "pathContains": "/contoso/_apis/tokens/pats",
        "status": 200, "body": page("A"), "count": 1}),
    );
    let out = service
        .adopat()
        .args(["--org", "contoso", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("in a circle"), "{}", stderr(&out));
    assert!(
        service.requests().len() < 10,
        "{} requests",
        service.requests().len()
    );
}

#[test]
fn a_malformed_page_is_an_error_not_an_empty_organization() {
    for body in [json!({"foo": 1}), json!([])] {
        let service = Service::start();
        service.fault(
            json!({"method": "GET", "pathContains": "/fabrikam/_apis/tokens/pats",
            "status": 200, "body": body, "count": 0}),
        );
        let out = service.adopat().args(["--json", "list"]).output().unwrap();
        assert_eq!(out.status.code(), Some(5), "{body}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("fabrikam"),
            "{body}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn an_operation_done_is_exit_0_even_when_another_organization_cannot_be_listed() {
    let service = Service::start();
    service
        .fault(json!({"method": "GET", "pathContains": "/fabrikam/", "status": 503, "count": 0}));
    let out = service
        .adopat()
        .args(["revoke", "nuget-feed", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Revoked 'nuget-feed'"));
    assert!(stderr(&out).contains("fabrikam"), "{}", stderr(&out));

    // The PAT lives in the organization that cannot be listed: that is the answer.
    let out = service
        .adopat()
        .args(["show", "git-push"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Could not look for 'git-push' in fabrikam"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hostile_names_reach_the_terminal_escaped_and_json_exact() {
    let evil = "evil\u{1b}]0;owned\u{7}\u{1b}[2J\rname\u{202e}exe";
    let mut seed = common::standard_seed();
    seed["pats"].as_array_mut().unwrap().push(json!({
        "displayName": evil, "scope": "vso.code", "orgs": ["contoso"], "validTo": "+9d"
    }));
    let service = Service::with(seed, Default::default());
    let out = service
        .adopat()
        .args(["--org", "contoso", "list"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    for raw in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
        assert!(
            !text.contains(raw),
            "{raw:?} reached the terminal: {text:?}"
        );
    }
    assert!(text.contains("evil\\u{1b}]0;owned"), "{text}");
    let out = service
        .adopat()
        .args(["--org", "contoso", "show", evil])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
    let out = service
        .adopat()
        .args(["--org", "contoso", "--json", "list"])
        .output()
        .unwrap();
    let names: Vec<String> = stdout_json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        names.contains(&evil.to_owned()),
        "JSON keeps the name exact"
    );

    let out = service
        .adopat()
        .args([
            "--org",
            "contoso",
            "create",
            "--name",
            "a\u{202e}b",
            "--scope",
            "vso.code",
            "--expires",
            "30d",
            "--print",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--name"), "{}", stderr(&out));
}

#[test]
fn a_very_long_name_does_not_slow_the_table_down() {
    let long = "n".repeat(2_000_000);
    let mut seed = common::standard_seed();
    seed["pats"].as_array_mut().unwrap().push(json!({
        "displayName": long, "scope": "vso.code", "orgs": ["contoso"], "validTo": "+9d"
    }));
    let service = Service::with(seed, Default::default());
    let out = service
        .adopat()
        .args(["--org", "contoso", "list"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("nnn…"), "shortened in the table");
    assert!(text.len() < 10_000, "{} bytes", text.len());
}

#[test]
fn concurrent_changes_to_the_config_are_all_kept_and_no_temporary_file_is_left() {
    let service = Service::start();
    let children: Vec<_> = (0..20)
        .map(|i| {
            service
                .adopat_std()
                .args(["orgs", "--hide", &format!("org{i:02}")])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let dir = service.dir.path().join("config");
    let config: Value =
        serde_json::from_slice(&std::fs::read(dir.join("config.json")).unwrap()).unwrap();
    assert_eq!(
        config["hiddenOrgs"].as_array().unwrap().len(),
        20,
        "{config}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_config_without_end_is_refused_not_read() {
    use std::os::unix::fs::PermissionsExt;
    let service = Service::start();
    let dir = service.dir.path().join("config");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("config.json")).unwrap();
    let out = service
        .adopat()
        .args(["orgs", "--hide", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("config.json is not a regular file"),
        "{}",
        stderr(&out)
    );

    let fresh = Service::start();
    let out = fresh
        .adopat()
        .args(["orgs", "--hide", "x"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mode = std::fs::metadata(fresh.dir.path().join("config"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "{mode:o}");
}

#[test]
fn a_service_that_does_not_answer_is_given_up_on_at_the_timeout() {
    let service = Service::start();
    service.control(
        reqwest::Method::POST,
        "latency",
        Some(json!({"ms": 30_000})),
    );
    let started = Instant::now();
    let out = service
        .adopat()
        .args(["--org", "contoso", "--timeout", "2", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("--timeout"), "{}", stderr(&out));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn input_is_refused_before_any_request() {
    let service = Service::start();
    for args in [
        vec!["show", ""],
        vec!["revoke", " ", "--yes"],
        vec![
            "--org",
            "contoso",
            "create",
            "--name",
            "x",
            "--scope",
            "vso.code",
            "--expires",
            "9999-12-31T23:59:59Z",
        ],
    ] {
        let out = service.adopat().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(service.requests().is_empty(), "{args:?} sent a request");
    }
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
            "9999-12-31T23:59:59Z",
        ])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("more than a year ahead"),
        "{}",
        stderr(&out)
    );
}
