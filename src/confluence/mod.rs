//! The Confluence interface the clone logic talks to, with a Data Center (REST v1) and a Cloud
//! (REST v2, v1 for labels and attachments) implementation.

mod api;
mod cloud;
mod datacenter;
mod v1;

use std::future::Future;

pub use api::{Api, ApiError};
pub use cloud::Cloud;
pub use datacenter::DataCenter;

/// A page as the clone logic needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub id: String,
    pub title: String,
    /// The storage-format body, when it was asked for.
    pub body: Option<String>,
    /// `_links.base` + `_links.webui` from Confluence's own response.
    pub url: String,
}

/// A space as the implementation addresses it (the key on Data Center, the id on Cloud).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Space(pub String);

/// A page to create.
#[derive(Debug, Clone)]
pub struct NewPage<'a> {
    pub space: &'a Space,
    pub parent_id: &'a str,
    pub title: &'a str,
    pub body: &'a str,
}

/// An attachment of a page, enough to download it and upload it elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub media_type: String,
    /// The download link as Confluence gave it (relative to the base URL).
    pub download: String,
}

/// Everything a run asks of Confluence. The clone logic is written against this trait only.
pub trait Confluence {
    /// The space of the root page; fails with 404 when the root page does not exist.
    fn root_space(&self, root_page_id: &str) -> impl Future<Output = Result<Space, ApiError>>;
    /// The space with this key (`CONFLUENCE_SPACE_KEY`); may send no request at all.
    fn space_by_key(&self, key: &str) -> impl Future<Output = Result<Space, ApiError>>;
    /// The current page with exactly this title in the space, with its body when `with_body`.
    fn find_page(
        &self,
        space: &Space,
        title: &str,
        with_body: bool,
    ) -> impl Future<Output = Result<Option<Page>, ApiError>>;
    /// A page by id, with its body.
    fn get_page(&self, id: &str) -> impl Future<Output = Result<Page, ApiError>>;
    /// Creates a page. Sent once: the caller decides what to do when the answer is lost.
    fn create_page(&self, page: NewPage<'_>) -> impl Future<Output = Result<Page, ApiError>>;
    /// The authenticated connection, for the REST v1 calls both flavours share.
    fn api(&self) -> &Api;

    // Labels and attachments are REST v1 on both flavours (Cloud's v2 cannot add labels or
    // upload attachments), so they are provided here once.

    fn labels(&self, page_id: &str) -> impl Future<Output = Result<Vec<String>, ApiError>> {
        v1::labels(self.api(), page_id)
    }
    fn add_labels(&self, page_id: &str, labels: &[String]) -> impl Future<Output = Result<(), ApiError>> {
        v1::add_labels(self.api(), page_id, labels)
    }
    fn attachments(&self, page_id: &str) -> impl Future<Output = Result<Vec<Attachment>, ApiError>> {
        v1::attachments(self.api(), page_id)
    }
    fn download(&self, attachment: &Attachment) -> impl Future<Output = Result<Vec<u8>, ApiError>> {
        v1::download(self.api(), attachment)
    }
    fn upload(
        &self,
        page_id: &str,
        attachment: &Attachment,
        data: Vec<u8>,
    ) -> impl Future<Output = Result<(), ApiError>> {
        v1::upload(self.api(), page_id, attachment, data)
    }
}

/// Joins Confluence's `_links.base` and `_links.webui` into the page's human link.
fn page_url(base: &str, webui: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), webui)
}
