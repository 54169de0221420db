//! Microsoft Entra's side of signing in, on the same base URL as the rest (the Microsoft
//! identity platform v2 endpoints of `login.microsoftonline.com`):
//!
//! - `GET|POST {base}/{tenant}/oauth2/v2.0/authorize`: the authorization code flow with
//!   PKCE (S256, required) for a public client with a loopback redirect;
//! - `POST {base}/{tenant}/oauth2/v2.0/token`: the `authorization_code`,
//!   `refresh_token` (rotating) and device-code grants;
//! - `POST {base}/{tenant}/oauth2/v2.0/devicecode`, and `{base}/devicelogin` where a
//!   person types the user code;
//! - `GET {base}/error?code=N`, where `error_uri` points.
//!
//! `{tenant}` is `organizations` or `common` (the default user), a tenant id or a domain
//! of a user's email (that tenant's user); `consumers` is refused, as Azure DevOps needs
//! a work or school account. Access tokens are registered as bearer tokens of the store,
//! so the PAT, profile and accounts APIs accept them until they expire by the emulator's
//! clock. Nothing here writes a code or a token to the log.

use std::sync::Arc;

use axum::Router;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};

use crate::state::Shared;

mod authorize;
pub(crate) mod control;
mod device;
mod errors;
mod grants;
mod jwt;
mod pages;
mod refresh;
mod scopes;
mod token;
mod users;

pub(crate) use grants::Grants;

/// Entra's polling interval for device-code sign-ins.
pub(crate) const DEFAULT_DEVICE_INTERVAL_SECS: u64 = 5;

/// Azure DevOps' resource (application) id: the audience of the access tokens.
pub(crate) const AZURE_DEVOPS: &str = "499b84ac-1321-427f-aa17-267ca6975798";

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize::show).post(authorize::answer),
        )
        .route(
            "/{tenant}/oauth2/v2.0/token",
            post(token::token).get(post_only),
        )
        .route(
            "/{tenant}/oauth2/v2.0/devicecode",
            post(device::start).get(post_only),
        )
        .route("/devicelogin", get(device::page).post(device::enter))
        .route("/error", get(pages::error_lookup))
}

/// Entra's answer to a GET where only POST is served.
async fn post_only(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    headers: HeaderMap,
) -> Response {
    let context = errors::Context::new(&shared, &headers);
    errors::Failure::post_only().json(&context)
}
