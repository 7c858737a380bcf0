//! Confluence Cloud: pages through REST v2 (`/api/v2/...`), labels and attachments through v1
//! (Cloud's v1 page endpoints answer 410 Gone for many tokens). Email + API token as Basic auth.

use serde::Deserialize;
use serde_json::json;

use super::{Api, ApiError, Confluence, NewPage, Page, Space, page_url};

#[derive(Debug, Clone)]
pub struct Cloud {
    api: Api,
}

impl Cloud {
    pub fn new(api: Api) -> Self {
        Self { api }
    }

    fn page(&self, page: V2Page, list_base: Option<&str>) -> Page {
        let base = page.links.base.as_deref().or(list_base).unwrap_or(self.api.base());
        Page {
            url: page_url(base, &page.links.webui),
            id: page.id,
            title: page.title,
            body: page.body.and_then(|b| b.storage).map(|s| s.value),
        }
    }
}

#[derive(Deserialize)]
struct V2Page {
    id: String,
    title: String,
    body: Option<Body>,
    #[serde(rename = "_links")]
    links: Links,
}

#[derive(Deserialize)]
struct Body {
    storage: Option<Storage>,
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
struct V2List<T> {
    results: Vec<T>,
    #[serde(rename = "_links", default)]
    links: ListLinks,
}

#[derive(Deserialize, Default)]
struct ListLinks {
    next: Option<String>,
    base: Option<String>,
}

#[derive(Deserialize)]
struct SpaceOf {
    #[serde(rename = "spaceId")]
    space_id: String,
}

#[derive(Deserialize)]
struct V2Space {
    id: String,
    key: String,
}

impl Confluence for Cloud {
    async fn root_space(&self, root_page_id: &str) -> Result<Space, ApiError> {
        let page: SpaceOf = self.api.get_json(self.api.url(&format!("/api/v2/pages/{root_page_id}"), &[])).await?;
        Ok(Space(page.space_id))
    }

    async fn space_by_key(&self, key: &str) -> Result<Space, ApiError> {
        let url = self.api.url("/api/v2/spaces", &[("keys", key)]);
        let request = crate::http::describe_request(&reqwest::Method::GET, &url);
        let spaces: V2List<V2Space> = self.api.get_json(url).await?;
        match spaces.results.into_iter().find(|s| s.key == key) {
            Some(space) => Ok(Space(space.id)),
            None => Err(ApiError::Status {
                request,
                status: 404,
                message: format!("no space with key `{key}` is visible to this account"),
                hint: Some("Check CONFLUENCE_SPACE_KEY, or leave it unset to use the root page's space".to_owned()),
            }),
        }
    }

    async fn find_page(&self, space: &Space, title: &str, with_body: bool) -> Result<Option<Page>, ApiError> {
        let mut query = vec![("space-id", space.0.as_str()), ("title", title), ("status", "current")];
        if with_body {
            query.push(("body-format", "storage"));
        }
        let mut url = self.api.url("/api/v2/pages", &query);
        loop {
            let list: V2List<V2Page> = self.api.get_json(url).await?;
            let base = list.links.base;
            if let Some(page) = list.results.into_iter().find(|p| p.title == title) {
                return Ok(Some(self.page(page, base.as_deref())));
            }
            match list.links.next {
                // `_links.next` is relative to the site root (`/wiki/api/v2/...`), not to the base.
                Some(next) => url = self.api.site_url(&next),
                None => return Ok(None),
            }
        }
    }

    async fn get_page(&self, id: &str) -> Result<Page, ApiError> {
        let url = self.api.url(&format!("/api/v2/pages/{id}"), &[("body-format", "storage")]);
        let page: V2Page = self.api.get_json(url).await?;
        Ok(self.page(page, None))
    }

    async fn create_page(&self, page: NewPage<'_>) -> Result<Page, ApiError> {
        let body = json!({
            "spaceId": page.space.0,
            "status": "current",
            "title": page.title,
            "parentId": page.parent_id,
            "body": {"representation": "storage", "value": page.body},
        });
        let created: V2Page = self.api.post_json(self.api.url("/api/v2/pages", &[]), &body).await?;
        Ok(self.page(created, None))
    }

    fn api(&self) -> &Api {
        &self.api
    }
}
