//! Confluence Data Center / Server: REST v1 (`/rest/api/...`), personal access tokens.

use serde::Deserialize;
use serde_json::json;

use super::{Api, ApiError, Confluence, NewPage, Page, Space, page_url};

#[derive(Debug, Clone)]
pub struct DataCenter {
    api: Api,
}

impl DataCenter {
    pub fn new(api: Api) -> Self {
        Self { api }
    }

    fn page(&self, content: Content, list_base: Option<&str>) -> Page {
        let base = content.links.base.as_deref().or(list_base).unwrap_or(self.api.base());
        Page {
            url: page_url(base, &content.links.webui),
            id: content.id,
            title: content.title,
            body: content.body.map(|b| b.storage.value),
        }
    }
}

#[derive(Deserialize)]
struct Content {
    id: String,
    title: String,
    body: Option<Body>,
    #[serde(rename = "_links")]
    links: Links,
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
struct Links {
    webui: String,
    base: Option<String>,
}

#[derive(Deserialize)]
struct ContentList {
    results: Vec<Content>,
    #[serde(rename = "_links")]
    links: ListLinks,
}

#[derive(Deserialize)]
struct ListLinks {
    base: Option<String>,
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
    async fn root_space(&self, root_page_id: &str) -> Result<Space, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{root_page_id}"), &[("expand", "space")]);
        let page: WithSpace = self.api.get_json(url).await?;
        Ok(Space(page.space.key))
    }

    async fn space_by_key(&self, key: &str) -> Result<Space, ApiError> {
        Ok(Space(key.to_owned()))
    }

    async fn find_page(&self, space: &Space, title: &str, with_body: bool) -> Result<Option<Page>, ApiError> {
        let mut query = vec![("spaceKey", space.0.as_str()), ("title", title), ("type", "page"), ("status", "current")];
        if with_body {
            query.push(("expand", "body.storage"));
        }
        let list: ContentList = self.api.get_json(self.api.url("/rest/api/content", &query)).await?;
        let base = list.links.base;
        Ok(list.results.into_iter().find(|c| c.title == title).map(|c| self.page(c, base.as_deref())))
    }

    async fn get_page(&self, id: &str) -> Result<Page, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{id}"), &[("expand", "body.storage")]);
        let content: Content = self.api.get_json(url).await?;
        Ok(self.page(content, None))
    }

    async fn create_page(&self, page: NewPage<'_>) -> Result<Page, ApiError> {
        let body = json!({
            "type": "page",
            "title": page.title,
            "space": {"key": page.space.0},
            "ancestors": [{"id": page.parent_id}],
            "body": {"storage": {"value": page.body, "representation": "storage"}},
        });
        let content: Content = self.api.post_json(self.api.url("/rest/api/content", &[]), &body).await?;
        Ok(self.page(content, None))
    }

    fn api(&self) -> &Api {
        &self.api
    }
}
