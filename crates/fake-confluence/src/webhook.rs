//! A fake chat webhook (Slack/Teams/…-like): records JSON bodies, can be told to fail.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The path the webhook listens on; deliberately secret-looking, like real webhook URLs.
pub const WEBHOOK_PATH: &str = "/hooks/secret-path-123";

#[derive(Debug, Default)]
struct HookState {
    received: Vec<serde_json::Value>,
    attempts: usize,
    /// (remaining, status, Retry-After)
    fail_next: Option<(usize, u16, Option<String>)>,
    fail_always: Option<u16>,
}

/// A running fake webhook. Cheap to clone; clones share state.
#[derive(Clone)]
pub struct FakeWebhook {
    state: Arc<Mutex<HookState>>,
    url: String,
}

impl FakeWebhook {
    /// Serves `http://127.0.0.1:{random port}/hooks/secret-path-123` on the current runtime.
    pub async fn start() -> FakeWebhook {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.expect("bind fake webhook");
        let port = listener.local_addr().expect("local addr").port();
        let state = Arc::new(Mutex::new(HookState::default()));
        let app = Router::new().fallback(handle).with_state(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeWebhook { state, url: format!("http://127.0.0.1:{port}{WEBHOOK_PATH}") }
    }

    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Bodies (parsed JSON) of the requests that were answered with 2xx, in order.
    pub fn received(&self) -> Vec<serde_json::Value> {
        lock(&self.state).received.clone()
    }

    /// Every request that reached the server, whatever its fate.
    pub fn attempts(&self) -> usize {
        lock(&self.state).attempts
    }

    /// The next `n` requests get `status` (with `Retry-After` if given); then it succeeds again
    /// (unless [`FakeWebhook::fail_always`] is in force).
    pub fn fail_next(&self, n: usize, status: u16, retry_after: Option<&str>) {
        lock(&self.state).fail_next = Some((n, status, retry_after.map(str::to_string)));
    }

    /// Every request from now on gets `status`.
    pub fn fail_always(&self, status: u16) {
        lock(&self.state).fail_always = Some(status);
    }
}

fn lock(state: &Mutex<HookState>) -> MutexGuard<'_, HookState> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

fn failure(status: u16, retry_after: Option<&str>) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = (code, "webhook failure (injected)").into_response();
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(v).ok()) {
        resp.headers_mut().insert(header::RETRY_AFTER, value);
    }
    resp
}

async fn handle(
    State(state): State<Arc<Mutex<HookState>>>,
    method: Method,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    let mut st = lock(&state);
    st.attempts += 1;
    if uri.path() != WEBHOOK_PATH {
        return (StatusCode::NOT_FOUND, "no_service").into_response();
    }
    if method != Method::POST {
        return (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").into_response();
    }
    if let Some((remaining, status, retry_after)) = st.fail_next.take()
        && remaining > 0
    {
        if remaining > 1 {
            st.fail_next = Some((remaining - 1, status, retry_after.clone()));
        }
        return failure(status, retry_after.as_deref());
    }
    if let Some(status) = st.fail_always {
        return failure(status, None);
    }
    match serde_json::from_slice(&body) {
        Ok(value) => {
            st.received.push(value);
            (StatusCode::OK, "ok").into_response()
        }
        // Like Slack: a body that is not JSON is refused.
        Err(_) => (StatusCode::BAD_REQUEST, "invalid_payload").into_response(),
    }
}
