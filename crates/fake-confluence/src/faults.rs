//! Fault injection: picking the fault for a request and acting it out.

use axum::http::{HeaderValue, header};
use axum::response::Response;
use tokio::sync::Notify;

use crate::state::State;
use crate::util;
use crate::{Fault, FaultAction};

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

/// Acts out `fault` for one request. `normal` processes the request (changing state) and returns
/// the response it would normally get; with `commit` it runs first, whatever the action.
/// `kill` tells the connection task to close the connection without answering.
pub(crate) async fn apply(fault: Fault, normal: impl FnOnce() -> Response + Send, kill: &Notify) -> Response {
    if fault.commit {
        let resp = normal();
        act(fault.action, move || resp, kill).await
    } else {
        act(fault.action, normal, kill).await
    }
}

async fn act(action: FaultAction, respond: impl FnOnce() -> Response + Send, kill: &Notify) -> Response {
    match action {
        FaultAction::Status { status, retry_after, body } => status_response(status, retry_after.as_deref(), body),
        FaultAction::Delay(wait) => {
            tokio::time::sleep(wait).await;
            respond()
        }
        FaultAction::Drop => {
            kill.notify_one();
            // The connection task drops this future together with the connection.
            std::future::pending().await
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
