//! Page updates and moves: Data Center `PUT /rest/api/content/{id}` (a whole update; its last
//! `ancestors` entry is the parent, and an update without `ancestors` moves the page to the top of
//! the space), Cloud's v1 `PUT /rest/api/content/{id}/move/{position}/{targetId}` (no new version)
//! and Cloud's v2 `PUT /api/v2/pages/{id}` (a whole update; `parentId` moves).

use axum::response::Response;
use serde_json::{Value, json};

use crate::model::{Req, util};
use crate::routes::cloud::pages::page_json;
use crate::routes::content::{Expand, content_json};
use crate::routes::v1::{self, viewer};
use crate::routes::v2::{self, invalid_parameter, is_id};
use crate::state::{DUPLICATE_TITLE, MoveError, Shared, Update, UpdateError};

/// An id given as a JSON string or number.
fn id_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_object(req: &Req) -> Result<Value, String> {
    match serde_json::from_slice(&req.body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err("Expected a JSON object describing the content".to_string()),
        Err(e) => Err(format!("Unable to parse the request body: {e}")),
    }
}

fn stale_message(current: u64) -> String {
    format!("Version must be incremented on update. Current version is: {current}")
}

fn move_message(id: &str, err: &MoveError) -> String {
    match err {
        MoveError::NoPage(p) => format!("No content found with id: ContentId{{id={p}}}"),
        MoveError::NoParent(p) => format!("Could not move content {id}: the parent {p} does not exist"),
        MoveError::OtherSpace(p, space) => {
            format!("Could not move content {id}: the parent {p} is in space {space}; pages move within their space")
        }
        MoveError::Loop(p) => format!("Could not move content {id} under {p}: a page cannot be moved below itself"),
    }
}

/// Data Center `PUT /rest/api/content/{id}`.
pub(crate) fn dc_update(sh: &Shared, req: &Req, id: &str) -> Response {
    if !util::has_content_type(&req.headers, "application/json") {
        return v1::unsupported_media_type();
    }
    let body = match json_object(req) {
        Ok(v) => v,
        Err(message) => return v1::error(400, &message),
    };
    match body.get("type").and_then(Value::as_str) {
        Some("page") => {}
        None => return v1::error(400, "Content type must be specified"),
        Some(other) => return v1::error(400, &format!("Unsupported content type for this fake: {other}")),
    }
    if let Some(status) = body.get("status").and_then(Value::as_str)
        && status != "current"
    {
        return v1::error(400, &format!("Unsupported content status: {status}"));
    }
    let Some(title) = body.get("title").and_then(Value::as_str) else {
        return v1::error(400, "Content title must be specified");
    };
    let Some(version) = body.pointer("/version/number").and_then(Value::as_u64) else {
        return v1::error(400, "Version number must be specified (version.number)");
    };
    let minor_edit = body.pointer("/version/minorEdit").and_then(Value::as_bool).unwrap_or(false);
    let Some(value) = body.pointer("/body/storage/value").and_then(Value::as_str) else {
        return v1::error(400, "Content body must be specified (body.storage.value)");
    };
    // Like real Data Center: without `ancestors` the page goes to the top of the space.
    let parent = match body.get("ancestors") {
        None | Some(Value::Null) => None,
        Some(Value::Array(ancestors)) if ancestors.is_empty() => None,
        Some(Value::Array(ancestors)) => match ancestors.last().and_then(|a| a.get("id")).and_then(id_value) {
            Some(pid) => Some(pid),
            None => return v1::error(400, "Ancestors must have an id"),
        },
        Some(_) => return v1::error(400, "ancestors must be an array"),
    };

    let mut st = sh.lock();
    if st.visible_page(id, viewer(req)).is_none() {
        return v1::no_content(id);
    }
    if let Some(pid) = parent.as_deref()
        && st.visible_page(pid, viewer(req)).is_none()
    {
        return v1::error(400, &move_message(id, &MoveError::NoParent(pid.to_string())));
    }
    let old_parent = st.page(id).and_then(|p| p.parent_id.clone());
    let update = Update { title, body: value, parent: Some(parent.as_deref()), version, minor_edit };
    match st.update_page(id, update) {
        Ok(()) => {
            let page = st.page(id).expect("just updated");
            let expand = Expand::of(&["space", "body.storage", "version", "ancestors"]);
            // The answer names the new parent; later reads may show the old one for a while.
            let answer = content_json(sh, &st, page, &expand, true);
            if old_parent != parent {
                st.opts.move_lag.moved(id, old_parent.as_deref());
            }
            util::json(200, &answer)
        }
        Err(UpdateError::Stale { current }) => v1::error(409, &stale_message(current)),
        Err(UpdateError::DuplicateTitle) => v1::error(400, DUPLICATE_TITLE),
        Err(UpdateError::BadTitle) => v1::error(400, "Content title must be specified"),
        Err(UpdateError::Move(MoveError::NoPage(p))) => v1::no_content(&p),
        Err(UpdateError::Move(err)) => v1::error(400, &move_message(id, &err)),
    }
}

/// Cloud v1 `PUT /wiki/rest/api/content/{id}/move/{before|after|append}/{targetId}`: `append`
/// makes the page the target's child, `before`/`after` its sibling. No new version. 200
/// `{"pageId"}`.
pub(crate) fn cloud_move(sh: &Shared, req: &Req, id: &str, position: &str, target: &str) -> Response {
    let mut st = sh.lock();
    let Some(page_space) = st.visible_page(id, viewer(req)).map(|p| p.space_key.clone()) else {
        return v1::no_content(id);
    };
    let Some((target_space, target_parent)) =
        st.visible_page(target, viewer(req)).map(|t| (t.space_key.clone(), t.parent_id.clone()))
    else {
        return v1::no_content(target);
    };
    if target_space != page_space {
        return v1::error(400, &move_message(id, &MoveError::OtherSpace(target.to_string(), target_space)));
    }
    let parent = match position {
        "append" => Some(target.to_string()),
        // A sibling of the target: of a top-level target, a top-level page.
        "before" | "after" => target_parent,
        other => return v1::error(400, &format!("Invalid position {other:?}: use before, after or append")),
    };
    match st.set_parent(id, parent.as_deref()) {
        Ok(()) => util::json(200, &json!({"pageId": id})),
        Err(MoveError::NoPage(p)) => v1::no_content(&p),
        Err(err) => v1::error(400, &move_message(id, &err)),
    }
}

/// Cloud v2 `PUT /wiki/api/v2/pages/{id}`: `id`, `status`, `title`, `body`, `version.number`
/// (current + 1) required; `parentId` moves the page (a page or folder of its space). Watchers are
/// notified (v2 has no minor edit).
pub(crate) fn v2_update(sh: &Shared, req: &Req, id: &str) -> Response {
    if !is_id(id) {
        return invalid_parameter("id", id);
    }
    if !util::has_content_type(&req.headers, "application/json") {
        return v2::error(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type");
    }
    let bad = |title: &str| v2::error(400, "INVALID_REQUEST_PARAMETER", title);
    let Ok(body) = json_object(req) else {
        return bad("Could not parse the request body as a page update");
    };
    if body.get("id").and_then(id_value).as_deref() != Some(id) {
        return bad("id is required and must match the page id in the path");
    }
    match body.get("status").and_then(Value::as_str) {
        Some("current") => {}
        None => return bad("status is required"),
        Some(other) => return bad(&format!("Unsupported status for this fake: {other}")),
    }
    let Some(title) = body.get("title").and_then(Value::as_str) else {
        return bad("title is required");
    };
    let Some(version) = body.pointer("/version/number").and_then(Value::as_u64) else {
        return bad("version.number is required");
    };
    let storage = body.get("body").map(|b| b.get("storage").unwrap_or(b));
    let Some(value) = storage
        .filter(|s| s.get("representation").and_then(Value::as_str) == Some("storage"))
        .and_then(|s| s.get("value"))
        .and_then(Value::as_str)
    else {
        return bad("body with representation storage and a value is required");
    };
    let parent = match body.get("parentId") {
        None | Some(Value::Null) => None,
        Some(v) => match id_value(v) {
            Some(pid) if is_id(&pid) => Some(pid),
            _ => return invalid_parameter("parentId", &v.to_string()),
        },
    };

    let mut st = sh.lock();
    if st.visible_page(id, viewer(req)).is_none() {
        return v2::not_found();
    }
    if let Some(pid) = parent.as_deref()
        && st.folder(pid).is_none()
        && st.visible_page(pid, viewer(req)).is_none()
    {
        return v2::error(404, "NOT_FOUND", &format!("Parent page with id {pid} not found"));
    }
    let update = Update { title, body: value, parent: parent.as_deref().map(Some), version, minor_edit: false };
    match st.update_page(id, update) {
        Ok(()) => {
            let page = st.page(id).expect("just updated");
            util::json(200, &page_json(sh, &st, page, true, true))
        }
        Err(UpdateError::Stale { current }) => v2::error(409, "CONFLICT", &stale_message(current)),
        Err(UpdateError::DuplicateTitle) => v2::error(400, "BAD_REQUEST", DUPLICATE_TITLE),
        Err(UpdateError::BadTitle) => bad("Title is required for a page with status current"),
        Err(UpdateError::Move(MoveError::NoPage(_))) => v2::not_found(),
        Err(UpdateError::Move(err)) => bad(&move_message(id, &err)),
    }
}
