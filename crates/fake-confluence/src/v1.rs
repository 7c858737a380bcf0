//! The v1 REST pieces Data Center and Cloud share: error bodies, `start`/`limit` paging, spaces,
//! labels and attachments (Cloud still serves these under `/wiki/rest/api`).

use axum::http::header;
use axum::response::Response;
use serde_json::{Value, json};

use crate::Flavor;
use crate::multipart;
use crate::server::Req;
use crate::state::{AttachError, AttachmentRec, PageRec, Shared, SpaceRec};
use crate::util::{self, encode_query, encode_segment};

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
}

impl Window {
    /// Reads `start` (default 0) and `limit` (default `default`, capped at `max`, at least 1).
    /// The error is the message of a 400 ([`error`]).
    pub fn from(req: &Req, default: usize, max: usize) -> Result<Window, String> {
        let number = |name: &str, fallback: usize| -> Result<usize, String> {
            match req.param(name).map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(fallback),
                Some(v) => v.parse::<usize>().map_err(|_| format!("Could not parse {name} parameter: {v}")),
            }
        };
        let start = number("start", 0)?;
        let limit = number("limit", default)?.clamp(1, max);
        Ok(Window { start, limit })
    }

    /// The window's slice of `items`, and whether more follow.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> (&'a [T], bool) {
        let start = self.start.min(items.len());
        let end = (start + self.limit).min(items.len());
        (&items[start..end], end < items.len())
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
        "context": sh.cfg.prefix,
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
    match st.space_by_key(key) {
        None => no_space(key),
        Some(space) => {
            let mut body = space_json(sh, space);
            body["_links"]["base"] = json!(sh.cfg.base());
            body["_links"]["context"] = json!(sh.cfg.prefix);
            util::json(200, &body)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Labels

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
    let Some(page) = st.page(page_id) else {
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
    if st.page(page_id).is_none() {
        return no_content(page_id);
    }
    for name in &names {
        st.add_label(page_id, name);
    }
    let page = st.page(page_id).expect("checked above");
    let all: Vec<Value> = page.labels.iter().map(|l| label_json(&l.id, &l.name)).collect();
    let window = Window { start: 0, limit: all.len().max(200) };
    util::json(200, &list(sh, req, all, window, false))
}

// ---------------------------------------------------------------------------------------------
// Attachments

pub(crate) fn download_link(page: &PageRec, att: &AttachmentRec) -> String {
    format!(
        "/download/attachments/{}/{}?version=1&modificationDate={}&api=v2",
        page.id,
        encode_segment(&att.filename),
        att.created_ms
    )
}

pub(crate) fn attachment_json(sh: &Shared, page: &PageRec, att: &AttachmentRec) -> Value {
    let preview = encode_segment(&format!("/{}/{}/{}", page.id, att.id, att.filename));
    let mut metadata = json!({
        "mediaType": att.media_type,
        "_expandable": {"currentUser": "", "properties": "", "frontend": "", "editorHtml": "", "labels": ""},
    });
    if !att.comment.is_empty() {
        metadata["comment"] = json!(att.comment);
    }
    json!({
        "id": att.v1_id(),
        "type": "attachment",
        "status": "current",
        "title": att.filename,
        "metadata": metadata,
        "extensions": {
            "mediaType": att.media_type,
            "fileSize": att.data.len(),
            "comment": att.comment,
        },
        "_links": {
            "webui": format!("/pages/viewpageattachments.action?pageId={}&preview={preview}", page.id),
            "download": download_link(page, att),
            "self": format!("{}/rest/api/content/{}", sh.cfg.base(), att.v1_id()),
        },
        "_expandable": {
            "container": format!("/rest/api/content/{}", page.id),
            "operations": "",
            "children": format!("/rest/api/content/{}/child", att.v1_id()),
            "history": format!("/rest/api/content/{}/history", att.v1_id()),
            "ancestors": "",
            "body": "",
            "version": "",
            "descendants": format!("/rest/api/content/{}/descendant", att.v1_id()),
            "space": format!("/rest/api/space/{}", page.space_key),
        },
    })
}

/// `GET|POST /rest/api/content/{id}/child/attachment`
pub(crate) fn attachments(sh: &Shared, req: &Req, page_id: &str) -> Response {
    match req.method.as_str() {
        "GET" => get_attachments(sh, req, page_id),
        "POST" => post_attachments(sh, req, page_id),
        _ => method_not_allowed(),
    }
}

fn get_attachments(sh: &Shared, req: &Req, page_id: &str) -> Response {
    let window = match Window::from(req, 25, 200) {
        Ok(w) => w,
        Err(message) => return error(400, &message),
    };
    let st = sh.lock();
    let Some(page) = st.page(page_id) else {
        return no_content(page_id);
    };
    let filename = req.param("filename").filter(|v| !v.is_empty());
    let media_type = req.param("mediaType").filter(|v| !v.is_empty());
    let all: Vec<Value> = page
        .attachments
        .iter()
        .filter(|a| filename.is_none_or(|f| a.filename == f))
        .filter(|a| media_type.is_none_or(|m| a.media_type == m))
        .map(|a| attachment_json(sh, page, a))
        .collect();
    let (results, more) = window.slice(&all);
    util::json(200, &list(sh, req, results.to_vec(), window, more))
}

/// Confluence's XSRF protection for form posts: `X-Atlassian-Token: no-check` must be present.
fn xsrf_ok(req: &Req) -> bool {
    util::header_str(&req.headers, "x-atlassian-token")
        .is_some_and(|v| v.eq_ignore_ascii_case("no-check") || v.eq_ignore_ascii_case("nocheck"))
}

fn post_attachments(sh: &Shared, req: &Req, page_id: &str) -> Response {
    if !xsrf_ok(req) {
        return util::text(403, "XSRF check failed");
    }
    if !util::has_content_type(&req.headers, "multipart/form-data") {
        return unsupported_media_type();
    }
    let content_type = util::header_str(&req.headers, header::CONTENT_TYPE.as_str()).unwrap_or("");
    let parts = match multipart::parse(content_type, &req.body) {
        Ok(parts) => parts,
        Err(e) => return error(400, &format!("Could not parse the multipart request: {e}")),
    };
    let files: Vec<_> = parts.iter().filter(|p| p.name == "file" && p.filename.is_some()).collect();
    if files.is_empty() {
        return error(400, "At least one file must be supplied in the 'file' part");
    }
    if sh.cfg.flavor == Flavor::Cloud && !parts.iter().any(|p| p.name == "minorEdit") {
        // Cloud's v1 API requires it (see the OpenAPI description); Data Center does not.
        return error(400, "minorEdit is required");
    }
    let comments: Vec<String> =
        parts.iter().filter(|p| p.name == "comment").map(|p| String::from_utf8_lossy(&p.data).into_owned()).collect();
    if !comments.is_empty() && comments.len() != files.len() {
        return error(400, "Every file must have a comment, or none may");
    }

    let mut st = sh.lock();
    let Some(page) = st.page(page_id) else {
        return no_content(page_id);
    };
    // All or nothing: check every name (against the page and within this request) first.
    for (i, file) in files.iter().enumerate() {
        let name = file.filename.as_deref().unwrap_or_default();
        let clash_earlier = files[..i].iter().any(|f| f.filename.as_deref() == Some(name));
        if clash_earlier || page.attachments.iter().any(|a| a.filename == name) {
            return duplicate_attachment(name);
        }
    }
    let mut created = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let media_type = file.content_type.clone().unwrap_or_else(|| "application/octet-stream".to_string());
        let comment = comments.get(i).map(String::as_str).unwrap_or("");
        match st.add_attachment(
            page_id,
            file.filename.as_deref().unwrap_or_default(),
            &media_type,
            file.data.clone(),
            comment,
        ) {
            Ok(att) => created.push(att),
            Err(AttachError::NoPage) => return no_content(page_id),
            Err(AttachError::DuplicateFilename(name)) => return duplicate_attachment(&name),
        }
    }
    let page = st.page(page_id).expect("checked above");
    let results: Vec<Value> = created.iter().map(|a| attachment_json(sh, page, a)).collect();
    util::json(
        200,
        &json!({
            "results": results,
            "size": results.len(),
            "_links": {"base": sh.cfg.base(), "context": sh.cfg.prefix},
        }),
    )
}

fn duplicate_attachment(filename: &str) -> Response {
    error(400, &format!("Cannot add a new attachment with same file name as an existing attachment: {filename}"))
}

/// Finds an attachment by page id and file name (for `/download/attachments/{pageId}/{filename}`).
pub(crate) fn find_download(sh: &Shared, page_id: &str, filename: &str) -> Option<(String, AttachmentRec)> {
    let st = sh.lock();
    let page = st.page(page_id)?;
    let att = page.attachments.iter().find(|a| a.filename == filename)?;
    Some((page.id.clone(), att.clone()))
}

/// The bytes of an attachment with its content type.
pub(crate) fn bytes_response(att: &AttachmentRec) -> Response {
    util::response(200, &att.media_type, att.data.clone())
}
