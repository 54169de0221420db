//! The control API and what it injects: faults, latency, the request log, the clock and
//! the state view; and the lifecycle of the emulator itself (library and binary).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use adopat_emulator::{Config, Emulator, Seed};
use common::{PAT_API, TOKEN};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn pats(org: &str) -> String {
    format!("/{org}/_apis/tokens/pats?{PAT_API}")
}

#[tokio::test]
async fn a_429_fault_carries_the_rate_limit_headers_once() {
    let env = common::start(Seed::Empty).await;
    env.control("faults", json!({ "status": 429, "retryAfter": 7 }))
        .await;
    let limited = env.get(&pats("fabrikam")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.header("retry-after"), Some("7"));
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    for header in [
        "x-ratelimit-resource",
        "x-ratelimit-limit",
        "x-ratelimit-reset",
    ] {
        assert!(limited.header(header).is_some(), "{header}");
    }
    let reset: i64 = limited
        .header("x-ratelimit-reset")
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset > jiff::Timestamp::now().as_second());
    let body = limited.json();
    assert!(body["message"].as_str().unwrap().starts_with(
        "TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource"
    ));
    assert_eq!(env.get(&pats("fabrikam")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn faults_match_method_and_path_and_count_down() {
    let env = common::start(Seed::Empty).await;
    env.control(
        "faults",
        json!({ "method": "POST", "pathContains": "/_apis/Tokens/", "status": 503, "count": 2,
                "body": { "message": "custom" } }),
    )
    .await;
    assert_eq!(env.get(&pats("fabrikam")).await.status, StatusCode::OK);
    for _ in 0..2 {
        let failed = env.post(&pats("fabrikam"), json!({})).await;
        assert_eq!(failed.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(failed.json(), json!({ "message": "custom" }));
    }
    assert_ne!(
        env.post(&pats("fabrikam"), json!({})).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );

    env.control("faults", json!({ "status": 500, "count": 0 }))
        .await;
    for _ in 0..3 {
        assert_eq!(
            env.get(&pats("contoso")).await.status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
    let cleared = env
        .send(env.client.delete(env.url("/_emulator/faults")))
        .await;
    assert_eq!(cleared.status, StatusCode::NO_CONTENT);
    assert_eq!(env.get(&pats("contoso")).await.status, StatusCode::OK);

    let typo = env
        .send(
            env.client
                .post(env.url("/_emulator/faults"))
                .json(&json!({ "stauts": 500 })),
        )
        .await;
    assert_eq!(typo.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_dropped_connection_gets_no_answer_at_all() {
    let env = common::start(Seed::Empty).await;
    env.control(
        "faults",
        json!({ "drop": true, "pathContains": "tokens/pats" }),
    )
    .await;
    let error = env
        .request(reqwest::Method::GET, &pats("fabrikam"))
        .send()
        .await
        .expect_err("no response");
    assert!(!error.is_status(), "{error:?}");
    assert_eq!(env.get(&pats("fabrikam")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn html_faults_imitate_the_sign_in_redirects() {
    let env = common::start(Seed::Empty).await;
    env.control("faults", json!({ "html": true })).await;
    let page = env.get(&pats("fabrikam")).await;
    assert_eq!(page.status, StatusCode::NON_AUTHORITATIVE_INFORMATION);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );

    env.control("faults", json!({ "html": true, "status": 302 }))
        .await;
    let moved = env.get(&pats("fabrikam")).await;
    assert_eq!(moved.status, StatusCode::FOUND);
    let location = moved.header("location").unwrap().to_owned();
    assert!(location.contains("/_signin?realm="), "{location}");
    let followed = env.send(env.client.get(&location)).await;
    assert_eq!(followed.status, StatusCode::OK);
    assert!(
        followed
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
}

#[tokio::test]
async fn latency_delays_each_request_without_queueing_them() {
    let env = common::start(Seed::Empty).await;
    env.control("latency", json!({ "ms": 50 })).await;
    let started = Instant::now();
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let request = env.request(reqwest::Method::GET, &pats("fabrikam"));
        requests.spawn(async move { request.send().await.map(|answer| answer.status()) });
    }
    while let Some(status) = requests.join_next().await {
        assert_eq!(status.unwrap().unwrap(), StatusCode::OK);
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(50), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(300), "{elapsed:?}");

    let control_started = Instant::now();
    env.state().await;
    assert!(
        control_started.elapsed() < Duration::from_millis(50),
        "the control API is not delayed"
    );
}

#[tokio::test]
async fn the_request_log_shows_what_was_sent_but_no_secret() {
    let env = common::start(Seed::Empty).await;
    let created = env
        .create("fabrikam", "logged", "vso.code", "2099-01-01T00:00:00Z")
        .await;
    let secret = created["patToken"]["token"].as_str().unwrap().to_owned();
    env.send(
        env.client
            .get(env.url("/fabrikam/_apis/connectionData"))
            .basic_auth("", Some(&secret)),
    )
    .await;
    env.send(env.client.get(env.url("/_apis/profile/profiles/me")))
        .await;

    let log = env
        .send(env.client.get(env.url("/_emulator/requests")))
        .await;
    let text = log.text.clone();
    assert!(!text.contains(&secret));
    assert!(!text.contains(TOKEN));
    let log = log.json();
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 3, "control requests are not logged: {text}");
    assert_eq!(
        entries[0],
        json!({ "method": "POST", "path": "/fabrikam/_apis/tokens/pats",
                "query": PAT_API, "auth": "bearer" })
    );
    assert_eq!(entries[1]["auth"], "basic");
    assert_eq!(entries[2]["auth"], "none");

    let cleared = env
        .send(env.client.delete(env.url("/_emulator/requests")))
        .await;
    assert_eq!(cleared.status, StatusCode::NO_CONTENT);
    let log = env
        .send(env.client.get(env.url("/_emulator/requests")))
        .await
        .json();
    assert_eq!(log, json!([]));
}

#[tokio::test]
async fn the_state_view_and_the_clock() {
    let env = common::start(Seed::Demo).await;
    let state = env.state().await;
    let text = state.to_string();
    assert!(!text.contains("\"token\""), "no secret field: {text}");
    assert!(!text.contains("hash"));
    assert_eq!(state["orgs"].as_array().unwrap().len(), 3);
    let global = state["pats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|pat| pat["targetAccounts"].is_null())
        .unwrap();
    assert_eq!(global["orgs"], json!(["contoso", "fabrikam", "northwind"]));
    for pat in state["pats"].as_array().unwrap() {
        for key in [
            "authorizationId",
            "displayName",
            "scope",
            "orgs",
            "validFrom",
            "validTo",
            "status",
        ] {
            assert!(!pat[key].is_null(), "{key} in {pat}");
        }
    }

    let set = env
        .control("clock", json!({ "set": "2030-01-02T03:04:05Z" }))
        .await;
    assert_eq!(set["now"], "2030-01-02T03:04:05Z");
    let moved = env
        .control("clock", json!({ "advanceSeconds": -86400 }))
        .await;
    assert!(
        moved["now"]
            .as_str()
            .unwrap()
            .starts_with("2030-01-01T03:04:0")
    );
    let state = env.state().await;
    assert!(
        state["pats"]
            .as_array()
            .unwrap()
            .iter()
            .all(|pat| pat["status"] != "active"),
        "everything has expired by 2030"
    );
    let both = env
        .send(
            env.client
                .post(env.url("/_emulator/clock"))
                .json(&json!({ "set": "2030-01-01T00:00:00Z", "advanceSeconds": 1 })),
        )
        .await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn dropping_the_emulator_stops_it() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let url = format!("{}/_emulator/state", emulator.base_url());
    let client = common::client();
    assert_eq!(
        client.get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    drop(emulator);
    let mut stopped = false;
    for _ in 0..50 {
        if common::client().get(&url).send().await.is_err() {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(stopped, "still answering after drop");
}

#[tokio::test]
async fn the_binary_prints_its_url_first_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_adopat-emulator"))
        .args([
            "--port",
            "0",
            "--seed",
            "demo",
            "--static-token",
            TOKEN,
            "--latency-ms",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().unwrap();
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .unwrap()
    .unwrap();
    let base = first.trim().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let profile: Value = common::client()
        .get(format!("{base}/_apis/profile/profiles/me?api-version=7.1"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(profile["displayName"], "Jamie Rivera");
    child.kill().unwrap();
    child.wait().unwrap();
}
