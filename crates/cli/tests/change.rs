#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod common;

use adopat_emulator::Policies;
use common::{Service, known_token, standard_seed, stderr, stdout_json};
use serde_json::json;

#[test]
fn create_prints_a_working_secret_alone_on_its_line() {
    let service = Service::start();
    let out = service
        .adopat()
        .args([
            "--org",
            "contoso",
            "create",
            "--name",
            "npm-feed",
            "--scope",
            "vso.packaging",
            "--expires",
            "30d",
            "--print",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let secret = lines[0];
    assert_eq!(secret.len(), 84);
    assert!(service.pat_works("contoso", secret));
    assert!(!stderr(&out).contains(secret));
    let created = service.pat_by_name("npm-feed");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["scope"], "vso.packaging");
    // Nothing ever asks for a global PAT.
    assert!(
        service
            .requests()
            .iter()
            .all(|r| r["method"] != "POST" || r["path"].as_str().unwrap().contains("/contoso/"))
    );
}

#[test]
fn create_with_json_puts_the_secret_in_the_token_field() {
    let service = Service::start();
    let out = service
        .adopat()
        .args([
            "--json",
            "--org",
            "fabrikam",
            "create",
            "--name",
            "ci",
            "--scope",
            "vso.build vso.code",
            "--expires",
            "2w",
            "--print",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let pat = stdout_json(&out);
    assert_eq!(pat["orgs"], json!(["fabrikam"]));
    assert_eq!(pat["scopes"], json!(["vso.build", "vso.code"]));
    assert_eq!(pat["status"], "active");
    assert!(service.pat_works("fabrikam", pat["token"].as_str().unwrap()));
}

#[test]
fn bad_input_is_refused_before_any_request() {
    let service = Service::start();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "create",
                "--name",
                " ",
                "--scope",
                "vso.code",
                "--expires",
                "30d",
                "--print",
            ],
            "--name",
        ),
        (
            &[
                "create",
                "--name",
                "x",
                "--scope",
                "vso.cod",
                "--expires",
                "30d",
                "--print",
            ],
            "--scope",
        ),
        (
            &[
                "create",
                "--name",
                "x",
                "--scope",
                "vso.code",
                "--expires",
                "2019-01-01",
                "--print",
            ],
            "--expires",
        ),
        (
            &[
                "create",
                "--name",
                "x",
                "--scope",
                "vso.code",
                "--expires",
                "500d",
                "--print",
            ],
            "--expires",
        ),
        (
            &[
                "--org",
                "a/b",
                "create",
                "--name",
                "x",
                "--scope",
                "vso.code",
                "--expires",
                "30d",
                "--print",
            ],
            "--org",
        ),
        (
            &[
                "--org",
                "contoso",
                "--org",
                "fabrikam",
                "create",
                "--name",
                "x",
                "--scope",
                "vso.code",
                "--expires",
                "30d",
                "--print",
            ],
            "--org",
        ),
        (&["edit", "nuget-feed"], "nothing to change"),
        (
            &["edit", "nuget-feed", "--expires", "tomorrowish"],
            "--expires",
        ),
        (
            &[
                "regenerate",
                "nuget-feed",
                "--expires",
                "2000-01-01",
                "--print",
            ],
            "--expires",
        ),
        (&["revoke", "nuget-feed"], "--yes"),
    ];
    for (args, needle) in cases {
        let out = service.adopat().args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
    assert!(
        service.requests().is_empty(),
        "sent: {:?}",
        service.requests()
    );
}

#[test]
fn a_shortened_expiry_is_reported() {
    let service = Service::with(
        standard_seed(),
        Policies {
            max_lifespan_days: Some(30),
            ..Policies::default()
        },
    );
    let out = service
        .adopat()
        .args([
            "--json",
            "--org",
            "contoso",
            "create",
            "--name",
            "short",
            "--scope",
            "vso.code",
            "--expires",
            "90d",
            "--print",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("shortened the expiry"),
        "{}",
        stderr(&out)
    );
    let pat = stdout_json(&out);
    let valid_to: jiff::Timestamp = pat["validTo"].as_str().unwrap().parse().unwrap();
    let days = valid_to.duration_since(jiff::Timestamp::now()).as_hours() / 24;
    assert!((29..=30).contains(&days), "{days}");
}

#[test]
fn a_policy_refusal_reads_in_plain_words() {
    let service = Service::with(
        standard_seed(),
        Policies {
            restrict_full_scope: true,
            ..Policies::default()
        },
    );
    let out = service
        .adopat()
        .args([
            "--org",
            "contoso",
            "create",
            "--name",
            "all",
            "--scope",
            "app_token",
            "--expires",
            "30d",
            "--print",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).to_lowercase().contains("full"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn an_unknown_refusal_value_is_kept_as_text() {
    let service = Service::start();
    service.fault(json!({"method": "POST", "status": 200,
        "body": {"patToken": null, "patTokenError": "brandNewPolicyViolation", "patTokenErrorMessage": "A new rule."}}));
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
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("brandNewPolicyViolation"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("A new rule."), "{}", stderr(&out));
}

#[test]
fn edit_extends_renames_and_rescopes_keeping_the_secret() {
    let service = Service::start();
    let out = service
        .adopat()
        .args([
            "--json",
            "edit",
            "nuget-feed",
            "--expires",
            "90d",
            "--name",
            "nuget-feed-2",
            "--scope",
            "vso.packaging_write",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let pat = stdout_json(&out);
    assert_eq!(pat["name"], "nuget-feed-2");
    assert_eq!(pat["scopes"], json!(["vso.packaging_write"]));
    let state = service.pat_by_name("nuget-feed-2");
    assert_eq!(state[0]["validTo"], pat["validTo"]);
    assert!(
        service.pat_works("contoso", &known_token('a')),
        "the secret must stay the same"
    );
    let put = service
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "PUT")
        .count();
    assert_eq!(put, 1);
}

#[test]
fn an_expired_pat_cannot_be_extended_and_the_error_says_regenerate() {
    let service = Service::start();
    let out = service
        .adopat()
        .args(["edit", "old-ci", "--expires", "30d"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("regenerate"), "{}", stderr(&out));
}

#[test]
fn revoke_with_yes_stops_the_pat_working() {
    let service = Service::start();
    assert!(service.pat_works("fabrikam", &known_token('b')));
    let out = service
        .adopat()
        .args(["--json", "revoke", "git-push", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["status"], "revoked");
    assert!(!service.pat_works("fabrikam", &known_token('b')));
    let out = service.adopat().args(["--json", "list"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("git-push"));
}

/// On a terminal, revoke asks first; `script` gives it one and types the answer.
#[cfg(unix)]
fn revoke_on_a_terminal(service: &Service, answer: &str) -> std::process::Output {
    use std::io::Write;
    let adopat = service.adopat_std();
    let mut script = std::process::Command::new("script");
    script.env_clear();
    for (key, value) in adopat.get_envs() {
        if let Some(value) = value {
            script.env(key, value);
        }
    }
    let command = format!("{} revoke git-push", env!("CARGO_BIN_EXE_adopat"));
    let mut child = script
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    // Give the prompt time to appear before answering, as a person would.
    std::thread::sleep(std::time::Duration::from_millis(500));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{answer}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

// util-linux's `script` makes the terminal.
#[cfg(unix)]
#[test]
fn revoke_on_a_terminal_asks_and_does_nothing_without_yes() {
    let service = Service::start();
    let out = revoke_on_a_terminal(&service, "n");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Revoke 'git-push'"), "{text}");
    assert!(text.contains("Nothing revoked"), "{text}");
    assert!(service.pat_works("fabrikam", &known_token('b')));
    assert!(service.requests().iter().all(|r| r["method"] != "DELETE"));

    let out = revoke_on_a_terminal(&service, "y");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Revoked 'git-push'"), "{text}");
    assert!(!service.pat_works("fabrikam", &known_token('b')));
}

/// A span counts from Azure DevOps' clock, as the window's and the tray's do, not from a
/// machine clock that is months off.
#[test]
fn an_expiry_span_counts_from_the_service_s_clock() {
    let service = Service::at("2027-05-01T12:00:00Z");
    let wanted: jiff::Timestamp = "2027-05-31T12:00:00Z".parse().unwrap();
    let near = |at: &serde_json::Value| {
        let at: jiff::Timestamp = at.as_str().unwrap().parse().unwrap();
        // A day boundary where the user is (daylight saving) moves it by an hour at most.
        at.duration_since(wanted).abs() <= jiff::SignedDuration::from_hours(2)
    };
    for args in [
        ["--json", "edit", "nuget-feed", "--expires", "30d"].as_slice(),
        [
            "--json",
            "regenerate",
            "nuget-feed",
            "--expires",
            "30d",
            "--print",
            "--no-update",
        ]
        .as_slice(),
    ] {
        let out = service.adopat().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let pat = stdout_json(&out);
        assert!(near(&pat["validTo"]), "{args:?}: {pat}");
    }
}
