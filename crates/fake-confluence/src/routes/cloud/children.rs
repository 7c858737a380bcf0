//! Cloud v2 direct children: `GET /wiki/api/v2/pages/{id}/direct-children` and
//! `GET /wiki/api/v2/folders/{id}/direct-children` — the pages and folders right under a page or a
//! folder (current content the account may see), in `ChildrenResponse` shape, cursor-paged.
//! A folder id on the pages route is 404, and a page id on the folders route.

use axum::response::Response;
use serde_json::{Value, json};

use crate::model::Req;
use crate::routes::v1::viewer;
use crate::routes::v2::{bad_paging, invalid_parameter, is_id, list, not_found, paging};
use crate::state::{Shared, State, Status};

/// `GET /wiki/api/v2/pages/{id}/direct-children`
pub(super) fn of_page(sh: &Shared, req: &Req, id: &str) -> Response {
    direct_children(sh, req, id, |st| st.visible_page(id, viewer(req)).is_some())
}

/// `GET /wiki/api/v2/folders/{id}/direct-children`
pub(super) fn of_folder(sh: &Shared, req: &Req, id: &str) -> Response {
    direct_children(sh, req, id, |st| st.folder(id).is_some())
}

/// The children of `id`, once `exists` says the parent is of the route's kind and visible.
fn direct_children(sh: &Shared, req: &Req, id: &str, exists: impl Fn(&State) -> bool) -> Response {
    if !is_id(id) {
        return invalid_parameter("id", id);
    }
    let (limit, offset) = match paging(req) {
        Ok(p) => p,
        Err(title) => return bad_paging(&title),
    };
    let st = sh.lock();
    if !exists(&st) {
        return not_found();
    }
    let space_id = |key: &str| st.space_by_key(key).map(|s| s.id.clone());
    let mut kids: Vec<(String, Value)> = st
        .children(id)
        .into_iter()
        .filter(|p| p.status == Status::Current && st.can_read(p, viewer(req)))
        .map(|p| (p.title.clone(), child_json(&p.id, &p.title, "page", space_id(&p.space_key))))
        .collect();
    kids.extend(
        st.folders
            .iter()
            .filter(|f| f.parent_id.as_deref() == Some(id))
            .map(|f| (f.title.clone(), child_json(&f.id, &f.title, "folder", space_id(&f.space_key)))),
    );
    // Confluence's default order (alphabetical, ignoring case); `childPosition` follows it.
    kids.sort_by_cached_key(|(title, _)| (title.to_lowercase(), title.clone()));
    let kids: Vec<Value> = kids
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut kid))| {
            kid["childPosition"] = json!(i);
            kid
        })
        .collect();
    list(sh, req, &kids, limit, offset, Value::clone)
}

fn child_json(id: &str, title: &str, kind: &str, space_id: Option<String>) -> Value {
    json!({"id": id, "status": "current", "title": title, "type": kind, "spaceId": space_id, "childPosition": 0})
}
