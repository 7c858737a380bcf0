//! Data Center's page update, `PUT /rest/api/content/{id}`: a whole update; its last `ancestors`
//! entry is the parent, and an update without `ancestors` moves the page to the top of the space.
//! While the move lag holds, reads show a moved page under its old parent (`Options::move_lag`).

use axum::response::Response;
use serde_json::Value;

use crate::model::{Req, util};
use crate::routes::content::{Expand, content_json};
use crate::routes::v1::{self, viewer};
use crate::routes::writes::{id_value, move_message, stale_message};
use crate::state::{DUPLICATE_TITLE, MoveError, Shared, Update, UpdateError};

/// Data Center `PUT /rest/api/content/{id}`.
pub(crate) fn update_page(sh: &Shared, req: &Req, id: &str) -> Response {
    let body = match super::pages::page_body(req) {
        Ok(body) => body,
        Err(refusal) => return *refusal,
    };
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
