//! Content properties: v1 `GET|POST /rest/api/content/{id}/property`, `GET …/property/{key}`
//! (both flavours) and v2 `GET|POST /wiki/api/v2/pages/{id}/properties` (Cloud).
//! A duplicate key is refused with 400 (the OpenAPI's answer); keys starting with a prefix given to
//! [`crate::FakeConfluence::refuse_property_keys`] are refused with 403.

use axum::response::Response;
use serde_json::{Value, json};

use crate::model::Req;
use crate::model::util::{self, encode_segment, iso8601};
use crate::routes::v1::{self, Window, viewer};
use crate::routes::v2;
use crate::state::{PropertyRec, Shared, State};

fn v1_json(sh: &Shared, page_id: &str, p: &PropertyRec) -> Value {
    json!({
        "id": p.id,
        "key": p.key,
        "value": p.value,
        "version": {"when": iso8601(p.created_ms), "message": "", "number": p.version, "minorEdit": false},
        "_links": {
            "self": format!("{}/rest/api/content/{page_id}/property/{}", sh.cfg.base(), encode_segment(&p.key)),
        },
        "_expandable": {"content": format!("/rest/api/content/{page_id}")},
    })
}

fn v2_json(st: &State, p: &PropertyRec) -> Value {
    json!({
        "id": p.id,
        "key": p.key,
        "value": p.value,
        "version": {
            "createdAt": iso8601(p.created_ms),
            "message": "",
            "number": p.version,
            "minorEdit": false,
            "authorId": st.dir.me,
        },
    })
}

/// Why a new property was refused.
enum Refusal {
    BadRequest(String),
    Forbidden(String),
    NoPage,
}

/// Validates `{key, value}` and creates the property under the caller's lock.
fn create(st: &mut State, req: &Req, page_id: &str) -> Result<PropertyRec, Refusal> {
    let body: Value = serde_json::from_slice(&req.body)
        .map_err(|e| Refusal::BadRequest(format!("Could not parse the content property: {e}")))?;
    let key = body.get("key").and_then(Value::as_str).unwrap_or("");
    if key.is_empty() {
        return Err(Refusal::BadRequest("The property key is required and cannot be empty".into()));
    }
    if key.chars().count() > 255 {
        return Err(Refusal::BadRequest("The property key cannot be longer than 255 characters".into()));
    }
    let Some(value) = body.get("value").cloned() else {
        return Err(Refusal::BadRequest("The property value is required".into()));
    };
    let page = st.visible_page(page_id, viewer(req)).ok_or(Refusal::NoPage)?;
    if st.opts.refused_property_prefixes.iter().any(|p| key.starts_with(p.as_str())) {
        return Err(Refusal::Forbidden(format!("Not permitted to modify the content property '{key}'")));
    }
    if page.properties.iter().any(|p| p.key == key) {
        return Err(Refusal::BadRequest(format!(
            "Cannot add a content property with key '{key}': a property with this key already exists on content {page_id}"
        )));
    }
    st.set_property(page_id, key, value).ok_or(Refusal::NoPage)
}

/// `/rest/api/content/{id}/property[/{key}]`; `rest` is what follows `property`.
pub(crate) fn v1_route(sh: &Shared, req: &Req, page_id: &str, rest: &[&str]) -> Response {
    match (req.method.as_str(), rest) {
        ("GET", []) => v1_list(sh, req, page_id),
        ("POST", []) => {
            if !util::has_content_type(&req.headers, "application/json") {
                return v1::unsupported_media_type();
            }
            let mut st = sh.lock();
            match create(&mut st, req, page_id) {
                Ok(p) => util::json(200, &v1_json(sh, page_id, &p)),
                Err(Refusal::NoPage) => v1::no_content(page_id),
                Err(Refusal::BadRequest(m)) => v1::error(400, &m),
                Err(Refusal::Forbidden(m)) => v1::error(403, &m),
            }
        }
        ("GET", [key]) => {
            let st = sh.lock();
            let Some(page) = st.visible_page(page_id, viewer(req)) else {
                return v1::no_content(page_id);
            };
            match page.properties.iter().find(|p| p.key == *key) {
                Some(p) => util::json(200, &v1_json(sh, page_id, p)),
                None => v1::error(404, &format!("Cannot find content property with key: {key}")),
            }
        }
        (_, [] | [_]) => v1::method_not_allowed(),
        _ => v1::no_resource(sh, req),
    }
}

/// `GET /rest/api/content/{id}/property?key=&start=&limit=` (default limit 10).
fn v1_list(sh: &Shared, req: &Req, page_id: &str) -> Response {
    let window = match Window::from(req, 10, 200) {
        Ok(w) => w,
        Err(message) => return v1::error(400, &message),
    };
    let keys = util::param_list(&req.query, "key");
    let st = sh.lock();
    let Some(page) = st.visible_page(page_id, viewer(req)) else {
        return v1::no_content(page_id);
    };
    let all: Vec<Value> = page
        .properties
        .iter()
        .filter(|p| keys.is_empty() || keys.contains(&p.key))
        .map(|p| v1_json(sh, page_id, p))
        .collect();
    let (results, more) = window.slice(&all);
    util::json(200, &v1::list(sh, req, results.to_vec(), window, more))
}

/// `GET|POST /wiki/api/v2/pages/{id}/properties`
pub(crate) fn v2_route(sh: &Shared, req: &Req, page_id: &str) -> Response {
    if !v2::is_id(page_id) {
        return v2::invalid_parameter("page-id", page_id);
    }
    match req.method.as_str() {
        "GET" => {
            let (limit, offset) = match v2::paging(req) {
                Ok(p) => p,
                Err(title) => return v2::bad_paging(&title),
            };
            let key = req.param("key");
            let st = sh.lock();
            let Some(page) = st.visible_page(page_id, viewer(req)) else {
                return v2::not_found();
            };
            let props: Vec<&PropertyRec> = page.properties.iter().filter(|p| key.is_none_or(|k| p.key == k)).collect();
            v2::list(sh, req, &props, limit, offset, |p| v2_json(&st, p))
        }
        "POST" => {
            if !util::has_content_type(&req.headers, "application/json") {
                return v2::error(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type");
            }
            let mut st = sh.lock();
            match create(&mut st, req, page_id) {
                Ok(p) => util::json(200, &v2_json(&st, &p)),
                Err(Refusal::NoPage) => v2::not_found(),
                Err(Refusal::BadRequest(m)) => v2::error(400, "INVALID_REQUEST_PARAMETER", &m),
                Err(Refusal::Forbidden(m)) => v2::error(403, "FORBIDDEN", &m),
            }
        }
        _ => v2::method_not_allowed(),
    }
}
