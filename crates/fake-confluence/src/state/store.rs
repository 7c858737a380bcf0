//! The fake's data: spaces, pages, folders, labels, attachments, properties, restrictions, the
//! request log, pending faults, runtime options and service accounts' credentials. Everything lives behind one std mutex that is
//! never held across an `.await`, so every check-then-insert (title uniqueness, attachment names)
//! is atomic. The server-wide pieces around it (config, lock, in-flight counters) are in `shared`,
//! the rule for who sees which page in `visibility`.

use axum::body::Bytes;
use serde_json::Value;

use super::access::{Directory, Restrictions};
use super::oauth::OAuth;
use super::options::Options;
use crate::model::util::now_ms;
use crate::model::{Attachment, Fault, Flavor, Page, Request};

#[derive(Debug, Clone)]
pub(crate) struct SpaceRec {
    pub id: String,
    pub key: String,
    pub name: String,
    pub created_ms: u64,
    /// Readable by the anonymous user.
    pub public: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct LabelRec {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub(crate) struct AttachmentRec {
    /// Numeric; the v1 API shows it as `att{id}`.
    pub id: String,
    pub filename: String,
    pub media_type: String,
    /// Shared, not copied: uploads keep a slice of the request body, copies share it.
    pub data: Bytes,
    pub comment: String,
    pub created_ms: u64,
}

impl AttachmentRec {
    pub fn v1_id(&self) -> String {
        format!("att{}", self.id)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct PropertyRec {
    pub id: String,
    pub key: String,
    pub value: Value,
    pub version: u64,
    pub created_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Current,
    Archived,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Archived => "archived",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct PageRec {
    pub id: String,
    pub space_key: String,
    /// A page or (Cloud) a folder.
    pub parent_id: Option<String>,
    pub title: String,
    pub body: String,
    pub labels: Vec<LabelRec>,
    pub attachments: Vec<AttachmentRec>,
    pub created_ms: u64,
    pub status: Status,
    pub restrictions: Restrictions,
    pub properties: Vec<PropertyRec>,
    /// Invisible while [`State::title_requests`] is no more than this (a "late" commit).
    pub visible_after: Option<usize>,
    /// 1 when created; each update adds one (moves by the Cloud move endpoint do not).
    pub version: u64,
    /// Whether the latest version was a minor edit (watchers not notified).
    pub minor_edit: bool,
    /// The bodies of the versions before the current one: `history[n - 1]` is version `n`'s.
    pub history: Vec<String>,
}

/// A Cloud folder: can parent pages, but is not a page.
#[derive(Debug, Clone)]
pub(crate) struct FolderRec {
    pub id: String,
    pub space_key: String,
    pub parent_id: Option<String>,
    pub title: String,
    pub created_ms: u64,
}

impl PageRec {
    /// The body of version `n` (the current body for the current version), if there is one.
    pub fn body_at(&self, n: u64) -> Option<&str> {
        match n {
            n if n == self.version => Some(&self.body),
            0 => None,
            n => self.history.get(usize::try_from(n - 1).ok()?).map(String::as_str),
        }
    }

    pub fn snapshot(&self) -> Page {
        Page {
            id: self.id.clone(),
            space_key: self.space_key.clone(),
            parent_id: self.parent_id.clone(),
            title: self.title.clone(),
            status: self.status.as_str().to_string(),
            body: self.body.clone(),
            labels: self.labels.iter().map(|l| l.name.clone()).collect(),
            attachments: self
                .attachments
                .iter()
                .map(|a| Attachment {
                    id: a.v1_id(),
                    filename: a.filename.clone(),
                    media_type: a.media_type.clone(),
                    data: a.data.to_vec(),
                })
                .collect(),
        }
    }
}

/// Why a page could not be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CreateError {
    NoSpace(String),
    NoParent(String),
    /// The parent page lives in another space: (parent id, its space key).
    ParentInOtherSpace(String, String),
    /// A page with this title (ignoring case) exists in the space — current, archived or not
    /// visible to the account.
    DuplicateTitle,
    /// Empty after trimming, or longer than 255 characters.
    BadTitle,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AttachError {
    NoPage,
    DuplicateFilename(String),
}

/// The message both flavours use for a title clash.
pub(crate) const DUPLICATE_TITLE: &str =
    "A page with this title already exists: A page already exists with the same TITLE in this space";

#[derive(Debug)]
pub(crate) struct State {
    next_id: u64,
    pub spaces: Vec<SpaceRec>,
    /// In creation order.
    pub pages: Vec<PageRec>,
    pub folders: Vec<FolderRec>,
    pub requests: Vec<Request>,
    /// Requests that name a title: lookups with `title=` and page creates or copies. A late
    /// commit counts these, so reads of other things sent alongside do not change the outcome.
    pub title_requests: usize,
    pub faults: Vec<Fault>,
    /// Ids of pages updated without `minorEdit` (watchers were notified), in order.
    pub notified: Vec<String>,
    pub dir: Directory,
    pub opts: Options,
    /// Service accounts' client credentials and the access tokens issued.
    pub oauth: OAuth,
}

impl State {
    pub fn new(flavor: Flavor) -> State {
        State {
            next_id: 100_001,
            spaces: Vec::new(),
            pages: Vec::new(),
            folders: Vec::new(),
            requests: Vec::new(),
            title_requests: 0,
            faults: Vec::new(),
            notified: Vec::new(),
            dir: Directory::new(flavor),
            opts: Options::default(),
            oauth: OAuth::default(),
        }
    }

    /// Ids of spaces, pages, folders, labels, attachments and properties come from one counter.
    pub fn new_id(&mut self) -> String {
        let id = self.next_id;
        self.next_id += 1;
        id.to_string()
    }

    /// The id the next [`State::new_id`] will hand out (ids grow, so "created since" is `>=`).
    pub fn peek_id(&self) -> u64 {
        self.next_id
    }

    pub fn add_space(&mut self, key: &str, name: &str) -> String {
        let id = self.new_id();
        self.spaces.push(SpaceRec {
            id: id.clone(),
            key: key.to_string(),
            name: name.to_string(),
            created_ms: now_ms(),
            public: false,
        });
        id
    }

    pub fn space_by_key(&self, key: &str) -> Option<&SpaceRec> {
        self.spaces.iter().find(|s| s.key == key)
    }

    pub fn space_by_id(&self, id: &str) -> Option<&SpaceRec> {
        self.spaces.iter().find(|s| s.id == id)
    }

    pub fn page(&self, id: &str) -> Option<&PageRec> {
        self.pages.iter().find(|p| p.id == id)
    }

    pub fn folder(&self, id: &str) -> Option<&FolderRec> {
        self.folders.iter().find(|f| f.id == id)
    }

    pub fn page_mut(&mut self, id: &str) -> Option<&mut PageRec> {
        self.pages.iter_mut().find(|p| p.id == id)
    }

    /// Does the space hold a page with this title, ignoring case (Confluence's uniqueness rule)?
    pub fn title_taken(&self, space_key: &str, title: &str) -> bool {
        let wanted = title.to_lowercase();
        self.pages.iter().any(|p| p.space_key == space_key && p.title.to_lowercase() == wanted)
    }

    /// The space a page or folder lives in.
    pub fn content_space(&self, id: &str) -> Option<&str> {
        self.page(id).map(|p| p.space_key.as_str()).or_else(|| self.folder(id).map(|f| f.space_key.as_str()))
    }

    /// Checks and inserts under the caller's lock, so concurrent creates of one title yield one
    /// page. The title is stored trimmed, as Confluence does. The parent may be a page or a
    /// folder; callers that refuse folders (or parents the account may not see) check before.
    pub fn create_page(
        &mut self,
        space_key: &str,
        parent_id: Option<&str>,
        title: &str,
        body: &str,
    ) -> Result<String, CreateError> {
        if self.space_by_key(space_key).is_none() {
            return Err(CreateError::NoSpace(space_key.to_string()));
        }
        if let Some(pid) = parent_id {
            let parent_space = self.content_space(pid).ok_or_else(|| CreateError::NoParent(pid.to_string()))?;
            if parent_space != space_key {
                return Err(CreateError::ParentInOtherSpace(pid.to_string(), parent_space.to_string()));
            }
        }
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 255 {
            return Err(CreateError::BadTitle);
        }
        if self.title_taken(space_key, title) {
            return Err(CreateError::DuplicateTitle);
        }
        let id = self.new_id();
        self.pages.push(PageRec {
            id: id.clone(),
            space_key: space_key.to_string(),
            parent_id: parent_id.map(str::to_string),
            title: title.to_string(),
            body: body.to_string(),
            labels: Vec::new(),
            attachments: Vec::new(),
            created_ms: now_ms(),
            status: Status::Current,
            restrictions: Restrictions::default(),
            properties: Vec::new(),
            visible_after: None,
            version: 1,
            minor_edit: false,
            history: Vec::new(),
        });
        Ok(id)
    }

    /// Purges a page (no trash): its children move up to its parent. False if no such page.
    pub fn delete_page(&mut self, id: &str) -> bool {
        let Some(idx) = self.pages.iter().position(|p| p.id == id) else {
            return false;
        };
        let page = self.pages.remove(idx);
        for child in self.pages.iter_mut().filter(|p| p.parent_id.as_deref() == Some(id)) {
            child.parent_id = page.parent_id.clone();
            // Moved too: while the move lag holds, reads show them where the purged page was.
            self.opts.move_lag.moved(&child.id, Some(id));
        }
        self.opts.move_lag.purged(id, page.parent_id.as_deref());
        true
    }

    pub fn add_folder(&mut self, space_key: &str, parent_id: Option<&str>, title: &str) -> Result<String, CreateError> {
        if self.space_by_key(space_key).is_none() {
            return Err(CreateError::NoSpace(space_key.to_string()));
        }
        if let Some(pid) = parent_id
            && self.content_space(pid) != Some(space_key)
        {
            return Err(CreateError::NoParent(pid.to_string()));
        }
        let id = self.new_id();
        self.folders.push(FolderRec {
            id: id.clone(),
            space_key: space_key.to_string(),
            parent_id: parent_id.map(str::to_string),
            title: title.trim().to_string(),
            created_ms: now_ms(),
        });
        Ok(id)
    }

    /// Adds a property, or replaces the value of an existing key (bumping its version).
    pub fn set_property(&mut self, page_id: &str, key: &str, value: Value) -> Option<PropertyRec> {
        let id = self.new_id();
        let page = self.page_mut(page_id)?;
        if let Some(existing) = page.properties.iter_mut().find(|p| p.key == key) {
            existing.value = value;
            existing.version += 1;
            return Some(existing.clone());
        }
        let prop = PropertyRec { id, key: key.to_string(), value, version: 1, created_ms: now_ms() };
        page.properties.push(prop.clone());
        Some(prop)
    }

    /// Position among its siblings (0-based).
    pub fn position(&self, page: &PageRec) -> usize {
        self.pages
            .iter()
            .filter(|p| p.parent_id == page.parent_id && p.space_key == page.space_key)
            .position(|p| p.id == page.id)
            .unwrap_or(0)
    }

    /// Adds a label (lower-cased); adding an existing one is a no-op. Returns false if no such page.
    pub fn add_label(&mut self, page_id: &str, name: &str) -> bool {
        let name = name.to_lowercase();
        let Some(idx) = self.pages.iter().position(|p| p.id == page_id) else {
            return false;
        };
        if self.pages[idx].labels.iter().any(|l| l.name == name) {
            return true;
        }
        let id = self.new_id();
        self.pages[idx].labels.push(LabelRec { id, name });
        true
    }

    pub fn add_attachment(
        &mut self,
        page_id: &str,
        filename: &str,
        media_type: &str,
        data: Bytes,
        comment: &str,
    ) -> Result<AttachmentRec, AttachError> {
        let page = self.page(page_id).ok_or(AttachError::NoPage)?;
        if page.attachments.iter().any(|a| a.filename == filename) {
            return Err(AttachError::DuplicateFilename(filename.to_string()));
        }
        let id = self.new_id();
        let att = AttachmentRec {
            id,
            filename: filename.to_string(),
            media_type: media_type.to_string(),
            data,
            comment: comment.to_string(),
            created_ms: now_ms(),
        };
        self.page_mut(page_id).ok_or(AttachError::NoPage)?.attachments.push(att.clone());
        Ok(att)
    }

    /// Finds an attachment by its numeric id, with the page it is on.
    pub fn attachment(&self, att_id: &str) -> Option<(&PageRec, &AttachmentRec)> {
        self.pages.iter().find_map(|p| p.attachments.iter().find(|a| a.id == att_id).map(|a| (p, a)))
    }
}
