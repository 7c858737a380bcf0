//! Confluence Cloud: pages, folders and child listings through REST v2 (`/api/v2/...`); v1 only
//! where v2 has no operation: the copy endpoint, moving a page and CQL search here, and the
//! v1-only extras of [`CloudExtras`]. The v1 operations Atlassian removed (content get, create,
//! list, update and delete, spaces; 410 Gone on the gateway) are never sent.

use serde::{Deserialize, Serialize};

use super::cloud_extras::{CloudExtras, V2_PAGE_SIZE};
use super::json::{BodyOut, CreatedJson, PageJson, StorageOut};
use super::paging::{Listing, NextFrom};
use super::v1::{Download, V1};
use super::{Api, ApiError, Child, Confluence, CopyPage, Lookup, NewPage, Page, Placed, Space};

#[derive(Debug, Clone)]
pub struct Cloud {
    api: Api,
    extras: CloudExtras,
}

impl Cloud {
    pub fn new(api: Api) -> Self {
        Self { extras: CloudExtras::new(api.clone(), V1::new(api.clone(), Download::Rest)), api }
    }
}

/// A v2 create, the body borrowed rather than copied into a JSON value.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewPageV2<'a> {
    space_id: &'a str,
    status: &'static str,
    title: &'a str,
    parent_id: &'a str,
    body: StorageOut<'a>,
}

/// The v1 copy endpoint's `CopyPageRequest`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CopyRequest<'a> {
    destination: Destination<'a>,
    page_title: &'a str,
    body: BodyOut<'a>,
    copy_attachments: bool,
    copy_labels: bool,
    copy_properties: bool,
    copy_permissions: bool,
}

#[derive(Serialize)]
struct Destination<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
}

#[derive(Deserialize)]
struct SpaceOf {
    #[serde(rename = "spaceId")]
    space_id: String,
}

/// A v2 `ChildrenResponse` (an item of a direct-children listing), the fields read.
#[derive(Deserialize)]
struct ChildJson {
    id: String,
    title: String,
    status: Option<String>,
    /// `page`, `folder`, `whiteboard`, `database`, `embed`.
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// A v2 page with the id of what it sits under.
#[derive(Deserialize)]
struct PlacedJson {
    #[serde(rename = "parentId")]
    parent_id: Option<String>,
    #[serde(flatten)]
    page: CreatedJson,
}

#[derive(Deserialize)]
struct V2Space {
    id: String,
    key: String,
}

impl Confluence for Cloud {
    type Extras = CloudExtras;

    fn extras(&self) -> &CloudExtras {
        &self.extras
    }

    /// The root may be a page or, on Cloud, a folder (`/pages/{id}` is 404 for a folder).
    async fn root_space(&self, root_page_id: &str) -> Result<Space, ApiError> {
        let page = self.api.get_json::<SpaceOf>(self.api.url(&format!("/api/v2/pages/{root_page_id}"), &[])).await;
        let root = match page {
            Err(ApiError::NotFound { .. }) => {
                let folder = self.api.url(&format!("/api/v2/folders/{root_page_id}"), &[]);
                match self.api.get_json::<SpaceOf>(folder).await {
                    // Neither a page nor a folder: report the page lookup, the usual case.
                    Err(ApiError::NotFound { .. }) => page,
                    other => other,
                }
            }
            other => other,
        };
        Ok(Space(root?.space_id))
    }

    async fn space_by_key(&self, key: &str) -> Result<Option<Space>, ApiError> {
        let url = self.api.url("/api/v2/spaces", &[("keys", key)]);
        let spaces: Listing<V2Space> = self.api.get_json(url).await?;
        Ok(spaces.results.into_iter().find(|s| s.key == key).map(|space| Space(space.id)))
    }

    async fn find_page(&self, space: &Space, title: &str, wants: Lookup) -> Result<Option<Page>, ApiError> {
        self.find(space, title, "current", wants == Lookup::WithBody).await
    }

    async fn find_archived(&self, space: &Space, title: &str) -> Result<Option<Page>, ApiError> {
        self.find(space, title, "archived", false).await
    }

    /// CQL names spaces by key; Cloud's pages carry the space id.
    async fn find_ignoring_case(&self, space: &Space, title: &str) -> Result<Option<Page>, ApiError> {
        let space: V2Space = self.api.get_json(self.api.url(&format!("/api/v2/spaces/{}", space.0), &[])).await?;
        self.extras.v1().find_ignoring_case(&space.key, title).await
    }

    async fn get_page(&self, id: &str) -> Result<Page, ApiError> {
        let url = self.api.url(&format!("/api/v2/pages/{id}"), &[("body-format", "storage")]);
        let page: PageJson = self.api.get_json(url).await?;
        Ok(page.into_page(None, &self.api))
    }

    async fn create_page(&self, page: NewPage<'_>) -> Result<Page, ApiError> {
        let body = NewPageV2 {
            space_id: &page.space.0,
            status: "current",
            title: page.title,
            parent_id: page.parent_id,
            body: StorageOut::new(page.body),
        };
        let created: CreatedJson = self.api.post_json(self.api.url("/api/v2/pages", &[]), &body).await?;
        Ok(created.into_page(None, &self.api))
    }

    /// `POST /rest/api/content/{id}/copy`: the page with its properties, restrictions, labels and
    /// attachments in one request, server-side, with the new body. Where the endpoint is missing
    /// (404, 405, 410) or refuses the destination (a folder as the root: 400), `Ok(None)`.
    async fn copy_page(&self, copy: CopyPage<'_>) -> Result<Option<Page>, ApiError> {
        let body = CopyRequest {
            destination: Destination { kind: "parent_page", value: copy.new.parent_id },
            page_title: copy.new.title,
            body: BodyOut { storage: StorageOut::new(copy.new.body) },
            copy_attachments: copy.carry.attachments,
            copy_labels: copy.carry.labels,
            copy_properties: true,
            copy_permissions: true,
        };
        let url = self.api.url(&format!("/rest/api/content/{}/copy", copy.source_id), &[]);
        match self.api.post_json::<CreatedJson>(url, &body).await {
            Ok(page) => Ok(Some(page.into_page(None, &self.api))),
            Err(ApiError::NotFound { .. } | ApiError::Status { status: 400 | 405 | 410, .. }) => Ok(None),
            Err(err) => Err(err),
        }
    }

    async fn delete_page(&self, page_id: &str) -> Result<(), ApiError> {
        self.api.delete(self.api.url(&format!("/api/v2/pages/{page_id}"), &[])).await
    }

    /// `GET /api/v2/pages/{id}/direct-children`, every page of it; for a folder (the page
    /// listing answers 404), `GET /api/v2/folders/{id}/direct-children`. Current pages only:
    /// folders, whiteboards, databases and embeds among the children are left out.
    async fn children(&self, parent_id: &str) -> Result<Vec<Child>, ApiError> {
        let listing = |kind: &str| {
            let url = self.api.url(&format!("/api/v2/{kind}/{parent_id}/direct-children"), &[("limit", V2_PAGE_SIZE)]);
            self.api.all::<ChildJson>(url, NextFrom::SiteRoot)
        };
        let kids = match listing("pages").await {
            Err(ApiError::NotFound { request, message }) => match listing("folders").await {
                // Neither a page nor a folder: report the page listing, the usual case.
                Err(ApiError::NotFound { .. }) => Err(ApiError::NotFound { request, message }),
                other => other,
            },
            other => other,
        }?;
        let pages = kids.into_iter().filter(|c| {
            c.kind.as_deref().is_none_or(|k| k == "page") && c.status.as_deref().is_none_or(|s| s == "current")
        });
        Ok(pages.map(|c| Child { id: c.id, title: c.title }).collect())
    }

    /// `GET /api/v2/pages?space-id&title&status=current`, reading `parentId`.
    async fn find_placed(&self, space: &Space, title: &str) -> Result<Option<Placed>, ApiError> {
        let query = [("space-id", space.0.as_str()), ("title", title), ("status", "current")];
        let url = self.api.url("/api/v2/pages", &query);
        self.api
            .scan(url, NextFrom::SiteRoot, |list: Listing<PlacedJson>| {
                let base = list.links.base;
                list.results.into_iter().find(|p| p.page.title == title).map(|p| {
                    let page = p.page.into_page(base.as_deref(), &self.api);
                    Placed { id: page.id, parent_id: p.parent_id, url: page.url }
                })
            })
            .await
    }

    /// v1 `PUT /rest/api/content/{id}/move/append/{parentId}`: no body, no new version, nobody
    /// notified. Sent as asked: a page already under `parent_id` would be appended there again
    /// (the caller moves only pages it found elsewhere).
    async fn move_page(&self, page_id: &str, parent_id: &str) -> Result<(), ApiError> {
        self.api.put_empty(self.api.url(&format!("/rest/api/content/{page_id}/move/append/{parent_id}"), &[])).await
    }

    async fn first_version(&self, page_id: &str) -> Result<String, ApiError> {
        super::history::cloud_first_version(&self.api, page_id).await
    }

    async fn display_names(&self, ids: &[String]) -> Result<std::collections::HashMap<String, String>, ApiError> {
        super::history::cloud_display_names(&self.api, ids).await
    }
}

impl Cloud {
    /// The page with exactly this title and status (`current`, `archived`) in the space.
    async fn find(&self, space: &Space, title: &str, status: &str, with_body: bool) -> Result<Option<Page>, ApiError> {
        let mut query = vec![("space-id", space.0.as_str()), ("title", title), ("status", status)];
        if with_body {
            query.push(("body-format", "storage"));
        }
        let url = self.api.url("/api/v2/pages", &query);
        // `_links.next` is relative to the site root (`/wiki/api/v2/...`), not to the base.
        self.api
            .scan(url, NextFrom::SiteRoot, |list: Listing<PageJson>| {
                let base = list.links.base;
                list.results.into_iter().find(|p| p.title == title).map(|p| p.into_page(base.as_deref(), &self.api))
            })
            .await
    }
}
