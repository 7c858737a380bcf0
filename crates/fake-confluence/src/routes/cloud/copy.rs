//! Cloud's `POST /wiki/rest/api/content/{id}/copy` (Data Center has no such endpoint: 404).
//! Synchronous: the copy exists when the 200 arrives. Attachments are copied server-side.

use axum::response::Response;
use serde_json::Value;

use crate::model::{Req, util};
use crate::routes::content::{Expand, content_json};
use crate::routes::v1::{self, viewer};
use crate::state::{CreateError, Shared, State};

/// The v1 refusal of a copy whose title is taken in the destination space.
fn duplicate(title: &str, space_key: &str) -> Response {
    v1::error(
        400,
        &format!(
            "A page with this title already exists: A page already exists with the title {title} in the space with key {space_key}"
        ),
    )
}

fn bx(resp: Response) -> Box<Response> {
    Box::new(resp)
}

/// A `copy*` flag: absent or false → false.
fn flag(body: &Value, name: &str) -> Result<bool, Box<Response>> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(Box::new(v1::error(400, &format!("{name} must be a boolean, not {other}")))),
    }
}

/// Where the copy goes: (space key, parent id) for a new page, or an existing page to replace.
enum Target {
    New { space_key: String, parent: Option<String> },
    Existing(String),
}

fn target(st: &State, req: &Req, destination: Option<&Value>) -> Result<Target, Box<Response>> {
    let kind = destination.and_then(|d| d.get("type")).and_then(Value::as_str);
    let value = destination.and_then(|d| d.get("value")).and_then(Value::as_str).map(str::trim);
    let (Some(kind), Some(value)) = (kind, value.filter(|v| !v.is_empty())) else {
        return Err(bx(v1::error(400, "destination, destination.type and destination.value must be specified")));
    };
    match kind {
        // `parent_content` is accepted as a synonym; neither takes a folder.
        "parent_page" | "parent_content" => {
            if st.folder(value).is_some() {
                return Err(bx(v1::error(
                    400,
                    &format!("Cannot copy the page under content {value}: the destination is a folder, not a page"),
                )));
            }
            let parent = st.visible_page(value, viewer(req)).ok_or_else(|| bx(v1::no_content(value)))?;
            Ok(Target::New { space_key: parent.space_key.clone(), parent: Some(parent.id.clone()) })
        }
        "space" => match st.space_by_key(value) {
            Some(space) => Ok(Target::New { space_key: space.key.clone(), parent: None }),
            None => Err(bx(v1::no_space(value))),
        },
        "existing_page" => match st.visible_page(value, viewer(req)) {
            Some(page) => Ok(Target::Existing(page.id.clone())),
            None => Err(bx(v1::no_content(value))),
        },
        other => Err(bx(v1::error(400, &format!("Invalid destination type: {other}")))),
    }
}

/// The body override: `body.storage {value, representation: "storage"}`.
fn body_override(body: &Value) -> Result<Option<String>, Box<Response>> {
    let Some(b) = body.get("body").filter(|b| !b.is_null()) else {
        return Ok(None);
    };
    let Some(storage) = b.get("storage") else {
        return Err(bx(v1::error(400, "Only a body.storage override is supported by this fake")));
    };
    if let Some(repr) = storage.get("representation").and_then(Value::as_str)
        && repr != "storage"
    {
        return Err(bx(v1::error(400, &format!("Unsupported body representation: {repr}"))));
    }
    match storage.get("value").and_then(Value::as_str) {
        Some(v) => Ok(Some(v.to_string())),
        None => Err(bx(v1::error(400, "body.storage.value must be a string"))),
    }
}

pub(crate) fn copy(sh: &Shared, req: &Req, source_id: &str) -> Response {
    if !util::has_content_type(&req.headers, "application/json") {
        return v1::unsupported_media_type();
    }
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => return v1::error(400, "Expected a JSON object (CopyPageRequest)"),
        Err(e) => return v1::error(400, &format!("Unable to parse the request body: {e}")),
    };
    let flags = ["copyAttachments", "copyLabels", "copyProperties", "copyPermissions", "copyCustomContents"]
        .map(|name| flag(&body, name));
    let [attachments, labels, properties, permissions, _custom] = match flags {
        [Ok(a), Ok(b), Ok(c), Ok(d), Ok(e)] => [a, b, c, d, e],
        other => return *other.into_iter().find_map(Result::err).expect("one flag failed"),
    };
    let new_body = match body_override(&body) {
        Ok(b) => b,
        Err(resp) => return *resp,
    };
    let page_title = body.get("pageTitle").and_then(Value::as_str).map(str::trim);

    let mut st = sh.lock();
    let Some(source) = st.visible_page(source_id, viewer(req)).cloned() else {
        return v1::no_content(source_id);
    };
    let target = match target(&st, req, body.get("destination")) {
        Ok(t) => t,
        Err(resp) => return *resp,
    };
    let new_body = new_body.unwrap_or_else(|| source.body.clone());
    let id = match target {
        Target::New { space_key, parent } => {
            let title = page_title.unwrap_or(&source.title);
            match st.create_page(&space_key, parent.as_deref(), title, &new_body) {
                Ok(id) => id,
                Err(CreateError::DuplicateTitle) => return duplicate(title.trim(), &space_key),
                Err(CreateError::BadTitle) => return v1::error(400, "Content title must be specified"),
                Err(CreateError::NoSpace(key)) => return v1::no_space(&key),
                Err(CreateError::NoParent(id) | CreateError::ParentInOtherSpace(id, _)) => return v1::no_content(&id),
            }
        }
        Target::Existing(id) => {
            let existing = st.page(&id).expect("resolved above");
            let space_key = existing.space_key.clone();
            if let Some(title) = page_title.filter(|t| !t.is_empty()) {
                let wanted = title.to_lowercase();
                let clash =
                    st.pages.iter().any(|p| p.id != id && p.space_key == space_key && p.title.to_lowercase() == wanted);
                if clash {
                    return duplicate(title, &space_key);
                }
                st.page_mut(&id).expect("resolved above").title = title.to_string();
            }
            st.page_mut(&id).expect("resolved above").body = new_body;
            id
        }
    };
    if labels {
        for label in &source.labels {
            st.add_label(&id, &label.name);
        }
    }
    if attachments {
        for att in &source.attachments {
            // Same name already on an existing page: keep the existing one.
            let _ = st.add_attachment(&id, &att.filename, &att.media_type, att.data.clone(), &att.comment);
        }
    }
    if properties {
        for prop in &source.properties {
            st.set_property(&id, &prop.key, prop.value.clone());
        }
    }
    if permissions {
        st.page_mut(&id).expect("created above").restrictions = source.restrictions.clone();
    }
    let page = st.page(&id).expect("created above");
    util::json(200, &content_json(sh, &st, page, &Expand::of(&["space", "history", "version"]), true))
}
