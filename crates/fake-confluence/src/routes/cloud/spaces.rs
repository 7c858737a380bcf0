//! Cloud's v2 spaces: `GET /wiki/api/v2/spaces?keys=&ids=` and `GET /wiki/api/v2/spaces/{id}`.

use axum::response::Response;
use serde_json::{Value, json};

use crate::model::{Req, util};
use crate::routes::v2::{bad_paging, invalid_parameter, is_id, list, not_found, paging};
use crate::state::{Shared, SpaceRec, State};

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
pub(crate) fn list_spaces(sh: &Shared, req: &Req) -> Response {
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
pub(crate) fn get_space(sh: &Shared, id: &str) -> Response {
    if !is_id(id) {
        return invalid_parameter("id", id);
    }
    let st = sh.lock();
    match st.space_by_id(id) {
        Some(space) => util::json(200, &space_json(sh, &st, space, true)),
        None => not_found(),
    }
}
