//! Injected failures: a queue of faults, each matched in order against the method and
//! path of non-control requests, answering in place of the real handler for `count`
//! requests (0: for ever).

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

    fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method));
        let path_ok = self.path_contains.as_deref().is_none_or(|part| {
            path.to_ascii_lowercase()
                .contains(&part.to_ascii_lowercase())
        });
        method_ok && path_ok
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
}

/// The first fault that matches, counted down (and dropped when used up).
pub(crate) fn take(queue: &mut Vec<Fault>, method: &str, path: &str) -> Option<Fault> {
    let index = queue.iter().position(|fault| fault.matches(method, path))?;
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
            take(&mut queue, "GET", "/x/_apis/tokens/pats")
                .unwrap()
                .status,
            Some(429)
        );
        assert_eq!(take(&mut queue, "POST", "/x").unwrap().status, Some(500));
        assert_eq!(take(&mut queue, "POST", "/x").unwrap().status, Some(500));
        assert!(take(&mut queue, "POST", "/x").is_none());
        assert_eq!(queue.len(), 1, "a count of 0 stays for ever");
        assert!(take(&mut queue, "GET", "/x/_apis/tokens/pats").is_some());
    }

    #[test]
    fn unknown_fields_and_statuses_are_refused() {
        assert!(serde_json::from_str::<Fault>(r#"{"stauts":500}"#).is_err());
        assert!(fault(r#"{"status":42}"#).validate().is_err());
        assert!(fault(r#"{"status":503}"#).validate().is_ok());
    }
}
