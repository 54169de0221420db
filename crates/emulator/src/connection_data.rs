//! `GET {base}/{org}/_apis/connectionData`: the cheapest call that proves a credential
//! works, so tests can show a PAT the emulator issued behaves like one: accepted while
//! active and meant for this organization, refused with 401 once revoked or expired.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::auth::{self, Credentials};
use crate::errors::{ServiceError, json_response};
use crate::lifecycle::GLOBAL_PATS_RETIRED_FROM;
use crate::state::{Org, PatStatus, Shared, User, lock};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/{org}/_apis/connectiondata", get(connection_data))
}

async fn connection_data(
    State(shared): State<Arc<Shared>>,
    Path(org_name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let org = lock(&shared.store).org_named(&org_name).cloned();
    let Some(org) = org else {
        return ServiceError::organization_not_found(&org_name).into_response();
    };
    match auth::credentials(&headers) {
        Credentials::Basic(password) => match pat_user(&shared, &org, password.as_deref()) {
            Ok(user) => answer(&org, &user),
            Err(message) => rejected(&shared, message),
        },
        Credentials::Bearer(_) => match auth::bearer_user(&shared, &headers) {
            Some(user) if user.orgs.contains(&org.account_id) => answer(&org, &user),
            Some(user) => auth::not_authorized(&shared, &user.id.to_string(), org.tenant),
            None => auth::sign_in_required(&shared, &headers, org.tenant),
        },
        Credentials::None | Credentials::Other => {
            auth::sign_in_required(&shared, &headers, org.tenant)
        }
    }
}

/// The owner of an active PAT that may be used in `org`, or why it may not.
fn pat_user(shared: &Shared, org: &Org, secret: Option<&str>) -> Result<User, &'static str> {
    const DENIED: &str = "TF400813: The user '' is not authorized to access this resource.";
    let now = shared.clock.now();
    let store = lock(&shared.store);
    let pat = secret
        .and_then(|secret| store.pat_by_secret(secret))
        .ok_or(DENIED)?;
    match pat.status(now) {
        PatStatus::Active => {}
        PatStatus::Expired => {
            return Err("Access Denied: The Personal Access Token used has expired.");
        }
        PatStatus::Revoked => return Err(DENIED),
    }
    if !pat.visible_in(pat.owner, org.account_id) {
        return Err(DENIED);
    }
    if pat.targets.is_none() && now >= GLOBAL_PATS_RETIRED_FROM {
        return Err("Access Denied: Global personal access tokens are no longer supported.");
    }
    let user = store.user(pat.owner).ok_or(DENIED)?;
    // The creation policy also stops global PATs in its organization.
    if pat.targets.is_none()
        && crate::lifecycle::restricted(&store.policies, org, &user.email).is_some()
    {
        return Err(
            "Access Denied: Your organization's policy \"Restrict personal access token (PAT) creation\" does not allow global personal access tokens.",
        );
    }
    Ok(user.clone())
}

fn rejected(shared: &Shared, message: &str) -> Response {
    ServiceError::pat_rejected(message)
        .with_header(
            header::WWW_AUTHENTICATE,
            format!("Basic realm=\"{}/\"", shared.base_url),
        )
        .into_response()
}

fn answer(org: &Org, user: &User) -> Response {
    let identity = json!({
        "id": user.id,
        "descriptor": format!("Microsoft.IdentityModel.Claims.ClaimsIdentity;{}\\{}", user.tenant, user.email),
        "providerDisplayName": user.display_name,
        "isActive": true,
        "properties": {
            "Account": { "$type": "System.String", "$value": user.email }
        },
        "resourceVersion": 2,
        "metaTypeId": 0
    });
    let body = json!({
        "authenticatedUser": identity,
        "authorizedUser": identity,
        "instanceId": org.account_id,
        "deploymentId": org.account_id,
        "deploymentType": "hosted",
    });
    json_response(StatusCode::OK, &body, None)
}
