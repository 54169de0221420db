//! `POST {base}/{tenant}/oauth2/v2.0/token`: checks what every grant shares (tenant,
//! public client id, grant type), lets the grant's module redeem it, and issues the
//! tokens.
//!
//! Access tokens last 3599 seconds by the emulator's clock and are registered as bearer
//! tokens, so the service accepts them until then. A refresh token comes with every
//! grant that asked for `offline_access` and with every refresh (rotation); an id token
//! whenever `openid` was asked for.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use uuid::Uuid;

use super::errors::{Context, Failure};
use super::grants::Grant;
use super::users::Route;
use super::{authorize, device, jwt, refresh};
use crate::auth::{self, Credentials};
use crate::dates;
use crate::params::Params;
use crate::state::{Shared, Store, User, lock};

pub(crate) const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// `expires_in` of every access token, and its lifetime.
pub(crate) const ACCESS_TOKEN_SECONDS: i64 = 3599;

/// What a grant yields once redeemed.
pub(crate) struct Redeemed {
    pub(crate) grant: Grant,
    /// The refresh-token family to continue (a refresh), or `None` to start one.
    pub(crate) family: Option<usize>,
    pub(crate) nonce: Option<String>,
    pub(crate) with_refresh_token: bool,
}

#[derive(Serialize)]
struct TokenBody {
    token_type: &'static str,
    scope: String,
    expires_in: i64,
    ext_expires_in: i64,
    access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

pub(crate) async fn token(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let context = Context::new(&shared, &headers);
    let form = Params::parse(std::str::from_utf8(&body).ok());
    context.answer(respond(&shared, &tenant, &headers, &form, &context))
}

fn respond(
    shared: &Shared,
    tenant: &str,
    headers: &HeaderMap,
    form: &Params,
    context: &Context,
) -> Result<TokenBody, Failure> {
    let mut store = lock(&shared.store);
    let route = Route::of(&store, tenant)?;
    let client_id = client_id(form, tenant)?;
    let basic_secret = matches!(
        auth::credentials(headers),
        Credentials::Basic(Some(secret)) if !secret.is_empty()
    );
    if basic_secret || form.get("client_secret").is_some() || form.get("client_assertion").is_some()
    {
        return Err(Failure::public_client_with_credential());
    }
    let grant_type = required(form, "grant_type")?;
    let now = context.now;
    let redeemed = match grant_type {
        "authorization_code" => authorize::redeem(&mut store, route, &client_id, form, now)?,
        "refresh_token" => refresh::redeem(&mut store, route, &client_id, form, now)?,
        DEVICE_GRANT => device::redeem(&mut store, route, &client_id, form, now)?,
        other => return Err(Failure::unsupported_grant(other)),
    };
    issue(&mut store, &context.base, redeemed, now)
}

/// A parameter that must be there and not empty.
pub(crate) fn required<'a>(form: &'a Params, name: &str) -> Result<&'a str, Failure> {
    form.get(name)
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| Failure::missing(name))
}

/// The application (client) id: any GUID names a public client here.
pub(crate) fn client_id(form: &Params, tenant: &str) -> Result<String, Failure> {
    let text = required(form, "client_id")?;
    Uuid::parse_str(text)
        .map(|_| text.to_ascii_lowercase())
        .map_err(|_| Failure::unknown_client(text, tenant))
}

fn issue(
    store: &mut Store,
    base: &str,
    redeemed: Redeemed,
    now: Timestamp,
) -> Result<TokenBody, Failure> {
    let Redeemed {
        grant,
        family,
        nonce,
        with_refresh_token,
    } = redeemed;
    let user = store
        .user(grant.user)
        .cloned()
        .ok_or_else(Failure::malformed_grant)?;
    let (access_token, _) = access_token(
        store,
        base,
        &user,
        &grant.client_id,
        &grant.scopes.scp(),
        now,
    );
    let id_token = grant.scopes.openid.then(|| {
        jwt::id_token(
            base,
            &user,
            &grant.client_id,
            nonce.as_deref(),
            grant.scopes.email,
            now,
        )
    });
    let scope = grant.scopes.granted();
    let refresh_token =
        with_refresh_token.then(|| store.entra.issue_refresh_token(grant, family, now));
    tracing::info!(user = %user.email, "Entra tokens issued");
    Ok(TokenBody {
        token_type: "Bearer",
        scope,
        expires_in: ACCESS_TOKEN_SECONDS,
        ext_expires_in: ACCESS_TOKEN_SECONDS,
        access_token,
        refresh_token,
        id_token,
    })
}

/// A new access token for `user`, accepted by the service until it expires.
pub(crate) fn access_token(
    store: &mut Store,
    base: &str,
    user: &User,
    client_id: &str,
    scp: &str,
    now: Timestamp,
) -> (String, Timestamp) {
    let expires = dates::add(now, SignedDuration::from_secs(ACCESS_TOKEN_SECONDS));
    let token = jwt::access_token(base, user, client_id, scp, now, expires);
    store.grant_bearer(&token, user.id, Some(expires));
    store.entra.issued.access_tokens.push(token.clone());
    (token, expires)
}
