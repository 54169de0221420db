//! Replays the official examples (tests/spec/examples, from MicrosoftDocs/
//! vsts-rest-api-specs) against the emulator and compares: same status, same keys, same
//! JSON types and nullness, and where the seed reproduces the example's data, the same
//! values. Every body is also checked against the 7.2 definitions in tokens.json.
//!
//! The seed holds the example's PATs with their ids and dates, and the clock is set to
//! the moment the examples were captured, before global PATs were blocked.

mod common;

use adopat_emulator::Seed;
use common::schema::{Spec, service_date};
use common::{Env, TOKEN};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const CAPTURED_AT: &str = "2020-11-02T22:56:52.1033333Z";

struct Example {
    method: Method,
    path_and_query: String,
    body: Option<Value>,
    status: StatusCode,
    response: Value,
}

fn example(name: &str) -> Example {
    let path = format!(
        "{}/tests/spec/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("the example");
    let file: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("JSON");
    let url = file["x-ms-vss-request-url"].as_str().expect("a url");
    let path_and_query = url
        .strip_prefix("https://vssps.dev.azure.com")
        .expect("the PAT API host")
        .to_owned();
    let (status, response) = file["responses"]
        .as_object()
        .expect("responses")
        .iter()
        .next()
        .map(|(status, answer)| {
            (
                status.parse::<u16>().expect("a status"),
                answer["body"].clone(),
            )
        })
        .expect("one response");
    Example {
        method: file["x-ms-vss-request-method"]
            .as_str()
            .expect("a method")
            .parse()
            .expect("an HTTP method"),
        path_and_query,
        body: file["parameters"].get("body").cloned(),
        status: StatusCode::from_u16(status).expect("a status"),
        response,
    }
}

async fn replay(env: &Env, example: &Example) -> (StatusCode, Value, String) {
    let mut request = env
        .client
        .request(example.method.clone(), env.url(&example.path_and_query))
        .bearer_auth(TOKEN);
    if let Some(body) = &example.body {
        request = request.json(body);
    }
    let answer = env.send(request).await;
    let body = if answer.text.is_empty() {
        Value::Null
    } else {
        answer.json()
    };
    (answer.status, body, answer.text)
}

/// Same keys, same JSON types, same nullness, recursively; arrays element by element.
fn same_shape(expected: &Value, actual: &Value, at: &str) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            let mut want: Vec<_> = expected.keys().collect();
            let mut got: Vec<_> = actual.keys().collect();
            want.sort();
            got.sort();
            assert_eq!(want, got, "keys at {at}");
            for (key, value) in expected {
                same_shape(value, &actual[key], &format!("{at}.{key}"));
            }
        }
        (Value::Array(expected), Value::Array(actual)) => {
            assert_eq!(expected.len(), actual.len(), "length at {at}");
            for (index, (want, got)) in expected.iter().zip(actual).enumerate() {
                same_shape(want, got, &format!("{at}[{index}]"));
            }
        }
        (Value::Null, Value::Null)
        | (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_)) => {}
        (expected, actual) => panic!("at {at}: expected {expected}, got {actual}"),
    }
}

async fn examples_env() -> (Env, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let seed = dir.path().join("examples.json");
    let fabrikam = ["fabrikam"];
    let pats = json!([
        { "authorizationId": "4c60c9ed-a378-4883-af16-d655ca025b11", "displayName": "all_access_token",
          "scope": "app_token", "orgs": null,
          "validFrom": "2020-10-24T03:04:57.52Z", "validTo": "2020-11-23T04:04:38.5233333Z" },
        { "authorizationId": "eabb38b2-48ef-440b-959b-b9e6cb37a64e", "displayName": "work_token",
          "scope": "vso.work_full", "orgs": fabrikam,
          "validFrom": "2020-10-24T03:04:19.1466667Z", "validTo": "2020-11-23T04:03:55.8033333Z" },
        { "authorizationId": "4ab5764f-4193-4f1d-b995-64144880b7d7", "displayName": "new_token",
          "scope": "app_token", "orgs": fabrikam,
          "validFrom": "2020-11-02T22:56:52.1033333Z", "validTo": "2020-12-01T23:46:23.32Z" },
        { "authorizationId": "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32", "displayName": "analytics_token",
          "scope": "vso.analytics", "orgs": fabrikam,
          "validFrom": "2020-10-29T17:26:46.72Z", "validTo": "2020-12-01T23:46:23.32Z" },
        // The PAT RevokePat names; already expired, so the active list leaves it out.
        { "authorizationId": "cf42cc9f-f170-4375-92ba-c13d58a6545f", "displayName": "old_token",
          "scope": "vso.code", "orgs": fabrikam,
          "validFrom": "2020-09-01T00:00:00Z", "validTo": "2020-10-01T00:00:00Z" }
    ]);
    let file = json!({
        "orgs": [{ "name": "fabrikam", "accountId": "38aaa865-2c70-4bf7-a308-0c6539c38c1a" }],
        "pats": pats
    });
    std::fs::write(&seed, file.to_string()).expect("the seed is written");
    let env = common::start(Seed::File(seed)).await;
    env.control("clock", json!({ "set": CAPTURED_AT })).await;
    (env, dir)
}

#[tokio::test]
async fn the_examples_are_valid_for_the_checker() {
    let spec = Spec::load();
    for name in ["ListPats", "GetPat", "CreatePat", "UpdatePat"] {
        let example = example(name);
        let definition = if name == "ListPats" {
            "PagedPatTokens"
        } else {
            "PatTokenResult"
        };
        spec.assert_valid(definition, &example.response);
    }
    assert!(
        !Spec::load()
            .violations(
                "PatToken",
                &json!({ "validTo": "2020-01-01T00:00:00.12345678Z" })
            )
            .is_empty()
    );
    assert!(
        !Spec::load()
            .violations("PatTokenResult", &json!({ "patTokenError": "nope" }))
            .is_empty()
    );
}

#[tokio::test]
async fn official_examples_replay_with_the_same_answers() {
    let (env, _dir) = examples_env().await;
    let spec = Spec::load();

    // ListPats: the seed reproduces the example, so the whole body matches, order too.
    let list = example("ListPats");
    let (status, body, _) = replay(&env, &list).await;
    assert_eq!(status, list.status);
    same_shape(&list.response, &body, "ListPats");
    assert_eq!(body, list.response);
    spec.assert_valid("PagedPatTokens", &body);

    // GetPat: the example's URL names cf42cc9f… but its answer is 3d3aca0c…; the
    // answer is what is compared, so ask for the PAT it shows.
    let mut get = example("GetPat");
    get.path_and_query = get.path_and_query.replace(
        "cf42cc9f-f170-4375-92ba-c13d58a6545f",
        "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32",
    );
    let (status, body, _) = replay(&env, &get).await;
    assert_eq!(status, get.status);
    same_shape(&get.response, &body, "GetPat");
    assert_eq!(body, get.response);
    spec.assert_valid("PatTokenResult", &body);

    // CreatePat: new id, new secret and a validFrom of the emulator's clock; the rest
    // as in the example, `…23.319Z` rounded to `…23.32Z`.
    let create = example("CreatePat");
    let (status, body, _) = replay(&env, &create).await;
    assert_eq!(status, create.status);
    same_shape(&create.response, &body, "CreatePat");
    spec.assert_valid("PatTokenResult", &body);
    let pat = &body["patToken"];
    for key in ["displayName", "validTo", "scope", "targetAccounts"] {
        assert_eq!(pat[key], create.response["patToken"][key], "{key}");
    }
    assert_eq!(pat["validTo"], "2020-12-01T23:46:23.32Z");
    let token = pat["token"].as_str().expect("the secret is returned once");
    assert_eq!(token.len(), 84);
    assert_eq!(&token[76..80], "AZDO");
    service_date(pat["validFrom"].as_str().expect("validFrom")).expect("service date form");
    assert!(
        pat["validFrom"]
            .as_str()
            .expect("validFrom")
            .starts_with("2020-11-02T22:5")
    );

    // UpdatePat: allOrgs was still allowed in 2020, so the PAT becomes global.
    let update = example("UpdatePat");
    let (status, body, _) = replay(&env, &update).await;
    assert_eq!(status, update.status);
    same_shape(&update.response, &body, "UpdatePat");
    assert_eq!(body, update.response);
    spec.assert_valid("PatTokenResult", &body);

    // RevokePat: 204 and no body (the example file writes `{}` beside the 204).
    let revoke = example("RevokePat");
    let (status, _, text) = replay(&env, &revoke).await;
    assert_eq!(status, revoke.status);
    assert_eq!(text, "");
}

#[tokio::test]
async fn version_7_2_adds_the_error_message_field_and_stays_valid() {
    let (env, _dir) = examples_env().await;
    let spec = Spec::load();
    let body =
        json!({ "displayName": "x", "scope": "vso.nope", "validTo": "2020-12-01T00:00:00Z" });
    let refused = env
        .post(
            "/fabrikam/_apis/Tokens/Pats?api-version=7.2-preview.1",
            body,
        )
        .await
        .json();
    assert_eq!(refused["patToken"], Value::Null);
    assert_eq!(refused["patTokenError"], "invalidScope");
    assert!(
        refused["patTokenErrorMessage"]
            .as_str()
            .expect("a message")
            .contains("vso.nope")
    );
    spec.assert_valid("PatTokenResult", &refused);

    let created = env
        .post(
            "/fabrikam/_apis/Tokens/Pats?api-version=7.2-preview.1",
            json!({ "displayName": "x", "scope": "vso.code", "validTo": "2020-12-01T00:00:00.5Z" }),
        )
        .await
        .json();
    assert_eq!(created["patTokenError"], "none");
    assert_eq!(created["patTokenErrorMessage"], Value::Null);
    spec.assert_valid("PatTokenResult", &created);

    let listed = env
        .get("/fabrikam/_apis/tokens/pats?api-version=7.2-preview.1&displayFilterOption=all")
        .await
        .json();
    spec.assert_valid("PagedPatTokens", &listed);
    for pat in listed["patTokens"].as_array().expect("patTokens") {
        for key in ["validFrom", "validTo"] {
            service_date(pat[key].as_str().expect("a date")).expect("service date form");
        }
        assert_eq!(pat["token"], Value::Null, "the secret is never listed");
    }
}
