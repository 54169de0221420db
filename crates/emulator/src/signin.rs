//! The HTML the service answers instead of JSON when it wants a person to sign in: the
//! 203 page for unknown bearer tokens, the 302 "Object moved" redirect, and the sign-in
//! page those lead to. A client must treat all of them as "authentication failed".

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::Shared;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/_signin", get(sign_in))
}

async fn sign_in(State(shared): State<Arc<Shared>>) -> Response {
    page(&shared.base_url, StatusCode::OK)
}

pub(crate) fn sign_in_url(base: &str) -> String {
    format!("{base}/_signin?realm=vssps.dev.azure.com&reply_to={base}%2F&redirect=1")
}

pub(crate) fn page(base: &str, status: StatusCode) -> Response {
    let url = sign_in_url(base);
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
         <title>Azure DevOps Services | Sign In</title></head>\n<body>\n\
         <h1>Sign in to Azure DevOps</h1>\n\
         <p>You need to sign in to continue.</p>\n\
         <p><a href=\"{url}\">Sign in</a></p>\n</body>\n</html>\n"
    );
    html(status, body)
}

/// The redirect ASP.NET writes, "Object moved" and all.
pub(crate) fn moved(base: &str, status: StatusCode) -> Response {
    let url = sign_in_url(base);
    let body = format!(
        "<html><head><title>Object moved</title></head><body>\n\
         <h2>Object moved to <a href=\"{url}\">here</a>.</h2>\n</body></html>\n"
    );
    let mut response = html(status, body);
    if let Ok(location) = HeaderValue::from_str(&url) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}
