//! The emulated service's behaviour, through HTTP: authentication, api-version, the PAT
//! lifecycle and its refusals, listing, discovery, and PATs that work as PATs.

mod common;

use adopat_emulator::{Config, Policies, Seed};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{Env, PAT_API, days, from_now};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn pats(org: &str) -> String {
    format!("/{org}/_apis/tokens/pats?{PAT_API}")
}

async fn connection_data(env: &Env, org: &str, secret: &str) -> StatusCode {
    let basic = STANDARD.encode(format!(":{secret}"));
    env.client
        .get(env.url(&format!("/{org}/_apis/connectionData")))
        .header("Authorization", format!("Basic {basic}"))
        .send()
        .await
        .expect("an answer")
        .status()
}

#[tokio::test]
async fn missing_api_version_gets_the_service_error_body() {
    let env = common::start(Seed::Empty).await;
    let answer = env.get("/fabrikam/_apis/tokens/pats").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.text,
        r#"{"$id":"1","innerException":null,"message":"No api-version was supplied for the \"GET\" request. The version must be supplied either as part of the Accept header (e.g. \"application/json; api-version=1.0\") or as a query parameter (e.g. '?api-version=1.0').","typeName":"Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException, Microsoft.VisualStudio.Services.WebApi","typeKey":"VssVersionNotSpecifiedException","errorCode":0,"eventId":3000}"#
    );
    let post = env
        .post("/fabrikam/_apis/tokens/pats", json!({}))
        .await
        .json();
    assert!(
        post["message"]
            .as_str()
            .unwrap()
            .contains("\"POST\" request")
    );

    let released = env.get("/fabrikam/_apis/tokens/pats?api-version=7.1").await;
    assert_eq!(released.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        released.json()["typeKey"],
        "VssInvalidPreviewVersionException"
    );

    let in_accept = env
        .send(
            env.request(Method::GET, "/fabrikam/_apis/tokens/pats")
                .header("Accept", "application/json; api-version=7.1-preview.1"),
        )
        .await;
    assert_eq!(in_accept.status, StatusCode::OK);
    assert!(
        in_accept
            .header("content-type")
            .unwrap()
            .contains("api-version=7.1-preview.1")
    );
}

#[tokio::test]
async fn unknown_tokens_get_the_sign_in_page_or_401_when_suppressed() {
    let env = common::start(Seed::Empty).await;
    for token in [Some("wrong"), None] {
        let mut request = env.client.get(env.url(&pats("fabrikam")));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let page = env.send(request).await;
        assert_eq!(page.status, StatusCode::NON_AUTHORITATIVE_INFORMATION);
        assert!(
            page.header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        assert!(page.text.contains("Sign in"));
    }
    let suppressed = env
        .send(
            env.client
                .get(env.url(&pats("fabrikam")))
                .bearer_auth("wrong")
                .header("X-TFS-FedAuthRedirect", "Suppress"),
        )
        .await;
    assert_eq!(suppressed.status, StatusCode::UNAUTHORIZED);
    let body = suppressed.json();
    assert_eq!(
        body["message"],
        "TF400813: The user '' is not authorized to access this resource."
    );
    assert_eq!(body["typeKey"], "UnauthorizedRequestException");
    assert!(
        suppressed
            .header("www-authenticate")
            .unwrap()
            .contains("Bearer")
    );
    assert!(suppressed.header("x-vss-resourcetenant").is_some());

    let nowhere = env.get(&pats("nosuchorg")).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert_eq!(nowhere.json()["typeKey"], "AccountNotFoundException");
}

#[tokio::test]
async fn paths_and_organization_names_ignore_case() {
    let env = common::start(Seed::Demo).await;
    let answer = env
        .get(&format!("/CONTOSO/_apis/Tokens/Pats?{PAT_API}"))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let tenant = answer.header("x-vss-resourcetenant").expect("the tenant");
    assert_eq!(
        uuid::Uuid::parse_str(tenant).unwrap().to_string(),
        env.state().await["tenantId"]
    );
}

#[tokio::test]
async fn create_issues_a_working_pat_and_revoke_stops_it() {
    let env = common::start(Seed::Empty).await;
    let valid_to = from_now(&env, days(30)).await;
    let created = env.create("fabrikam", "ci", "vso.code", &valid_to).await;
    assert_eq!(created["patTokenError"], "none");
    let secret = created["patToken"]["token"].as_str().unwrap().to_owned();
    let id = created["patToken"]["authorizationId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(secret.len(), 84);
    assert_eq!(&secret[76..80], "AZDO");
    assert_eq!(
        created["patToken"]["targetAccounts"],
        json!(["38aaa865-2c70-4bf7-a308-0c6539c38c1a"])
    );

    assert_eq!(
        connection_data(&env, "fabrikam", &secret).await,
        StatusCode::OK
    );
    assert_eq!(
        connection_data(&env, "contoso", &secret).await,
        StatusCode::UNAUTHORIZED,
        "an organization-scoped PAT works only in its organization"
    );
    assert_eq!(
        connection_data(&env, "fabrikam", "not-a-pat").await,
        StatusCode::UNAUTHORIZED
    );

    let fetched = env
        .get(&format!("{}&authorizationId={id}", pats("fabrikam")))
        .await
        .json();
    assert_eq!(fetched["patToken"]["displayName"], "ci");
    assert_eq!(fetched["patToken"]["token"], Value::Null);

    let revoked = env
        .delete(&format!("{}&authorizationId={id}", pats("fabrikam")))
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(revoked.text, "");
    assert_eq!(
        connection_data(&env, "fabrikam", &secret).await,
        StatusCode::UNAUTHORIZED
    );
    assert!(env.names("fabrikam", "").await.is_empty());
    assert_eq!(
        env.names("fabrikam", "displayFilterOption=revoked").await,
        ["ci"]
    );

    let unknown = env
        .delete(&format!(
            "{}&authorizationId=00000000-0000-0000-0000-000000000001",
            pats("fabrikam")
        ))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["typeKey"], "SessionTokenNotFoundException");
    let missing = env.delete(&pats("fabrikam")).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn filters_follow_the_emulator_clock() {
    let env = common::start(Seed::Empty).await;
    let valid_to = from_now(&env, days(2)).await;
    let created = env.create("contoso", "short", "vso.build", &valid_to).await;
    let secret = created["patToken"]["token"].as_str().unwrap().to_owned();
    assert_eq!(env.names("contoso", "").await, ["short"]);
    assert!(
        env.names("contoso", "displayFilterOption=expired")
            .await
            .is_empty()
    );

    env.control("clock", json!({ "advanceSeconds": 3 * 86_400 }))
        .await;
    assert!(env.names("contoso", "").await.is_empty());
    assert_eq!(
        env.names("contoso", "displayFilterOption=Expired").await,
        ["short"]
    );
    assert_eq!(
        env.names("contoso", "displayFilterOption=all").await,
        ["short"]
    );
    assert_eq!(env.state().await["pats"][0]["status"], "expired");
    assert_eq!(
        connection_data(&env, "contoso", &secret).await,
        StatusCode::UNAUTHORIZED,
        "an expired PAT no longer authenticates"
    );
}

#[tokio::test]
async fn pages_hold_at_most_top_and_chain_by_continuation_token() {
    let env = common::start(Seed::Generated {
        orgs: 2,
        pats_per_org: 130,
    })
    .await;
    let first = env.get(&pats("org01")).await.json();
    assert_eq!(first["patTokens"].as_array().unwrap().len(), 100);
    let capped = env.get(&format!("{}&$top=500", pats("org01"))).await.json();
    assert_eq!(capped["patTokens"].as_array().unwrap().len(), 100);

    let mut seen = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let page = env
            .get(&format!(
                "{}&$top=40&continuationToken={token}",
                pats("org01")
            ))
            .await
            .json();
        pages += 1;
        for pat in page["patTokens"].as_array().unwrap() {
            seen.push(pat["authorizationId"].as_str().unwrap().to_owned());
        }
        token = page["continuationToken"].as_str().unwrap().to_owned();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(seen.len(), 130);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 130, "no PAT twice");

    let sorted = env
        .names(
            "org02",
            "sortByOption=DisplayName&isSortAscending=false&$top=3",
        )
        .await;
    assert_eq!(
        sorted,
        [
            "work-items-sync-org02-127",
            "work-items-sync-org02-117",
            "work-items-sync-org02-107"
        ]
    );
}

#[tokio::test]
async fn a_global_pat_shows_in_every_organization() {
    let env = common::start(Seed::Demo).await;
    for org in ["contoso", "fabrikam", "northwind"] {
        let answer = env.get(&pats(org)).await.json();
        let global: Vec<&Value> = answer["patTokens"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|pat| pat["targetAccounts"].is_null())
            .collect();
        assert_eq!(global.len(), 1, "{org}");
        assert_eq!(global[0]["displayName"], "all-orgs-reader");
    }
}

fn refusal(answer: common::Answer) -> (String, String) {
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "refusals are HTTP 200: {}",
        answer.text
    );
    let body = answer.json();
    assert_eq!(body["patToken"], Value::Null, "{body}");
    (
        body["patTokenError"].as_str().expect("an error").to_owned(),
        body["patTokenErrorMessage"]
            .as_str()
            .expect("a message (7.2)")
            .to_owned(),
    )
}

#[tokio::test]
async fn every_refusal_has_its_error_and_a_message() {
    let env = common::start(Seed::Empty).await;
    let later = from_now(&env, days(10)).await;
    let earlier = from_now(&env, days(-1)).await;
    let create = |name: &str, scope: &str, valid_to: &str, all_orgs: bool| json!({ "displayName": name, "scope": scope, "validTo": valid_to, "allOrgs": all_orgs });
    let cases = [
        (create("", "vso.code", &later, false), "displayNameRequired"),
        (
            create(&"x".repeat(300), "vso.code", &later, false),
            "invalidDisplayName",
        ),
        (create("x", "vso.code", &earlier, false), "invalidValidTo"),
        (
            create("x", "vso.code", "tomorrow-ish", false),
            "invalidValidTo",
        ),
        (
            create("x", "vso.code vso.wat", &later, false),
            "invalidScope",
        ),
        (
            create("x", "vso.code", &later, true),
            "globalPATCreationBlocked",
        ),
    ];
    for (body, expected) in cases {
        let (error, message) = refusal(env.post(&pats("fabrikam"), body).await);
        assert_eq!(error, expected);
        assert!(!message.is_empty());
    }

    env.control(
        "policies",
        json!({ "restrictGlobal": true, "restrictFullScope": true }),
    )
    .await;
    let (error, _) = refusal(
        env.post(&pats("fabrikam"), create("x", "vso.code", &later, true))
            .await,
    );
    assert_eq!(error, "globalPatPolicyViolation");
    let (error, _) = refusal(
        env.post(&pats("fabrikam"), create("x", "app_token", &later, false))
            .await,
    );
    assert_eq!(error, "fullScopePatPolicyViolation");
    env.control("policies", json!({})).await;

    let id =
        env.create("fabrikam", "keep", "vso.code", &later).await["patToken"]["authorizationId"]
            .as_str()
            .unwrap()
            .to_owned();
    let (error, _) = refusal(
        env.put(
            &pats("fabrikam"),
            json!({ "authorizationId": id, "allOrgs": true }),
        )
        .await,
    );
    assert_eq!(error, "globalPATCreationBlocked");
    let (error, _) = refusal(
        env.put(&pats("fabrikam"), json!({ "displayName": "y" }))
            .await,
    );
    assert_eq!(error, "invalidAuthorizationId");
    let (error, _) = refusal(
        env.get(&format!("{}&authorizationId={id}", pats("contoso")))
            .await,
    );
    assert_eq!(
        error, "authorizationNotFound",
        "not visible from another org"
    );
    let (error, _) = refusal(
        env.put(
            &pats("fabrikam"),
            json!({ "authorizationId": uuid::Uuid::new_v4(), "displayName": "y" }),
        )
        .await,
    );
    assert_eq!(error, "authorizationNotFound");

    env.control("clock", json!({ "advanceSeconds": 11 * 86_400 }))
        .await;
    let much_later = from_now(&env, days(30)).await;
    let (error, _) = refusal(
        env.put(
            &pats("fabrikam"),
            json!({ "authorizationId": id, "validTo": much_later }),
        )
        .await,
    );
    assert_eq!(error, "expiredPatCannotBeExtended");

    env.delete(&format!("{}&authorizationId={id}", pats("fabrikam")))
        .await;
    let (error, _) = refusal(
        env.put(
            &pats("fabrikam"),
            json!({ "authorizationId": id, "displayName": "z" }),
        )
        .await,
    );
    assert_eq!(
        error, "authorizationNotFound",
        "a revoked PAT cannot be updated"
    );
}

#[tokio::test]
async fn bad_bodies_are_400_with_the_service_error() {
    let env = common::start(Seed::Empty).await;
    let broken = env
        .send(
            env.request(Method::POST, &pats("fabrikam"))
                .header("Content-Type", "application/json")
                .body("{\"displayName\": "),
        )
        .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.json()["typeKey"], "JsonReaderException");
    let empty = env.send(env.request(Method::POST, &pats("fabrikam"))).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.json()["typeKey"], "ArgumentNullException");
}

#[tokio::test]
async fn update_changes_only_the_given_fields_and_the_policy_clamps() {
    let env = common::start_with(Config {
        seed: Seed::Empty,
        policies: Policies {
            max_lifespan_days: Some(30),
            ..Policies::default()
        },
        ..Config::default()
    })
    .await;
    let far = from_now(&env, days(200)).await;
    let created = env.create("fabrikam", "clamped", "vso.code", &far).await;
    let pat = &created["patToken"];
    let from: jiff::Timestamp = pat["validFrom"].as_str().unwrap().parse().unwrap();
    let to: jiff::Timestamp = pat["validTo"].as_str().unwrap().parse().unwrap();
    let lifespan = to.duration_since(from);
    assert!(
        (lifespan - days(30)).abs() < jiff::SignedDuration::from_secs(2),
        "clamped to 30 days, got {lifespan:?}"
    );

    let id = pat["authorizationId"].as_str().unwrap();
    let renamed = env
        .put(
            &pats("fabrikam"),
            json!({ "authorizationId": id, "displayName": "renamed" }),
        )
        .await
        .json();
    assert_eq!(renamed["patToken"]["displayName"], "renamed");
    assert_eq!(renamed["patToken"]["scope"], "vso.code");
    assert_eq!(renamed["patToken"]["validTo"], pat["validTo"]);

    env.control("clock", json!({ "advanceSeconds": 10 * 86_400 }))
        .await;
    let extended = env
        .put(
            &pats("fabrikam"),
            json!({ "authorizationId": id, "validTo": far }),
        )
        .await
        .json();
    assert_eq!(
        extended["patToken"]["validTo"], pat["validTo"],
        "an update is clamped to validFrom + the lifespan"
    );
}

#[tokio::test]
async fn discovery_lists_the_callers_organizations() {
    let env = common::start(Seed::Demo).await;
    let profile = env.get("/_apis/profile/profiles/me?api-version=7.1").await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.text);
    let profile = profile.json();
    for key in [
        "displayName",
        "publicAlias",
        "emailAddress",
        "coreRevision",
        "timeStamp",
        "id",
        "revision",
    ] {
        assert!(!profile[key].is_null(), "{key}");
    }
    let id = profile["id"].as_str().unwrap();
    let accounts = env
        .get(&format!("/_apis/accounts?memberId={id}&api-version=7.1"))
        .await
        .json();
    assert_eq!(accounts["count"], 3);
    let first = &accounts["value"][0];
    assert_eq!(first["accountName"], "contoso");
    assert_eq!(first["properties"], json!({}));
    assert_eq!(
        first["accountUri"],
        format!("{}/contoso/", env.emulator.base_url())
    );

    let other = env
        .get(&format!(
            "/_apis/accounts?memberId={}&api-version=7.1",
            uuid::Uuid::new_v4()
        ))
        .await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
    let none = env.get("/_apis/accounts?api-version=7.1").await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    let unversioned = env.get("/_apis/profile/profiles/me").await;
    assert_eq!(unversioned.status, StatusCode::BAD_REQUEST);
    let anonymous = env
        .send(
            env.client
                .get(env.url("/_apis/profile/profiles/me?api-version=7.1")),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::NON_AUTHORITATIVE_INFORMATION);
}

#[tokio::test]
async fn a_seeded_secret_authenticates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.json");
    std::fs::write(
        &path,
        json!({
            "orgs": [{ "name": "acme" }, { "name": "globex" }],
            "pats": [
                { "displayName": "known", "scope": "vso.code", "orgs": ["acme"],
                  "validTo": "+3d", "token": "seeded-secret" },
                { "displayName": "everywhere", "scope": "vso.code", "orgs": null,
                  "validFrom": "2026-01-01T00:00:00Z", "validTo": "2027-06-01T00:00:00Z",
                  "token": "global-secret" }
            ]
        })
        .to_string(),
    )
    .unwrap();
    let env = common::start(Seed::File(path)).await;
    assert_eq!(
        connection_data(&env, "acme", "seeded-secret").await,
        StatusCode::OK
    );
    assert_eq!(
        connection_data(&env, "globex", "seeded-secret").await,
        StatusCode::UNAUTHORIZED
    );
    env.control("clock", json!({ "set": "2026-11-15T00:00:00Z" }))
        .await;
    assert_eq!(
        connection_data(&env, "globex", "global-secret").await,
        StatusCode::OK
    );
    env.control("clock", json!({ "set": "2026-12-02T00:00:00Z" }))
        .await;
    assert_eq!(
        connection_data(&env, "globex", "global-secret").await,
        StatusCode::UNAUTHORIZED,
        "global PATs stop working on 2026-12-01"
    );
    let bearer = env
        .send(env.request(Method::GET, "/acme/_apis/connectionData"))
        .await;
    assert_eq!(bearer.status, StatusCode::OK);
    assert_eq!(
        bearer.json()["authenticatedUser"]["providerDisplayName"],
        "Jamie Rivera"
    );
}
