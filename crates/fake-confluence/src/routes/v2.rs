//! Cloud's v2 API plumbing: error bodies, cursor paging and the list envelope.

use axum::http::{HeaderValue, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::model::Req;
use crate::model::util::{self, encode_query};
use crate::state::Shared;

/// The v2 error body: `{"errors":[{"status","code","title","detail":null}]}`.
pub(crate) fn error(status: u16, code: &str, title: &str) -> Response {
    util::json(status, &json!({"errors": [{"status": status, "code": code, "title": title, "detail": null}]}))
}

pub(crate) fn not_found() -> Response {
    error(404, "NOT_FOUND", "Not Found")
}

pub(crate) fn not_found_route(req: &Req) -> Response {
    error(404, "NOT_FOUND", &format!("No route for {} {}", req.method, req.path))
}

pub(crate) fn method_not_allowed() -> Response {
    error(405, "METHOD_NOT_ALLOWED", "Method Not Allowed")
}

pub(crate) fn invalid_parameter(name: &str, value: &str) -> Response {
    error(
        400,
        "INVALID_REQUEST_PARAMETER",
        &format!("Provided value {{{value}}} for '{name}' is not the correct type. Expected type is ContentId"),
    )
}

pub(crate) fn is_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// Cursor paging

/// `limit` (default 25, 1..=250, capped by [`crate::FakeConfluence::set_max_limit`]) and the
/// offset encoded in the opaque `cursor`. The error is the title of a 400 ([`bad_paging`]).
pub(crate) fn paging(req: &Req) -> Result<(usize, usize), String> {
    paging_with_default(req, 25)
}

/// [`paging`] for a listing whose default `limit` is `default`.
pub(crate) fn paging_with_default(req: &Req, default: usize) -> Result<(usize, usize), String> {
    let limit = match req.param("limit").filter(|v| !v.is_empty()) {
        None => default.min(req.max_limit.unwrap_or(default).max(1)),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n >= 1 => n.min(250).min(req.max_limit.unwrap_or(250).max(1)),
            _ => {
                return Err(format!("Provided value {{{v}}} for 'limit' is not valid; it must be between 1 and 250"));
            }
        },
    };
    let offset = match req.param("cursor").filter(|v| !v.is_empty()) {
        None => 0,
        Some(cursor) => decode_cursor(cursor).ok_or_else(|| "Invalid cursor".to_string())?,
    };
    Ok((limit, offset))
}

pub(crate) fn bad_paging(title: &str) -> Response {
    error(400, "INVALID_REQUEST_PARAMETER", title)
}

pub(crate) fn encode_cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("fake-confluence:offset:{offset}"))
}

pub(crate) fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).ok()?;
    String::from_utf8(bytes).ok()?.strip_prefix("fake-confluence:offset:")?.parse().ok()
}

/// A v2 list: `{"results", "_links": {"next"?, "base"}}`. `next` is relative to the site root
/// (it starts with `/wiki`; in gateway mode the gateway root), keeps the request's other
/// parameters, and is also sent as a `Link` header, as Cloud does.
pub(crate) fn list<T>(
    sh: &Shared,
    req: &Req,
    items: &[T],
    limit: usize,
    offset: usize,
    render: impl Fn(&T) -> Value,
) -> Response {
    let start = offset.min(items.len());
    let end = (start + limit).min(items.len());
    let results: Vec<Value> = items[start..end].iter().map(render).collect();
    let base = sh.cfg.base();
    let mut links = json!({"base": base});
    let mut next = None;
    if end < items.len() {
        let cursor = encode_cursor(end);
        let others = req.query.iter().filter(|(k, _)| k != "cursor").map(|(k, v)| (k.as_str(), v.as_str()));
        let query = encode_query(others.chain([("cursor", cursor.as_str())]));
        let link = format!("/wiki{}?{query}", req.rest);
        links["next"] = json!(link);
        next = Some(link);
    }
    let mut resp = util::json(200, &json!({"results": results, "_links": links}));
    let link_header = next.map(|next| format!("<{next}>; rel=\"next\", <{base}>; rel=\"base\""));
    if let Some(value) = link_header.and_then(|v| HeaderValue::from_str(&v).ok()) {
        resp.headers_mut().insert(header::LINK, value);
    }
    resp
}
