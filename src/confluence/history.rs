//! What a reminder reads besides the page: the body of its first version (what the ensure run
//! made) and the names of the people its mentions point at, on each flavour.

use std::collections::HashMap;

use futures_util::future::join_all;
use serde::{Deserialize, Serialize};

use super::json::PageJson;
use super::{Api, ApiError};

/// Data Center `GET /rest/api/content/{id}?status=historical&version=1&expand=body.storage`.
pub(super) async fn dc_first_version(api: &Api, page_id: &str) -> Result<String, ApiError> {
    let query = [("status", "historical"), ("version", "1"), ("expand", "body.storage")];
    let page: PageJson = api.get_json(api.url(&format!("/rest/api/content/{page_id}"), &query)).await?;
    Ok(page.into_page(None, api).body.unwrap_or_default())
}

/// Cloud `GET /api/v2/pages/{id}?version=1&body-format=storage`.
pub(super) async fn cloud_first_version(api: &Api, page_id: &str) -> Result<String, ApiError> {
    let query = [("version", "1"), ("body-format", "storage")];
    let page: PageJson = api.get_json(api.url(&format!("/api/v2/pages/{page_id}"), &query)).await?;
    Ok(page.into_page(None, api).body.unwrap_or_default())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserJson {
    #[serde(default)]
    user_key: Option<String>,
    #[serde(default)]
    account_id: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
}

/// Data Center `GET /rest/api/user?key=…`, all at once; a user Confluence does not know (404) is
/// left out.
pub(super) async fn dc_display_names(api: &Api, keys: &[String]) -> Result<HashMap<String, String>, ApiError> {
    let answers = join_all(keys.iter().map(|key| async move {
        match api.get_json::<UserJson>(api.url("/rest/api/user", &[("key", key)])).await {
            Ok(user) => Ok(user.display_name.map(|name| (key.clone(), name))),
            Err(ApiError::NotFound { .. }) => Ok(None),
            Err(err) => Err(err),
        }
    }))
    .await;
    let mut names = HashMap::new();
    for answer in answers {
        if let Some((key, name)) = answer? {
            names.insert(key, name);
        }
    }
    Ok(names)
}

/// How many account ids one `users-bulk` request carries.
const BULK: usize = 100;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BulkRequest<'a> {
    account_ids: &'a [String],
}

#[derive(Deserialize)]
struct BulkAnswer {
    #[serde(default)]
    results: Vec<UserJson>,
}

/// Cloud `POST /api/v2/users-bulk`, a hundred ids a request, all at once; unknown ids are left out.
pub(super) async fn cloud_display_names(api: &Api, ids: &[String]) -> Result<HashMap<String, String>, ApiError> {
    let answers = join_all(ids.chunks(BULK).map(|chunk| async move {
        api.post_read_json::<BulkAnswer>(api.url("/api/v2/users-bulk", &[]), &BulkRequest { account_ids: chunk }).await
    }))
    .await;
    let mut names = HashMap::new();
    for answer in answers {
        for user in answer?.results {
            if let (Some(id), Some(name)) = (user.account_id.or(user.user_key), user.display_name) {
                names.insert(id, name);
            }
        }
    }
    Ok(names)
}
