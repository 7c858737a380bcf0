//! The Confluence interface the run logic talks to — no transport in it — with a Data Center
//! (REST v1), a Cloud (REST v2, v1 for labels and attachments) and, for unit tests, an
//! in-memory implementation.

/// The trait methods both flavours answer through their shared [`v1::V1`] (labels,
/// attachments, restrictions and properties are REST v1 on Data Center and on Cloud): expands
/// inside `impl Confluence`.
macro_rules! shared_v1_calls {
    () => {
        async fn labels(&self, page_id: &str) -> Result<Vec<String>, ApiError> {
            self.v1.labels(page_id).await
        }

        async fn add_labels(&self, page_id: &str, labels: &[String]) -> Result<(), ApiError> {
            self.v1.add_labels(page_id, labels).await
        }

        async fn attachments(&self, page_id: &str) -> Result<Vec<super::Attachment>, ApiError> {
            self.v1.attachments(page_id).await
        }

        async fn copy_attachment(&self, attachment: &super::Attachment, page_id: &str) -> Result<(), ApiError> {
            self.v1.copy_attachment(attachment, page_id).await
        }

        async fn is_anonymous(&self) -> Result<bool, ApiError> {
            self.v1.is_anonymous().await
        }

        async fn restrictions(&self, page_id: &str) -> Result<super::Restrictions, ApiError> {
            self.v1.restrictions(page_id).await
        }

        async fn set_restrictions(&self, page_id: &str, restrictions: &super::Restrictions) -> Result<(), ApiError> {
            self.v1.set_restrictions(page_id, restrictions).await
        }

        async fn properties(&self, page_id: &str) -> Result<Vec<super::Property>, ApiError> {
            self.v1.properties(page_id).await
        }

        async fn add_property(&self, page_id: &str, property: &super::Property) -> Result<(), ApiError> {
            self.v1.add_property(page_id, property).await
        }
    };
}

mod access;
mod api;
mod cloud;
mod datacenter;
#[cfg(test)]
pub mod memory;
mod site;
mod v1;

use std::future::Future;

use serde::Deserialize;

pub use api::{Api, ApiError};
pub use cloud::Cloud;
pub use datacenter::DataCenter;
pub use site::{Flavor, Site, detect_flavor, parse_base_url, parse_http_url};

/// A page as the run logic needs it.
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

/// An attachment of a page, enough to copy it elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Confluence's id, e.g. `att123`.
    pub id: String,
    /// The page it belongs to.
    pub page_id: String,
    pub filename: String,
    pub media_type: String,
    /// The download link as Confluence gave it (relative to the base URL).
    pub download: String,
}

/// Who a restriction lets in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    pub users: Vec<UserId>,
    /// Group names.
    pub groups: Vec<String>,
}

/// A user as Confluence identified it: `accountId` on Cloud, `username`/`userKey` on Data Center.
/// Written back exactly as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserId {
    pub account_id: Option<String>,
    pub username: Option<String>,
    pub user_key: Option<String>,
}

/// A page's view and edit restrictions. Empty lists mean "not restricted".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restrictions {
    /// Who may view (`read`).
    pub read: Who,
    /// Who may edit (`update`).
    pub update: Who,
}

impl Restrictions {
    pub fn is_empty(&self) -> bool {
        self.read.users.is_empty()
            && self.read.groups.is_empty()
            && self.update.users.is_empty()
            && self.update.groups.is_empty()
    }
}

/// A content property: page appearance (`content-appearance-published`: `full-width`) or app data.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub key: String,
    pub value: serde_json::Value,
}

/// A copy of `source` made in one request by Confluence's copy endpoint.
#[derive(Debug, Clone)]
pub struct CopyPage<'a> {
    pub source_id: &'a str,
    /// Where and under which title, with the body that replaces the source's.
    pub new: NewPage<'a>,
    pub labels: bool,
    pub attachments: bool,
}

/// Everything a run asks of Confluence. The run logic is written against this trait only.
pub trait Confluence {
    /// The space of the root page; [`ApiError::NotFound`] when there is no such page.
    fn root_space(&self, root_page_id: &str) -> impl Future<Output = Result<Space, ApiError>>;
    /// The space with this key (`CONFLUENCE_SPACE_KEY`), `None` when no such space is visible;
    /// may send no request at all.
    fn space_by_key(&self, key: &str) -> impl Future<Output = Result<Option<Space>, ApiError>>;
    /// The current page with exactly this title in the space, with its body when `with_body`.
    fn find_page(
        &self,
        space: &Space,
        title: &str,
        with_body: bool,
    ) -> impl Future<Output = Result<Option<Page>, ApiError>>;
    /// The archived page with exactly this title in the space (archived pages keep their titles).
    fn find_archived(&self, space: &Space, title: &str) -> impl Future<Output = Result<Option<Page>, ApiError>>;
    /// A current page whose title equals this one ignoring case (titles are unique per space
    /// ignoring case, while title lookups are exact).
    fn find_ignoring_case(&self, space: &Space, title: &str) -> impl Future<Output = Result<Option<Page>, ApiError>>;
    /// Whether Confluence treats this run's credentials as the anonymous user (a wrong Data Center
    /// token can be served as anonymous instead of 401). Asked only after a failure.
    fn is_anonymous(&self) -> impl Future<Output = Result<bool, ApiError>>;
    /// A page by id, with its body.
    fn get_page(&self, id: &str) -> impl Future<Output = Result<Page, ApiError>>;
    /// Creates a page. Sent once: the caller decides what to do when the answer is lost.
    /// A refusal because of the title is [`ApiError::TitleExists`].
    fn create_page(&self, page: NewPage<'_>) -> impl Future<Output = Result<Page, ApiError>>;
    /// Copies a page in one request, with its properties and restrictions and (as asked) labels
    /// and attachments, server-side. `Ok(None)` when this Confluence has no such endpoint or it
    /// refuses the destination: the caller then creates the page and copies the rest itself.
    /// Sent once, like [`Confluence::create_page`].
    fn copy_page(&self, copy: CopyPage<'_>) -> impl Future<Output = Result<Option<Page>, ApiError>>;
    /// Deletes a page (used to take back a copy that could not be restricted like its source).
    fn delete_page(&self, page_id: &str) -> impl Future<Output = Result<(), ApiError>>;
    /// The page's view and edit restrictions.
    fn restrictions(&self, page_id: &str) -> impl Future<Output = Result<Restrictions, ApiError>>;
    /// Replaces the page's view and edit restrictions.
    fn set_restrictions(
        &self,
        page_id: &str,
        restrictions: &Restrictions,
    ) -> impl Future<Output = Result<(), ApiError>>;
    /// The page's content properties.
    fn properties(&self, page_id: &str) -> impl Future<Output = Result<Vec<Property>, ApiError>>;
    /// Adds a content property to a page.
    fn add_property(&self, page_id: &str, property: &Property) -> impl Future<Output = Result<(), ApiError>>;
    /// The page's global labels.
    fn labels(&self, page_id: &str) -> impl Future<Output = Result<Vec<String>, ApiError>>;
    /// Adds global labels to a page.
    fn add_labels(&self, page_id: &str, labels: &[String]) -> impl Future<Output = Result<(), ApiError>>;
    /// The page's attachments.
    fn attachments(&self, page_id: &str) -> impl Future<Output = Result<Vec<Attachment>, ApiError>>;
    /// Copies one attachment onto another page; [`ApiError::AttachmentExists`] when that page
    /// already has a file of that name.
    fn copy_attachment(&self, attachment: &Attachment, page_id: &str) -> impl Future<Output = Result<(), ApiError>>;
}

/// The page in `pages` whose title equals `title` ignoring case (and not exactly).
fn case_variant(pages: Vec<PageJson>, title: &str) -> Option<PageJson> {
    pages.into_iter().find(|p| p.title != title && p.title.to_lowercase() == title.to_lowercase())
}

/// A page in a v1 or v2 response: both share these fields. `B` is what is read of its body:
/// [`BodyJson`], or [`serde::de::IgnoredAny`] for answers whose body is this run's own (a create
/// or copy), so a large body is not decoded again.
#[derive(Deserialize)]
struct PageJson<B = BodyJson> {
    id: String,
    title: String,
    body: Option<B>,
    #[serde(rename = "_links")]
    links: LinksJson,
}

/// The answer to a create or copy: the page without its body.
type CreatedJson = PageJson<serde::de::IgnoredAny>;

/// The storage-format body of a page to create, borrowed, as v1 and v2 take it.
#[derive(serde::Serialize)]
struct StorageOut<'a> {
    value: &'a str,
    representation: &'static str,
}

impl<'a> StorageOut<'a> {
    fn new(value: &'a str) -> Self {
        Self { value, representation: "storage" }
    }
}

/// `{"storage": {...}}`: a v1 body.
#[derive(serde::Serialize)]
struct BodyOut<'a> {
    storage: StorageOut<'a>,
}

/// The body text of a page answer, when it was read.
trait BodyText {
    fn text(self) -> Option<String>;
}

impl BodyText for BodyJson {
    fn text(self) -> Option<String> {
        self.storage.map(|s| s.value)
    }
}

impl BodyText for serde::de::IgnoredAny {
    fn text(self) -> Option<String> {
        None
    }
}

#[derive(Deserialize)]
struct BodyJson {
    storage: Option<StorageJson>,
}

#[derive(Deserialize)]
struct StorageJson {
    value: String,
}

#[derive(Deserialize)]
struct LinksJson {
    webui: String,
    base: Option<String>,
}

impl<B: BodyText> PageJson<B> {
    /// The page, linked from its own `_links.base`, else the listing's, else the configured base.
    fn into_page(self, listing_base: Option<&str>, api: &Api) -> Page {
        let base = self.links.base.as_deref().or(listing_base).unwrap_or(api.base());
        Page {
            url: format!("{}{}", base.trim_end_matches('/'), self.links.webui),
            id: self.id,
            title: self.title,
            body: self.body.and_then(BodyText::text),
        }
    }
}
