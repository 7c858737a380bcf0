//! Updating and re-parenting pages, under the caller's lock: the checks Confluence makes (same
//! space, no loops, the next version number, unique titles) and the bookkeeping tests read
//! (version, minor edit, watchers notified); where pages sit (children, ancestors), really and as
//! Data Center reads show it right after a move (`Options::move_lag`).

use super::store::{PageRec, State};

/// Why a page cannot go under a new parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MoveError {
    /// No such page (the one to move).
    NoPage(String),
    /// No such parent page or folder.
    NoParent(String),
    /// The parent is in another space: (parent id, its space key).
    OtherSpace(String, String),
    /// The parent is the page itself or one of its descendants.
    Loop(String),
}

/// Why an update was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UpdateError {
    Move(MoveError),
    /// `version.number` is not the current version + 1.
    Stale {
        current: u64,
    },
    /// Another page of the space has this title (ignoring case).
    DuplicateTitle,
    /// Empty after trimming, or longer than 255 characters.
    BadTitle,
}

/// A whole-page update (Data Center `PUT /rest/api/content/{id}`, Cloud v2 `PUT /pages/{id}`).
pub(crate) struct Update<'a> {
    pub title: &'a str,
    pub body: &'a str,
    /// `None`: keep the parent; `Some(None)`: the top of the space; `Some(Some(id))`: under `id`.
    pub parent: Option<Option<&'a str>>,
    /// The version the update claims to create.
    pub version: u64,
    pub minor_edit: bool,
}

impl State {
    /// Checks that `parent` (a page or folder; `None` = the top of the space) can hold page `id`.
    pub fn check_parent(&self, id: &str, parent: Option<&str>) -> Result<(), MoveError> {
        let page = self.page(id).ok_or_else(|| MoveError::NoPage(id.to_string()))?;
        let Some(pid) = parent else {
            return Ok(());
        };
        let space = self.content_space(pid).ok_or_else(|| MoveError::NoParent(pid.to_string()))?;
        if space != page.space_key {
            return Err(MoveError::OtherSpace(pid.to_string(), space.to_string()));
        }
        // Walk up from the new parent: meeting the page means a loop.
        let mut next = Some(pid.to_string());
        let mut hops = 0;
        while let Some(current) = next {
            if current == id {
                return Err(MoveError::Loop(pid.to_string()));
            }
            hops += 1;
            if hops > 10_000 {
                break;
            }
            next = match (self.page(&current), self.folder(&current)) {
                (Some(p), _) => p.parent_id.clone(),
                (None, Some(f)) => f.parent_id.clone(),
                (None, None) => None,
            };
        }
        Ok(())
    }

    /// Re-parents a page without a new version (Cloud's move endpoint).
    pub fn set_parent(&mut self, id: &str, parent: Option<&str>) -> Result<(), MoveError> {
        self.check_parent(id, parent)?;
        let page = self.page_mut(id).ok_or_else(|| MoveError::NoPage(id.to_string()))?;
        page.parent_id = parent.map(str::to_string);
        self.opts.cql_index.changed(id);
        Ok(())
    }

    /// A whole-page update: checked entirely before anything changes.
    pub fn update_page(&mut self, id: &str, update: Update<'_>) -> Result<(), UpdateError> {
        let page = self.page(id).ok_or_else(|| UpdateError::Move(MoveError::NoPage(id.to_string())))?;
        if update.version != page.version + 1 {
            return Err(UpdateError::Stale { current: page.version });
        }
        let title = update.title.trim();
        if title.is_empty() || title.chars().count() > 255 {
            return Err(UpdateError::BadTitle);
        }
        let lower = title.to_lowercase();
        let space = page.space_key.clone();
        if self.pages.iter().any(|p| p.id != id && p.space_key == space && p.title.to_lowercase() == lower) {
            return Err(UpdateError::DuplicateTitle);
        }
        if let Some(parent) = update.parent {
            self.check_parent(id, parent).map_err(UpdateError::Move)?;
        }
        let page = self.page_mut(id).ok_or_else(|| UpdateError::Move(MoveError::NoPage(id.to_string())))?;
        page.title = title.to_string();
        let old = std::mem::replace(&mut page.body, update.body.to_string());
        page.history.push(old);
        if let Some(parent) = update.parent {
            page.parent_id = parent.map(str::to_string);
        }
        page.version = update.version;
        page.minor_edit = update.minor_edit;
        self.opts.cql_index.changed(id);
        if !update.minor_edit {
            self.notified.push(id.to_string());
        }
        Ok(())
    }
}

impl State {
    /// Direct children in Confluence's order: alphabetical (ignoring case), as long as nobody
    /// reordered them by hand.
    pub fn children(&self, id: &str) -> Vec<&PageRec> {
        alphabetical(self.pages.iter().filter(|p| p.parent_id.as_deref() == Some(id)).collect())
    }

    /// Ancestor pages from the top of the tree down to the nearest (folders are passed through).
    pub fn ancestors<'a>(&'a self, page: &'a PageRec) -> Vec<&'a PageRec> {
        self.ancestors_by(page, |p| p.parent_id.as_deref())
    }

    /// [`State::ancestors`] with a page's parent given by `parent_of` (folders keep theirs).
    fn ancestors_by<'a>(
        &'a self,
        page: &'a PageRec,
        parent_of: impl Fn(&'a PageRec) -> Option<&'a str>,
    ) -> Vec<&'a PageRec> {
        let mut out = Vec::new();
        let mut next = parent_of(page);
        let mut hops = 0;
        while let Some(pid) = next {
            hops += 1;
            if hops > 10_000 {
                break;
            }
            if let Some(p) = self.page(pid) {
                if out.iter().any(|a: &&PageRec| a.id == p.id) {
                    break;
                }
                out.push(p);
                next = parent_of(p);
            } else if let Some(f) = self.folder(pid) {
                next = f.parent_id.as_deref();
            } else {
                break;
            }
        }
        out.reverse();
        out
    }

    /// The parent Data Center reads show for a page: while the move lag holds, the one it had
    /// before it moved.
    pub fn shown_parent<'a>(&'a self, page: &'a PageRec) -> Option<&'a str> {
        self.opts.move_lag.shown_parent(&page.id, page.parent_id.as_deref())
    }

    /// The ancestors reads show (`expand=ancestors`), top first: [`State::ancestors`] with
    /// [`State::shown_parent`]s.
    pub fn shown_ancestors<'a>(&'a self, page: &'a PageRec) -> Vec<&'a PageRec> {
        self.ancestors_by(page, |p| self.shown_parent(p))
    }

    /// The children a child listing shows: [`State::children`] by [`State::shown_parent`].
    pub fn shown_children(&self, id: &str) -> Vec<&PageRec> {
        if !self.opts.move_lag.is_active() {
            return self.children(id);
        }
        alphabetical(self.pages.iter().filter(|p| self.shown_parent(p) == Some(id)).collect())
    }
}

/// Pages in Confluence's default child order: alphabetical, ignoring case.
fn alphabetical(mut pages: Vec<&PageRec>) -> Vec<&PageRec> {
    pages.sort_by_cached_key(|p| (p.title.to_lowercase(), p.title.clone()));
    pages
}
