//! Entra's failures, in its three forms: the token endpoint's JSON (HTTP 400, or 401 for
//! `invalid_client`), a redirect back to the client with `error` and
//! `error_description`, and an HTML page when the redirect URI cannot be trusted.
//!
//! Every `error_description` starts with `AADSTSnnnnn:` and ends with the trace id,
//! correlation id and timestamp lines, as Entra writes them. The texts follow the
//! documented AADSTS table where it has one; where it has none (or the emulator
//! refuses something Entra would allow) the wording is the emulator's and says so.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::Serialize;
use url::Url;
use uuid::Uuid;

use super::pages;
use crate::state::Shared;

/// What every Entra answer carries: ids for diagnostics and the time.
pub(crate) struct Context {
    pub(crate) trace_id: Uuid,
    /// The client's `client-request-id` when it sent one (MSAL does), as Entra echoes it.
    pub(crate) correlation_id: Uuid,
    echo_request_id: bool,
    pub(crate) now: Timestamp,
    pub(crate) base: String,
}

impl Context {
    pub(crate) fn new(shared: &Shared, headers: &HeaderMap) -> Context {
        let sent = headers
            .get("client-request-id")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| Uuid::parse_str(value.trim()).ok());
        Context {
            trace_id: Uuid::new_v4(),
            correlation_id: sent.unwrap_or_else(Uuid::new_v4),
            echo_request_id: sent.is_some(),
            now: shared.clock.now(),
            base: shared.base_url.clone(),
        }
    }

    /// `2016-01-09 02:02:12Z`, Entra's form.
    pub(crate) fn timestamp(&self) -> String {
        self.now.strftime("%Y-%m-%d %H:%M:%SZ").to_string()
    }

    /// Entra's headers on everything the token and device endpoints answer.
    pub(crate) fn decorate(&self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store, no-cache"),
        );
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        if let Ok(value) = HeaderValue::from_str(&self.trace_id.to_string()) {
            headers.insert("x-ms-request-id", value);
        }
        if self.echo_request_id
            && let Ok(value) = HeaderValue::from_str(&self.correlation_id.to_string())
        {
            headers.insert("client-request-id", value);
        }
        response
    }

    /// A JSON answer with Entra's headers.
    pub(crate) fn json(&self, status: StatusCode, body: &impl Serialize) -> Response {
        self.decorate(crate::errors::json_response(status, body, None))
    }

    /// A grant's or a device authorization's outcome: 200 with its body, or its refusal.
    pub(crate) fn answer(&self, outcome: Result<impl Serialize, Failure>) -> Response {
        match outcome {
            Ok(body) => self.json(StatusCode::OK, &body),
            Err(failure) => failure.json(self),
        }
    }
}

/// One refusal: the OAuth `error`, the AADSTS number and its sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) error: &'static str,
    pub(crate) code: u32,
    pub(crate) message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    error_description: String,
    error_codes: [u32; 1],
    timestamp: String,
    trace_id: Uuid,
    correlation_id: Uuid,
    error_uri: String,
}

impl Failure {
    fn new(error: &'static str, code: u32, message: impl Into<String>) -> Failure {
        Failure {
            error,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn description(&self, context: &Context) -> String {
        format!(
            "AADSTS{}: {}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: {}",
            self.code,
            self.message,
            context.trace_id,
            context.correlation_id,
            context.timestamp()
        )
    }

    pub(crate) fn error_uri(&self, context: &Context) -> String {
        format!("{}/error?code={}", context.base, self.code)
    }

    /// The token endpoint's form.
    pub(crate) fn json(&self, context: &Context) -> Response {
        let status = if self.error == "invalid_client" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        let body = Body {
            error: self.error,
            error_description: self.description(context),
            error_codes: [self.code],
            timestamp: context.timestamp(),
            trace_id: context.trace_id,
            correlation_id: context.correlation_id,
            error_uri: self.error_uri(context),
        };
        context.json(status, &body)
    }

    /// Back to the client's (already checked) redirect URI.
    pub(crate) fn redirect(&self, context: &Context, to: &Url, state: Option<&str>) -> Response {
        let mut target = to.clone();
        {
            let mut query = target.query_pairs_mut();
            query
                .append_pair("error", self.error)
                .append_pair("error_description", &self.description(context))
                .append_pair("error_uri", &self.error_uri(context));
            if let Some(state) = state {
                query.append_pair("state", state);
            }
        }
        pages::redirect(&target)
    }

    /// A page for the person in the browser, when there is nowhere safe to redirect.
    pub(crate) fn page(&self, context: &Context) -> Response {
        pages::error_page(StatusCode::BAD_REQUEST, self, context).into_response()
    }
}

// The failures, in one place so their texts stay consistent.
impl Failure {
    pub(crate) fn missing(parameter: &str) -> Failure {
        Failure::new(
            "invalid_request",
            900144,
            format!("The request body must contain the following parameter: '{parameter}'."),
        )
    }

    pub(crate) fn post_only() -> Failure {
        Failure::new(
            "invalid_request",
            900561,
            "The endpoint only accepts POST, OPTIONS requests. Received a GET request.",
        )
    }

    pub(crate) fn tenant_not_found(tenant: &str) -> Failure {
        Failure::new(
            "invalid_request",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID \
                 and are signing into the correct cloud."
            ),
        )
    }

    /// Azure DevOps needs a work or school account: the app is for Entra users only.
    pub(crate) fn consumers() -> Failure {
        Failure::new(
            "invalid_request",
            9002332,
            "Application is configured for use by Microsoft Entra users only. Please do not \
             use the /consumers endpoint to serve this request.",
        )
    }

    pub(crate) fn unknown_client(client_id: &str, tenant: &str) -> Failure {
        Failure::new(
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory \
                 '{tenant}'. An application (client) id is a GUID."
            ),
        )
    }

    pub(crate) fn public_client_with_credential() -> Failure {
        Failure::new(
            "invalid_client",
            700025,
            "Client is public so neither 'client_assertion' nor 'client_secret' should be \
             presented.",
        )
    }

    pub(crate) fn unsupported_grant(grant_type: &str) -> Failure {
        Failure::new(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{grant_type}'."),
        )
    }

    pub(crate) fn invalid_scope(detail: &str) -> Failure {
        Failure::new(
            "invalid_scope",
            70011,
            format!("The provided value for the input parameter 'scope' is not valid. {detail}"),
        )
    }

    pub(crate) fn malformed_grant() -> Failure {
        Failure::new(
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid.",
        )
    }

    pub(crate) fn code_redeemed() -> Failure {
        Failure::new(
            "invalid_grant",
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid \
             code or use an existing refresh token.",
        )
    }

    pub(crate) fn code_expired() -> Failure {
        Failure::new(
            "invalid_grant",
            70008,
            "The provided authorization code or refresh token has expired due to inactivity. \
             Send a new interactive authorization request for this user and resource.",
        )
    }

    pub(crate) fn reply_address_mismatch(given: &str, expected: &str) -> Failure {
        Failure::new(
            "invalid_grant",
            500112,
            format!(
                "The reply address '{given}' does not match the reply address '{expected}' \
                 provided when requesting Authorization code."
            ),
        )
    }

    pub(crate) fn other_client(what: &str) -> Failure {
        Failure::new(
            "invalid_grant",
            70000,
            format!(
                "Provided grant is invalid or malformed. The {what} was issued to another application."
            ),
        )
    }

    pub(crate) fn other_tenant() -> Failure {
        Failure::new(
            "invalid_grant",
            700005,
            "Provided grant is intended to use against other tenant, thus rejected. It must be \
             redeemed against the tenant it was acquired for.",
        )
    }

    pub(crate) fn verifier_mismatch() -> Failure {
        Failure::new(
            "invalid_grant",
            501481,
            "The Code_Verifier does not match the code_challenge supplied in the authorization \
             request.",
        )
    }

    /// The emulator rotates refresh tokens (Entra may); a used one is spent.
    pub(crate) fn refresh_token_spent() -> Failure {
        Failure::new(
            "invalid_grant",
            70000,
            "Provided grant is invalid or malformed. The refresh token was already redeemed: \
             refresh tokens rotate, use the one issued with the last token response.",
        )
    }

    pub(crate) fn refresh_token_revoked(issued: &str, valid_from: &str) -> Failure {
        Failure::new(
            "invalid_grant",
            50173,
            format!(
                "The provided grant has expired due to it being revoked, a fresh auth token is \
                 needed. The user might have changed or reset their password. The grant was \
                 issued on '{issued}' and the TokensValidFrom date (before which tokens are not \
                 valid) for this user is '{valid_from}'."
            ),
        )
    }

    pub(crate) fn refresh_token_inactive(issued: &str) -> Failure {
        Failure::new(
            "invalid_grant",
            700082,
            format!(
                "The refresh token has expired due to inactivity. The token was issued on \
                 {issued} and was inactive for 90.00:00:00."
            ),
        )
    }

    pub(crate) fn interaction_required() -> Failure {
        Failure::new(
            "interaction_required",
            50076,
            format!(
                "Due to a configuration change made by your administrator, or because you \
                 moved to a new location, you must use multi-factor authentication to access \
                 '{}'.",
                super::AZURE_DEVOPS
            ),
        )
    }

    pub(crate) fn authorization_pending() -> Failure {
        Failure::new(
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        )
    }

    /// Entra documents no number for `slow_down`; its client-loop error fits best.
    pub(crate) fn slow_down(interval: u64) -> Failure {
        Failure::new(
            "slow_down",
            50196,
            format!(
                "The server terminated an operation because it encountered a client request \
                 loop. Poll no more often than every {interval} seconds."
            ),
        )
    }

    pub(crate) fn device_code_expired() -> Failure {
        Failure::new("expired_token", 70019, "Verification code expired.")
    }

    pub(crate) fn device_declined() -> Failure {
        Failure::new(
            "authorization_declined",
            65004,
            "User declined to consent to access the app.",
        )
    }

    pub(crate) fn unknown_device_code() -> Failure {
        Failure::new(
            "invalid_grant",
            70000,
            "Provided grant is invalid or malformed. The device_code is not known, was \
             already redeemed, or was issued to another application.",
        )
    }

    // The authorization endpoint's.

    pub(crate) fn no_reply_address() -> Failure {
        Failure::new("invalid_request", 900971, "No reply address provided.")
    }

    pub(crate) fn reply_address_refused(uri: &str, client_id: &str) -> Failure {
        Failure::new(
            "invalid_request",
            50011,
            format!(
                "The redirect URI '{uri}' specified in the request does not match the redirect \
                 URIs configured for the application '{client_id}'. A public client here may \
                 only redirect to a loopback address: http://localhost or http://127.0.0.1, on \
                 any port."
            ),
        )
    }

    pub(crate) fn unsupported_response_type(response_type: &str) -> Failure {
        Failure::new(
            "unsupported_response_type",
            70005,
            format!(
                "The app requested an unsupported response type '{response_type}': only 'code' \
                 is enabled for this application."
            ),
        )
    }

    pub(crate) fn unsupported_response_mode(mode: &str) -> Failure {
        Failure::new(
            "invalid_request",
            70007,
            format!(
                "The app requested an unsupported response_mode '{mode}': this emulator answers with 'query' only."
            ),
        )
    }

    pub(crate) fn pkce_required() -> Failure {
        Failure::new(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'code_challenge'. Proof \
             Key for Code Exchange is required for this public client.",
        )
    }

    pub(crate) fn challenge_method(method: &str) -> Failure {
        Failure::new(
            "invalid_request",
            90100,
            format!(
                "code_challenge_method parameter is empty or not valid ('{method}'): use S256."
            ),
        )
    }

    pub(crate) fn challenge_size() -> Failure {
        Failure::new(
            "invalid_request",
            501491,
            "Invalid size of Code_Challenge parameter.",
        )
    }

    pub(crate) fn login_required() -> Failure {
        Failure::new(
            "login_required",
            50058,
            "A silent sign-in request was sent but no user is signed in.",
        )
    }

    pub(crate) fn access_denied() -> Failure {
        Failure::new(
            "access_denied",
            65004,
            "User declined to consent to access the app.",
        )
    }

    pub(crate) fn bad_user_code() -> Failure {
        Failure::new(
            "invalid_request",
            70018,
            "Invalid verification code: check the code and try again, or start the sign-in \
             again on your device.",
        )
    }

    pub(crate) fn device_request_settled() -> Failure {
        Failure::new(
            "invalid_request",
            90120,
            "The request was already authorized or declined.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context {
            trace_id: Uuid::from_u128(1),
            correlation_id: Uuid::from_u128(2),
            echo_request_id: false,
            now: "2016-01-09T02:02:12.5Z".parse().unwrap(),
            base: "http://127.0.0.1:1".into(),
        }
    }

    #[test]
    fn descriptions_have_entras_layout() {
        let text = Failure::invalid_scope("x").description(&context());
        assert_eq!(
            text,
            "AADSTS70011: The provided value for the input parameter 'scope' is not valid. x\r\n\
             Trace ID: 00000000-0000-0000-0000-000000000001\r\n\
             Correlation ID: 00000000-0000-0000-0000-000000000002\r\n\
             Timestamp: 2016-01-09 02:02:12Z"
        );
    }

    #[test]
    fn redirects_carry_the_error_and_the_state() {
        let to = Url::parse("http://localhost:8400/cb?keep=1").unwrap();
        let response = Failure::access_denied().redirect(&context(), &to, Some("s&1"));
        assert_eq!(response.status(), StatusCode::FOUND);
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        let url = Url::parse(location).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs[0], ("keep".into(), "1".into()));
        assert_eq!(pairs[1], ("error".into(), "access_denied".into()));
        assert!(pairs[2].1.starts_with("AADSTS65004: "));
        assert_eq!(pairs.last().unwrap(), &("state".into(), "s&1".into()));
    }
}
