//! The Azure DevOps REST client: base URLs, the bearer header, error mapping and retries.
//!
//! Retries follow one rule: a request is repeated only when repeating it cannot do
//! anything twice. GETs retry on network faults, 5xx and 429; a POST, PUT or DELETE is
//! repeated only when the service said it did not process it (429) or when the
//! connection could not even be opened.

use super::endpoints::Endpoints;
use crate::error::{Error, Result};
use crate::secret::Secret;
use futures::future::BoxFuture;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Hands out a bearer token for each request; sign-in implementations refresh behind it.
pub trait TokenProvider: Send + Sync {
    fn token(&self) -> BoxFuture<'_, Result<Secret>>;

    /// Forgets the current token after the service refused it; true when asking again
    /// may give a different one (a refresh), so the request is worth one more try.
    fn invalidate(&self) -> bool {
        false
    }
}

/// A token given as it is (`ADOPAT_ACCESS_TOKEN`, `--demo`): nothing to refresh.
pub struct StaticToken(pub Secret);

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<Secret>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts for a request that may be repeated, the first included.
    pub attempts: u32,
    pub base_delay: Duration,
    /// A `Retry-After` longer than this is reported rather than waited out.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            base_delay: Duration::from_millis(250),
            max_wait: Duration::from_secs(30),
        }
    }
}

#[derive(Clone)]
pub struct AdoClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoints: Endpoints,
    auth: Arc<dyn TokenProvider>,
    retry: RetryPolicy,
    /// The service's clock minus ours, from the last response's `Date` header.
    server_offset: std::sync::Mutex<Option<jiff::SignedDuration>>,
}

impl AdoClient {
    pub fn new(endpoints: Endpoints, auth: Arc<dyn TokenProvider>) -> Result<Self> {
        Self::with_retry(endpoints, auth, RetryPolicy::default())
    }

    pub fn with_retry(
        endpoints: Endpoints,
        auth: Arc<dyn TokenProvider>,
        retry: RetryPolicy,
    ) -> Result<Self> {
        let mut headers = HeaderMap::new();
        // Without it the service answers a bad token with a 302 or a 203 sign-in page.
        headers.insert(
            "X-TFS-FedAuthRedirect",
            HeaderValue::from_static("Suppress"),
        );
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent(concat!("AdoPat/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            // A redirect here is always the sign-in page; following it hides the cause.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| Error::Other(format!("could not set up HTTP: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                endpoints,
                auth,
                retry,
                server_offset: std::sync::Mutex::new(None),
            }),
        })
    }

    /// The time by the service's clock, as its last answer stated it; ours before any
    /// answer. Expiry is the service's business, so reminders count by its clock.
    pub fn server_now(&self) -> jiff::Timestamp {
        let offset = self
            .inner
            .server_offset
            .lock()
            .map(|o| o.unwrap_or_default())
            .unwrap_or_default();
        jiff::Timestamp::now() + offset
    }

    fn note_server_date(&self, headers: &HeaderMap) {
        let stated = headers
            .get(header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| jiff::fmt::rfc2822::parse(v).ok());
        if let (Some(stated), Ok(mut offset)) = (stated, self.inner.server_offset.lock()) {
            *offset = Some(stated.timestamp().duration_since(jiff::Timestamp::now()));
        }
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    /// Sends a JSON request and parses a JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
    ) -> Result<T> {
        let bytes = self.send(method.clone(), url.clone(), body).await?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::Unavailable(format!(
                "Azure DevOps sent an answer AdoPat cannot read ({method} {}: {e}).",
                url.path()
            ))
        })
    }

    /// Sends a request, retrying as the module says, and returns the body of a success.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
    ) -> Result<Vec<u8>> {
        let policy = &self.inner.retry;
        let idempotent = method == Method::GET;
        let mut attempt = 1;
        let mut renewed = false;
        loop {
            let outcome = self.send_once(method.clone(), url.clone(), body).await;
            // A refused sign-in may be a token revoked or expired early: one retry
            // with a renewed token. The request was not processed, so this is safe.
            let refused = matches!(
                &outcome,
                Err(Failure {
                    error: Error::SignIn(_),
                    ..
                })
            );
            if refused && !renewed && self.inner.auth.invalidate() {
                renewed = true;
                continue;
            }
            let retry_in = match &outcome {
                Ok(_) => None,
                Err(failure) => failure.retry_delay(idempotent, attempt, policy),
            };
            match (outcome, retry_in) {
                (Ok(bytes), _) => return Ok(bytes),
                (Err(failure), Some(delay)) if attempt < policy.attempts => {
                    tracing::debug!(%method, path = url.path(), attempt, ?delay, "retrying: {}", failure.error);
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                (Err(failure), _) => return Err(failure.error),
            }
        }
    }

    async fn send_once(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
    ) -> Result<Vec<u8>, Failure> {
        let token = self.inner.auth.token().await.map_err(Failure::fatal)?;
        let mut request = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .bearer_auth(token.expose());
        if let Some(body) = body {
            request = request.json(body);
        }
        tracing::debug!(%method, path = url.path(), "request");
        let response = request
            .send()
            .await
            .map_err(|e| Failure::network(&url, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        self.note_server_date(&headers);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Failure::network(&url, e))?;
        tracing::debug!(%method, path = url.path(), status = status.as_u16(), "response");
        classify(status, &headers, &bytes).map(|()| bytes.to_vec())
    }
}

/// A failed attempt and what it allows next.
struct Failure {
    error: Error,
    kind: FailureKind,
}

enum FailureKind {
    /// The connection was never made: nothing reached the service.
    NotSent,
    /// Lost on the way, or a 5xx: the service may or may not have acted.
    Uncertain,
    /// The service said it did not process the request and when to come back.
    Throttled(Duration),
    Fatal,
}

impl Failure {
    fn fatal(error: Error) -> Self {
        Self {
            error,
            kind: FailureKind::Fatal,
        }
    }

    fn network(url: &Url, e: reqwest::Error) -> Self {
        let host = url.host_str().unwrap_or("the service");
        let what = if e.is_timeout() {
            "did not answer in time"
        } else if e.is_connect() {
            "could not be reached"
        } else {
            "closed the connection"
        };
        Self {
            error: Error::Unavailable(format!(
                "Azure DevOps ({host}) {what}. Check your network connection and try again."
            )),
            kind: if e.is_connect() {
                FailureKind::NotSent
            } else {
                FailureKind::Uncertain
            },
        }
    }

    fn retry_delay(
        &self,
        idempotent: bool,
        attempt: u32,
        policy: &RetryPolicy,
    ) -> Option<Duration> {
        let backoff = policy.base_delay * 2u32.saturating_pow(attempt - 1);
        match self.kind {
            FailureKind::NotSent => Some(backoff),
            FailureKind::Uncertain if idempotent => Some(backoff),
            FailureKind::Throttled(wait) if wait <= policy.max_wait => Some(wait.max(backoff)),
            _ => None,
        }
    }
}

/// The standard Azure DevOps error body.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServiceError {
    message: Option<String>,
    type_key: Option<String>,
}

fn service_message(bytes: &[u8]) -> Option<String> {
    let parsed: ServiceError = serde_json::from_slice(bytes).ok()?;
    let message = parsed.message.or(parsed.type_key)?;
    Some(message.trim().to_owned()).filter(|m| !m.is_empty())
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("text/html"))
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

const SIGN_IN_AGAIN: &str = "Azure DevOps did not accept the sign-in";

fn classify(status: StatusCode, headers: &HeaderMap, bytes: &[u8]) -> Result<(), Failure> {
    let said = || {
        service_message(bytes)
            .map(|m| format!(" Azure DevOps said: {m}"))
            .unwrap_or_default()
    };
    let error = match status.as_u16() {
        // 203 with an HTML page is how the service answers a bad token on GET and POST.
        203 => Error::SignIn(format!(
            "{SIGN_IN_AGAIN} (it answered with a sign-in page). Sign in again."
        )),
        200..=299 if is_html(headers) => Error::SignIn(format!(
            "{SIGN_IN_AGAIN} (it answered with a web page). Sign in again."
        )),
        200..=299 => return Ok(()),
        301 | 302 | 303 | 307 | 308 => Error::SignIn(format!(
            "{SIGN_IN_AGAIN} (it redirected to its sign-in page). Sign in again."
        )),
        401 => Error::SignIn(format!(
            "{SIGN_IN_AGAIN} (HTTP 401). Sign in again.{}",
            said()
        )),
        403 => Error::AccessDenied(format!(
            "Access denied: your account may not do this in that organization.{}",
            said()
        )),
        404 => Error::NotFound(format!("Not found.{}", said())),
        429 => {
            let wait = retry_after(headers).unwrap_or(Duration::from_secs(30));
            return Err(Failure {
                error: Error::RateLimited {
                    retry_after_secs: wait.as_secs_f64().ceil() as u64,
                },
                kind: FailureKind::Throttled(wait),
            });
        }
        500..=599 => {
            return Err(Failure {
                error: Error::Unavailable(format!(
                    "Azure DevOps is unavailable (HTTP {}). Try again later.{}",
                    status.as_u16(),
                    said()
                )),
                kind: FailureKind::Uncertain,
            });
        }
        code if is_html(headers) => Error::SignIn(format!(
            "{SIGN_IN_AGAIN} (HTTP {code} with a web page). Sign in again."
        )),
        code => Error::Rejected(format!(
            "Azure DevOps rejected the request (HTTP {code}).{}",
            said()
        )),
    };
    Err(Failure::fatal(error))
}
