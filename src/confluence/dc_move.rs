//! Moving a page on Data Center, which has no move endpoint: read the page, then `PUT` it back
//! whole with `ancestors` naming the new parent and the next version as a minor edit (an update
//! without `ancestors` would move it to the top of the space). A version conflict is re-read,
//! never overwritten.

use serde::Deserialize;
use serde_json::json;

use super::{Api, ApiError};

/// How many times the page is read (and the update sent) before a conflict is given up.
const MOVE_READS: usize = 3;

/// What a move needs of the page: `expand=body.storage,version,ancestors`.
#[derive(Deserialize)]
struct ForMove {
    title: String,
    body: Body,
    version: Version,
    #[serde(default)]
    ancestors: Vec<Ancestor>,
}

#[derive(Deserialize)]
struct Body {
    storage: Storage,
}

#[derive(Deserialize)]
struct Storage {
    value: String,
}

#[derive(Deserialize)]
struct Version {
    number: u64,
}

#[derive(Deserialize)]
struct Ancestor {
    id: String,
}

/// Moves `page_id` under `parent_id`; nothing is written when it is already there.
pub(super) async fn move_page(api: &Api, page_id: &str, parent_id: &str) -> Result<(), ApiError> {
    let read = api.url(&format!("/rest/api/content/{page_id}"), &[("expand", "body.storage,version,ancestors")]);
    let write = api.url(&format!("/rest/api/content/{page_id}"), &[]);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let page: ForMove = api.get_json(read.clone()).await?;
        // The last ancestor is the direct parent.
        if page.ancestors.last().is_some_and(|a| a.id == parent_id) {
            return Ok(());
        }
        let body = json!({
            "id": page_id,
            "type": "page",
            "title": page.title,
            "ancestors": [{"id": parent_id}],
            "body": {"storage": {"value": page.body.storage.value, "representation": "storage"}},
            "version": {"number": page.version.number + 1, "minorEdit": true},
        });
        match api.put_json(write.clone(), &body).await {
            // Someone changed the page meanwhile: read it again rather than overwrite.
            Err(ApiError::Status { status: 409, .. }) if attempt < MOVE_READS => continue,
            other => return other,
        }
    }
}
