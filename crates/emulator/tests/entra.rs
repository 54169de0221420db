//! The emulated Entra: authorization code + PKCE on a loopback redirect, refresh with
//! rotation, device code, tenants and users, the control API, and that no secret it
//! issues reaches the request log. Time is moved with the emulator's clock, never
//! waited for.

mod common;

use std::collections::HashMap;

use adopat_emulator::{Config, Seed};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Answer, Env};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

const CLIENT: &str = "872cd9fa-d31f-45e0-9eab-6e460a02d1f1";
const SCOPE: &str = "499b84ac-1321-427f-aa17-267ca6975798/.default offline_access openid profile";
const REDIRECT: &str = "http://localhost:8400/";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const OTHER_TENANT: &str = "0f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

async fn start(auto_approve: bool) -> Env {
    common::start_with(Config {
        seed: Seed::Empty,
        auto_approve,
        ..Config::default()
    })
    .await
}

/// A PKCE pair: (verifier, S256 challenge).
fn pkce() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes().repeat(2));
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

fn authorize_url(env: &Env, tenant: &str, challenge: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("client_id", CLIENT),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("scope", SCOPE),
        ("state", "st-1"),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ];
    for (name, value) in extra {
        pairs.retain(|(known, _)| known != name);
        pairs.push((name, value));
    }
    pairs.retain(|(_, value)| !value.is_empty());
    env.url(&format!("/{tenant}/oauth2/v2.0/authorize?{}", form(&pairs)))
}

/// The query of a redirect's Location.
fn redirected(answer: &Answer) -> HashMap<String, String> {
    assert_eq!(answer.status, StatusCode::FOUND, "{}", answer.text);
    let location = answer.header("location").expect("a Location");
    assert!(location.starts_with(REDIRECT), "{location}");
    Url::parse(location)
        .expect("a URL")
        .query_pairs()
        .into_owned()
        .collect()
}

async fn post_form(env: &Env, path: &str, pairs: &[(&str, &str)]) -> Answer {
    env.send(
        env.client
            .post(env.url(path))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form(pairs)),
    )
    .await
}

async fn token(env: &Env, tenant: &str, pairs: &[(&str, &str)]) -> Answer {
    post_form(env, &format!("/{tenant}/oauth2/v2.0/token"), pairs).await
}

/// An Entra error: HTTP 400 (unless said), the documented keys, and the AADSTS number.
fn assert_entra_error(answer: &Answer, error: &str, code: u64) -> Value {
    let body = answer.json();
    assert_eq!(body["error"], error, "{}", answer.text);
    assert_eq!(body["error_codes"], json!([code]), "{}", answer.text);
    let description = text(&body["error_description"]);
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    for part in ["\r\nTrace ID: ", "\r\nCorrelation ID: ", "\r\nTimestamp: "] {
        assert!(description.contains(part), "{description}");
    }
    for key in ["timestamp", "trace_id", "correlation_id", "error_uri"] {
        assert!(body[key].is_string(), "{key}: {body}");
    }
    body
}

async fn code_for(env: &Env, tenant: &str, challenge: &str) -> String {
    let answer = env
        .send(env.client.get(authorize_url(env, tenant, challenge, &[])))
        .await;
    let query = redirected(&answer);
    assert_eq!(query["state"], "st-1");
    query["code"].clone()
}

/// Signs in through the browser flow (auto-approve) at `tenant`.
async fn sign_in(env: &Env, tenant: &str) -> Value {
    let (verifier, challenge) = pkce();
    let code = code_for(env, tenant, &challenge).await;
    let answer = token(
        env,
        tenant,
        &[
            ("client_id", CLIENT),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.json()
}

async fn refresh(env: &Env, refresh_token: &str) -> Answer {
    token(
        env,
        "organizations",
        &[
            ("client_id", CLIENT),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("scope", SCOPE),
        ],
    )
    .await
}

async fn me(env: &Env, access_token: &str) -> Answer {
    env.send(
        env.client
            .get(env.url("/_apis/profile/profiles/me?api-version=7.1"))
            .bearer_auth(access_token)
            .header("X-TFS-FedAuthRedirect", "Suppress"),
    )
    .await
}

fn claims(jwt: &str) -> (Value, Value) {
    let part = |index: usize| -> Value {
        let segment = jwt.split('.').nth(index).expect("three parts");
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).expect("base64url")).expect("JSON")
    };
    assert_eq!(jwt.split('.').count(), 3);
    (part(0), part(1))
}

fn text(value: &Value) -> &str {
    value.as_str().expect("a string")
}

#[tokio::test]
async fn authorization_code_with_pkce_signs_in_and_the_token_calls_the_service() {
    let env = start(true).await;
    let tokens = sign_in(&env, "organizations").await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3599);
    assert_eq!(tokens["ext_expires_in"], 3599);
    assert_eq!(
        tokens["scope"],
        "499b84ac-1321-427f-aa17-267ca6975798/user_impersonation profile openid"
    );
    for key in ["access_token", "refresh_token", "id_token"] {
        assert!(!text(&tokens[key]).is_empty(), "{key}");
    }

    let profile = me(&env, text(&tokens["access_token"])).await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.text);
    let profile = profile.json();
    assert_eq!(profile["displayName"], "Jamie Rivera");
    let accounts = env
        .send(
            env.client
                .get(env.url(&format!(
                    "/_apis/accounts?memberId={}&api-version=7.1",
                    text(&profile["id"])
                )))
                .bearer_auth(text(&tokens["access_token"])),
        )
        .await;
    assert_eq!(accounts.status, StatusCode::OK);
    assert_eq!(accounts.json()["count"], 2);
    let pats = env
        .send(
            env.client
                .get(env.url("/fabrikam/_apis/tokens/pats?api-version=7.2-preview.1"))
                .bearer_auth(text(&tokens["access_token"])),
        )
        .await;
    assert_eq!(pats.status, StatusCode::OK, "{}", pats.text);

    // Without offline_access there is no refresh token; without openid no id token.
    let (verifier, challenge) = pkce();
    let answer = env
        .send(env.client.get(authorize_url(
            &env,
            "organizations",
            &challenge,
            &[("scope", "499b84ac-1321-427f-aa17-267ca6975798/vso.pats")],
        )))
        .await;
    let code = redirected(&answer)["code"].clone();
    let answer = token(
        &env,
        "organizations",
        &[
            ("client_id", CLIENT),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    let bare = answer.json();
    assert_eq!(
        bare["scope"],
        "499b84ac-1321-427f-aa17-267ca6975798/vso.pats"
    );
    assert!(bare.get("refresh_token").is_none() && bare.get("id_token").is_none());
    assert_eq!(answer.header("cache-control"), Some("no-store, no-cache"));
}

#[tokio::test]
async fn a_person_approves_or_cancels_on_the_sign_in_page() {
    let env = start(false).await;
    let (_, challenge) = pkce();
    let url = authorize_url(&env, "organizations", &challenge, &[]);
    let page = env.send(env.client.get(&url)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        page.text
            .contains("Sign in to AdoPat's test Entra as Jamie Rivera"),
        "{}",
        page.text
    );
    assert!(page.text.contains("value=\"approve\"") && page.text.contains("value=\"cancel\""));

    let post = |action: &'static str| {
        env.client
            .post(&url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(format!("action={action}"))
    };
    let approved = redirected(&env.send(post("approve")).await);
    assert!(approved["code"].len() > 40);
    assert_eq!(approved["state"], "st-1");

    let cancelled = redirected(&env.send(post("cancel")).await);
    assert_eq!(cancelled["error"], "access_denied");
    assert!(cancelled["error_description"].starts_with("AADSTS65004: "));
    assert_eq!(cancelled["state"], "st-1");
    assert!(!cancelled.contains_key("code"));

    // prompt=none cannot be answered without a person.
    let silent = env
        .send(env.client.get(authorize_url(
            &env,
            "organizations",
            &challenge,
            &[("prompt", "none")],
        )))
        .await;
    assert_eq!(redirected(&silent)["error"], "login_required");

    // Approval can be switched on at run time.
    env.control("entra", json!({ "autoApprove": true })).await;
    let auto = env.send(env.client.get(&url)).await;
    assert!(redirected(&auto).contains_key("code"));
    assert_eq!(env.state().await["autoApprove"], true);
}

#[tokio::test]
async fn codes_are_bound_to_the_verifier_the_redirect_and_single_use() {
    let env = start(true).await;
    let (verifier, challenge) = pkce();
    let code = code_for(&env, "organizations", &challenge).await;
    let redeem = |verifier: String, redirect: &'static str| {
        let code = code.clone();
        let env = &env;
        async move {
            token(
                env,
                "organizations",
                &[
                    ("client_id", CLIENT),
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("code_verifier", &verifier),
                ],
            )
            .await
        }
    };

    let (other_verifier, _) = pkce();
    let wrong = redeem(other_verifier, REDIRECT).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_entra_error(&wrong, "invalid_grant", 501481);

    let elsewhere = redeem(verifier.clone(), "http://localhost:9999/").await;
    assert_entra_error(&elsewhere, "invalid_grant", 500112);

    let other_client = token(
        &env,
        "organizations",
        &[
            ("client_id", "11111111-2222-3333-4444-555555555555"),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_entra_error(&other_client, "invalid_grant", 70000);

    // Failed attempts do not spend the code; a success does.
    assert_eq!(
        redeem(verifier.clone(), REDIRECT).await.status,
        StatusCode::OK
    );
    let again = redeem(verifier.clone(), REDIRECT).await;
    assert_entra_error(&again, "invalid_grant", 54005);

    let unknown = token(
        &env,
        "organizations",
        &[
            ("client_id", CLIENT),
            ("grant_type", "authorization_code"),
            ("code", "made-up"),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_entra_error(&unknown, "invalid_grant", 9002313);

    // Codes expire after 10 minutes by the emulator's clock.
    let (verifier, challenge) = pkce();
    let code = code_for(&env, "organizations", &challenge).await;
    env.control("clock", json!({ "advanceSeconds": 601 })).await;
    let late = token(
        &env,
        "organizations",
        &[
            ("client_id", CLIENT),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_entra_error(&late, "invalid_grant", 70008);
}

#[tokio::test]
async fn authorization_requests_are_checked_before_anyone_signs_in() {
    let env = start(true).await;
    let (_, challenge) = pkce();
    let get = |extra: &[(&str, &str)]| {
        env.client
            .get(authorize_url(&env, "organizations", &challenge, extra))
    };

    for redirect in [
        "https://app.example.com/callback",
        "https://localhost:8400/",
        "http://192.168.1.10:8400/",
    ] {
        let refused = env.send(get(&[("redirect_uri", redirect)])).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{redirect}");
        assert!(refused.header("location").is_none());
        assert!(
            refused
                .header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        assert!(refused.text.contains("AADSTS50011"), "{}", refused.text);
    }
    let loopback_ip = env
        .send(get(&[("redirect_uri", "http://127.0.0.1:51000/cb")]))
        .await;
    assert_eq!(loopback_ip.status, StatusCode::FOUND);
    assert!(
        loopback_ip
            .header("location")
            .unwrap()
            .starts_with("http://127.0.0.1:51000/cb?code=")
    );

    let no_client = env.send(get(&[("client_id", "not-a-guid")])).await;
    assert_eq!(no_client.status, StatusCode::BAD_REQUEST);
    assert!(no_client.text.contains("AADSTS700016"));

    let missing_pkce = redirected(&env.send(get(&[("code_challenge", "")])).await);
    assert_eq!(missing_pkce["error"], "invalid_request");
    assert_eq!(missing_pkce["state"], "st-1");
    let plain = redirected(&env.send(get(&[("code_challenge_method", "plain")])).await);
    assert_eq!(plain["error"], "invalid_request");
    let no_method = redirected(&env.send(get(&[("code_challenge_method", "")])).await);
    assert_eq!(no_method["error"], "invalid_request");

    let graph = redirected(
        &env.send(get(&[(
            "scope",
            "https://graph.microsoft.com/User.Read openid",
        )]))
        .await,
    );
    assert_eq!(graph["error"], "invalid_scope");
    assert!(graph["error_description"].starts_with("AADSTS70011: "));
    let token_type = redirected(&env.send(get(&[("response_type", "token")])).await);
    assert_eq!(token_type["error"], "unsupported_response_type");

    // Paths ignore case, like the rest of the emulator.
    let upper = env
        .send(
            env.client.get(
                authorize_url(&env, "organizations", &challenge, &[])
                    .replace("/oauth2/v2.0/authorize", "/OAuth2/V2.0/Authorize"),
            ),
        )
        .await;
    assert_eq!(upper.status, StatusCode::FOUND);
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_spent_one_is_refused() {
    let env = start(true).await;
    let first = sign_in(&env, "organizations").await;
    let old = text(&first["refresh_token"]).to_owned();

    let renewed = refresh(&env, &old).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
    let renewed = renewed.json();
    let new = text(&renewed["refresh_token"]).to_owned();
    assert_ne!(new, old);
    assert_ne!(renewed["access_token"], first["access_token"]);
    assert!(renewed["id_token"].is_string());
    assert_eq!(
        me(&env, text(&renewed["access_token"])).await.status,
        StatusCode::OK
    );

    let newer = refresh(&env, &new).await;
    assert_eq!(newer.status, StatusCode::OK, "the new refresh token works");
    let spent = refresh(&env, &old).await;
    assert_eq!(spent.status, StatusCode::BAD_REQUEST);
    assert_entra_error(&spent, "invalid_grant", 70000);
    // Replaying an old token does not take the chain down.
    let newest = text(&newer.json()["refresh_token"]).to_owned();
    assert_eq!(refresh(&env, &newest).await.status, StatusCode::OK);

    let garbage = refresh(&env, "not-a-token").await;
    assert_entra_error(&garbage, "invalid_grant", 9002313);
    let missing = token(
        &env,
        "organizations",
        &[("client_id", CLIENT), ("grant_type", "refresh_token")],
    )
    .await;
    assert_entra_error(&missing, "invalid_request", 900144);
}

#[tokio::test]
async fn refresh_tokens_expire_after_90_idle_days_and_when_revoked() {
    let env = start(true).await;
    let idle = sign_in(&env, "organizations").await;
    let kept = sign_in(&env, "organizations").await;
    let kept_token = text(&kept["refresh_token"]).to_owned();

    env.control("clock", json!({ "advanceSeconds": 89 * 86_400 }))
        .await;
    let renewed = refresh(&env, &kept_token).await;
    assert_eq!(renewed.status, StatusCode::OK, "used within 90 days");
    let kept_token = text(&renewed.json()["refresh_token"]).to_owned();
    env.control("clock", json!({ "advanceSeconds": 2 * 86_400 }))
        .await;
    let expired = refresh(&env, text(&idle["refresh_token"])).await;
    assert_entra_error(&expired, "invalid_grant", 700082);

    let revoked = env.control("entra/revoke", json!({})).await;
    assert_eq!(revoked["revoked"], 2, "the unspent tokens of both sign-ins");
    let answer = refresh(&env, &kept_token).await;
    let body = assert_entra_error(&answer, "invalid_grant", 50173);
    assert!(text(&body["error_description"]).contains("revoked"));

    // A new sign-in is not revoked.
    let fresh = sign_in(&env, "organizations").await;
    assert_eq!(
        refresh(&env, text(&fresh["refresh_token"])).await.status,
        StatusCode::OK
    );
    let unknown = env
        .send(
            env.client
                .post(env.url("/_emulator/entra/revoke"))
                .json(&json!({ "tenant": "11111111-2222-3333-4444-555555555555" })),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn interaction_required_until_the_user_signs_in_again() {
    let env = start(true).await;
    let before = sign_in(&env, "organizations").await;
    let changed = env
        .control("entra", json!({ "interactionRequired": true }))
        .await;
    assert_eq!(changed["signInsChanged"], 1);
    let refused = refresh(&env, text(&before["refresh_token"])).await;
    assert_entra_error(&refused, "interaction_required", 50076);

    let again = sign_in(&env, "organizations").await;
    assert_eq!(
        refresh(&env, text(&again["refresh_token"])).await.status,
        StatusCode::OK,
        "a new interactive sign-in satisfies the policy"
    );
    env.control("entra", json!({ "interactionRequired": false }))
        .await;
    assert_eq!(
        refresh(&env, text(&before["refresh_token"])).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn access_tokens_expire_with_the_clock_and_a_refresh_brings_one_back() {
    let env = start(true).await;
    let tokens = sign_in(&env, "organizations").await;
    let access = text(&tokens["access_token"]);
    assert_eq!(me(&env, access).await.status, StatusCode::OK);

    env.control("clock", json!({ "advanceSeconds": 7200 }))
        .await;
    assert_eq!(me(&env, access).await.status, StatusCode::UNAUTHORIZED);
    let page = env
        .send(
            env.client
                .get(env.url("/_apis/profile/profiles/me?api-version=7.1"))
                .bearer_auth(access),
        )
        .await;
    assert_eq!(page.status, StatusCode::NON_AUTHORITATIVE_INFORMATION);

    let renewed = refresh(&env, text(&tokens["refresh_token"])).await.json();
    assert_eq!(
        me(&env, text(&renewed["access_token"])).await.status,
        StatusCode::OK
    );
}

async fn device_code(env: &Env, tenant: &str) -> Value {
    let answer = post_form(
        env,
        &format!("/{tenant}/oauth2/v2.0/devicecode"),
        &[("client_id", CLIENT), ("scope", SCOPE)],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.json()
}

async fn poll(env: &Env, device_code: &str) -> Answer {
    token(
        env,
        "organizations",
        &[
            ("client_id", CLIENT),
            ("grant_type", DEVICE_GRANT),
            ("device_code", device_code),
        ],
    )
    .await
}

#[tokio::test]
async fn device_code_pending_then_slow_down_then_tokens_with_auto_approve() {
    let env = start(true).await;
    env.control("entra", json!({ "deviceIntervalSecs": 1 }))
        .await;
    let device = device_code(&env, "organizations").await;
    let user_code = text(&device["user_code"]);
    assert_eq!(user_code.len(), 9);
    assert_eq!(&user_code[4..5], "-");
    assert_eq!(device["expires_in"], 900);
    assert_eq!(device["interval"], 1);
    let verification = format!("{}/devicelogin", env.emulator.base_url());
    assert_eq!(device["verification_uri"], verification.as_str());
    assert_eq!(
        device["message"],
        format!(
            "To sign in, use a web browser to open the page {verification} and enter the code {user_code} to authenticate."
        )
    );
    let code = text(&device["device_code"]);

    let pending = poll(&env, code).await;
    assert_eq!(pending.status, StatusCode::BAD_REQUEST);
    assert_entra_error(&pending, "authorization_pending", 70016);
    let fast = poll(&env, code).await;
    assert_entra_error(&fast, "slow_down", 50196);

    env.control("clock", json!({ "advanceSeconds": 1 })).await;
    let tokens = poll(&env, code).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.text);
    let tokens = tokens.json();
    assert!(tokens["refresh_token"].is_string() && tokens["id_token"].is_string());
    assert_eq!(
        me(&env, text(&tokens["access_token"])).await.status,
        StatusCode::OK
    );

    env.control("clock", json!({ "advanceSeconds": 1 })).await;
    let once = poll(&env, code).await;
    assert_entra_error(&once, "invalid_grant", 70000);
    assert_entra_error(&poll(&env, "made-up").await, "invalid_grant", 70000);
    assert_eq!(env.state().await["entra"]["deviceIntervalSecs"], 1);
}

#[tokio::test]
async fn device_codes_expire_after_15_minutes() {
    let env = start(false).await;
    let device = device_code(&env, "organizations").await;
    let code = text(&device["device_code"]);
    assert_entra_error(&poll(&env, code).await, "authorization_pending", 70016);
    assert_eq!(device["interval"], 5, "Entra's interval by default");
    env.control("clock", json!({ "advanceSeconds": 16 * 60 }))
        .await;
    assert_entra_error(&poll(&env, code).await, "expired_token", 70019);
    let late = env
        .send(
            env.client
                .post(env.url("/_emulator/entra/approve"))
                .json(&json!({ "userCode": device["user_code"] })),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn device_codes_are_approved_or_declined_by_a_person_or_the_control_api() {
    let env = start(false).await;
    env.control("entra", json!({ "deviceIntervalSecs": 0 }))
        .await;

    let declined = device_code(&env, "organizations").await;
    let answer = env
        .control(
            "entra/approve",
            json!({ "userCode": declined["user_code"], "decline": true }),
        )
        .await;
    assert_eq!(answer["status"], "declined");
    assert_entra_error(
        &poll(&env, text(&declined["device_code"])).await,
        "authorization_declined",
        65004,
    );

    let approved = device_code(&env, "organizations").await;
    assert_entra_error(
        &poll(&env, text(&approved["device_code"])).await,
        "authorization_pending",
        70016,
    );
    let answer = env
        .control(
            "entra/approve",
            json!({ "userCode": approved["user_code"] }),
        )
        .await;
    assert_eq!(answer["user"], "jamie.rivera@contoso.com");
    assert_eq!(
        poll(&env, text(&approved["device_code"])).await.status,
        StatusCode::OK
    );

    // The page a person uses: the code may be typed in lower case and without the dash.
    let page = env.send(env.client.get(env.url("/devicelogin"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("name=\"otc\""));
    let typed = device_code(&env, "organizations").await;
    let code = text(&typed["user_code"]).replace('-', "").to_lowercase();
    let done = post_form(&env, "/devicelogin", &[("otc", &code)]).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.text.contains("Jamie Rivera"), "{}", done.text);
    assert_eq!(
        poll(&env, text(&typed["device_code"])).await.status,
        StatusCode::OK
    );
    let wrong = post_form(&env, "/devicelogin", &[("otc", "BBBB-BBBB")]).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.text.contains("AADSTS70018"));

    let unknown = env
        .send(
            env.client
                .post(env.url("/_emulator/entra/approve"))
                .json(&json!({ "userCode": "ZZZZ-ZZZZ" })),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

fn two_tenant_seed() -> (tempfile::TempDir, Seed) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("seed.json");
    let seed = json!({
        "orgs": [{ "name": "acme" }, { "name": "globex" }, { "name": "shared" }],
        "users": [
            { "displayName": "Ann Acme", "email": "ann@acme.test", "orgs": ["acme", "shared"] },
            { "displayName": "Bo Globex", "email": "bo@globex.test", "tenant": OTHER_TENANT,
              "orgs": ["globex", "shared"] }
        ],
        "pats": [
            { "displayName": "bo-ci", "scope": "vso.code", "orgs": ["globex"], "validTo": "+30d",
              "user": "bo@globex.test" },
            { "displayName": "ann-ci", "scope": "vso.code", "orgs": ["shared"], "validTo": "+30d" }
        ]
    });
    std::fs::write(&path, seed.to_string()).expect("the seed is written");
    (dir, Seed::File(path))
}

#[tokio::test]
async fn tenants_route_to_their_users_and_each_sees_their_own_orgs() {
    let (_dir, seed) = two_tenant_seed();
    let env = common::start_with(Config {
        seed,
        auto_approve: true,
        ..Config::default()
    })
    .await;

    let state = env.state().await;
    let users = state["users"].as_array().unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[1]["tenant"], OTHER_TENANT);
    assert!(users.iter().all(|user| user["id"].is_string()));

    for (tenant, email, orgs) in [
        ("organizations", "ann@acme.test", vec!["acme", "shared"]),
        (OTHER_TENANT, "bo@globex.test", vec!["globex", "shared"]),
        ("globex.test", "bo@globex.test", vec!["globex", "shared"]),
    ] {
        let tokens = sign_in(&env, tenant).await;
        let (_, id) = claims(text(&tokens["id_token"]));
        assert_eq!(id["preferred_username"], email, "{tenant}");
        let access = text(&tokens["access_token"]);
        let profile = me(&env, access).await.json();
        assert_eq!(profile["emailAddress"], email);
        assert_eq!(profile["id"], id["oid"]);
        let accounts = env
            .send(
                env.client
                    .get(env.url(&format!(
                        "/_apis/accounts?memberId={}&api-version=7.1",
                        text(&profile["id"])
                    )))
                    .bearer_auth(access),
            )
            .await
            .json();
        let names: Vec<&str> = accounts["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|account| text(&account["accountName"]))
            .collect();
        assert_eq!(names, orgs, "{tenant}");
    }

    // Bo's PAT list in globex, answered with globex's tenant; Ann's token is refused there.
    let bo = sign_in(&env, OTHER_TENANT).await;
    let list = env
        .send(
            env.client
                .get(env.url("/globex/_apis/tokens/pats?api-version=7.2-preview.1"))
                .bearer_auth(text(&bo["access_token"])),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.header("x-vss-resourcetenant"), Some(OTHER_TENANT));
    assert_eq!(list.json()["patTokens"][0]["displayName"], "bo-ci");
    let ann = sign_in(&env, "organizations").await;
    let refused = env
        .send(
            env.client
                .get(env.url("/globex/_apis/tokens/pats?api-version=7.2-preview.1"))
                .bearer_auth(text(&ann["access_token"]))
                .header("X-TFS-FedAuthRedirect", "Suppress"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(
        refused
            .header("www-authenticate")
            .unwrap()
            .contains(&format!("/{OTHER_TENANT},"))
    );

    // login_hint picks the user when the tenant allows it.
    let (_, challenge) = pkce();
    let hinted = env
        .send(env.client.get(authorize_url(
            &env,
            "organizations",
            &challenge,
            &[("login_hint", "bo@globex.test")],
        )))
        .await;
    assert!(redirected(&hinted).contains_key("code"));

    // A code from one tenant cannot be redeemed at another; revoking is per tenant.
    let (verifier, challenge) = pkce();
    let code = code_for(&env, OTHER_TENANT, &challenge).await;
    let ann_tenant = text(&users[0]["tenant"]).to_owned();
    let crossed = token(
        &env,
        &ann_tenant,
        &[
            ("client_id", CLIENT),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_entra_error(&crossed, "invalid_grant", 700005);
    let revoked = env
        .control("entra/revoke", json!({ "tenant": OTHER_TENANT }))
        .await;
    assert!(revoked["revoked"].as_u64().unwrap() >= 1);
    assert_entra_error(
        &refresh(&env, text(&bo["refresh_token"])).await,
        "invalid_grant",
        50173,
    );
    assert_eq!(
        refresh(&env, text(&ann["refresh_token"])).await.status,
        StatusCode::OK
    );

    // The Azure CLI stand-in: a token for a tenant's user.
    let minted = env
        .control("entra/mint", json!({ "tenant": OTHER_TENANT }))
        .await;
    assert_eq!(minted["tenant"], OTHER_TENANT);
    let expires: jiff::Timestamp = text(&minted["expiresOn"]).parse().unwrap();
    assert!(expires > jiff::Timestamp::now());
    assert_eq!(minted["expires_on"], expires.as_second());
    let profile = me(&env, text(&minted["accessToken"])).await.json();
    assert_eq!(profile["emailAddress"], "bo@globex.test");
    let default = env.control("entra/mint", json!({})).await;
    let profile = me(&env, text(&default["accessToken"])).await.json();
    assert_eq!(profile["emailAddress"], "ann@acme.test");
}

#[tokio::test]
async fn unknown_tenants_consumers_and_malformed_token_requests() {
    let env = start(true).await;
    let unknown = token(
        &env,
        "11111111-2222-3333-4444-555555555555",
        &[
            ("client_id", CLIENT),
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
        ],
    )
    .await;
    let body = assert_entra_error(&unknown, "invalid_request", 90002);
    assert!(
        text(&body["error_description"])
            .contains("Tenant '11111111-2222-3333-4444-555555555555' not found")
    );
    let consumers = post_form(
        &env,
        "/consumers/oauth2/v2.0/devicecode",
        &[("client_id", CLIENT), ("scope", SCOPE)],
    )
    .await;
    assert_entra_error(&consumers, "invalid_request", 9002332);
    let (_, challenge) = pkce();
    let page = env
        .send(
            env.client
                .get(authorize_url(&env, "nowhere.example", &challenge, &[])),
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.text.contains("AADSTS90002"));

    let get = env
        .send(env.client.get(env.url("/organizations/oauth2/v2.0/token")))
        .await;
    assert_entra_error(&get, "invalid_request", 900561);
    let grant = token(
        &env,
        "organizations",
        &[("client_id", CLIENT), ("grant_type", "password")],
    )
    .await;
    assert_entra_error(&grant, "unsupported_grant_type", 70003);
    let no_client = token(&env, "organizations", &[("grant_type", "refresh_token")]).await;
    assert_entra_error(&no_client, "invalid_request", 900144);
    let secret = token(
        &env,
        "organizations",
        &[
            ("client_id", CLIENT),
            ("grant_type", "refresh_token"),
            ("client_secret", "s"),
        ],
    )
    .await;
    assert_eq!(secret.status, StatusCode::UNAUTHORIZED);
    assert_entra_error(&secret, "invalid_client", 700025);
    let scope = post_form(
        &env,
        "/organizations/oauth2/v2.0/devicecode",
        &[("client_id", CLIENT), ("scope", "openid offline_access")],
    )
    .await;
    assert_entra_error(&scope, "invalid_scope", 70011);

    // The client's request id comes back as the correlation id.
    let id = "9d6d2b4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
    let echoed = env
        .send(
            env.client
                .post(env.url("/organizations/oauth2/v2.0/token"))
                .header("client-request-id", id)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body("grant_type=refresh_token"),
        )
        .await;
    assert_eq!(echoed.json()["correlation_id"], id);
    assert_eq!(echoed.header("client-request-id"), Some(id));
    let bad_settings = env
        .send(
            env.client
                .post(env.url("/_emulator/entra"))
                .json(&json!({ "autoApprve": true })),
        )
        .await;
    assert_eq!(bad_settings.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn id_tokens_carry_the_claims_that_name_the_account() {
    let env = start(true).await;
    let (verifier, challenge) = pkce();
    let answer = env
        .send(env.client.get(authorize_url(
            &env,
            "organizations",
            &challenge,
            &[("nonce", "n-42")],
        )))
        .await;
    let code = redirected(&answer)["code"].clone();
    let tokens = token(
        &env,
        "organizations",
        &[
            ("client_id", CLIENT),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await
    .json();
    let state = env.state().await;
    let user = &state["users"][0];
    let tenant = text(&user["tenant"]);

    let (header, id) = claims(text(&tokens["id_token"]));
    assert_eq!(
        header,
        json!({ "typ": "JWT", "alg": "RS256", "kid": "emulator" })
    );
    assert_eq!(id["aud"], CLIENT);
    assert_eq!(
        id["iss"],
        format!("{}/{tenant}/v2.0", env.emulator.base_url())
    );
    assert_eq!(id["tid"], tenant);
    assert_eq!(id["oid"], user["id"]);
    assert_eq!(id["name"], "Jamie Rivera");
    assert_eq!(id["preferred_username"], "jamie.rivera@contoso.com");
    assert_eq!(id["ver"], "2.0");
    assert_eq!(id["nonce"], "n-42");
    assert!(text(&id["sub"]).len() >= 40);
    let iat = id["iat"].as_i64().unwrap();
    assert_eq!(id["nbf"].as_i64().unwrap(), iat);
    assert!(id["exp"].as_i64().unwrap() > iat);
    assert!((iat - jiff::Timestamp::now().as_second()).abs() < 60);

    let (_, access) = claims(text(&tokens["access_token"]));
    assert_eq!(access["aud"], "499b84ac-1321-427f-aa17-267ca6975798");
    assert_eq!(access["scp"], "user_impersonation");
    assert_eq!(access["appid"], CLIENT);
    assert_eq!(access["oid"], user["id"]);
}

#[tokio::test]
async fn every_issued_secret_is_listed_and_none_reaches_the_request_log() {
    let env = start(true).await;
    env.control("entra", json!({ "deviceIntervalSecs": 0 }))
        .await;
    let (verifier, challenge) = pkce();
    let code = code_for(&env, "organizations", &challenge).await;
    let browser = token(
        &env,
        "organizations",
        &[
            ("client_id", CLIENT),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await
    .json();
    let renewed = refresh(&env, text(&browser["refresh_token"])).await.json();
    let device = device_code(&env, "organizations").await;
    let device_code_value = text(&device["device_code"]).to_owned();
    poll(&env, &device_code_value).await;
    let polled = poll(&env, &device_code_value).await.json();
    let minted = env.control("entra/mint", json!({})).await;
    // A client that puts secrets in a query string does not get them logged either.
    env.send(env.client.get(env.url(&format!(
        "/organizations/oauth2/v2.0/token?code={code}&refresh_token={}&code_verifier={verifier}",
        text(&browser["refresh_token"])
    ))))
    .await;

    let issued = env
        .send(env.client.get(env.url("/_emulator/entra/issued")))
        .await
        .json();
    let listed = |key: &str| -> Vec<String> {
        issued[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|value| text(value).to_owned())
            .collect()
    };
    let access = listed("accessTokens");
    let refresh_tokens = listed("refreshTokens");
    for token in [&browser, &renewed, &polled] {
        assert!(access.contains(&text(&token["access_token"]).to_owned()));
        assert!(refresh_tokens.contains(&text(&token["refresh_token"]).to_owned()));
    }
    assert!(access.contains(&text(&minted["accessToken"]).to_owned()));
    assert_eq!(access.len(), 4);
    assert_eq!(refresh_tokens.len(), 3);
    assert_eq!(listed("authorizationCodes"), vec![code.clone()]);
    assert_eq!(listed("deviceCodes"), vec![device_code_value.clone()]);

    let log = env
        .send(env.client.get(env.url("/_emulator/requests")))
        .await;
    let state = env.state().await.to_string();
    let mut secrets: Vec<String> = [access, refresh_tokens].concat();
    secrets.extend([code, device_code_value, verifier]);
    for secret in &secrets {
        assert!(
            !log.text.contains(secret.as_str()),
            "the log holds {secret}"
        );
        assert!(!state.contains(secret.as_str()), "the state holds {secret}");
    }
    let entries = log.json();
    let paths: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| text(&entry["path"]))
        .collect();
    assert!(paths.contains(&"/organizations/oauth2/v2.0/authorize"));
    assert!(paths.contains(&"/organizations/oauth2/v2.0/token"));
    assert!(paths.contains(&"/organizations/oauth2/v2.0/devicecode"));
    let last = entries.as_array().unwrap().last().unwrap();
    assert_eq!(
        last["query"],
        "code=REDACTED&refresh_token=REDACTED&code_verifier=REDACTED"
    );
}
