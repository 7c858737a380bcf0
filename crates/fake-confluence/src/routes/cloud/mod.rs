//! Confluence Cloud: Basic auth (or a service account's access token, issued at
//! `{origin}/oauth/token`), everything under `/wiki` (or, in gateway mode, under
//! `/ex/confluence/{cloudId}/wiki`); v2 API for spaces, pages, folders and their direct children,
//! labels, content properties and the attachment listing; v1 only where v2 has no operation:
//! copy, restrictions, adding labels, attachment upload and download, move, CQL search and the
//! current user. The v1 operations Atlassian removed answer 410 (`removed`): the page endpoints
//! always, the rest (label reads, properties, the attachment listing, spaces) behind the gateway
//! or when switched on; otherwise v1 still serves them on the site URL.
//! The router is a `match` on path segments; Cloud's own handlers: `pages` (v2), `children` (v2
//! direct children), `update` (v2 update, v1 move), `spaces` (v2), `folders`, `copy`, `media`
//! (attachment downloads) and `removed` (which v1 operations are gone).

mod children;
mod copy;
mod folders;
mod media;
mod pages;
mod removed;
mod spaces;
mod update;

use axum::response::Response;
use serde_json::json;

use crate::model::{Req, util};
use crate::routes::v2::{invalid_parameter, is_id, method_not_allowed, not_found_route};
use crate::routes::{attachments, auth, cql, labels, oauth, properties, restrictions, users, v1};
use crate::state::Shared;
use removed::Removal;

pub(crate) fn route(sh: &Shared, req: &Req) -> Response {
    if !req.inside {
        // The media service the attachment download redirects to (api.media.atlassian.com in
        // real life): authorised by the token in the URL, not by the Confluence credentials.
        return match req.segs().as_slice() {
            ["media", "file", att_id, "binary"] if req.method == "GET" => media::media(sh, req, att_id),
            // auth.atlassian.com's token endpoint and the site's tenant info, on the same origin.
            ["oauth", "token"] => oauth::token(sh, req),
            ["_edge", "tenant_info"] => oauth::tenant_info(sh, req),
            _ => util::text(404, "Not Found"),
        };
    }
    if req.viewer.is_none() {
        let message = if req.expired_token { "Unauthorized" } else { "Unauthorized; scope does not match" };
        return util::response(401, "application/json", json!({"code": 401, "message": message}).to_string());
    }
    let method = req.method.as_str();
    match removed::removal(method, &req.segs()) {
        Some(Removal::Always) => return removed::gone(),
        Some(Removal::Switched) if sh.lock().opts.v1_removed => return removed::gone(),
        _ => {}
    }
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
        // The v1 page endpoints were answered 410 above.
        ["rest", "api", "content", "search"] if method == "GET" => cql::search(sh, req),
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
        ["api", "v2", "pages", id, "direct-children"] if method == "GET" => children::of_page(sh, req, id),
        ["api", "v2", "pages", id, "labels"] if method == "GET" => labels::v2_labels(sh, req, id),
        ["api", "v2", "pages", id, "attachments"] if method == "GET" => attachments::v2_attachments(sh, req, id),
        ["api", "v2", "pages", id, "properties"] => properties::v2_route(sh, req, id),
        ["api", "v2", "folders", id] if method == "GET" => folders::get(sh, id),
        ["api", "v2", "users-bulk"] => match method {
            "POST" => users::cloud_users_bulk(sh, req),
            _ => method_not_allowed(),
        },
        ["api", "v2", "folders", id, "direct-children"] if method == "GET" => children::of_folder(sh, req, id),
        ["api", "v2", ..] => not_found_route(req),
        ["rest", ..] => v1::no_resource(sh, req),
        _ => util::text(404, "Not Found"),
    }
}
