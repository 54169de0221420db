//! What every request to the emulated service passes through before its handler: the
//! request log, the configured latency, the fault queue, and the path made lower case,
//! since the service's paths ignore case (the official examples write `/Tokens/Pats`).
//! The control API (`/_emulator/...`) passes straight through.
//!
//! The log keeps the query as sent, except the values of parameters that carry a secret
//! (an authorization code, a PKCE verifier, a token): a client that puts one in a URL
//! must not make the log a place where it can be found.

use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth;
use crate::connection::ConnHandle;
use crate::faults::{self, Injected};
use crate::state::{RequestRecord, Shared, lock};

pub(crate) const CONTROL_PREFIX: &str = "/_emulator";

pub(crate) async fn gateway(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if path == CONTROL_PREFIX || path.starts_with("/_emulator/") {
        return next.run(request).await;
    }
    let mut response = serve(&shared, request, next).await;
    // The service's own clock, as every HTTP server states it: clients that tell time
    // by the service (reminders) then follow the emulator's settable clock.
    let date = shared
        .clock
        .now()
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    if let Ok(value) = axum::http::HeaderValue::from_str(&date) {
        response
            .headers_mut()
            .insert(axum::http::header::DATE, value);
    }
    response
}

async fn serve(shared: &Arc<Shared>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let method = request.method().as_str().to_owned();
    tracing::debug!(%method, %path, "request");
    lock(&shared.requests).push(RequestRecord {
        method: method.clone(),
        path: path.clone(),
        query: redact_query(request.uri().query().unwrap_or_default()),
        auth: auth::kind(request.headers()),
    });

    let latency = *lock(&shared.latency);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let query = request.uri().query().unwrap_or_default().to_owned();
    let fault = faults::take(&mut lock(&shared.faults), &method, &path, &query);
    let connection = request
        .extensions()
        .get::<ConnectInfo<ConnHandle>>()
        .map(|ConnectInfo(handle)| handle.clone());
    if let Some(lowered) = lower_case_path(request.uri()) {
        *request.uri_mut() = lowered;
    }
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    let injected = if fault.acts_first() {
        let answer = next.run(request).await;
        fault.spoil(answer).await
    } else {
        let now = shared.clock.now().as_second();
        fault.answer(&shared.base_url, now)
    };
    if let Some(delay) = fault.delay() {
        tokio::time::sleep(delay).await;
    }
    match injected {
        Injected::Respond(response) => response,
        Injected::Drop => {
            if let Some(handle) = connection {
                handle.cut();
            }
            // Never written: the connection fails before the response goes out.
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Query parameters whose values are secrets (names compared without regard to case).
const SECRET_PARAMETERS: &[&str] = &[
    "code",
    "code_verifier",
    "device_code",
    "refresh_token",
    "access_token",
    "id_token",
    "client_secret",
    "client_assertion",
    "assertion",
    "password",
];

const REDACTED: &str = "REDACTED";

/// The query as sent, with the value of every secret parameter replaced.
fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded: String = url::form_urlencoded::parse(name.as_bytes())
                .map(|(key, _)| key.into_owned())
                .next()
                .unwrap_or_default();
            let secret = SECRET_PARAMETERS
                .iter()
                .any(|secret| secret.eq_ignore_ascii_case(decoded.trim()));
            if secret && !value.is_empty() {
                format!("{name}={REDACTED}")
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn lower_case_path(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    if !path.bytes().any(|byte| byte.is_ascii_uppercase()) {
        return None;
    }
    let path = path.to_ascii_lowercase();
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path,
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(path_and_query.parse().ok()?);
    Uri::from_parts(parts).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_path_is_lowered() {
        let uri: Uri = "/Fabrikam/_apis/Tokens/Pats?api-version=6.1-preview&authorizationId=ABC"
            .parse()
            .unwrap();
        let lowered = lower_case_path(&uri).unwrap();
        assert_eq!(lowered.path(), "/fabrikam/_apis/tokens/pats");
        assert_eq!(
            lowered.query(),
            Some("api-version=6.1-preview&authorizationId=ABC")
        );
        assert!(lower_case_path(&"/already/lower".parse().unwrap()).is_none());
    }

    #[test]
    fn secrets_in_the_query_are_redacted_and_the_rest_kept() {
        assert_eq!(
            redact_query("api-version=7.2-preview.1&authorizationId=ABC"),
            "api-version=7.2-preview.1&authorizationId=ABC"
        );
        assert_eq!(
            redact_query("code=abc&state=s1&Code_Verifier=v&%63ode=x&refresh_token="),
            "code=REDACTED&state=s1&Code_Verifier=REDACTED&%63ode=REDACTED&refresh_token="
        );
        assert_eq!(redact_query(""), "");
    }
}
