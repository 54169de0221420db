//! The PAT Lifecycle API: `{base}/{org}/_apis/tokens/pats`, one path for all five
//! operations, told apart by the method and, on GET, by `authorizationId`.
//!
//! Refusals are HTTP 200 with `patToken: null` and `patTokenError` set; the
//! `patTokenErrorMessage` field exists from api-version 7.2 on. Revoke answers 204 with
//! no body, as the official example's status says.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::auth::{self, OrgCall};
use crate::dates;
use crate::errors::{ServiceError, json_response};
use crate::lifecycle::{self, CreateRequest, DateInput, UpdateRequest};
use crate::listing::ListQuery;
use crate::params;
use crate::state::{Shared, lock};
use crate::wire::{PagedPatTokens, PatToken, PatTokenError, PatTokenResult, Refusal};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/{org}/_apis/tokens/pats", any(pats))
}

async fn pats(
    State(shared): State<Arc<Shared>>,
    method: Method,
    Path(org): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let call = match auth::org_call(&shared, &method, &org, &uri, &headers, params::PAT_API) {
        Ok(call) => call,
        Err(response) => return *response,
    };
    let outcome = match method {
        Method::GET => match call.params.get("authorizationId").map(str::trim) {
            None | Some("") => list(&shared, &call),
            Some(id) => get(&shared, &call, id),
        },
        Method::POST => create(&shared, &call, &body),
        Method::PUT => update(&shared, &call, &body),
        Method::DELETE => revoke(&shared, &call),
        other => Err(ServiceError::method_not_allowed(other.as_str())),
    };
    auth::with_tenant(
        outcome.unwrap_or_else(IntoResponse::into_response),
        call.org.tenant,
    )
}

type Outcome = Result<Response, ServiceError>;

fn list(shared: &Shared, call: &OrgCall) -> Outcome {
    let query = ListQuery::parse(&call.params)?;
    let now = shared.clock.now();
    let store = lock(&shared.store);
    let visible = store
        .pats
        .iter()
        .filter(|pat| pat.visible_in(call.user.id, call.org.account_id))
        .collect();
    let (page, continuation_token) = query.page(visible, now);
    let body = PagedPatTokens {
        continuation_token,
        pat_tokens: page
            .into_iter()
            .map(|pat| PatToken::of(pat, None))
            .collect(),
    };
    Ok(json_response(
        StatusCode::OK,
        &body,
        Some(&call.version.text),
    ))
}

fn get(shared: &Shared, call: &OrgCall, id: &str) -> Outcome {
    let id = query_id(id)?;
    let store = lock(&shared.store);
    match store
        .pat(id)
        .filter(|pat| pat.visible_in(call.user.id, call.org.account_id))
    {
        Some(pat) => Ok(result(call, Ok(PatToken::of(pat, None)))),
        None => Ok(result(call, Err(not_found(id)))),
    }
}

fn create(shared: &Shared, call: &OrgCall, body: &Bytes) -> Outcome {
    let body = read_object(body, "patTokenCreateRequest")?;
    let request = CreateRequest {
        display_name: text_member(&body, "displayName")?,
        scope: text_member(&body, "scope")?,
        valid_to: date_member(&body, "validTo"),
        all_orgs: bool_member(&body, "allOrgs")?.unwrap_or(false),
    };
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    let issued = lifecycle::check_creation_allowed(
        &store.policies,
        &call.org,
        &call.user.email,
        request.scope.as_deref(),
    )
    .and_then(|()| lifecycle::create(&request, call.user.id, &call.org, &store.policies, now));
    Ok(match issued {
        Ok(issued) => {
            tracing::info!(org = %call.org.name, id = %issued.pat.id, "PAT created");
            let wire = PatToken::of(&issued.pat, Some(issued.secret));
            store.pats.push(issued.pat);
            result(call, Ok(wire))
        }
        Err(refusal) => result(call, Err(refusal)),
    })
}

fn update(shared: &Shared, call: &OrgCall, body: &Bytes) -> Outcome {
    let body = read_object(body, "patTokenUpdateRequest")?;
    let id = match uuid_member(&body, "authorizationId")? {
        Some(id) if !id.is_nil() => id,
        _ => {
            return Ok(result(
                call,
                Err(Refusal::new(
                    PatTokenError::InvalidAuthorizationId,
                    "The authorizationId of the token to update is required.",
                )),
            ));
        }
    };
    let request = UpdateRequest {
        display_name: text_member(&body, "displayName")?,
        scope: text_member(&body, "scope")?,
        valid_to: date_member(&body, "validTo"),
        all_orgs: bool_member(&body, "allOrgs")?,
    };
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    // A revoked token can no longer be updated (spec: "it must be valid").
    let Some(current) = store
        .pat(id)
        .filter(|pat| pat.visible_in(call.user.id, call.org.account_id) && !pat.revoked)
        .cloned()
    else {
        return Ok(result(call, Err(not_found(id))));
    };
    let updated = lifecycle::update(&current, &request, &call.org, &store.policies, now);
    Ok(match updated {
        Ok(updated) => {
            tracing::info!(org = %call.org.name, %id, "PAT updated");
            let wire = PatToken::of(&updated, None);
            if let Some(slot) = store.pat_mut(id) {
                *slot = updated;
            }
            result(call, Ok(wire))
        }
        Err(refusal) => result(call, Err(refusal)),
    })
}

fn revoke(shared: &Shared, call: &OrgCall) -> Outcome {
    let text = call
        .params
        .get("authorizationId")
        .filter(|text| !text.trim().is_empty())
        .ok_or_else(|| ServiceError::argument_missing("authorizationId"))?;
    let id = query_id(text)?;
    let mut store = lock(&shared.store);
    let pat = store
        .pat_mut(id)
        .filter(|pat| pat.visible_in(call.user.id, call.org.account_id))
        .ok_or_else(|| ServiceError::pat_not_found(&id.to_string()))?;
    pat.revoked = true;
    tracing::info!(org = %call.org.name, %id, "PAT revoked");
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn result(call: &OrgCall, outcome: Result<PatToken, Refusal>) -> Response {
    let with_message = call.version.at_least(7, 2);
    let body = match outcome {
        Ok(pat) => PatTokenResult::ok(pat, with_message),
        Err(refusal) => PatTokenResult::refused(refusal, with_message),
    };
    json_response(StatusCode::OK, &body, Some(&call.version.text))
}

fn not_found(id: Uuid) -> Refusal {
    Refusal::new(
        PatTokenError::AuthorizationNotFound,
        format!(
            "No usable personal access token with authorization id '{id}' was found in this organization."
        ),
    )
}

fn query_id(text: &str) -> Result<Uuid, ServiceError> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        ServiceError::bad_argument(format!(
            "The value '{text}' is not valid for the parameter 'authorizationId': a GUID is expected."
        ))
    })
}

// The body is read as Newtonsoft.Json reads it into the request type: member names
// without regard to case, `null` the same as absent, scalars converted to text.

fn read_object(body: &Bytes, parameter: &str) -> Result<Map<String, Value>, ServiceError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ServiceError::argument_missing(parameter));
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Err(ServiceError::argument_missing(parameter)),
        Ok(_) => Err(ServiceError::unreadable_json(
            "The request body must be a JSON object.",
        )),
        Err(error) => Err(ServiceError::unreadable_json(&error.to_string())),
    }
}

fn member<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    body.iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
        .filter(|value| !value.is_null())
}

fn text_member(body: &Map<String, Value>, name: &str) -> Result<Option<String>, ServiceError> {
    match member(body, name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(value @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(value.to_string())),
        Some(_) => Err(ServiceError::unreadable_json(&format!(
            "Unexpected value for '{name}': a string is expected."
        ))),
    }
}

fn bool_member(body: &Map<String, Value>, name: &str) -> Result<Option<bool>, ServiceError> {
    match member(body, name) {
        None => Ok(None),
        Some(Value::Bool(value)) => Ok(Some(*value)),
        Some(Value::String(text)) if params::parse_bool(text).is_some() => {
            Ok(params::parse_bool(text))
        }
        Some(_) => Err(ServiceError::unreadable_json(&format!(
            "Could not convert the value of '{name}' to a boolean."
        ))),
    }
}

fn date_member(body: &Map<String, Value>, name: &str) -> Option<DateInput> {
    let value = member(body, name)?;
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    Some(match dates::parse_lenient(&text) {
        Some(at) => DateInput::At(at),
        None => DateInput::Unreadable(text),
    })
}

fn uuid_member(body: &Map<String, Value>, name: &str) -> Result<Option<Uuid>, ServiceError> {
    match member(body, name) {
        None => Ok(None),
        Some(Value::String(text)) => Uuid::parse_str(text.trim()).map(Some).map_err(|_| {
            ServiceError::unreadable_json(&format!("Could not convert string to Guid: {text}."))
        }),
        Some(_) => Err(ServiceError::unreadable_json(&format!(
            "Unexpected value for '{name}': a GUID string is expected."
        ))),
    }
}
