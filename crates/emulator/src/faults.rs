//! Injected failures: a queue of faults, each matched in order against the method, path
//! and query of non-control requests, for `count` requests (0: for ever).
//!
//! A fault answers in place of the real handler, or, with `act`, lets the service act
//! first and then spoils its answer on the way back: the connection dropped, the body
//! truncated or garbled, the answer delayed past a client's patience, hostile headers.
//! Those are the cases where a client cannot know from the answer whether a create
//! happened.

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use crate::errors::{ServiceError, json_response};
use crate::signin;

/// Defaults for a 429 when the test does not choose.
const DEFAULT_RETRY_AFTER_SECONDS: u32 = 30;
const RATE_LIMIT_RESOURCE: &str = "ATCPU";
const RATE_LIMIT_TSTUS: &str = "200";

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Fault {
    method: Option<String>,
    path_contains: Option<String>,
    /// Matched against the raw query string (e.g. `continuationToken=A`).
    query_contains: Option<String>,
    /// The service acts on the request first; the fault then applies to its answer.
    #[serde(default)]
    act: bool,
    /// Send the headers and half the body, then close the connection.
    #[serde(default)]
    truncate: bool,
    /// Replace the body with bytes that are not JSON (status 200 unless `status`).
    #[serde(default)]
    garble: bool,
    /// Wait this long before answering.
    delay_ms: Option<u64>,
    /// Extra response headers, sent as given (hostile values included).
    headers: Option<std::collections::BTreeMap<String, String>>,
    status: Option<u16>,
    body: Option<Value>,
    retry_after: Option<u32>,
    #[serde(default)]
    drop: bool,
    #[serde(default = "once")]
    count: u32,
    #[serde(default)]
    html: bool,
}

fn once() -> u32 {
    1
}

/// What an injected fault does to the request.
pub(crate) enum Injected {
    /// Close the connection without writing anything.
    Drop,
    Respond(Response),
}

impl Fault {
    /// Refuses a fault that could not be answered, before it is queued.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if let Some(status) = self.status {
            StatusCode::from_u16(status).map_err(|_| format!("{status} is not an HTTP status"))?;
        }
        Ok(())
    }

    /// Whether the real handler runs first (`act`).
    pub(crate) fn acts_first(&self) -> bool {
        self.act
    }

    pub(crate) fn delay(&self) -> Option<std::time::Duration> {
        self.delay_ms.map(std::time::Duration::from_millis)
    }

    /// The service's own answer as this fault spoils it (`act`).
    pub(crate) async fn spoil(&self, answer: Response) -> Injected {
        if self.drop {
            return Injected::Drop;
        }
        let (mut parts, body) = answer.into_parts();
        if let Some(status) = self.status.and_then(|s| StatusCode::from_u16(s).ok()) {
            parts.status = status;
        }
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let mut response = if self.truncate {
            truncated(&mut parts.headers, bytes)
        } else if self.garble {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::new(axum::body::Body::from(GARBLED))
        } else {
            Response::new(axum::body::Body::from(bytes))
        };
        *response.status_mut() = parts.status;
        *response.headers_mut() = parts.headers;
        self.add_headers(response.headers_mut());
        Injected::Respond(response)
    }

    fn add_headers(&self, headers: &mut axum::http::HeaderMap) {
        for (name, value) in self.headers.iter().flatten() {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.insert(name, value);
            }
        }
    }

    fn matches(&self, method: &str, path: &str, query: &str) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method));
        let path_ok = self.path_contains.as_deref().is_none_or(|part| {
            path.to_ascii_lowercase()
                .contains(&part.to_ascii_lowercase())
        });
        let query_ok = self
            .query_contains
            .as_deref()
            .is_none_or(|part| query.contains(part));
        method_ok && path_ok && query_ok
    }

    /// `now_unix` is the emulator clock, for `X-RateLimit-Reset`.
    pub(crate) fn answer(&self, base_url: &str, now_unix: i64) -> Injected {
        if self.drop {
            return Injected::Drop;
        }
        let default_status = if self.html {
            StatusCode::NON_AUTHORITATIVE_INFORMATION
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        let status = self
            .status
            .and_then(|status| StatusCode::from_u16(status).ok())
            .unwrap_or(default_status);
        if self.garble {
            let mut response = (self.status_or(StatusCode::OK), GARBLED).into_response();
            self.add_headers(response.headers_mut());
            return Injected::Respond(response);
        }
        let mut response = if self.html {
            if status.is_redirection() {
                signin::moved(base_url, status)
            } else {
                signin::page(base_url, status)
            }
        } else if let Some(body) = &self.body {
            json_response(status, body, None)
        } else if status == StatusCode::TOO_MANY_REQUESTS {
            ServiceError::request_blocked().into_response()
        } else {
            ServiceError::generic(status).into_response()
        };
        let retry_after = if status == StatusCode::TOO_MANY_REQUESTS {
            Some(self.retry_after.unwrap_or(DEFAULT_RETRY_AFTER_SECONDS))
        } else {
            self.retry_after
        };
        self.add_headers(response.headers_mut());
        let headers = response.headers_mut();
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            let reset = now_unix + i64::from(retry_after.unwrap_or(DEFAULT_RETRY_AFTER_SECONDS));
            for (name, value) in [
                ("x-ratelimit-resource", RATE_LIMIT_RESOURCE.to_owned()),
                ("x-ratelimit-limit", RATE_LIMIT_TSTUS.to_owned()),
                ("x-ratelimit-remaining", "0".to_owned()),
                ("x-ratelimit-reset", reset.to_string()),
            ] {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    headers.insert(HeaderName::from_static(name), value);
                }
            }
        }
        Injected::Respond(response)
    }

    fn status_or(&self, default: StatusCode) -> StatusCode {
        self.status
            .and_then(|status| StatusCode::from_u16(status).ok())
            .unwrap_or(default)
    }
}

/// Bytes no JSON reader accepts, cut off inside a string.
const GARBLED: &[u8] = b"{\"patToken\":{\"displayName\":\"\xff\xfe\x00garbled";

/// Half the body, promised in full by `Content-Length`, then the stream fails: the
/// server closes the connection and the client sees a body that ends early.
fn truncated(headers: &mut axum::http::HeaderMap, bytes: axum::body::Bytes) -> Response {
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let half = bytes.slice(..bytes.len() / 2);
    let chunks: Vec<Result<axum::body::Bytes, std::io::Error>> = vec![
        Ok(half),
        Err(std::io::Error::other("truncated by an injected fault")),
    ];
    Response::new(axum::body::Body::from_stream(futures::stream::iter(chunks)))
}

/// The first fault that matches, counted down (and dropped when used up).
pub(crate) fn take(queue: &mut Vec<Fault>, method: &str, path: &str, query: &str) -> Option<Fault> {
    let index = queue
        .iter()
        .position(|fault| fault.matches(method, path, query))?;
    let fault = queue[index].clone();
    match queue[index].count {
        0 => {}
        1 => {
            queue.remove(index);
        }
        _ => queue[index].count -= 1,
    }
    Some(fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(json: &str) -> Fault {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn faults_match_in_order_and_count_down() {
        let mut queue = vec![
            fault(r#"{"method":"post","status":500,"count":2}"#),
            fault(r#"{"pathContains":"/_apis/Tokens","status":429,"count":0}"#),
        ];
        assert_eq!(
            take(&mut queue, "GET", "/x/_apis/tokens/pats", "")
                .unwrap()
                .status,
            Some(429)
        );
        assert_eq!(
            take(&mut queue, "POST", "/x", "").unwrap().status,
            Some(500)
        );
        assert_eq!(
            take(&mut queue, "POST", "/x", "").unwrap().status,
            Some(500)
        );
        assert!(take(&mut queue, "POST", "/x", "").is_none());
        assert_eq!(queue.len(), 1, "a count of 0 stays for ever");
        assert!(take(&mut queue, "GET", "/x/_apis/tokens/pats", "").is_some());
    }

    #[test]
    fn unknown_fields_and_statuses_are_refused() {
        assert!(serde_json::from_str::<Fault>(r#"{"stauts":500}"#).is_err());
        assert!(fault(r#"{"status":42}"#).validate().is_err());
        assert!(fault(r#"{"status":503}"#).validate().is_ok());
    }
}
