//! The Azure DevOps REST client: base URLs, the bearer header, error mapping and retries.
//!
//! Retries follow one rule: a request is repeated only when repeating it cannot do
//! anything twice. GETs retry on network faults, 5xx and 429; a POST, PUT or DELETE is
//! repeated only when the service said it did not process it (429) or when the
//! connection could not even be opened.
//!
//! Every request runs against a deadline: the operation's (`with_deadline`, which the
//! CLI's `--timeout` sets for a whole command), else `RetryPolicy::budget` for the
//! request and its retries. No answer is read past `MAX_BODY` bytes.

use super::endpoints::Endpoints;
use crate::error::{Error, Result};
use crate::secret::Secret;
use futures::future::BoxFuture;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// The most an answer may hold. A page of 100 PATs is about 60 KB; anything near this
/// is not an answer AdoPat asked for.
pub const MAX_BODY: usize = 16 * 1024 * 1024;

tokio::task_local! {
    static DEADLINE: Instant;
}

/// Runs `operation` with every request in it bound to finish by `deadline`, retries
/// included: a whole command's time limit (`adopat --timeout`).
pub async fn with_deadline<F: Future>(deadline: Instant, operation: F) -> F::Output {
    DEADLINE.scope(deadline, operation).await
}

/// `limit`, or what is left of the operation's deadline when that is less.
pub fn remaining(limit: Duration) -> Duration {
    DEADLINE
        .try_with(|d| d.saturating_duration_since(Instant::now()))
        .map_or(limit, |left| left.min(limit))
}

fn deadline_or(budget: Duration) -> Instant {
    DEADLINE
        .try_with(|d| *d)
        .unwrap_or_else(|_| Instant::now() + budget)
}

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
    /// How long one attempt may take before its answer counts as lost.
    pub attempt_timeout: Duration,
    /// How long a request may take, its retries included, outside `with_deadline`.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            base_delay: Duration::from_millis(250),
            max_wait: Duration::from_secs(30),
            attempt_timeout: Duration::from_secs(60),
            budget: Duration::from_secs(120),
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

    /// The HTTP client, for the requests that carry another credential than the
    /// account's (checking a PAT found on this machine).
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
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
        self.json_or_lost(method, url, body)
            .await
            .map_err(|failure| failure.error)
    }

    /// As `json`, telling apart an answer that was lost (the service may have acted:
    /// connection cut, time out, 5xx, a body cut short or unreadable) from a refusal.
    pub(crate) async fn json_or_lost<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
    ) -> Result<T, Lost> {
        let bytes = self
            .send_classified(method.clone(), url.clone(), body)
            .await?;
        serde_json::from_slice(&bytes).map_err(|e| Lost {
            error: Error::Unavailable(format!(
                "Azure DevOps sent an answer AdoPat cannot read ({method} {}: {e}).",
                url.path()
            )),
            uncertain: true,
        })
    }

    /// Sends a request, retrying as the module says, and returns the body of a success.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
    ) -> Result<Vec<u8>> {
        self.send_classified(method, url, body)
            .await
            .map_err(|failure| failure.error)
    }

    async fn send_classified(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
    ) -> Result<Vec<u8>, Lost> {
        let policy = &self.inner.retry;
        let deadline = deadline_or(policy.budget);
        let idempotent = method == Method::GET;
        let mut attempt = 1;
        let mut renewed = false;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Lost {
                    error: out_of_time(&url),
                    uncertain: false,
                });
            }
            let outcome = self
                .send_once(
                    method.clone(),
                    url.clone(),
                    body,
                    left.min(policy.attempt_timeout),
                )
                .await;
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
                (Err(failure), Some(delay))
                    if attempt < policy.attempts && Instant::now() + delay < deadline =>
                {
                    tracing::debug!(%method, path = url.path(), attempt, ?delay, "retrying: {}", failure.error);
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                (Err(failure), _) => {
                    let mut lost = Lost::from(failure);
                    // It was the time limit, not the service, that ended the request.
                    if deadline.saturating_duration_since(Instant::now())
                        < Duration::from_millis(100)
                    {
                        lost.error = out_of_time(&url);
                    }
                    return Err(lost);
                }
            }
        }
    }

    async fn send_once(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
        timeout: Duration,
    ) -> Result<Vec<u8>, Failure> {
        let token = self.inner.auth.token().await.map_err(Failure::fatal)?;
        let mut request = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .timeout(timeout)
            .bearer_auth(token.expose());
        if let Some(body) = body {
            request = request.json(body);
        }
        tracing::debug!(%method, path = url.path(), "request");
        let mut response = request
            .send()
            .await
            .map_err(|e| Failure::network(&url, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        self.note_server_date(&headers);
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BODY as u64)
        {
            return Err(Failure::too_large(&url));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Failure::network(&url, e))?
        {
            if bytes.len() + chunk.len() > MAX_BODY {
                return Err(Failure::too_large(&url));
            }
            bytes.extend_from_slice(&chunk);
        }
        tracing::debug!(%method, path = url.path(), status = status.as_u16(), "response");
        classify(status, &headers, &bytes).map(|()| bytes)
    }
}

/// A request that failed; `uncertain` when the service may have acted on it anyway.
#[derive(Debug)]
pub(crate) struct Lost {
    pub error: Error,
    pub uncertain: bool,
}

impl From<Failure> for Lost {
    fn from(failure: Failure) -> Self {
        Lost {
            uncertain: matches!(failure.kind, FailureKind::Uncertain),
            error: failure.error,
        }
    }
}

fn out_of_time(url: &Url) -> Error {
    let host = url.host_str().unwrap_or("the service");
    Error::Unavailable(format!(
        "Azure DevOps ({host}) did not answer in the time allowed (see --timeout). Check your network connection and try again."
    ))
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

    fn too_large(url: &Url) -> Self {
        Self {
            error: Error::Unavailable(format!(
                "Azure DevOps sent an answer larger than AdoPat reads ({} MiB) for {}.",
                MAX_BODY / (1024 * 1024),
                url.path()
            )),
            kind: FailureKind::Uncertain,
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
    retry_after_value(headers.get(header::RETRY_AFTER)?.to_str().ok()?)
}

/// The longest wait a `Retry-After` may ask for; anything larger (or unreadable as a
/// number) is taken as this, so no header value can overflow a duration.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// `Retry-After` as seconds (`120`, `0.5`) or an HTTP date, capped at
/// [`MAX_RETRY_AFTER`]; `None` for what is neither. Never panics, whatever the value.
pub fn retry_after_value(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_nan() || seconds < 0.0 {
            return None;
        }
        return Some(
            Duration::try_from_secs_f64(seconds)
                .map_or(MAX_RETRY_AFTER, |d| d.min(MAX_RETRY_AFTER)),
        );
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = at.duration_since(jiff::Timestamp::now());
    Some(
        Duration::try_from(wait)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
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
