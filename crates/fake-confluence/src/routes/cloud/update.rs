//! Cloud's page updates and moves: v2 `PUT /api/v2/pages/{id}` (a whole update; `parentId` moves)
//! and v1 `PUT /rest/api/content/{id}/move/{position}/{targetId}` (no new version).

use axum::response::Response;
use serde_json::{Value, json};

use super::pages::page_json;
use crate::model::{Req, util};
use crate::routes::v1::{self, viewer};
use crate::routes::v2::{self, invalid_parameter, is_id};
use crate::routes::writes::{id_value, json_object, move_message, stale_message};
use crate::state::{DUPLICATE_TITLE, MoveError, Shared, Update, UpdateError};

/// Cloud v1 `PUT /wiki/rest/api/content/{id}/move/{before|after|append}/{targetId}`: `append`
/// makes the page the target's child, `before`/`after` its sibling. No new version. 200
/// `{"pageId"}`.
pub(crate) fn move_page(sh: &Shared, req: &Req, id: &str, position: &str, target: &str) -> Response {
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
pub(crate) fn update_page(sh: &Shared, req: &Req, id: &str) -> Response {
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
