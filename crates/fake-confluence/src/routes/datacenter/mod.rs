//! Data Center / Server: Bearer auth (a personal access token, a service account's access token
//! from `POST /rest/oauth2/latest/token`, or the anonymous user), `X-AUSERNAME`, and the router: the
//! v1 endpoints under the context path, a `match` on path segments. Its own handlers: `pages`
//! (get, purge, listing, children, create) and `update` (the whole-page `PUT`, which also moves).

mod pages;
mod update;

use axum::response::Response;

use crate::model::{Req, Viewer, util};
use crate::routes::v1;
use crate::routes::{attachments, auth, cql, labels, oauth, properties, restrictions, users};
use crate::state::Shared;

pub(crate) fn route(sh: &Shared, req: &Req) -> Response {
    if !req.inside {
        return util::html_error(404);
    }
    if req.segs() == ["rest", "oauth2", "latest", "token"] {
        // The token endpoint authenticates the client by its body, not by a header.
        return oauth::token(sh, req);
    }
    let Some(viewer) = req.viewer else {
        // DC answers a bad or missing token from its servlet filter, as an HTML page.
        return auth::dc_unauthorized(req);
    };
    let mut resp = if viewer == Viewer::Anonymous && req.method != "GET" {
        v1::error(403, "Anonymous users are not permitted to perform this operation")
    } else {
        authorized_route(sh, req)
    };
    auth::add_dc_username(&mut resp, viewer);
    resp
}

fn authorized_route(sh: &Shared, req: &Req) -> Response {
    let method = req.method.as_str();
    match req.segs().as_slice() {
        ["rest", "api", "content"] => match method {
            "GET" => pages::listing(sh, req),
            "POST" => pages::create(sh, req),
            _ => v1::method_not_allowed(),
        },
        ["rest", "api", "content", "search"] if method == "GET" => cql::search(sh, req),
        ["rest", "api", "content", id] => match method {
            "GET" => pages::get(sh, req, id),
            "PUT" => update::update_page(sh, req, id),
            "DELETE" => pages::delete(sh, req, id),
            _ => v1::method_not_allowed(),
        },
        ["rest", "api", "content", id, "child", "page"] => match method {
            "GET" => pages::children(sh, req, id),
            _ => v1::method_not_allowed(),
        },
        ["rest", "api", "content", id, "label"] => labels::labels(sh, req, id),
        ["rest", "api", "content", id, "child", "attachment"] => attachments::attachments(sh, req, id),
        ["rest", "api", "content", id, "child", "attachment", att, "download"] if method == "GET" => {
            match attachments::find_attachment(sh, req, id, att) {
                Ok(att) => attachments::bytes_response(&att),
                Err(missing) => v1::no_content(&missing),
            }
        }
        ["rest", "api" | "experimental", "content", id, "restriction", rest @ ..] => {
            restrictions::route(sh, req, id, rest)
        }
        ["rest", "api", "content", id, "property", rest @ ..] => properties::v1_route(sh, req, id, rest),
        ["rest", "api", "space", key] => v1::space(sh, req, key),
        ["rest", "api", "user", "current"] => auth::current_user(sh, req),
        ["rest", "api", "user"] if method == "GET" => users::dc_user(sh, req),
        ["download", "attachments", page_id, filename] if method == "GET" => {
            match attachments::find_download(sh, req, page_id, filename) {
                Some(att) => attachments::bytes_response(&att),
                None => util::html_error(404),
            }
        }
        ["rest", ..] => v1::no_resource(sh, req),
        _ => util::html_error(404),
    }
}
