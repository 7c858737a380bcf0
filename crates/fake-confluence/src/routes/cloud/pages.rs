//! Cloud's v2 page endpoints: get, list (by space, title, status), children, create, delete.

use axum::response::Response;
use serde_json::{Value, json};

use crate::model::Req;
use crate::model::util::{self, title_for_url};
use crate::routes::v1::viewer;
use crate::routes::v2::{bad_paging, error, invalid_parameter, is_id, list, not_found, paging};
use crate::state::{CreateError, DUPLICATE_TITLE, PageRec, Shared, State, Status};

/// A page in v2 shape. `single`: its `_links` carry `base` (list items' do not).
pub(crate) fn page_json(sh: &Shared, st: &State, page: &PageRec, with_body: bool, single: bool) -> Value {
    let space_id = st.space_by_key(&page.space_key).map(|s| s.id.clone());
    let created = util::iso8601(page.created_ms);
    let body =
        if with_body { json!({"storage": {"representation": "storage", "value": page.body}}) } else { json!({}) };
    let mut links = json!({
        "webui": format!("/spaces/{}/pages/{}/{}", page.space_key, page.id, title_for_url(&page.title)),
        "editui": format!("/pages/resumedraft.action?draftId={}", page.id),
        "tinyui": util::tiny_ui(&page.id),
    });
    if single {
        links["base"] = json!(sh.cfg.base());
    }
    let parent_type = page.parent_id.as_deref().map(|id| if st.folder(id).is_some() { "folder" } else { "page" });
    let me = &st.dir.me;
    json!({
        "id": page.id,
        "status": page.status.as_str(),
        "title": page.title,
        "spaceId": space_id,
        "parentId": page.parent_id,
        "parentType": parent_type,
        "position": st.position(page),
        "authorId": me,
        "ownerId": me,
        "lastOwnerId": null,
        "createdAt": created,
        "version": {
            "createdAt": created,
            "message": "",
            "number": page.version,
            "minorEdit": page.minor_edit,
            "authorId": me,
        },
        "body": body,
        "_links": links,
    })
}

fn wants_storage(req: &Req) -> bool {
    req.param("body-format") == Some("storage")
}

/// `GET /wiki/api/v2/pages/{id}?body-format=storage` (a folder id is 404: a folder is no page)
pub(crate) fn get_page(sh: &Shared, req: &Req, id: &str) -> Response {
    if !is_id(id) {
        return invalid_parameter("id", id);
    }
    let st = sh.lock();
    let Some(page) = st.visible_page(id, viewer(req)) else { return not_found() };
    let Some(version) = req.param("version") else {
        return util::json(200, &page_json(sh, &st, page, wants_storage(req), true));
    };
    // `version=N`: that published version's body (v2 answers an unknown version 404).
    let Ok(n) = version.parse::<u64>() else { return invalid_parameter("version", version) };
    match page.body_at(n) {
        Some(body) => {
            let old = PageRec { body: body.to_string(), version: n, ..page.clone() };
            let mut answer = page_json(sh, &st, &old, wants_storage(req), true);
            if n < page.version {
                answer["status"] = "historical".into();
            }
            util::json(200, &answer)
        }
        None => not_found(),
    }
}

/// `DELETE /wiki/api/v2/pages/{id}`: a purge (no trash), 204.
pub(crate) fn delete_page(sh: &Shared, req: &Req, id: &str) -> Response {
    if !is_id(id) {
        return invalid_parameter("id", id);
    }
    let mut st = sh.lock();
    if st.visible_page(id, viewer(req)).is_none() {
        return not_found();
    }
    st.delete_page(id);
    util::response(204, "text/plain;charset=UTF-8", "")
}

/// `GET /wiki/api/v2/pages?space-id=&title=&status=&body-format=&limit=&cursor=` and
/// `GET /wiki/api/v2/spaces/{id}/pages` (`in_space`). Without `status`, current and archived
/// pages are listed (as the OpenAPI says).
pub(crate) fn list_pages(sh: &Shared, req: &Req, in_space: Option<&str>) -> Response {
    let (limit, offset) = match paging(req) {
        Ok(p) => p,
        Err(title) => return bad_paging(&title),
    };
    let mut space_ids = util::param_list(&req.query, "space-id");
    if let Some(id) = in_space {
        space_ids = vec![id.to_string()];
    }
    if let Some(bad) = space_ids.iter().find(|s| !is_id(s)) {
        return invalid_parameter("space-id", bad);
    }
    let ids = util::param_list(&req.query, "id");
    if let Some(bad) = ids.iter().find(|s| !is_id(s)) {
        return invalid_parameter("id", bad);
    }
    let mut statuses = util::param_list(&req.query, "status");
    if statuses.is_empty() {
        statuses = vec!["current".to_string(), "archived".to_string()];
    }
    let status_ok = |p: &PageRec| statuses.iter().any(|s| s == p.status.as_str());
    let title = req.param("title");
    let with_body = wants_storage(req);

    let st = sh.lock();
    if in_space.is_some_and(|id| st.space_by_id(id).is_none()) {
        return not_found();
    }
    let space_keys: Vec<&str> = space_ids.iter().filter_map(|id| st.space_by_id(id).map(|s| s.key.as_str())).collect();
    let pages: Vec<&PageRec> = st
        .pages
        .iter()
        .filter(|p| status_ok(p))
        .filter(|p| space_ids.is_empty() || space_keys.contains(&p.space_key.as_str()))
        .filter(|p| ids.is_empty() || ids.contains(&p.id))
        .filter(|p| title.is_none_or(|t| p.title == t)) // exact, case-sensitive
        .filter(|p| st.can_read(p, viewer(req)))
        .collect();
    list(sh, req, &pages, limit, offset, |p| page_json(sh, &st, p, with_body, false))
}

/// `GET /wiki/api/v2/pages/{id}/children`
pub(crate) fn children(sh: &Shared, req: &Req, id: &str) -> Response {
    if !is_id(id) {
        return invalid_parameter("id", id);
    }
    let (limit, offset) = match paging(req) {
        Ok(p) => p,
        Err(title) => return bad_paging(&title),
    };
    let st = sh.lock();
    if st.visible_page(id, viewer(req)).is_none() {
        return not_found();
    }
    let kids: Vec<&PageRec> =
        st.children(id).into_iter().filter(|p| p.status == Status::Current && st.can_read(p, viewer(req))).collect();
    list(sh, req, &kids, limit, offset, |p| {
        json!({
            "id": p.id,
            "status": "current",
            "title": p.title,
            "spaceId": st.space_by_key(&p.space_key).map(|s| s.id.clone()),
            "childPosition": st.position(p),
        })
    })
}

/// An id given as a JSON string or number; unlike `writes::id_value` a blank
/// string is kept, so that `spaceId: ""` is refused as an invalid value rather than a missing one.
fn raw_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `POST /wiki/api/v2/pages` (the parent may be a page or a folder; the title is stored trimmed)
pub(crate) fn create(sh: &Shared, req: &Req) -> Response {
    if !util::has_content_type(&req.headers, "application/json") {
        return error(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type");
    }
    let bad = |title: &str| error(400, "INVALID_REQUEST_PARAMETER", title);
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) | Err(_) => return bad("Could not parse the request body as a page"),
    };
    let Some(space_id) = body.get("spaceId").and_then(raw_id) else {
        return bad("spaceId is required");
    };
    if !is_id(&space_id) {
        return invalid_parameter("spaceId", &space_id);
    }
    match body.get("status").and_then(Value::as_str) {
        None | Some("current") => {}
        Some(other) => return bad(&format!("Unsupported status for this fake: {other}")),
    }
    let title = body.get("title").and_then(Value::as_str).unwrap_or("").trim();
    if title.is_empty() {
        return bad("Title is required for a page with status current");
    }
    if title.chars().count() > 255 {
        return bad("Title cannot be longer than 255 characters");
    }
    let parent = match body.get("parentId") {
        None | Some(Value::Null) => None,
        Some(v) => match raw_id(v) {
            Some(id) if is_id(&id) => Some(id),
            _ => return invalid_parameter("parentId", &v.to_string()),
        },
    };
    let value = match body.get("body") {
        None | Some(Value::Null) => String::new(),
        Some(b) => {
            match b.get("representation").and_then(Value::as_str) {
                Some("storage") => {}
                Some(other) => {
                    return bad(&format!("Unsupported body representation for this fake: {other}"));
                }
                None => return bad("body.representation is required"),
            }
            match b.get("value").and_then(Value::as_str) {
                Some(v) => v.to_string(),
                None => return bad("body.value must be a string"),
            }
        }
    };

    let mut st = sh.lock();
    let Some(space_key) = st.space_by_id(&space_id).map(|s| s.key.clone()) else {
        return error(404, "NOT_FOUND", &format!("Space with id {space_id} not found"));
    };
    if let Some(pid) = parent.as_deref()
        && st.folder(pid).is_none()
        && st.visible_page(pid, viewer(req)).is_none()
    {
        return error(404, "NOT_FOUND", &format!("Parent page with id {pid} not found"));
    }
    match st.create_page(&space_key, parent.as_deref(), title, &value) {
        Ok(id) => {
            let page = st.page(&id).expect("just created");
            util::json(200, &page_json(sh, &st, page, true, true))
        }
        Err(CreateError::NoSpace(_)) => error(404, "NOT_FOUND", &format!("Space with id {space_id} not found")),
        Err(CreateError::NoParent(id)) => error(404, "NOT_FOUND", &format!("Parent page with id {id} not found")),
        Err(CreateError::ParentInOtherSpace(id, _)) => bad(&format!("The parent page {id} is not in space {space_id}")),
        Err(CreateError::DuplicateTitle) => error(400, "BAD_REQUEST", DUPLICATE_TITLE),
        Err(CreateError::BadTitle) => bad("Title is required for a page with status current"),
    }
}
