//! Labels: v1 `GET|POST /rest/api/content/{id}/label` (both flavours; on Cloud the `GET` is a
//! removed operation) and v2 `GET /wiki/api/v2/pages/{id}/labels` (Cloud). Names are stored
//! lower-cased; names with spaces or `:;,?&[]()#^*@!<>|\` are refused (400).

use axum::response::Response;
use serde_json::{Value, json};

use crate::model::{Req, util};
use crate::routes::v1::{Window, error, list, method_not_allowed, no_content, unsupported_media_type, viewer};
use crate::routes::v2;
use crate::state::{LabelRec, Shared};

fn label_json(id: &str, name: &str) -> Value {
    json!({"prefix": "global", "name": name, "id": id, "label": name})
}

/// Characters Confluence refuses in a label name.
const LABEL_INVALID: &[char] =
    &[':', ';', ',', ' ', '?', '&', '[', ']', '(', ')', '#', '^', '*', '@', '!', '<', '>', '|', '\\'];

/// `GET|POST /rest/api/content/{id}/label`
pub(crate) fn labels(sh: &Shared, req: &Req, page_id: &str) -> Response {
    match req.method.as_str() {
        "GET" => get_labels(sh, req, page_id),
        "POST" => post_labels(sh, req, page_id),
        _ => method_not_allowed(),
    }
}

fn get_labels(sh: &Shared, req: &Req, page_id: &str) -> Response {
    let window = match Window::from(req, 200, 200) {
        Ok(w) => w,
        Err(message) => return error(400, &message),
    };
    let st = sh.lock();
    let Some(page) = st.visible_page(page_id, viewer(req)) else {
        return no_content(page_id);
    };
    let prefix = req.param("prefix").filter(|p| !p.is_empty());
    let all: Vec<Value> = if prefix.is_some_and(|p| p != "global") {
        Vec::new()
    } else {
        page.labels.iter().map(|l| label_json(&l.id, &l.name)).collect()
    };
    let (results, more) = window.slice(&all);
    util::json(200, &list(sh, req, results.to_vec(), window, more))
}

fn post_labels(sh: &Shared, req: &Req, page_id: &str) -> Response {
    if !util::has_content_type(&req.headers, "application/json") {
        return unsupported_media_type();
    }
    let parsed: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(e) => return error(400, &format!("Unable to parse labels: {e}")),
    };
    let items = match parsed {
        Value::Array(items) => items,
        single @ Value::Object(_) => vec![single],
        _ => return error(400, "Expected a label or an array of labels"),
    };
    let mut names = Vec::new();
    for item in &items {
        let prefix = item.get("prefix").and_then(Value::as_str).unwrap_or("global");
        if !matches!(prefix, "global" | "my" | "team") {
            return error(400, &format!("Invalid label prefix: {prefix}"));
        }
        let Some(name) = item.get("name").and_then(Value::as_str) else {
            return error(400, "Label name is required");
        };
        if name.is_empty() || name.chars().count() > 255 || name.contains(LABEL_INVALID) {
            return error(400, &format!("Invalid label name: '{name}'"));
        }
        names.push(name.to_string());
    }
    let mut st = sh.lock();
    if st.visible_page(page_id, viewer(req)).is_none() {
        return no_content(page_id);
    }
    for name in &names {
        st.add_label(page_id, name);
    }
    let page = st.page(page_id).expect("checked above");
    let all: Vec<Value> = page.labels.iter().map(|l| label_json(&l.id, &l.name)).collect();
    let window = Window { start: 0, limit: all.len().max(200), endless: false };
    util::json(200, &list(sh, req, all, window, false))
}

/// `GET /wiki/api/v2/pages/{id}/labels?prefix=&limit=&cursor=` (Cloud): `Label` items
/// (`id`, `name`, `prefix`), cursor-paged.
pub(crate) fn v2_labels(sh: &Shared, req: &Req, page_id: &str) -> Response {
    if !v2::is_id(page_id) {
        return v2::invalid_parameter("id", page_id);
    }
    let (limit, offset) = match v2::paging(req) {
        Ok(p) => p,
        Err(title) => return v2::bad_paging(&title),
    };
    let st = sh.lock();
    let Some(page) = st.visible_page(page_id, viewer(req)) else {
        return v2::not_found();
    };
    let prefix = req.param("prefix").filter(|p| !p.is_empty());
    let labels: Vec<&LabelRec> =
        if prefix.is_some_and(|p| p != "global") { Vec::new() } else { page.labels.iter().collect() };
    v2::list(sh, req, &labels, limit, offset, |l| json!({"id": l.id, "name": l.name, "prefix": "global"}))
}
