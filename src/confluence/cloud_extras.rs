//! Cloud's [`PageExtras`]: labels, content properties and the attachment listing through REST v2
//! (`/api/v2/pages/{id}/labels`, `…/properties`, `…/attachments`), since Atlassian removed their
//! v1 operations (CHANGE-864: 410 Gone on the gateway); restrictions, adding labels, attachment
//! upload and download and the current user through the v1 calls v2 has no operation for.

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::access::PropertyJson;
use super::paging::NextFrom;
use super::v1::{OCTET_STREAM, V1};
use super::{Api, ApiError, Attachment, PageExtras, Property, Restrictions};

/// The most items per page of a v2 listing (the 2026 description's maximum).
pub(super) const V2_PAGE_SIZE: &str = "250";

/// Cloud's calls for a page's labels, attachments, restrictions and properties.
#[derive(Debug, Clone)]
pub struct CloudExtras {
    api: Api,
    v1: V1,
}

impl CloudExtras {
    pub(super) fn new(api: Api, v1: V1) -> Self {
        Self { api, v1 }
    }

    /// The v1 calls Cloud still makes (CQL search among them).
    pub(super) fn v1(&self) -> &V1 {
        &self.v1
    }
}

/// A v2 `Label`, the field read (the listing asks for global labels only).
#[derive(Deserialize)]
struct LabelJson {
    name: String,
}

/// A v2 `AttachmentBulk`, the fields read.
#[derive(Deserialize)]
struct AttachmentJson {
    id: String,
    title: String,
    #[serde(rename = "mediaType")]
    media_type: Option<String>,
    #[serde(rename = "downloadLink", default)]
    download_link: String,
}

/// `{key, value}`: a v2 `ContentPropertyCreateRequest`.
#[derive(serde::Serialize)]
struct NewProperty<'a> {
    key: &'a str,
    value: &'a serde_json::Value,
}

impl PageExtras for CloudExtras {
    async fn is_anonymous(&self) -> Result<bool, ApiError> {
        self.v1.is_anonymous().await
    }

    async fn restrictions(&self, page_id: &str) -> Result<Restrictions, ApiError> {
        self.v1.restrictions(page_id).await
    }

    async fn set_restrictions(&self, page_id: &str, restrictions: &Restrictions) -> Result<(), ApiError> {
        self.v1.set_restrictions(page_id, restrictions).await
    }

    /// `GET /api/v2/pages/{page-id}/properties`, every page of it.
    async fn properties(&self, page_id: &str) -> Result<Vec<Property>, ApiError> {
        let url = self.api.url(&format!("/api/v2/pages/{page_id}/properties"), &[("limit", V2_PAGE_SIZE)]);
        let items: Vec<PropertyJson> = self.api.all(url, NextFrom::SiteRoot).await?;
        Ok(items.into_iter().map(|p| Property { key: p.key, value: p.value }).collect())
    }

    /// `POST /api/v2/pages/{page-id}/properties`.
    async fn add_property(&self, page_id: &str, property: &Property) -> Result<(), ApiError> {
        let url = self.api.url(&format!("/api/v2/pages/{page_id}/properties"), &[]);
        let _: IgnoredAny =
            self.api.post_json(url, &NewProperty { key: &property.key, value: &property.value }).await?;
        Ok(())
    }

    /// `GET /api/v2/pages/{id}/labels?prefix=global` (personal `my:` labels are not copied).
    async fn labels(&self, page_id: &str) -> Result<Vec<String>, ApiError> {
        let query = [("prefix", "global"), ("limit", V2_PAGE_SIZE)];
        let url = self.api.url(&format!("/api/v2/pages/{page_id}/labels"), &query);
        let labels: Vec<LabelJson> = self.api.all(url, NextFrom::SiteRoot).await?;
        Ok(labels.into_iter().map(|l| l.name).collect())
    }

    async fn add_labels(&self, page_id: &str, labels: &[String]) -> Result<(), ApiError> {
        self.v1.add_labels(page_id, labels).await
    }

    /// `GET /api/v2/pages/{id}/attachments`, every page of it.
    async fn attachments(&self, page_id: &str) -> Result<Vec<Attachment>, ApiError> {
        let url = self.api.url(&format!("/api/v2/pages/{page_id}/attachments"), &[("limit", V2_PAGE_SIZE)]);
        let items: Vec<AttachmentJson> = self.api.all(url, NextFrom::SiteRoot).await?;
        Ok(items
            .into_iter()
            .map(|a| Attachment {
                id: a.id,
                page_id: page_id.to_owned(),
                filename: a.title,
                media_type: a.media_type.unwrap_or_else(|| OCTET_STREAM.to_owned()),
                download: a.download_link,
            })
            .collect())
    }

    /// Through v1's REST download route and upload.
    async fn copy_attachment(&self, attachment: &Attachment, page_id: &str) -> Result<(), ApiError> {
        self.v1.copy_attachment(attachment, page_id).await
    }
}
