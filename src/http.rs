//! The one HTTP client of a run, the limit on requests in flight, and the retry loop every
//! request goes through.
//!
//! Retries are a small hand-written predicate instead of a middleware stack: which responses are
//! retried depends on whether repeating the request is safe, and `Retry-After` is honoured.

mod spool;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use rand::Rng;
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, Response, StatusCode, header};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub use spool::{Spool, SpoolError};

/// `Retry-After` values above this are capped: servers have sent absurd ones.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// First backoff step; doubled per attempt, with jitter.
const BASE_BACKOFF: Duration = Duration::from_millis(500);

pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Settings of the run's one HTTP client.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// `CONFLUENCE_TIMEOUT`: the connect timeout and the longest stall.
    pub timeout: Duration,
    /// `CONFLUENCE_MAX_RETRIES`: retries for answers and errors that [`RetryPolicy`] allows.
    pub max_retries: u32,
    /// `CONFLUENCE_CONCURRENCY`: the most requests in flight at once over the whole run.
    pub concurrency: usize,
    /// `CONFLUENCE_CA_CERT`: extra trusted roots.
    pub ca: Option<CaBundle>,
}

/// Extra trusted root certificates, parsed once from a PEM bundle.
#[derive(Debug, Clone)]
pub struct CaBundle(Vec<reqwest::Certificate>);

/// A `CONFLUENCE_CA_CERT` file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CaError {
    #[error("cannot read `{path}` ({source}); use the path of a PEM CA bundle")]
    Read { path: String, source: std::io::Error },
    #[error("`{path}` holds no PEM certificate; use a file with -----BEGIN CERTIFICATE----- blocks")]
    NoCertificate { path: String },
}

impl CaBundle {
    /// Reads and parses a PEM bundle of one or more certificates.
    pub fn read(path: &str) -> Result<Self, CaError> {
        let pem = std::fs::read(path).map_err(|source| CaError::Read { path: path.to_owned(), source })?;
        match reqwest::Certificate::from_pem_bundle(&pem) {
            Ok(certs) if !certs.is_empty() => Ok(Self(certs)),
            _ => Err(CaError::NoCertificate { path: path.to_owned() }),
        }
    }
}

/// Builds the run's client: rustls with the built-in public roots plus `CONFLUENCE_CA_CERT`, and
/// a user agent naming this crate's version. `CONFLUENCE_TIMEOUT` limits connecting and each
/// stall (a read that makes no progress), never a whole transfer: a large attachment on a slow
/// link that keeps moving is not cut off. `HTTPS_PROXY`/`NO_PROXY` are honoured by reqwest.
fn client(settings: &HttpSettings) -> Result<reqwest::Client, reqwest::Error> {
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(settings.timeout)
        .read_timeout(settings.timeout);
    for cert in settings.ca.iter().flat_map(|ca| &ca.0) {
        builder = builder.add_root_certificate(cert.clone());
    }
    builder.build()
}

/// Which failures may be retried, by what repeating the request could do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryPolicy {
    /// Reads: 429, 502, 503, 504, timeouts and connection errors.
    Idempotent,
    /// Creates: only answers that say the request was not processed (429, 503) and connections
    /// that never opened. Anything that might have been committed is the caller's to re-check.
    NotIdempotent,
    /// Chat notifications: a duplicate message is better than none, so 429 and every 5xx.
    Notification,
}

impl RetryPolicy {
    fn retries_status(self, status: StatusCode) -> bool {
        match self {
            Self::Idempotent => matches!(status.as_u16(), 429 | 502 | 503 | 504),
            Self::NotIdempotent => matches!(status.as_u16(), 429 | 503),
            Self::Notification => status.as_u16() == 429 || status.is_server_error(),
        }
    }

    fn retries_error(self, err: &reqwest::Error) -> bool {
        match self {
            Self::Idempotent | Self::Notification => err.is_connect() || err.is_timeout() || err.is_request(),
            Self::NotIdempotent => err.is_connect(),
        }
    }
}

/// The run's one HTTP client, shared by every report, lookup, copy and webhook: one connection
/// pool, and one limit on the requests in flight (`CONFLUENCE_CONCURRENCY`) over the whole run.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    permits: Arc<Semaphore>,
    max_retries: u32,
}

impl Http {
    pub fn new(settings: &HttpSettings) -> Result<Self, reqwest::Error> {
        let permits = Arc::new(Semaphore::new(settings.concurrency.max(1)));
        Ok(Self { client: client(settings)?, permits, max_retries: settings.max_retries })
    }

    /// For building requests; send them with [`Http::send`], never directly.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Sends the request built by `build`, retrying per `policy` up to `CONFLUENCE_MAX_RETRIES`
    /// times. Returns the last answer (whatever its status) or the last transport error.
    ///
    /// Each attempt waits for a place among the requests in flight and keeps it until its answer
    /// is read or dropped (a streamed body included); the place is given up while waiting to
    /// retry. One place per request: nothing may send a request while holding an [`Answer`].
    pub async fn send(
        &self,
        build: impl Fn() -> RequestBuilder,
        policy: RetryPolicy,
        what: &dyn std::fmt::Display,
    ) -> Result<Answer, reqwest::Error> {
        let max_retries = self.max_retries;
        let mut attempt = 0;
        loop {
            let permit = self.permits.clone().acquire_owned().await.expect("the semaphore is never closed");
            let result = build().send().await;
            let wait = match &result {
                Ok(response) if policy.retries_status(response.status()) => {
                    Some(backoff(attempt, retry_after(response)))
                }
                Err(err) if policy.retries_error(err) => Some(backoff(attempt, None)),
                _ => None,
            };
            match wait {
                Some(wait) if attempt < max_retries => {
                    attempt += 1;
                    match &result {
                        Ok(response) => tracing::warn!(
                            "{what}: HTTP {}; retry {attempt}/{max_retries} in {:.1}s",
                            response.status().as_u16(),
                            wait.as_secs_f32()
                        ),
                        Err(err) => tracing::warn!(
                            "{what}: {}; retry {attempt}/{max_retries} in {:.1}s",
                            describe_transport(err),
                            wait.as_secs_f32()
                        ),
                    }
                    drop((result, permit));
                    tokio::time::sleep(wait).await;
                }
                _ => return result.map(|response| Answer { response, _permit: permit }),
            }
        }
    }
}

/// An answer, holding its place among the requests in flight until its body is read or it is
/// dropped.
#[derive(Debug)]
pub struct Answer {
    response: Response,
    _permit: OwnedSemaphorePermit,
}

impl Answer {
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The whole body.
    pub async fn bytes(self) -> Result<Bytes, reqwest::Error> {
        self.response.bytes().await
    }

    /// The whole body as text.
    pub async fn text(self) -> Result<String, reqwest::Error> {
        self.response.text().await
    }

    /// The next piece of the body, `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, reqwest::Error> {
        self.response.chunk().await
    }
}

/// Exponential backoff with full jitter, unless the server said how long to wait.
fn backoff(attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(wait) = retry_after {
        return wait.min(MAX_RETRY_AFTER);
    }
    let ceiling = BASE_BACKOFF * 2u32.saturating_pow(attempt.min(6));
    let jitter = rand::rng().random_range(0.5..=1.0);
    ceiling.mul_f64(jitter)
}

/// `Retry-After` as delta-seconds or an HTTP date.
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    parse_retry_after(value, std::time::SystemTime::now())
}

fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let when = std::time::SystemTime::from(when);
    Some(when.duration_since(now).unwrap_or_default())
}

/// A transport error in words, without the URL (which reqwest would include).
pub fn describe_transport(err: &reqwest::Error) -> String {
    use std::error::Error as _;
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    };
    // The innermost cause says the most (e.g. "Connection refused", "invalid peer certificate").
    let mut cause: Option<&dyn std::error::Error> = err.source();
    let mut last = None;
    while let Some(c) = cause {
        last = Some(c.to_string());
        cause = c.source();
    }
    match last {
        Some(detail) => format!("{kind}: {detail}"),
        None => kind.to_owned(),
    }
}

/// A request's method and URL for messages, as the user configured it (scheme, host, port,
/// path, query), never with credentials.
pub fn describe_request(method: &Method, url: &url::Url) -> String {
    let origin = url.origin().ascii_serialization();
    match url.query() {
        Some(q) => format!("{method} {origin}{}?{q}", url.path()),
        None => format!("{method} {origin}{}", url.path()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = std::time::SystemTime::from(chrono::DateTime::parse_from_rfc3339("2025-06-05T10:00:00Z").unwrap());
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Thu, 05 Jun 2025 10:00:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Thu, 05 Jun 2025 09:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn requests_are_named_with_scheme_host_and_port_but_no_credentials() {
        let url =
            url::Url::parse("http://me:secret@127.0.0.1:8090/confluence/rest/api/content/1?expand=space").unwrap();
        assert_eq!(
            describe_request(&Method::GET, &url),
            "GET http://127.0.0.1:8090/confluence/rest/api/content/1?expand=space"
        );
        let url = url::Url::parse("https://example.atlassian.net/wiki/api/v2/pages").unwrap();
        assert_eq!(describe_request(&Method::POST, &url), "POST https://example.atlassian.net/wiki/api/v2/pages");
    }

    #[test]
    fn retry_after_is_capped() {
        assert_eq!(backoff(0, Some(Duration::from_secs(86_400))), MAX_RETRY_AFTER);
    }

    #[test]
    fn backoff_grows_and_jitters_within_bounds() {
        for attempt in 0..4 {
            let ceiling = BASE_BACKOFF * 2u32.pow(attempt);
            let wait = backoff(attempt, None);
            assert!(wait <= ceiling && wait >= ceiling / 2, "attempt {attempt}: {wait:?}");
        }
    }

    #[test]
    fn creates_are_not_retried_on_answers_that_may_have_committed() {
        let p = RetryPolicy::NotIdempotent;
        assert!(p.retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(p.retries_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!p.retries_status(StatusCode::BAD_GATEWAY));
        assert!(!p.retries_status(StatusCode::GATEWAY_TIMEOUT));
        assert!(!p.retries_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(RetryPolicy::Idempotent.retries_status(StatusCode::BAD_GATEWAY));
        assert!(!RetryPolicy::Idempotent.retries_status(StatusCode::NOT_FOUND));
        assert!(RetryPolicy::Notification.retries_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(!RetryPolicy::Notification.retries_status(StatusCode::BAD_REQUEST));
    }
}
