//! Confluence Cloud: Basic auth, everything under `/wiki` (or, in gateway mode, under
//! `/ex/confluence/{cloudId}/wiki`); v2 API for spaces, pages and folders; v1 for labels,
//! attachments, properties, restrictions and the copy endpoint (the v1 page endpoints answer 410).
//! The router is a `match` on path segments; Cloud's own handlers: `pages` (v2), `update` (v2
//! update, v1 move), `spaces` (v2), `folders`, `copy` and `media` (attachment downloads).

mod copy;
mod folders;
mod media;
mod pages;
mod spaces;
mod update;

use axum::response::Response;
use serde_json::json;

use crate::model::{Req, util};
use crate::routes::v2::{invalid_parameter, is_id, method_not_allowed, not_found_route};
use crate::routes::{attachments, auth, cql, labels, properties, restrictions, v1};
use crate::state::Shared;

pub(crate) fn route(sh: &Shared, req: &Req) -> Response {
    if !req.inside {
        // The media service the attachment download redirects to (api.media.atlassian.com in
        // real life): authorised by the token in the URL, not by the Confluence credentials.
        return match req.segs().as_slice() {
            ["media", "file", att_id, "binary"] if req.method == "GET" => media::media(sh, req, att_id),
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
            "PUT" => update::move_page(sh, req, id, position, target),
            _ => v1::method_not_allowed(),
        },
        // v1 page endpoints are gone on Cloud.
        ["rest", "api", "content", "search"] if method == "GET" => cql::search(sh, req),
        ["rest", "api", "content"] | ["rest", "api", "content", _] | ["rest", "api", "content", _, "child", "page"] => {
            gone()
        }
        ["rest", "api", "content", id, "label"] => labels::labels(sh, req, id),
        ["rest", "api", "content", id, "child", "attachment"] => attachments::attachments(sh, req, id),
        ["rest", "api", "content", id, "child", "attachment", att, "download"] if method == "GET" => {
            match attachments::find_attachment(sh, req, id, att) {
                Ok(att) => media::media_redirect(sh, &att),
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
                Some(att) => media::media_redirect(sh, &att),
                None => util::text(404, "Not Found"),
            }
        }
        ["api", "v2", "spaces"] if method == "GET" => spaces::list_spaces(sh, req),
        ["api", "v2", "spaces", id] if method == "GET" => spaces::get_space(sh, id),
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
            "PUT" => update::update_page(sh, req, id),
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
