//! Confluence Cloud: Basic auth, everything under `/wiki`; v2 API for spaces and pages, v1 only
//! for labels and attachments (the v1 page endpoints answer 410 Gone).

use axum::http::{HeaderValue, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::server::Req;
use crate::state::{CreateError, DUPLICATE_TITLE, PageRec, Shared, SpaceRec, State};
use crate::util::{self, encode_query, encode_segment, title_for_url};
use crate::v1;

/// The account id the fake's pages are authored by.
const ACCOUNT_ID: &str = "557058:f0e1d2c3-b4a5-4697-8899-aabbccddeeff";

pub(crate) fn route(sh: &Shared, req: &Req) -> Response {
    if !req.inside {
        // The media service the attachment download redirects to (api.media.atlassian.com in
        // real life): authorised by the token in the URL, not by the Confluence credentials.
        return match req.segs().as_slice() {
            ["media", "file", att_id, "binary"] if req.method == "GET" => media(sh, req, att_id),
            _ => util::text(404, "Not Found"),
        };
    }
    if !authorized(sh, req) {
        return util::response(
            401,
            "application/json",
            json!({"code": 401, "message": "Unauthorized; scope does not match"}).to_string(),
        );
    }
    let method = req.method.as_str();
    match req.segs().as_slice() {
        // v1 page endpoints are gone on Cloud.
        ["rest", "api", "content"] | ["rest", "api", "content", _] | ["rest", "api", "content", _, "child", "page"] => {
            gone()
        }
        ["rest", "api", "content", id, "label"] => v1::labels(sh, req, id),
        ["rest", "api", "content", id, "child", "attachment"] => v1::attachments(sh, req, id),
        ["rest", "api", "space", key] => v1::space(sh, req, key),
        ["download", "attachments", page_id, filename] if method == "GET" => download_redirect(sh, page_id, filename),
        ["api", "v2", "spaces"] if method == "GET" => list_spaces(sh, req),
        ["api", "v2", "spaces", id] if method == "GET" => get_space(sh, id),
        ["api", "v2", "spaces", id, "pages"] if method == "GET" => {
            if !is_id(id) {
                return invalid_parameter("id", id);
            }
            list_pages(sh, req, Some(id))
        }
        ["api", "v2", "pages"] => match method {
            "GET" => list_pages(sh, req, None),
            "POST" => create(sh, req),
            _ => method_not_allowed(),
        },
        ["api", "v2", "pages", id] if method == "GET" => get_page(sh, req, id),
        ["api", "v2", "pages", id, "children"] if method == "GET" => children(sh, req, id),
        ["api", "v2", ..] => not_found_route(req),
        ["rest", ..] => v1::no_resource(sh, req),
        _ => util::text(404, "Not Found"),
    }
}

/// `Authorization: Basic base64(user:token)`; Bearer or anything else is refused.
fn authorized(sh: &Shared, req: &Req) -> bool {
    let Some((scheme, encoded)) = req.authorization().and_then(|h| h.split_once(' ')) else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return false;
    }
    let Ok(decoded) = STANDARD.decode(encoded.trim()) else {
        return false;
    };
    decoded == format!("{}:{}", sh.cfg.user, sh.cfg.token).as_bytes()
}

fn gone() -> Response {
    util::json(
        410,
        &json!({
            "statusCode": 410,
            "message": "This endpoint has been deprecated and removed. Use the v2 API: /wiki/api/v2/pages",
            "reason": "Gone",
        }),
    )
}

/// The v2 error body: `{"errors":[{"status","code","title","detail":null}]}`.
fn error(status: u16, code: &str, title: &str) -> Response {
    util::json(status, &json!({"errors": [{"status": status, "code": code, "title": title, "detail": null}]}))
}

fn not_found() -> Response {
    error(404, "NOT_FOUND", "Not Found")
}

fn not_found_route(req: &Req) -> Response {
    error(404, "NOT_FOUND", &format!("No route for {} {}", req.method, req.path))
}

fn method_not_allowed() -> Response {
    error(405, "METHOD_NOT_ALLOWED", "Method Not Allowed")
}

fn invalid_parameter(name: &str, value: &str) -> Response {
    error(
        400,
        "INVALID_REQUEST_PARAMETER",
        &format!("Provided value {{{value}}} for '{name}' is not the correct type. Expected type is ContentId"),
    )
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// Cursor paging

/// `limit` (default 25, 1..=250) and the offset encoded in the opaque `cursor`.
/// The error is the title of a 400 ([`bad_paging`]).
fn paging(req: &Req) -> Result<(usize, usize), String> {
    let limit = match req.param("limit").filter(|v| !v.is_empty()) {
        None => 25,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n >= 1 => n.min(250),
            _ => {
                return Err(format!("Provided value {{{v}}} for 'limit' is not valid; it must be between 1 and 250"));
            }
        },
    };
    let offset = match req.param("cursor").filter(|v| !v.is_empty()) {
        None => 0,
        Some(cursor) => decode_cursor(cursor).ok_or_else(|| "Invalid cursor".to_string())?,
    };
    Ok((limit, offset))
}

fn bad_paging(title: &str) -> Response {
    error(400, "INVALID_REQUEST_PARAMETER", title)
}

fn encode_cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("fake-confluence:offset:{offset}"))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).ok()?;
    String::from_utf8(bytes).ok()?.strip_prefix("fake-confluence:offset:")?.parse().ok()
}

/// A v2 list: `{"results", "_links": {"next"?, "base"}}`. `next` is relative to the site root
/// (it starts with `/wiki`), keeps the request's other parameters, and is also sent as a `Link`
/// header, as Cloud does.
fn list<T>(sh: &Shared, req: &Req, items: &[T], limit: usize, offset: usize, render: impl Fn(&T) -> Value) -> Response {
    let start = offset.min(items.len());
    let end = (start + limit).min(items.len());
    let results: Vec<Value> = items[start..end].iter().map(render).collect();
    let base = sh.cfg.base();
    let mut links = json!({"base": base});
    let mut next = None;
    if end < items.len() {
        let cursor = encode_cursor(end);
        let others = req.query.iter().filter(|(k, _)| k != "cursor").map(|(k, v)| (k.as_str(), v.as_str()));
        let query = encode_query(others.chain([("cursor", cursor.as_str())]));
        let link = format!("{}?{query}", req.path);
        links["next"] = json!(link);
        next = Some(link);
    }
    let mut resp = util::json(200, &json!({"results": results, "_links": links}));
    let link_header = next.map(|next| format!("<{next}>; rel=\"next\", <{base}>; rel=\"base\""));
    if let Some(value) = link_header.and_then(|v| HeaderValue::from_str(&v).ok()) {
        resp.headers_mut().insert(header::LINK, value);
    }
    resp
}

// ---------------------------------------------------------------------------------------------
// Spaces

fn space_json(sh: &Shared, st: &State, space: &SpaceRec, single: bool) -> Value {
    let homepage = st.pages.iter().find(|p| p.space_key == space.key && p.parent_id.is_none()).map(|p| p.id.clone());
    let mut links = json!({"webui": format!("/spaces/{}", space.key)});
    if single {
        links["base"] = json!(sh.cfg.base());
    }
    json!({
        "id": space.id,
        "key": space.key,
        "name": space.name,
        "type": "global",
        "status": "current",
        "authorId": ACCOUNT_ID,
        "createdAt": util::iso8601(space.created_ms),
        "homepageId": homepage,
        "description": null,
        "icon": null,
        "_links": links,
    })
}

/// `GET /wiki/api/v2/spaces?keys=K1,K2&ids=…`
fn list_spaces(sh: &Shared, req: &Req) -> Response {
    let (limit, offset) = match paging(req) {
        Ok(p) => p,
        Err(title) => return bad_paging(&title),
    };
    let keys = util::param_list(&req.query, "keys");
    let ids = util::param_list(&req.query, "ids");
    let st = sh.lock();
    let spaces: Vec<&SpaceRec> = st
        .spaces
        .iter()
        .filter(|s| keys.is_empty() || keys.contains(&s.key))
        .filter(|s| ids.is_empty() || ids.contains(&s.id))
        .collect();
    list(sh, req, &spaces, limit, offset, |s| space_json(sh, &st, s, false))
}

/// `GET /wiki/api/v2/spaces/{id}`
fn get_space(sh: &Shared, id: &str) -> Response {
    if !is_id(id) {
        return invalid_parameter("id", id);
    }
    let st = sh.lock();
    match st.space_by_id(id) {
        Some(space) => util::json(200, &space_json(sh, &st, space, true)),
        None => not_found(),
    }
}

// ---------------------------------------------------------------------------------------------
// Pages

/// A page in v2 shape. `single`: its `_links` carry `base` (list items' do not).
fn page_json(sh: &Shared, st: &State, page: &PageRec, with_body: bool, single: bool) -> Value {
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
    json!({
        "id": page.id,
        "status": "current",
        "title": page.title,
        "spaceId": space_id,
        "parentId": page.parent_id,
        "parentType": page.parent_id.as_ref().map(|_| "page"),
        "position": st.position(page),
        "authorId": ACCOUNT_ID,
        "ownerId": ACCOUNT_ID,
        "lastOwnerId": null,
        "createdAt": created,
        "version": {
            "createdAt": created,
            "message": "",
            "number": 1,
            "minorEdit": false,
            "authorId": ACCOUNT_ID,
        },
        "body": body,
        "_links": links,
    })
}

fn wants_storage(req: &Req) -> bool {
    req.param("body-format") == Some("storage")
}

/// `GET /wiki/api/v2/pages/{id}?body-format=storage`
fn get_page(sh: &Shared, req: &Req, id: &str) -> Response {
    if !is_id(id) {
        return invalid_parameter("id", id);
    }
    let st = sh.lock();
    match st.page(id) {
        Some(page) => util::json(200, &page_json(sh, &st, page, wants_storage(req), true)),
        None => not_found(),
    }
}

/// `GET /wiki/api/v2/pages?space-id=&title=&status=&body-format=&limit=&cursor=` and
/// `GET /wiki/api/v2/spaces/{id}/pages` (`in_space`).
fn list_pages(sh: &Shared, req: &Req, in_space: Option<&str>) -> Response {
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
    let statuses = util::param_list(&req.query, "status");
    let status_ok = statuses.is_empty() || statuses.iter().any(|s| s == "current");
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
        .filter(|_| status_ok)
        .filter(|p| space_ids.is_empty() || space_keys.contains(&p.space_key.as_str()))
        .filter(|p| ids.is_empty() || ids.contains(&p.id))
        .filter(|p| title.is_none_or(|t| p.title == t)) // exact, case-sensitive
        .collect();
    list(sh, req, &pages, limit, offset, |p| page_json(sh, &st, p, with_body, false))
}

/// `GET /wiki/api/v2/pages/{id}/children`
fn children(sh: &Shared, req: &Req, id: &str) -> Response {
    if !is_id(id) {
        return invalid_parameter("id", id);
    }
    let (limit, offset) = match paging(req) {
        Ok(p) => p,
        Err(title) => return bad_paging(&title),
    };
    let st = sh.lock();
    if st.page(id).is_none() {
        return not_found();
    }
    let kids = st.children(id);
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

/// An id given as a JSON string or number.
fn id_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `POST /wiki/api/v2/pages`
fn create(sh: &Shared, req: &Req) -> Response {
    if !util::has_content_type(&req.headers, "application/json") {
        return error(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type");
    }
    let bad = |title: &str| error(400, "INVALID_REQUEST_PARAMETER", title);
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) | Err(_) => return bad("Could not parse the request body as a page"),
    };
    let Some(space_id) = body.get("spaceId").and_then(id_value) else {
        return bad("spaceId is required");
    };
    if !is_id(&space_id) {
        return invalid_parameter("spaceId", &space_id);
    }
    match body.get("status").and_then(Value::as_str) {
        None | Some("current") => {}
        Some(other) => return bad(&format!("Unsupported status for this fake: {other}")),
    }
    let title = body.get("title").and_then(Value::as_str).unwrap_or("");
    if title.trim().is_empty() {
        return bad("Title is required for a page with status current");
    }
    if title.chars().count() > 255 {
        return bad("Title cannot be longer than 255 characters");
    }
    let parent = match body.get("parentId") {
        None | Some(Value::Null) => None,
        Some(v) => match id_value(v) {
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
    match st.create_page(&space_key, parent.as_deref(), title, &value) {
        Ok(id) => {
            let page = st.page(&id).expect("just created");
            util::json(200, &page_json(sh, &st, page, true, true))
        }
        Err(CreateError::NoSpace(_)) => error(404, "NOT_FOUND", &format!("Space with id {space_id} not found")),
        Err(CreateError::NoParent(id)) => error(404, "NOT_FOUND", &format!("Parent page with id {id} not found")),
        Err(CreateError::ParentInOtherSpace(id, _)) => bad(&format!("The parent page {id} is not in space {space_id}")),
        Err(CreateError::DuplicateTitle) => error(400, "BAD_REQUEST", DUPLICATE_TITLE),
    }
}

// ---------------------------------------------------------------------------------------------
// Attachment download

fn media_token(att_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("fake-media-token:{att_id}"))
}

/// `GET /wiki/download/attachments/{pageId}/{filename}`: like Cloud, a 302 to the media service.
fn download_redirect(sh: &Shared, page_id: &str, filename: &str) -> Response {
    let Some((_, att)) = v1::find_download(sh, page_id, filename) else {
        return util::text(404, "Not Found");
    };
    let location = format!(
        "{}/media/file/{}/binary?token={}&client=fake-confluence&name={}&dl=true",
        sh.cfg.origin,
        att.id,
        media_token(&att.id),
        encode_segment(&att.filename),
    );
    let mut resp = util::text(302, "");
    if let Ok(value) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, value);
    }
    resp
}

/// `GET /media/file/{id}/binary?token=…` (outside `/wiki`, no Confluence auth).
fn media(sh: &Shared, req: &Req, att_id: &str) -> Response {
    if req.param("token") != Some(media_token(att_id).as_str()) {
        return util::json(401, &json!({"error": "unauthorized", "message": "Invalid or missing token"}));
    }
    let st = sh.lock();
    match st.attachment(att_id) {
        Some((_, att)) => v1::bytes_response(att),
        None => util::text(404, "Not Found"),
    }
}
