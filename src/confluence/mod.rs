//! The Confluence interface the run logic talks to — no transport in it — with a Data Center
//! (REST v1), a Cloud (REST v2, v1 where v2 has no call) and, for unit tests, an in-memory
//! implementation.
//!
//! Two traits: [`Confluence`] holds the page calls (title lookups, creates, copies, listings,
//! moves), [`PageExtras`] a page's labels, attachments, restrictions and properties. Each flavour
//! has one impl of each: Data Center's extras are [`v1::V1`]; Cloud's are [`cloud_extras::CloudExtras`], v2
//! where v2 has the operation and V1's v1-only calls (written once, on `V1`) elsewhere. The
//! in-memory Confluence implements both.

mod access;
mod cloud;
mod cloud_extras;
mod datacenter;
mod dc_move;
mod error;
mod history;
mod json;
#[cfg(test)]
pub mod memory;
mod oauth;
mod paging;
mod site;
#[cfg(test)]
mod tests;
mod transport;
mod v1;

use std::collections::HashMap;
use std::future::Future;

pub use cloud::Cloud;
pub use datacenter::DataCenter;
pub use error::ApiError;
pub use oauth::{connect, default_token_url};
pub use site::{ClientCredentials, Flavor, SignIn, Site, detect_flavor, parse_base_url, parse_http_url};
pub use transport::Api;

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

/// What a copy carries besides its body, restrictions and properties, which it always carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Carry {
    /// The source's global labels.
    pub labels: bool,
    /// The source's attachments.
    pub attachments: bool,
}

/// What a title lookup brings back besides the page's id, title and link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The storage-format body too: a page to copy.
    WithBody,
    /// No body: a page to link to.
    NoBody,
}

/// A copy of `source` made in one request by Confluence's copy endpoint.
#[derive(Debug, Clone)]
pub struct CopyPage<'a> {
    pub source_id: &'a str,
    /// Where and under which title, with the body that replaces the source's.
    pub new: NewPage<'a>,
    pub carry: Carry,
}

/// Everything a run asks of Confluence. The run logic is written against this trait only: the
/// page calls are here, a page's labels, attachments, restrictions and properties behind
/// [`Confluence::extras`].
pub trait Confluence {
    /// The calls for what a page carries besides its body.
    type Extras: PageExtras;
    /// Labels, attachments, restrictions, properties and who the run is.
    fn extras(&self) -> &Self::Extras;
    /// The space of the root page; [`ApiError::NotFound`] when there is no such page.
    fn root_space(&self, root_page_id: &str) -> impl Future<Output = Result<Space, ApiError>>;
    /// The space with this key (`CONFLUENCE_SPACE_KEY`), `None` when no such space is visible;
    /// may send no request at all.
    fn space_by_key(&self, key: &str) -> impl Future<Output = Result<Option<Space>, ApiError>>;
    /// The current page with exactly this title in the space, with its body as `wants` says.
    fn find_page(
        &self,
        space: &Space,
        title: &str,
        wants: Lookup,
    ) -> impl Future<Output = Result<Option<Page>, ApiError>>;
    /// The archived page with exactly this title in the space (archived pages keep their titles).
    fn find_archived(&self, space: &Space, title: &str) -> impl Future<Output = Result<Option<Page>, ApiError>>;
    /// A current page whose title equals this one ignoring case (titles are unique per space
    /// ignoring case, while title lookups are exact).
    fn find_ignoring_case(&self, space: &Space, title: &str) -> impl Future<Output = Result<Option<Page>, ApiError>>;
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
    /// The current pages directly under this page (or Cloud folder), every page of the listing.
    fn children(&self, parent_id: &str) -> impl Future<Output = Result<Vec<Child>, ApiError>>;
    /// The current page with exactly this title in the space, with the id of the page it sits
    /// under (`None` at the top of the space).
    fn find_placed(&self, space: &Space, title: &str) -> impl Future<Output = Result<Option<Placed>, ApiError>>;
    /// Moves a page (with everything it holds and its id) under `parent_id` in the same space,
    /// without notifying watchers. A concurrent change of the page (version conflict) is re-read,
    /// never overwritten. A page already under `parent_id` stays there: Data Center reads it and writes
    /// nothing, while Cloud's move appends it again as its parent's last child.
    fn move_page(&self, page_id: &str, parent_id: &str) -> impl Future<Output = Result<(), ApiError>>;
    /// The storage-format body of the page's first version (what the ensure run made).
    fn first_version(&self, page_id: &str) -> impl Future<Output = Result<String, ApiError>>;
    /// The display names of the people mentions name (`userKey`s on Data Center, `accountId`s on
    /// Cloud), by id, in one round; ids Confluence does not know are left out.
    fn display_names(&self, ids: &[String]) -> impl Future<Output = Result<HashMap<String, String>, ApiError>>;
}

/// A page directly under another, as a child listing gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    pub id: String,
    pub title: String,
}

/// A page found by its title, and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub id: String,
    /// The page it is a child of; `None` at the top of the space.
    pub parent_id: Option<String>,
    /// `_links.base` + `_links.webui`, as for [`Page::url`].
    pub url: String,
}

/// A page's labels, attachments, restrictions and properties, and whether the run is anonymous:
/// all REST v1 on Data Center; on Cloud labels, properties and the attachment listing through v2.
pub trait PageExtras {
    /// Whether Confluence treats this run's credentials as the anonymous user (a wrong Data Center
    /// token can be served as anonymous instead of 401). Asked only after a failure.
    fn is_anonymous(&self) -> impl Future<Output = Result<bool, ApiError>>;
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
