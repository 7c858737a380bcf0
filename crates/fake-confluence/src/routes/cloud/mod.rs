//! Confluence Cloud: Basic auth, everything under `/wiki` (or, in gateway mode, under
//! `/ex/confluence/{cloudId}/wiki`); v2 API for spaces, pages and folders; v1 for labels,
//! attachments, properties, restrictions and the copy endpoint (the v1 page endpoints answer 410).

mod copy;
mod folders;
pub(crate) mod pages;

use axum::http::{HeaderValue, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::model::Req;
use crate::model::util::{self, encode_segment};
use crate::routes::v2::{
    bad_paging, invalid_parameter, is_id, list, method_not_allowed, not_found, not_found_route, paging,
};
use crate::routes::{attachments, auth, properties, restrictions, update, v1};
use crate::state::{AttachmentRec, Shared, SpaceRec, State};

pub(crate) fn route(sh: &Shared, req: &Req) -> Response {
    if !req.inside {
        // The media service the attachment download redirects to (api.media.atlassian.com in
        // real life): authorised by the token in the URL, not by the Confluence credentials.
        return match req.segs().as_slice() {
            ["media", "file", att_id, "binary"] if req.method == "GET" => media(sh, req, att_id),
            _ => util::text(404, "Not Found"),
        };
    }
    if req.viewer.is_none() {
        return util::response(
            401,
            "application/json",
            json!({"code": 401, "message": "Unauthorized; scope does not match"}).to_string(),
        );
    }
    let method = req.method.as_str();
    match req.segs().as_slice() {
        ["rest", "api", "content", id, "copy"] => match method {
            "POST" => copy::copy(sh, req, id),
            _ => v1::method_not_allowed(),
        },
        ["rest", "api", "content", id, "move", position, target] => match method {
            // Answers where the other v1 page endpoints are gone.
            "PUT" => update::cloud_move(sh, req, id, position, target),
            _ => v1::method_not_allowed(),
        },
        // v1 page endpoints are gone on Cloud.
        ["rest", "api", "content", "search"] if method == "GET" => crate::routes::cql::search(sh, req),
        ["rest", "api", "content"] | ["rest", "api", "content", _] | ["rest", "api", "content", _, "child", "page"] => {
            gone()
        }
        ["rest", "api", "content", id, "label"] => v1::labels(sh, req, id),
        ["rest", "api", "content", id, "child", "attachment"] => attachments::attachments(sh, req, id),
        ["rest", "api", "content", id, "child", "attachment", att, "download"] if method == "GET" => {
            match attachments::find_attachment(sh, req, id, att) {
                Ok(att) => media_redirect(sh, &att),
                Err(missing) => v1::no_content(&missing),
            }
        }
        ["rest", "api", "content", id, "restriction", rest @ ..] => restrictions::route(sh, req, id, rest),
        ["rest", "api", "content", id, "property", rest @ ..] => properties::v1_route(sh, req, id, rest),
        ["rest", "api", "space", key] => v1::space(sh, req, key),
        ["rest", "api", "user", "current"] => auth::current_user(sh, req),
        // A web path, not a REST API: the scoped-token gateway does not serve it.
        ["download", "attachments", page_id, filename] if method == "GET" && sh.cfg.site.is_none() => {
            match attachments::find_download(sh, req, page_id, filename) {
                Some(att) => media_redirect(sh, &att),
                None => util::text(404, "Not Found"),
            }
        }
        ["api", "v2", "spaces"] if method == "GET" => list_spaces(sh, req),
        ["api", "v2", "spaces", id] if method == "GET" => get_space(sh, id),
        ["api", "v2", "spaces", id, "pages"] if method == "GET" => {
            if !is_id(id) {
                return invalid_parameter("id", id);
            }
            pages::list_pages(sh, req, Some(id))
        }
        ["api", "v2", "pages"] => match method {
            "GET" => pages::list_pages(sh, req, None),
            "POST" => pages::create(sh, req),
            _ => method_not_allowed(),
        },
        ["api", "v2", "pages", id] => match method {
            "GET" => pages::get_page(sh, req, id),
            "PUT" => update::v2_update(sh, req, id),
            "DELETE" => pages::delete_page(sh, req, id),
            _ => method_not_allowed(),
        },
        ["api", "v2", "pages", id, "children"] if method == "GET" => pages::children(sh, req, id),
        ["api", "v2", "pages", id, "properties"] => properties::v2_route(sh, req, id),
        ["api", "v2", "folders", id] if method == "GET" => folders::get(sh, id),
        ["api", "v2", ..] => not_found_route(req),
        ["rest", ..] => v1::no_resource(sh, req),
        _ => util::text(404, "Not Found"),
    }
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
        "authorId": st.dir.me,
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
// Attachment download

fn media_token(att_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("fake-media-token:{att_id}"))
}

/// Like Cloud's attachment downloads (web path and REST route): a 302 to the media service.
fn media_redirect(sh: &Shared, att: &AttachmentRec) -> Response {
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
        Some((_, att)) => attachments::bytes_response(att),
        None => util::text(404, "Not Found"),
    }
}
