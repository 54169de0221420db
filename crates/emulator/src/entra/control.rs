//! The control API's Entra part, under `/_emulator/entra` (tests only):
//!
//! - `POST /entra` `{"autoApprove"?, "deviceIntervalSecs"?, "interactionRequired"?}`;
//! - `POST /entra/approve` `{"userCode", "decline"?}`;
//! - `POST /entra/revoke` `{"tenant"?}`: every refresh token (of that tenant's users);
//! - `GET /entra/issued`: every access token, refresh token, authorization code and
//!   device code ever issued, so canary tests can search files and logs for them. It is
//!   the one place the emulator shows a secret, and it is never logged;
//! - `POST /entra/mint` `{"tenant"?}`: an access token as `az account get-access-token`
//!   would give one.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::device::{self, Undecided};
use super::grants::Grants;
use super::refresh;
use super::token;
use super::users::Route;
use crate::control::{bad_request, ok, parse};
use crate::dates;
use crate::errors::json_response;
use crate::state::{Shared, Store, lock};

/// The Azure CLI's public client id, whose tokens `mint` imitates.
const AZURE_CLI_CLIENT_ID: &str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/entra", post(settings))
        .route("/entra/approve", post(approve))
        .route("/entra/revoke", post(revoke))
        .route("/entra/issued", get(issued))
        .route("/entra/mint", post(mint))
}

/// What `/_emulator/state` shows of Entra: settings and counts, never a value.
pub(crate) fn summary(grants: &Grants, now: Timestamp) -> Value {
    json!({
        "autoApprove": grants.settings.auto_approve,
        "deviceIntervalSecs": grants.settings.device_interval_secs,
        "liveRefreshTokens": grants.live_refresh_tokens(),
        "pendingDeviceCodes": grants.pending_device_codes(now),
        "issuedAccessTokens": grants.issued.access_tokens.len(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SettingsChange {
    auto_approve: Option<bool>,
    device_interval_secs: Option<u64>,
    interaction_required: Option<bool>,
}

/// The longest interval accepted: as long as a device code lives.
const MAX_INTERVAL_SECS: u64 = 900;

async fn settings(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let change: SettingsChange = match parse(&body) {
        Ok(change) => change,
        Err(response) => return *response,
    };
    if change
        .device_interval_secs
        .is_some_and(|secs| secs > MAX_INTERVAL_SECS)
    {
        return bad_request(&format!(
            "'deviceIntervalSecs' must be at most {MAX_INTERVAL_SECS}"
        ));
    }
    let mut store = lock(&shared.store);
    let settings = &mut store.entra.settings;
    if let Some(auto) = change.auto_approve {
        settings.auto_approve = auto;
    }
    if let Some(secs) = change.device_interval_secs {
        settings.device_interval_secs = secs;
    }
    let (auto_approve, interval) = (settings.auto_approve, settings.device_interval_secs);
    let mut body = json!({ "autoApprove": auto_approve, "deviceIntervalSecs": interval });
    if let Some(required) = change.interaction_required {
        let changed = refresh::require_interaction(&mut store, required);
        body["interactionRequired"] = json!(required);
        body["signInsChanged"] = json!(changed);
    }
    ok(&body)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Approval {
    user_code: String,
    #[serde(default)]
    decline: bool,
}

async fn approve(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let approval: Approval = match parse(&body) {
        Ok(approval) => approval,
        Err(response) => return *response,
    };
    let now = shared.clock.now();
    let decided = device::decide(
        &mut lock(&shared.store),
        &approval.user_code,
        !approval.decline,
        now,
    );
    match decided {
        Ok(user) => ok(&json!({
            "userCode": approval.user_code,
            "status": if approval.decline { "declined" } else { "approved" },
            "user": user.email,
        })),
        Err(Undecided::Unknown) => {
            failure(StatusCode::NOT_FOUND, "no device code has this user code")
        }
        Err(Undecided::Expired) => failure(StatusCode::CONFLICT, "the device code has expired"),
        Err(Undecided::Settled) => failure(
            StatusCode::CONFLICT,
            "the device code was already approved, declined or redeemed",
        ),
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ForTenant {
    tenant: Option<String>,
}

/// The users a control request names by tenant (all when it names none, or has no body).
fn users_of(store: &Store, body: &Bytes) -> Result<Option<Vec<Uuid>>, Box<Response>> {
    let request: ForTenant = if body.is_empty() {
        ForTenant::default()
    } else {
        parse(body)?
    };
    let Some(tenant) = request.tenant.as_deref() else {
        return Ok(None);
    };
    let route = Route::of(store, tenant)
        .map_err(|failure| Box::new(self::failure(StatusCode::NOT_FOUND, &failure.message)))?;
    let users = match route {
        Route::AnyTenant => store
            .default_user()
            .map(|user| user.id)
            .into_iter()
            .collect(),
        Route::Tenant(_) => store
            .users
            .iter()
            .filter(|user| route.admits(user))
            .map(|user| user.id)
            .collect(),
    };
    Ok(Some(users))
}

async fn revoke(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    let users = match users_of(&store, &body) {
        Ok(users) => users,
        Err(response) => return *response,
    };
    let revoked = refresh::revoke(&mut store, users.as_deref(), now);
    ok(&json!({ "revoked": revoked }))
}

async fn issued(State(shared): State<Arc<Shared>>) -> Response {
    let store = lock(&shared.store);
    let issued = &store.entra.issued;
    ok(&json!({
        "accessTokens": issued.access_tokens,
        "refreshTokens": issued.refresh_tokens,
        "authorizationCodes": issued.authorization_codes,
        "deviceCodes": issued.device_codes,
    }))
}

async fn mint(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    let user = match users_of(&store, &body) {
        Ok(None) => store.default_user().cloned(),
        Ok(Some(users)) => users.first().and_then(|id| store.user(*id)).cloned(),
        Err(response) => return *response,
    };
    let Some(user) = user else {
        return failure(StatusCode::NOT_FOUND, "no user in that tenant");
    };
    let (access_token, expires) = token::access_token(
        &mut store,
        &shared.base_url,
        &user,
        AZURE_CLI_CLIENT_ID,
        "user_impersonation",
        now,
    );
    ok(&json!({
        "accessToken": access_token,
        "expiresOn": dates::render(expires),
        "expires_on": expires.as_second(),
        "tenant": user.tenant,
        "tokenType": "Bearer",
    }))
}

fn failure(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({ "error": message }), None)
}
