//! Data Center's v1 page endpoints: get, purge, the content listing (by space, title, status),
//! children and create.

use axum::response::Response;
use serde_json::Value;

use crate::model::{Req, util};
use crate::routes::content::{Expand, content_json};
use crate::routes::v1::{self, Window, viewer};
use crate::routes::writes::{id_value, json_object};
use crate::state::{CreateError, DUPLICATE_TITLE, PageRec, Shared, Status};

/// `GET /rest/api/content/{id}`
/// With `version=N` (and `status=historical` for an earlier version): that version's title and
/// body, `status` `historical` unless it is the current one.
pub(crate) fn get(sh: &Shared, req: &Req, id: &str) -> Response {
    let st = sh.lock();
    let Some(page) = st.visible_page(id, viewer(req)) else { return v1::no_content(id) };
    let expand = Expand::from(req);
    let Some(version) = req.param("version") else {
        return util::json(200, &content_json(sh, &st, page, &expand, true));
    };
    let Ok(n) = version.parse::<u64>() else { return v1::error(400, &format!("Invalid version: {version}")) };
    let historical = req.param("status") == Some("historical");
    match page.body_at(n) {
        Some(_) if n < page.version && !historical => v1::no_content(id),
        Some(body) => {
            let old = PageRec { body: body.to_string(), version: n, ..page.clone() };
            let mut answer = content_json(sh, &st, &old, &expand, true);
            if n < page.version {
                answer["status"] = "historical".into();
            }
            util::json(200, &answer)
        }
        None => v1::no_content(id),
    }
}

/// `DELETE /rest/api/content/{id}`: a purge (no trash), 204.
pub(crate) fn delete(sh: &Shared, req: &Req, id: &str) -> Response {
    let mut st = sh.lock();
    if st.visible_page(id, viewer(req)).is_none() {
        return v1::no_content(id);
    }
    st.delete_page(id);
    util::response(204, "text/plain;charset=UTF-8", "")
}

/// What Data Center answers a blocked content listing (CONFSERVER-57639).
const LISTING_REFUSED: &str = "The server understood the request but refuses to authorize it.";

/// `GET /rest/api/content?spaceKey=&title=&type=page&status=current&expand=&start=&limit=`
pub(crate) fn listing(sh: &Shared, req: &Req) -> Response {
    if sh.lock().opts.refuse_content_listing {
        return v1::error(403, LISTING_REFUSED);
    }
    let window = match Window::from(req, 25, 200) {
        Ok(w) => w,
        Err(message) => return v1::error(400, &message),
    };
    let expand = Expand::from(req);
    let type_ok = req.param("type").is_none_or(|t| t.is_empty() || t == "page");
    let mut statuses = util::param_list(&req.query, "status");
    if statuses.is_empty() {
        statuses.push("current".to_string());
    }
    let status_ok = |p: &PageRec| statuses.iter().any(|s| s == "any" || s == p.status.as_str());
    let space_key = req.param("spaceKey").filter(|k| !k.is_empty());
    let title = req.param("title");

    let st = sh.lock();
    let all: Vec<&PageRec> = st
        .pages
        .iter()
        .filter(|p| type_ok && status_ok(p))
        .filter(|p| space_key.is_none_or(|k| p.space_key == k))
        .filter(|p| title.is_none_or(|t| p.title == t)) // exact, case-sensitive
        .filter(|p| st.can_read(p, viewer(req)))
        .collect();
    let (slice, more) = window.slice(&all);
    let results = slice.iter().map(|p| content_json(sh, &st, p, &expand, false)).collect();
    util::json(200, &v1::list(sh, req, results, window, more))
}

/// `GET /rest/api/content/{id}/child/page`
pub(crate) fn children(sh: &Shared, req: &Req, id: &str) -> Response {
    let window = match Window::from(req, 25, 200) {
        Ok(w) => w,
        Err(message) => return v1::error(400, &message),
    };
    let expand = Expand::from(req);
    let st = sh.lock();
    if st.visible_page(id, viewer(req)).is_none() {
        return v1::no_content(id);
    }
    let all: Vec<&PageRec> = st
        .shown_children(id)
        .into_iter()
        .filter(|p| p.status == Status::Current && st.can_read(p, viewer(req)))
        .collect();
    let (slice, more) = window.slice(&all);
    let results = slice.iter().map(|p| content_json(sh, &st, p, &expand, false)).collect();
    util::json(200, &v1::list(sh, req, results, window, more))
}

/// The JSON body of a page create or update, as v1 checks it first: `application/json`, an
/// object, `type: "page"` and (when given) `status: "current"`; else the refusal to answer.
pub(super) fn page_body(req: &Req) -> Result<Value, Box<Response>> {
    if !util::has_content_type(&req.headers, "application/json") {
        return Err(Box::new(v1::unsupported_media_type()));
    }
    let body = json_object(req).map_err(|message| Box::new(v1::error(400, &message)))?;
    match body.get("type").and_then(Value::as_str) {
        Some("page") => {}
        None => return Err(Box::new(v1::error(400, "Content type must be specified"))),
        Some(other) => {
            return Err(Box::new(v1::error(400, &format!("Unsupported content type for this fake: {other}"))));
        }
    }
    if let Some(status) = body.get("status").and_then(Value::as_str)
        && status != "current"
    {
        return Err(Box::new(v1::error(400, &format!("Unsupported content status: {status}"))));
    }
    Ok(body)
}

/// `POST /rest/api/content`
pub(crate) fn create(sh: &Shared, req: &Req) -> Response {
    let body = match page_body(req) {
        Ok(body) => body,
        Err(refusal) => return *refusal,
    };
    let Some(space_key) = body.pointer("/space/key").and_then(Value::as_str) else {
        return v1::error(400, "Space key must be specified (space.key)");
    };
    let title = body.get("title").and_then(Value::as_str).unwrap_or("").trim();
    if title.is_empty() {
        return v1::error(400, "Content title must be specified");
    }
    if title.chars().count() > 255 {
        return v1::error(400, "Title cannot be longer than 255 characters.");
    }
    let Some(storage) = body.pointer("/body/storage") else {
        return v1::error(400, "Content body must be specified (body.storage)");
    };
    if let Some(repr) = storage.get("representation").and_then(Value::as_str)
        && repr != "storage"
    {
        return v1::error(400, &format!("Unsupported body representation: {repr}"));
    }
    let Some(value) = storage.get("value").and_then(Value::as_str) else {
        return v1::error(400, "Content body must have a value (body.storage.value)");
    };
    let parent = match body.get("ancestors") {
        None | Some(Value::Null) => None,
        Some(Value::Array(ancestors)) if ancestors.is_empty() => None,
        Some(Value::Array(ancestors)) => {
            // The last ancestor is the direct parent.
            match ancestors.last().and_then(|a| a.get("id")).and_then(id_value) {
                Some(id) => Some(id),
                None => return v1::error(400, "Ancestors must have an id"),
            }
        }
        Some(_) => return v1::error(400, "ancestors must be an array"),
    };

    let mut st = sh.lock();
    if let Some(pid) = parent.as_deref()
        && st.visible_page(pid, viewer(req)).is_none()
    {
        return v1::no_content(pid);
    }
    match st.create_page(space_key, parent.as_deref(), title, value) {
        Ok(id) => {
            let page = st.page(&id).expect("just created");
            let expand = Expand::of(&["space", "body.storage", "version", "ancestors"]);
            util::json(200, &content_json(sh, &st, page, &expand, true))
        }
        Err(CreateError::NoSpace(key)) => v1::no_space(&key),
        Err(CreateError::NoParent(id)) => v1::no_content(&id),
        Err(CreateError::ParentInOtherSpace(id, other)) => v1::error(
            400,
            &format!("Could not create content: the parent page {id} is in space {other}, not in space {space_key}"),
        ),
        Err(CreateError::DuplicateTitle) => v1::error(400, DUPLICATE_TITLE),
        Err(CreateError::BadTitle) => v1::error(400, "Content title must be specified"),
    }
}
