//! Confluence Data Center / Server: REST v1 (`/rest/api/...`), personal access tokens.

use serde::{Deserialize, Serialize};

use super::json::{BodyOut, CreatedJson, PageJson, StorageOut};
use super::paging::{Listing, NextFrom};
use super::v1::{Download, V1};
use super::{Api, ApiError, Child, Confluence, CopyPage, NewPage, Page, Placed, Space};

#[derive(Debug, Clone)]
pub struct DataCenter {
    api: Api,
    v1: V1,
}

impl DataCenter {
    pub fn new(api: Api) -> Self {
        Self { v1: V1::new(api.clone(), Download::WebLink), api }
    }
}

/// A v1 create, the body borrowed rather than copied into a JSON value.
#[derive(Serialize)]
struct NewContent<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    space: Key<'a>,
    ancestors: [Id<'a>; 1],
    body: BodyOut<'a>,
}

#[derive(Serialize)]
struct Key<'a> {
    key: &'a str,
}

#[derive(Serialize)]
struct Id<'a> {
    id: &'a str,
}

#[derive(Deserialize)]
struct WithSpace {
    space: SpaceKey,
}

#[derive(Deserialize)]
struct SpaceKey {
    key: String,
}

impl Confluence for DataCenter {
    type Extras = V1;

    fn extras(&self) -> &V1 {
        &self.v1
    }

    async fn root_space(&self, root_page_id: &str) -> Result<Space, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{root_page_id}"), &[("expand", "space")]);
        let page: WithSpace = self.api.get_json(url).await?;
        Ok(Space(page.space.key))
    }

    async fn space_by_key(&self, key: &str) -> Result<Option<Space>, ApiError> {
        Ok(Some(Space(key.to_owned())))
    }

    async fn find_page(&self, space: &Space, title: &str, with_body: bool) -> Result<Option<Page>, ApiError> {
        self.find(space, title, "current", with_body).await
    }

    async fn find_archived(&self, space: &Space, title: &str) -> Result<Option<Page>, ApiError> {
        self.find(space, title, "archived", false).await
    }

    async fn find_ignoring_case(&self, space: &Space, title: &str) -> Result<Option<Page>, ApiError> {
        self.v1.find_ignoring_case(&space.0, title).await
    }

    async fn get_page(&self, id: &str) -> Result<Page, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{id}"), &[("expand", "body.storage")]);
        let content: PageJson = self.api.get_json(url).await?;
        Ok(content.into_page(None, &self.api))
    }

    async fn create_page(&self, page: NewPage<'_>) -> Result<Page, ApiError> {
        let body = NewContent {
            kind: "page",
            title: page.title,
            space: Key { key: &page.space.0 },
            ancestors: [Id { id: page.parent_id }],
            body: BodyOut { storage: StorageOut::new(page.body) },
        };
        let content: CreatedJson = self.api.post_json(self.api.url("/rest/api/content", &[]), &body).await?;
        Ok(content.into_page(None, &self.api))
    }

    /// Data Center has no single-page copy endpoint (only the asynchronous
    /// `pagehierarchy/copy`, which cannot replace the body).
    async fn copy_page(&self, _copy: CopyPage<'_>) -> Result<Option<Page>, ApiError> {
        Ok(None)
    }

    async fn delete_page(&self, page_id: &str) -> Result<(), ApiError> {
        self.api.delete(self.api.url(&format!("/rest/api/content/{page_id}"), &[])).await
    }

    // Placeholders until filing lands (no caller yet).
    async fn children(&self, parent_id: &str) -> Result<Vec<Child>, ApiError> {
        Err(ApiError::Transport { request: format!("children of {parent_id}"), detail: "not implemented".into() })
    }

    async fn find_placed(&self, _space: &Space, title: &str) -> Result<Option<Placed>, ApiError> {
        Err(ApiError::Transport { request: format!("place {title}"), detail: "not implemented".into() })
    }

    /// Data Center has no move endpoint: a minor-edit update whose `ancestors` name the new parent.
    async fn move_page(&self, page_id: &str, parent_id: &str) -> Result<(), ApiError> {
        super::dc_move::move_page(&self.api, page_id, parent_id).await
    }
}

impl DataCenter {
    /// The page with exactly this title and status (`current`, `archived`) in the space.
    async fn find(&self, space: &Space, title: &str, status: &str, with_body: bool) -> Result<Option<Page>, ApiError> {
        let mut query = vec![("spaceKey", space.0.as_str()), ("title", title), ("type", "page"), ("status", status)];
        if with_body {
            query.push(("expand", "body.storage"));
        }
        let url = self.api.url("/rest/api/content", &query);
        self.api
            .scan(url, NextFrom::Base, |list: Listing<PageJson>| {
                let base = list.links.base;
                list.results.into_iter().find(|c| c.title == title).map(|c| c.into_page(base.as_deref(), &self.api))
            })
            .await
    }
}
