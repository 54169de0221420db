//! A regenerate interrupted at each step (SIGTERM, Ctrl-C, SIGKILL): afterwards the user
//! holds a working secret, or nothing changed, and was told which.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod common;

use common::{Service, known_token, stderr};
use serde_json::json;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

const REGENERATE: [&str; 5] = ["--org", "contoso", "regenerate", "nuget-feed", "--print"];

fn start(service: &Service, extra: &[&str]) -> Child {
    service
        .adopat_std()
        .args(extra)
        .args(REGENERATE)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until the service has received a request of `method` whose query has `part`.
fn wait_for(service: &Service, method: &str, part: &str) {
    let until = Instant::now() + Duration::from_secs(20);
    while Instant::now() < until {
        let seen = service.requests().iter().any(|r| {
            r["method"] == method && r["query"].as_str().unwrap_or_default().contains(part)
        });
        if seen {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no {method} with {part} arrived");
}

fn signal(child: &Child, name: &str) {
    let sent = std::process::Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

fn secret_in(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout);
    text.split('"')
        .chain(text.split_whitespace())
        .find(|part| part.len() == 84 && &part[76..80] == "AZDO")
        .unwrap_or_else(|| panic!("no secret on stdout: {text:?}"))
        .to_owned()
}

#[test]
fn stopped_before_the_create_nothing_changes() {
    let service = Service::start();
    service.fault(
        json!({"method": "GET", "queryContains": "authorizationId", "act": true,
        "delayMs": 5000}),
    );
    let child = start(&service, &[]);
    wait_for(&service, "GET", "authorizationId");
    signal(&child, "TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("'nuget-feed' is unchanged"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    assert!(service.pat_works("contoso", &known_token('a')));
    assert_eq!(service.pat_by_name("nuget-feed").len(), 1, "no twin made");
}

#[test]
fn interrupted_during_the_create_the_new_secret_is_handed_over_and_the_old_kept() {
    let service = Service::start();
    service.fault(json!({"method": "POST", "act": true, "delayMs": 2000}));
    let child = start(&service, &[]);
    wait_for(&service, "POST", "");
    signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let secret = secret_in(&out);
    assert!(
        service.pat_works("contoso", &secret),
        "the new secret works"
    );
    assert!(
        service.pat_works("contoso", &known_token('a')),
        "the old is not revoked"
    );
    assert!(stderr(&out).contains("is still active"), "{}", stderr(&out));
}

#[test]
fn terminated_during_the_revoke_the_revoke_completes_and_the_secret_is_out() {
    let service = Service::start();
    service.fault(json!({"method": "DELETE", "act": true, "delayMs": 2000}));
    let child = start(&service, &[]);
    wait_for(&service, "DELETE", "authorizationId");
    signal(&child, "TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{}", stderr(&out));
    let secret = secret_in(&out);
    assert!(service.pat_works("contoso", &secret));
    assert!(!service.pat_works("contoso", &known_token('a')));
    assert!(stderr(&out).contains("old one revoked"), "{}", stderr(&out));
}

#[test]
fn killed_during_the_revoke_the_secret_is_already_on_stdout() {
    for extra in [&[][..], &["--json"][..]] {
        let service = Service::start();
        service.fault(json!({"method": "DELETE", "act": true, "delayMs": 5000}));
        let child = start(&service, extra);
        wait_for(&service, "DELETE", "authorizationId");
        signal(&child, "KILL");
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), None, "killed");
        let secret = secret_in(&out);
        assert!(service.pat_works("contoso", &secret), "{extra:?}");
    }
}

#[test]
fn the_json_of_a_printed_regenerate_is_one_object_with_old_revoked_last() {
    let service = Service::start();
    let out = service
        .adopat()
        .args(["--json"])
        .args(REGENERATE)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["oldRevoked"], true);
    assert_eq!(value["name"], "nuget-feed");
    assert!(service.pat_works("contoso", value["token"].as_str().unwrap()));
}
