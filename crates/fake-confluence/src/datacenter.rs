//! Data Center / Server: Bearer auth and the v1 content endpoints under the context path.

use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::server::Req;
use crate::state::{CreateError, DUPLICATE_TITLE, PageRec, Shared, State};
use crate::util::{self, title_for_url};
use crate::v1::{self, Window};

pub(crate) fn route(sh: &Shared, req: &Req) -> Response {
    if !req.inside {
        return util::html_error(404);
    }
    if !authorized(sh, req) {
        // DC answers a bad or missing token from its servlet filter, as an HTML page.
        return util::html_error(401);
    }
    let method = req.method.as_str();
    match req.segs().as_slice() {
        ["rest", "api", "content"] => match method {
            "GET" => search(sh, req),
            "POST" => create(sh, req),
            _ => v1::method_not_allowed(),
        },
        ["rest", "api", "content", id] => match method {
            "GET" => get(sh, req, id),
            _ => v1::method_not_allowed(),
        },
        ["rest", "api", "content", id, "child", "page"] => match method {
            "GET" => children(sh, req, id),
            _ => v1::method_not_allowed(),
        },
        ["rest", "api", "content", id, "label"] => v1::labels(sh, req, id),
        ["rest", "api", "content", id, "child", "attachment"] => v1::attachments(sh, req, id),
        ["rest", "api", "space", key] => v1::space(sh, req, key),
        ["download", "attachments", page_id, filename] if method == "GET" => {
            match v1::find_download(sh, page_id, filename) {
                Some((_, att)) => v1::bytes_response(&att),
                None => util::html_error(404),
            }
        }
        ["rest", ..] => v1::no_resource(sh, req),
        _ => util::html_error(404),
    }
}

/// `Authorization: Bearer {token}` (scheme ignoring case); nothing else is accepted.
fn authorized(sh: &Shared, req: &Req) -> bool {
    req.authorization()
        .and_then(|h| h.split_once(' '))
        .is_some_and(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && token.trim() == sh.cfg.token)
}

/// The `expand` parameter: a comma list such as `space,body.storage,version`.
struct Expand(Vec<String>);

impl Expand {
    fn from(req: &Req) -> Expand {
        Expand(util::param_list(&req.query, "expand"))
    }

    fn of(items: &[&str]) -> Expand {
        Expand(items.iter().map(|s| s.to_string()).collect())
    }

    /// `name` itself or anything below it (`body` is expanded by `body.storage`).
    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|e| e == name || e.strip_prefix(name).is_some_and(|r| r.starts_with('.')))
    }
}

/// Titles DC puts into `/display/KEY/Title` URLs; others get `viewpage.action?pageId=`.
fn safe_for_display_url(title: &str) -> bool {
    title.is_ascii() && !title.contains(['?', '/', '\\', '&', ';', '+', '%', '#', ':'])
}

fn webui(page: &PageRec) -> String {
    if safe_for_display_url(&page.title) {
        format!("/display/{}/{}", page.space_key, title_for_url(&page.title))
    } else {
        format!("/pages/viewpage.action?pageId={}", page.id)
    }
}

fn version_json(sh: &Shared, page: &PageRec) -> Value {
    json!({
        "by": {
            "type": "known",
            "username": "admin",
            "userKey": "8aa1a2b36d7d0f59016d7d1043a80000",
            "displayName": "Administrator",
            "_links": {"self": format!("{}/rest/api/user?key=8aa1a2b36d7d0f59016d7d1043a80000", sh.cfg.base())},
        },
        "when": util::iso8601(page.created_ms),
        "message": "",
        "number": 1,
        "minorEdit": false,
        "hidden": false,
        "_links": {"self": format!("{}/rest/experimental/content/{}/version/1", sh.cfg.base(), page.id)},
        "_expandable": {"content": format!("/rest/api/content/{}", page.id)},
    })
}

/// A page in DC v1 shape. `single`: a single-entity response, whose `_links` carry `base` and
/// `context` (in lists those are top-level only).
fn content_json(sh: &Shared, st: &State, page: &PageRec, expand: &Expand, single: bool) -> Value {
    let base = sh.cfg.base();
    let id = &page.id;
    let mut expandable = Map::new();
    let mut put = |key: &str, value: String| {
        expandable.insert(key.to_string(), json!(value));
    };
    put("container", format!("/rest/api/space/{}", page.space_key));
    put("metadata", String::new());
    put("operations", String::new());
    put("children", format!("/rest/api/content/{id}/child"));
    put("restrictions", format!("/rest/api/content/{id}/restriction/byOperation"));
    put("history", format!("/rest/api/content/{id}/history"));
    put("ancestors", String::new());
    put("body", String::new());
    put("version", String::new());
    put("descendants", format!("/rest/api/content/{id}/descendant"));
    put("space", format!("/rest/api/space/{}", page.space_key));

    let mut v = json!({
        "id": id,
        "type": "page",
        "status": "current",
        "title": page.title,
        "extensions": {"position": st.position(page)},
    });
    if expand.has("space") {
        if let Some(space) = st.space_by_key(&page.space_key) {
            v["space"] = v1::space_json(sh, space);
        }
        expandable.remove("space");
    }
    if expand.has("version") {
        v["version"] = version_json(sh, page);
        expandable.remove("version");
    }
    if expand.has("ancestors") {
        let none = Expand(Vec::new());
        let ancestors: Vec<Value> =
            st.ancestors(page).into_iter().map(|a| content_json(sh, st, a, &none, false)).collect();
        v["ancestors"] = json!(ancestors);
        expandable.remove("ancestors");
    }
    if expand.has("body") {
        let mut body_expandable = Map::new();
        for key in ["editor", "view", "export_view", "styled_view", "storage", "anonymous_export_view"] {
            body_expandable.insert(key.to_string(), json!(""));
        }
        let mut body = json!({});
        if expand.has("body.storage") {
            body["storage"] = json!({
                "value": page.body,
                "representation": "storage",
                "_expandable": {"content": format!("/rest/api/content/{id}")},
            });
            body_expandable.remove("storage");
        }
        body["_expandable"] = Value::Object(body_expandable);
        v["body"] = body;
        expandable.remove("body");
    }
    let mut links = json!({
        "webui": webui(page),
        "edit": format!("/pages/resumedraft.action?draftId={id}"),
        "tinyui": util::tiny_ui(id),
        "self": format!("{base}/rest/api/content/{id}"),
    });
    if single {
        links["base"] = json!(base);
        links["context"] = json!(sh.cfg.prefix);
        links["collection"] = json!("/rest/api/content");
    }
    v["_links"] = links;
    v["_expandable"] = Value::Object(expandable);
    v
}

/// `GET /rest/api/content/{id}`
fn get(sh: &Shared, req: &Req, id: &str) -> Response {
    let st = sh.lock();
    match st.page(id) {
        Some(page) => util::json(200, &content_json(sh, &st, page, &Expand::from(req), true)),
        None => v1::no_content(id),
    }
}

/// `GET /rest/api/content?spaceKey=&title=&type=page&status=current&expand=&start=&limit=`
fn search(sh: &Shared, req: &Req) -> Response {
    let window = match Window::from(req, 25, 200) {
        Ok(w) => w,
        Err(message) => return v1::error(400, &message),
    };
    let expand = Expand::from(req);
    let type_ok = req.param("type").is_none_or(|t| t.is_empty() || t == "page");
    let statuses = util::param_list(&req.query, "status");
    let status_ok = statuses.is_empty() || statuses.iter().any(|s| s == "current" || s == "any");
    let space_key = req.param("spaceKey").filter(|k| !k.is_empty());
    let title = req.param("title");

    let st = sh.lock();
    let all: Vec<&PageRec> = st
        .pages
        .iter()
        .filter(|_| type_ok && status_ok)
        .filter(|p| space_key.is_none_or(|k| p.space_key == k))
        .filter(|p| title.is_none_or(|t| p.title == t)) // exact, case-sensitive
        .collect();
    let (slice, more) = window.slice(&all);
    let results = slice.iter().map(|p| content_json(sh, &st, p, &expand, false)).collect();
    util::json(200, &v1::list(sh, req, results, window, more))
}

/// `GET /rest/api/content/{id}/child/page`
fn children(sh: &Shared, req: &Req, id: &str) -> Response {
    let window = match Window::from(req, 25, 200) {
        Ok(w) => w,
        Err(message) => return v1::error(400, &message),
    };
    let expand = Expand::from(req);
    let st = sh.lock();
    if st.page(id).is_none() {
        return v1::no_content(id);
    }
    let all = st.children(id);
    let (slice, more) = window.slice(&all);
    let results = slice.iter().map(|p| content_json(sh, &st, p, &expand, false)).collect();
    util::json(200, &v1::list(sh, req, results, window, more))
}

/// An id given as a JSON string or number.
fn id_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `POST /rest/api/content`
fn create(sh: &Shared, req: &Req) -> Response {
    if !util::has_content_type(&req.headers, "application/json") {
        return v1::unsupported_media_type();
    }
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => return v1::error(400, "Expected a JSON object describing the content"),
        Err(e) => return v1::error(400, &format!("Unable to parse the request body: {e}")),
    };
    match body.get("type").and_then(Value::as_str) {
        Some("page") => {}
        None => return v1::error(400, "Content type must be specified"),
        Some(other) => {
            return v1::error(400, &format!("Unsupported content type for this fake: {other}"));
        }
    }
    if let Some(status) = body.get("status").and_then(Value::as_str)
        && status != "current"
    {
        return v1::error(400, &format!("Unsupported content status: {status}"));
    }
    let Some(space_key) = body.pointer("/space/key").and_then(Value::as_str) else {
        return v1::error(400, "Space key must be specified (space.key)");
    };
    let title = body.get("title").and_then(Value::as_str).unwrap_or("");
    if title.trim().is_empty() {
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
    }
}
