//! Cloud folders: `GET /wiki/api/v2/folders/{id}`. A folder can parent pages but is not a page
//! (`GET /pages/{id}` is 404 for it, and the copy endpoint refuses it as `parent_page`).

use axum::response::Response;
use serde_json::json;

use crate::model::util::{self, iso8601};
use crate::routes::v2::{invalid_parameter, is_id, not_found};
use crate::state::Shared;

/// `GET /wiki/api/v2/folders/{id}` in `FolderSingle` shape (plus `spaceId`, which real Cloud
/// sends and clients need to find the folder's space).
pub(crate) fn get(sh: &Shared, id: &str) -> Response {
    if !is_id(id) {
        return invalid_parameter("id", id);
    }
    let st = sh.lock();
    let Some(folder) = st.folder(id) else {
        return not_found();
    };
    let space_id = st.space_by_key(&folder.space_key).map(|s| s.id.clone());
    let parent_type = folder.parent_id.as_deref().map(|pid| if st.folder(pid).is_some() { "folder" } else { "page" });
    let position = st.folders.iter().filter(|f| f.parent_id == folder.parent_id).position(|f| f.id == folder.id);
    let created = iso8601(folder.created_ms);
    let me = &st.dir.me;
    util::json(
        200,
        &json!({
            "id": folder.id,
            "type": "folder",
            "status": "current",
            "title": folder.title,
            "spaceId": space_id,
            "parentId": folder.parent_id,
            "parentType": parent_type,
            "position": position,
            "authorId": me,
            "ownerId": me,
            "createdAt": created,
            "version": {"createdAt": created, "message": "", "number": 1, "minorEdit": false, "authorId": me},
            "_links": {
                "webui": format!("/spaces/{}/folder/{}", folder.space_key, folder.id),
                "base": sh.cfg.base(),
            },
        }),
    )
}
