//! The control API for tests, under `/_emulator/`: never part of the real service, and
//! without authentication. It never shows a token or a token's hash, except
//! `/_emulator/entra/issued`, which lists every Entra token issued so that tests can
//! prove none of them leaked (see `entra::control`).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::Policies;
use crate::dates;
use crate::entra;
use crate::errors::json_response;
use crate::faults::Fault;
use crate::state::{Shared, lock};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/state", get(state))
        .route("/clock", post(clock))
        .route("/faults", post(add_fault).delete(clear_faults))
        .route("/latency", post(latency))
        .route("/policies", post(policies))
        .route("/requests", get(requests).delete(clear_requests))
        .merge(entra::control::routes())
}

async fn state(State(shared): State<Arc<Shared>>) -> Response {
    let now = shared.clock.now();
    let store = lock(&shared.store);
    let orgs: Vec<Value> = store
        .orgs
        .iter()
        .map(|org| json!({ "name": org.name, "accountId": org.account_id, "tenant": org.tenant }))
        .collect();
    let users: Vec<Value> = store
        .users
        .iter()
        .map(|user| {
            json!({
                "id": user.id,
                "tenant": user.tenant,
                "displayName": user.display_name,
                "email": user.email,
                "orgs": store.org_names(&user.orgs),
            })
        })
        .collect();
    let pats: Vec<Value> = store
        .pats
        .iter()
        .map(|pat| {
            // A global PAT shows in the list of every organization of its owner.
            let orgs = match &pat.targets {
                Some(targets) => store.org_names(targets),
                None => store
                    .user(pat.owner)
                    .map(|owner| store.org_names(&owner.orgs))
                    .unwrap_or_default(),
            };
            json!({
                "authorizationId": pat.id,
                "displayName": pat.display_name,
                "scope": pat.scope,
                "targetAccounts": pat.targets,
                "orgs": orgs,
                "validFrom": dates::render(pat.valid_from),
                "validTo": dates::render(pat.valid_to),
                "status": pat.status(now).as_str(),
            })
        })
        .collect();
    let body = json!({
        "now": dates::render(now),
        "tenantId": store.default_tenant(),
        "orgs": orgs,
        "users": users,
        "pats": pats,
        "policies": store.policies,
        "latencyMs": u64::try_from(lock(&shared.latency).as_millis()).unwrap_or(u64::MAX),
        "autoApprove": store.entra.settings.auto_approve,
        "entra": entra::control::summary(&store.entra, now),
    });
    ok(&body)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockChange {
    advance_seconds: Option<i64>,
    set: Option<String>,
}

async fn clock(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let change: ClockChange = match parse(&body) {
        Ok(change) => change,
        Err(response) => return *response,
    };
    let now = match (change.advance_seconds, change.set) {
        (Some(seconds), None) => shared.clock.advance(SignedDuration::from_secs(seconds)),
        (None, Some(text)) => match text.parse::<Timestamp>() {
            Ok(at) => shared.clock.set(at),
            Err(error) => return bad_request(&format!("'set' is not an RFC 3339 time: {error}")),
        },
        _ => return bad_request("give exactly one of 'advanceSeconds' and 'set'"),
    };
    tracing::info!(now = %dates::render(now), "clock moved");
    ok(&json!({ "now": dates::render(now) }))
}

async fn add_fault(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let fault: Fault = match parse(&body) {
        Ok(fault) => fault,
        Err(response) => return *response,
    };
    if let Err(message) = fault.validate() {
        return bad_request(&message);
    }
    let mut faults = lock(&shared.faults);
    faults.push(fault);
    ok(&json!({ "queued": faults.len() }))
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.faults).clear();
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Latency {
    ms: u64,
}

async fn latency(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let Latency { ms } = match parse(&body) {
        Ok(latency) => latency,
        Err(response) => return *response,
    };
    *lock(&shared.latency) = Duration::from_millis(ms);
    ok(&json!({ "ms": ms }))
}

async fn policies(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let policies: Policies = match parse(&body) {
        Ok(policies) => policies,
        Err(response) => return *response,
    };
    let mut store = lock(&shared.store);
    store.policies = policies;
    ok(&store.policies)
}

async fn requests(State(shared): State<Arc<Shared>>) -> Response {
    ok(&*lock(&shared.requests))
}

async fn clear_requests(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.requests).clear();
    StatusCode::NO_CONTENT.into_response()
}

pub(crate) fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, Box<Response>> {
    serde_json::from_slice(body).map_err(|error| Box::new(bad_request(&error.to_string())))
}

pub(crate) fn ok(body: &impl serde::Serialize) -> Response {
    json_response(StatusCode::OK, body, None)
}

pub(crate) fn bad_request(message: &str) -> Response {
    json_response(StatusCode::BAD_REQUEST, &json!({ "error": message }), None)
}
