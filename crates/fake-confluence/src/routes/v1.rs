//! The v1 REST pieces Data Center and Cloud share: error bodies, `start`/`limit` paging and the
//! list envelope, spaces, and who a request is served as (Cloud still serves v1 under
//! `/wiki/rest/api`).

use axum::response::Response;
use serde_json::{Value, json};

use crate::model::util::{self, encode_query};
use crate::model::{Flavor, Req, Viewer};
use crate::state::{Shared, SpaceRec};

/// A v1 error body: `{"statusCode","data":{…},"message","reason"}`.
pub(crate) fn error(status: u16, message: &str) -> Response {
    util::json(
        status,
        &json!({
            "statusCode": status,
            "data": {"authorized": false, "valid": true, "errors": [], "successful": false},
            "message": message,
            "reason": util::reason(status),
        }),
    )
}

pub(crate) fn no_content(id: &str) -> Response {
    error(404, &format!("No content found with id: ContentId{{id={id}}}"))
}

pub(crate) fn no_space(key: &str) -> Response {
    error(404, &format!("No space with key : {key}"))
}

/// Jersey's answer for a path it has no resource for.
pub(crate) fn no_resource(sh: &Shared, req: &Req) -> Response {
    let mut uri = format!("{}{}", sh.cfg.origin, req.path);
    if !req.raw_query.is_empty() {
        uri = format!("{uri}?{}", req.raw_query);
    }
    error(404, &format!("null for uri: {uri}"))
}

pub(crate) fn method_not_allowed() -> Response {
    error(405, "Method Not Allowed")
}

pub(crate) fn unsupported_media_type() -> Response {
    error(415, "Unsupported Media Type")
}

/// The `start`/`limit` window of a v1 list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub start: usize,
    pub limit: usize,
    /// [`crate::FakeConfluence::set_endless_listings`]: a listing of more than
    /// [`ENDLESS_OVER`] items always says more follow.
    pub endless: bool,
}

/// Data Center 7.19.21, 8.5.8 and 8.9.0 hand out `next` past the end of listings longer than this
/// (CONFSERVER-95396).
const ENDLESS_OVER: usize = 200;

impl Window {
    /// Reads `start` (default 0) and `limit` (default `default`, capped at `max` and at
    /// [`crate::FakeConfluence::set_max_limit`], at least 1).
    /// The error is the message of a 400 ([`error`]).
    pub fn from(req: &Req, default: usize, max: usize) -> Result<Window, String> {
        let number = |name: &str, fallback: usize| -> Result<usize, String> {
            match req.param(name).map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(fallback),
                Some(v) => v.parse::<usize>().map_err(|_| format!("Could not parse {name} parameter: {v}")),
            }
        };
        let start = number("start", 0)?;
        let max = req.max_limit.map_or(max, |cap| cap.min(max));
        let limit = number("limit", default)?.clamp(1, max.max(1));
        Ok(Window { start, limit, endless: req.endless_listings })
    }

    /// The window's slice of `items`, and whether more follow (with [`Window::endless`], always
    /// for more than [`ENDLESS_OVER`] items: past the end, an empty slice that says more follow).
    pub fn slice<'a, T>(&self, items: &'a [T]) -> (&'a [T], bool) {
        let start = self.start.min(items.len());
        let end = (start + self.limit).min(items.len());
        let endless = self.endless && items.len() > ENDLESS_OVER;
        (&items[start..end], end < items.len() || endless)
    }
}

/// The v1 list envelope. `_links.next`/`prev` are relative to the context path, as Confluence
/// sends them, and keep the request's other parameters.
pub(crate) fn list(sh: &Shared, req: &Req, results: Vec<Value>, window: Window, more: bool) -> Value {
    let base = sh.cfg.base();
    let mut self_link = format!("{base}{}", req.rest);
    if !req.raw_query.is_empty() {
        self_link = format!("{self_link}?{}", req.raw_query);
    }
    let mut links = json!({
        "base": base,
        "context": sh.cfg.context(),
        "self": self_link,
    });
    let page_link = |start: usize| {
        let start = start.to_string();
        let limit = window.limit.to_string();
        let others =
            req.query.iter().filter(|(k, _)| k != "start" && k != "limit").map(|(k, v)| (k.as_str(), v.as_str()));
        let query = encode_query(others.chain([("limit", limit.as_str()), ("start", start.as_str())]));
        format!("{}?{query}", req.rest)
    };
    if more {
        links["next"] = json!(page_link(window.start + window.limit));
    }
    if window.start > 0 {
        links["prev"] = json!(page_link(window.start.saturating_sub(window.limit)));
    }
    json!({
        "results": results,
        "start": window.start,
        "limit": window.limit,
        "size": results.len(),
        "_links": links,
    })
}

/// A space in v1 shape (numeric id).
pub(crate) fn space_json(sh: &Shared, space: &SpaceRec) -> Value {
    let webui = match sh.cfg.flavor {
        Flavor::DataCenter => format!("/display/{}", space.key),
        Flavor::Cloud => format!("/spaces/{}", space.key),
    };
    json!({
        "id": space.id.parse::<u64>().unwrap_or(0),
        "key": space.key,
        "name": space.name,
        "type": "global",
        "status": "current",
        "_links": {
            "webui": webui,
            "self": format!("{}/rest/api/space/{}", sh.cfg.base(), space.key),
        },
        "_expandable": {
            "metadata": "",
            "icon": "",
            "description": "",
            "retentionPolicy": "",
            "homepage": "",
        },
    })
}

/// `GET /rest/api/space/{key}`
pub(crate) fn space(sh: &Shared, req: &Req, key: &str) -> Response {
    if req.method != "GET" {
        return method_not_allowed();
    }
    let st = sh.lock();
    let anonymous = req.viewer == Some(Viewer::Anonymous);
    match st.space_by_key(key).filter(|s| s.public || !anonymous) {
        None => no_space(key),
        Some(space) => {
            let mut body = space_json(sh, space);
            body["_links"]["base"] = json!(sh.cfg.base());
            body["_links"]["context"] = json!(sh.cfg.context());
            util::json(200, &body)
        }
    }
}

/// Who the request is served as (routes only run for accepted credentials).
pub(crate) fn viewer(req: &Req) -> Viewer {
    req.viewer.unwrap_or(Viewer::Anonymous)
}
