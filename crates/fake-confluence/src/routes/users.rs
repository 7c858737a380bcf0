//! People by id, as mentions name them: Data Center `GET /rest/api/user?key=…` (one user) and
//! Cloud `POST /api/v2/users-bulk` (`{"accountIds": […]}`, the known ones in `results`).

use axum::response::Response;
use serde_json::{Value, json};

use crate::model::{Req, util};
use crate::routes::auth::user_json;
use crate::routes::writes::json_object;
use crate::routes::{v1, v2};
use crate::state::Shared;

/// Data Center `GET /rest/api/user?key=…` (or `?username=…`).
pub(crate) fn dc_user(sh: &Shared, req: &Req) -> Response {
    let st = sh.lock();
    let name = match (req.param("key"), req.param("username")) {
        (Some(key), _) => st.dir.user_by_key(key).map(|u| u.name.clone()),
        (None, Some(name)) => st.dir.user(name).map(|u| u.name.clone()),
        (None, None) => return v1::error(400, "Either a username or a key must be specified"),
    };
    match name {
        Some(name) => util::json(200, &user_json(sh, &st, &name)),
        None => v1::error(404, "No user found"),
    }
}

/// Cloud `POST /api/v2/users-bulk`: unknown ids are left out of `results`.
pub(crate) fn cloud_users_bulk(sh: &Shared, req: &Req) -> Response {
    if !util::has_content_type(&req.headers, "application/json") {
        return v2::error(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type");
    }
    let ids: Option<Vec<String>> = json_object(req)
        .ok()
        .and_then(|body| body.get("accountIds")?.as_array()?.iter().map(|v| v.as_str().map(str::to_string)).collect());
    let Some(ids) = ids.filter(|ids| !ids.is_empty()) else {
        return v2::error(400, "INVALID_REQUEST_PARAMETER", "accountIds is required");
    };
    let st = sh.lock();
    let results: Vec<Value> =
        ids.iter().filter(|id| st.dir.user(id).is_some()).map(|id| user_json(sh, &st, id)).collect();
    util::json(200, &json!({"results": results, "_links": {}}))
}
