//! Organization discovery, as on `app.vssps.visualstudio.com`: the caller's profile,
//! then the accounts (organizations) that member belongs to.
//!
//! `accountUri` has the documented form `https://vssps.dev.azure.com/{org}/` with the
//! emulator's base in place of the host, so a client that follows it stays here.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use uuid::Uuid;

use crate::auth::{self, UserCall};
use crate::dates;
use crate::errors::{ServiceError, json_response};
use crate::params;
use crate::state::{Shared, User, lock};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_apis/profile/profiles/{id}", get(profile))
        .route("/_apis/accounts", get(accounts))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    display_name: String,
    public_alias: Uuid,
    email_address: String,
    core_revision: u32,
    time_stamp: String,
    id: Uuid,
    revision: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    account_id: Uuid,
    account_uri: String,
    account_name: String,
    properties: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Accounts {
    count: usize,
    value: Vec<Account>,
}

const PROFILE_REVISION: u32 = 412_593_176;

async fn profile(
    State(shared): State<Arc<Shared>>,
    method: Method,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let UserCall { user, .. } =
        match auth::user_call(&shared, &method, &uri, &headers, params::DISCOVERY) {
            Ok(call) => call,
            Err(response) => return *response,
        };
    // Only one's own profile is readable; `me` is the usual way to name it.
    if id != "me" && Uuid::parse_str(&id).ok() != Some(user.id) {
        return auth::not_authorized(&shared, &user.id.to_string(), user.tenant);
    }
    json_response(StatusCode::OK, &profile_of(&user), None)
}

fn profile_of(user: &User) -> Profile {
    Profile {
        display_name: user.display_name.clone(),
        public_alias: user.id,
        email_address: user.email.clone(),
        core_revision: PROFILE_REVISION,
        time_stamp: dates::render_with_offset(user.profile_time),
        id: user.id,
        revision: PROFILE_REVISION,
    }
}

async fn accounts(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let UserCall { user, params } =
        match auth::user_call(&shared, &method, &uri, &headers, params::DISCOVERY) {
            Ok(call) => call,
            Err(response) => return *response,
        };
    let member = params.get("memberId").or_else(|| params.get("ownerId"));
    let Some(member) = member.filter(|text| !text.trim().is_empty()) else {
        return ServiceError::bad_argument(
            "One of the following parameters is required: ownerId, memberId.",
        )
        .into_response();
    };
    // Someone else's organizations are not the caller's to list.
    if Uuid::parse_str(member.trim()).ok() != Some(user.id) {
        return auth::not_authorized(&shared, &user.id.to_string(), user.tenant);
    }
    let store = lock(&shared.store);
    let value: Vec<Account> = store
        .orgs
        .iter()
        .filter(|org| user.orgs.contains(&org.account_id))
        .map(|org| Account {
            account_id: org.account_id,
            account_uri: format!("{}/{}/", shared.base_url, org.name),
            account_name: org.name.clone(),
            properties: serde_json::Map::new(),
        })
        .collect();
    let body = Accounts {
        count: value.len(),
        value,
    };
    json_response(StatusCode::OK, &body, None)
}
