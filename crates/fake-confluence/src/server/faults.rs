//! Fault injection: picking the fault for a request and acting it out around the request's
//! normal processing, which the server hands in (this module knows no routes).

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use hyper::body::{Frame, SizeHint};
use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio::time::Sleep;

use crate::model::util::{self, encode_query};
use crate::model::{Fault, FaultAction, Req};
use crate::routes::v2;
use crate::state::{InFlight, Shared, State};

/// Takes the first fault (in injection order) matching this request, counting down its `times`;
/// a fault whose count reaches zero is gone.
pub(crate) fn take(st: &mut State, method: &str, path: &str) -> Option<Fault> {
    let idx = st
        .faults
        .iter()
        .position(|f| f.times > 0 && f.method.eq_ignore_ascii_case(method) && path.ends_with(&f.path))?;
    let fault = st.faults[idx].clone();
    st.faults[idx].times -= 1;
    if st.faults[idx].times == 0 {
        st.faults.remove(idx);
    }
    Some(fault)
}

/// Acts out `fault` for one request. `normal` is the request's normal processing (the server's
/// dispatch): it runs first with `commit`, whatever the action; `kill` tells the connection task
/// to close the connection without answering. `in_flight` is held until the answer is produced
/// (for `Trickle`, until it is sent).
pub(crate) async fn apply(
    fault: Fault,
    sh: &Shared,
    req: &Req,
    kill: &Notify,
    in_flight: InFlight,
    normal: impl Fn() -> Response,
) -> Response {
    match fault.action {
        FaultAction::Status { status, retry_after, body } => {
            if fault.commit {
                normal();
            }
            status_response(status, retry_after.as_deref(), body)
        }
        FaultAction::Delay(wait) => {
            let committed = fault.commit.then(&normal);
            tokio::time::sleep(wait).await;
            committed.unwrap_or_else(&normal)
        }
        FaultAction::Drop => {
            if fault.commit {
                normal();
            }
            kill.notify_one();
            // The connection task drops this future together with the connection.
            std::future::pending().await
        }
        FaultAction::Trickle { chunk, every } => {
            let (parts, body) = normal().into_parts();
            let data = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
            let body = Trickle { data, chunk: chunk.max(1), every, sleep: None, _in_flight: in_flight };
            Response::from_parts(parts, Body::new(body))
        }
        FaultAction::RepeatNext => rewrite_next(normal(), req, false).await,
        FaultAction::EndlessNext => rewrite_next(normal(), req, true).await,
        FaultAction::LateCommit { status, body, invisible_for } => {
            let first_new = sh.lock().peek_id();
            normal();
            let mut st = sh.lock();
            let until = st.title_requests + invisible_for;
            for page in st.pages.iter_mut().filter(|p| p.id.parse::<u64>().is_ok_and(|n| n >= first_new)) {
                page.visible_after = Some(until);
            }
            status_response(status, None, body)
        }
    }
}

fn status_response(status: u16, retry_after: Option<&str>, body: String) -> Response {
    let trimmed = body.trim_start();
    let content_type = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        "application/json;charset=UTF-8"
    } else if trimmed.starts_with('<') {
        "text/html;charset=UTF-8"
    } else {
        "text/plain;charset=UTF-8"
    };
    let mut resp = util::response(status, content_type, body);
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(v).ok()) {
        resp.headers_mut().insert(header::RETRY_AFTER, value);
    }
    resp
}

/// Gives a JSON listing a bad `_links.next` (and `Link` header): the request's own URL
/// (`endless == false`), or one page further even past the end (`endless`). v1 links are
/// relative to the base URL, v2 links to the site (or gateway) root, as in normal answers.
async fn rewrite_next(resp: Response, req: &Req, endless: bool) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if !value.get("_links").is_some_and(Value::is_object) {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let is_v2 = req.rest.starts_with("/api/v2/");
    let path = if is_v2 { format!("/wiki{}", req.rest) } else { req.rest.clone() };
    let query = if !endless {
        req.raw_query.clone()
    } else if is_v2 {
        let offset = req.param("cursor").and_then(v2::decode_cursor).unwrap_or(0);
        let got = value["results"].as_array().map_or(0, Vec::len).max(1);
        let cursor = v2::encode_cursor(offset + got);
        let others = req.query.iter().filter(|(k, _)| k != "cursor").map(|(k, v)| (k.as_str(), v.as_str()));
        encode_query(others.chain([("cursor", cursor.as_str())]))
    } else {
        let start = req.param("start").and_then(|s| s.parse::<usize>().ok()).unwrap_or(0);
        let limit = value["limit"].as_u64().map_or(25, |l| l.max(1) as usize);
        let (limit_s, start_s) = (limit.to_string(), (start + limit).to_string());
        let others =
            req.query.iter().filter(|(k, _)| k != "start" && k != "limit").map(|(k, v)| (k.as_str(), v.as_str()));
        encode_query(others.chain([("limit", limit_s.as_str()), ("start", start_s.as_str())]))
    };
    let next = if query.is_empty() { path } else { format!("{path}?{query}") };
    value["_links"]["next"] = json!(next);
    if is_v2 {
        let base = value["_links"]["base"].as_str().unwrap_or_default().to_string();
        if let Ok(link) = HeaderValue::from_str(&format!("<{next}>; rel=\"next\", <{base}>; rel=\"base\"")) {
            parts.headers.insert(header::LINK, link);
        }
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(value.to_string()))
}

/// A response body sent `chunk` bytes at a time, `every` apart (the first chunk at once).
struct Trickle {
    data: Bytes,
    chunk: usize,
    every: Duration,
    sleep: Option<Pin<Box<Sleep>>>,
    _in_flight: InFlight,
}

impl hyper::body::Body for Trickle {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = &mut *self;
        if this.data.is_empty() {
            return Poll::Ready(None);
        }
        if let Some(sleep) = this.sleep.as_mut() {
            ready!(sleep.as_mut().poll(cx));
            this.sleep = None;
        }
        let out = this.data.split_to(this.chunk.min(this.data.len()));
        if !this.data.is_empty() {
            this.sleep = Some(Box::pin(tokio::time::sleep(this.every)));
        }
        Poll::Ready(Some(Ok(Frame::data(out))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.len() as u64)
    }
}
