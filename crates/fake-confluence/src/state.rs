//! The fake's data: spaces, pages, labels, attachments, the request log and pending faults.
//! Everything lives behind one std mutex that is never held across an `.await`, so every
//! check-then-insert (title uniqueness, attachment names) is atomic.

use std::sync::{Mutex, MutexGuard};

use crate::util::now_ms;
use crate::{Attachment, Fault, Flavor, Page, Request};

/// Fixed per server.
#[derive(Debug)]
pub(crate) struct Config {
    pub flavor: Flavor,
    pub token: String,
    /// Cloud account email ("" for Data Center).
    pub user: String,
    /// Data Center context path ("" or "/confluence"), or "/wiki" for Cloud.
    pub prefix: String,
    /// `http://127.0.0.1:{port}`
    pub origin: String,
}

impl Config {
    /// `_links.base`: origin + context path.
    pub fn base(&self) -> String {
        format!("{}{}", self.origin, self.prefix)
    }
}

pub(crate) struct Shared {
    pub cfg: Config,
    state: Mutex<State>,
}

impl Shared {
    pub fn new(cfg: Config) -> Shared {
        Shared { cfg, state: Mutex::new(State::default()) }
    }

    /// A panic while holding the lock (test setup asserting) must not wedge the server.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Debug, Clone)]
pub(crate) struct SpaceRec {
    pub id: String,
    pub key: String,
    pub name: String,
    pub created_ms: u64,
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
    pub data: Vec<u8>,
    pub comment: String,
    pub created_ms: u64,
}

impl AttachmentRec {
    pub fn v1_id(&self) -> String {
        format!("att{}", self.id)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct PageRec {
    pub id: String,
    pub space_key: String,
    pub parent_id: Option<String>,
    pub title: String,
    pub body: String,
    pub labels: Vec<LabelRec>,
    pub attachments: Vec<AttachmentRec>,
    pub created_ms: u64,
}

impl PageRec {
    pub fn snapshot(&self) -> Page {
        Page {
            id: self.id.clone(),
            space_key: self.space_key.clone(),
            parent_id: self.parent_id.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            labels: self.labels.iter().map(|l| l.name.clone()).collect(),
            attachments: self
                .attachments
                .iter()
                .map(|a| Attachment {
                    id: a.v1_id(),
                    filename: a.filename.clone(),
                    media_type: a.media_type.clone(),
                    data: a.data.clone(),
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
    /// A page with this title (ignoring case) exists in the space.
    DuplicateTitle,
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
    pub requests: Vec<Request>,
    pub faults: Vec<Fault>,
}

impl Default for State {
    fn default() -> Self {
        State { next_id: 100_001, spaces: Vec::new(), pages: Vec::new(), requests: Vec::new(), faults: Vec::new() }
    }
}

impl State {
    /// Ids of spaces, pages, labels and attachments come from one counter.
    pub fn new_id(&mut self) -> String {
        let id = self.next_id;
        self.next_id += 1;
        id.to_string()
    }

    pub fn add_space(&mut self, key: &str, name: &str) -> String {
        let id = self.new_id();
        self.spaces.push(SpaceRec {
            id: id.clone(),
            key: key.to_string(),
            name: name.to_string(),
            created_ms: now_ms(),
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

    fn page_mut(&mut self, id: &str) -> Option<&mut PageRec> {
        self.pages.iter_mut().find(|p| p.id == id)
    }

    /// Does the space hold a page with this title, ignoring case (Confluence's uniqueness rule)?
    pub fn title_taken(&self, space_key: &str, title: &str) -> bool {
        let wanted = title.to_lowercase();
        self.pages.iter().any(|p| p.space_key == space_key && p.title.to_lowercase() == wanted)
    }

    /// Checks and inserts under the caller's lock, so concurrent creates of one title yield one page.
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
            let parent = self.page(pid).ok_or_else(|| CreateError::NoParent(pid.to_string()))?;
            if parent.space_key != space_key {
                return Err(CreateError::ParentInOtherSpace(pid.to_string(), parent.space_key.clone()));
            }
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
        });
        Ok(id)
    }

    /// Direct children in position (= creation) order.
    pub fn children(&self, id: &str) -> Vec<&PageRec> {
        self.pages.iter().filter(|p| p.parent_id.as_deref() == Some(id)).collect()
    }

    /// Ancestors from the top of the tree down to the direct parent.
    pub fn ancestors(&self, page: &PageRec) -> Vec<&PageRec> {
        let mut out = Vec::new();
        let mut next = page.parent_id.as_deref();
        while let Some(pid) = next {
            match self.page(pid) {
                Some(p) if !out.iter().any(|a: &&PageRec| a.id == p.id) => {
                    out.push(p);
                    next = p.parent_id.as_deref();
                }
                _ => break,
            }
        }
        out.reverse();
        out
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
        data: Vec<u8>,
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
