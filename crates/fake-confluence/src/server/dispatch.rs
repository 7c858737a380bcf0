//! From a received request to its answer: the fake's own `/__fake/` endpoints first, then the
//! request log, the latency, the request's fault (if any) and the flavour's router.

use std::sync::Arc;

use axum::body::Body;
use axum::response::Response;
use hyper::body::Incoming;
use tokio::sync::Notify;

use super::faults;
use crate::model::{Flavor, Req, util};
use crate::routes::{auth, cloud, datacenter, stats};
use crate::state::{InFlight, Shared, TokenCheck};

/// Request bodies up to this size are read (large attachment uploads included).
const MAX_BODY: usize = 100 * 1024 * 1024;

/// Answers one request. `kill` closes its connection without an answer (a `Drop` fault).
pub(crate) async fn handle(shared: Arc<Shared>, kill: Arc<Notify>, req: hyper::Request<Incoming>) -> Response {
    // The fake's own endpoints (`/__fake/…`): statistics are not counted, the webhook and the
    // calendar are.
    if let Some(response) = stats::control(&shared, req.method(), req.uri().path()) {
        return response;
    }
    // Counted from here until the response is produced (or, for a trickled body, sent).
    let in_flight = InFlight::enter(&shared, crate::model::is_write(req.method().as_str(), req.uri().path()));
    if stats::is_hook(req.method(), req.uri().path()) {
        let latency = shared.lock().opts.latency;
        tokio::time::sleep(latency).await;
        return util::text(200, "ok");
    }
    if stats::is_calendar(req.method(), req.uri().path()) {
        let (latency, calendar) = {
            let st = shared.lock();
            (st.opts.latency, st.opts.calendar.clone())
        };
        tokio::time::sleep(latency).await;
        return match calendar {
            Some(text) => util::text(200, &text),
            None => util::text(404, "no calendar (fake-confluence --calendar FILE)"),
        };
    }
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(Body::new(body), MAX_BODY).await {
        Ok(body) => body,
        Err(_) => return util::text(413, "Request entity too large or unreadable"),
    };
    let mut req = Req::new(&shared.cfg.prefix, &parts, body);
    let (fault, latency, anonymous, token) = {
        let mut st = shared.lock();
        st.requests.push(req.record());
        if req.names_a_title() {
            st.title_requests += 1;
        }
        req.max_limit = st.opts.max_limit;
        req.endless_listings = st.opts.endless_listings;
        let token = req.bearer().map_or(TokenCheck::NotIssued, |t| st.oauth.use_token(t));
        req.expired_token = token == TokenCheck::Expired;
        let fault = faults::take(&mut st, &req.method, &req.path);
        (fault, st.opts.latency, st.opts.anonymous_for_wrong_token, token)
    };
    req.viewer = auth::viewer(&shared.cfg, &req, anonymous, token);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fault {
        None => route(&shared, &req),
        Some(fault) => faults::apply(fault, &shared, &req, &kill, in_flight, || route(&shared, &req)).await,
    }
}

/// Dispatch: each flavour's routes answer its requests.
fn route(shared: &Shared, req: &Req) -> Response {
    match shared.cfg.flavor {
        Flavor::DataCenter => datacenter::route(shared, req),
        Flavor::Cloud => cloud::route(shared, req),
    }
}
