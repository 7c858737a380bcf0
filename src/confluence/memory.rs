//! An in-memory Confluence for unit tests of the run logic: one space per key, titles unique per
//! space ignoring case, exact-title lookups, and knobs for the failures the run logic must handle.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{
    ApiError, Attachment, Child, Confluence, CopyPage, Lookup, NewPage, Page, PageExtras, Placed, Property,
    Restrictions, Space,
};

#[derive(Debug, Clone)]
pub struct MemoryPage {
    pub id: String,
    pub space: String,
    pub parent: Option<String>,
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    pub attachments: Vec<String>,
    /// Lookups that still miss this page (a create that is not visible yet).
    hidden_for: u32,
    /// Archived: keeps its title, missed by lookups of current pages.
    pub archived: bool,
    /// The account may not see it: missed by every lookup, its title still taken.
    pub restricted: bool,
    pub restrictions: Restrictions,
    pub properties: Vec<Property>,
}

#[derive(Debug, Default)]
struct State {
    pages: Vec<MemoryPage>,
    /// Creates whose answer is lost after the page was made.
    lose_create_answers: u32,
    /// Lookups that miss a page created while this is set.
    hide_created_for: u32,
    /// Every call, in order, e.g. `find 2025-05-29 Weekly Report`.
    calls: Vec<String>,
    /// Whether `copy_page` copies (Cloud's endpoint) or answers `None` (Data Center).
    copy_endpoint: bool,
    /// Restriction writes are refused.
    refuse_restrictions: bool,
    /// Property keys refused on write.
    refused_properties: Vec<String>,
    /// Pages whose next move is refused (403).
    refused_moves: Vec<String>,
    /// Lookups, listings, creates and moves wait for the executor once before acting, so that
    /// two runs joined on one Memory interleave as concurrent runs do.
    interleave: bool,
    /// Racing runs: when the title is first looked up by `find_placed`, the pages titled in the
    /// chain are made first, each under the one before, the first under the given parent id.
    race_before_lookup: Vec<(String, String, Vec<String>)>,
    /// The first version's body of each page edited since it was made ([`Memory::edit`]).
    first_versions: HashMap<String, String>,
    /// Display names by user key or account id.
    people: HashMap<String, String>,
}

/// The in-memory Confluence. Spaces exist as soon as a page names them.
#[derive(Debug, Default)]
pub struct Memory {
    state: Mutex<State>,
}

impl Memory {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a page and returns its id.
    pub fn add_page(&self, space: &str, parent: Option<&str>, title: &str, body: &str) -> String {
        let mut st = self.state();
        let id = (st.pages.len() + 100).to_string();
        st.pages.push(MemoryPage {
            id: id.clone(),
            space: space.to_owned(),
            parent: parent.map(str::to_owned),
            title: title.to_owned(),
            body: body.to_owned(),
            labels: Vec::new(),
            attachments: Vec::new(),
            hidden_for: 0,
            archived: false,
            restricted: false,
            restrictions: Restrictions::default(),
            properties: Vec::new(),
        });
        id
    }

    /// Gives a page view and edit restrictions (test setup, as the fake's `set_restrictions`;
    /// the run's own writes go through [`PageExtras::set_restrictions`]).
    pub fn set_restrictions(&self, id: &str, restrictions: Restrictions) {
        self.page_mut(id, |p| p.restrictions = restrictions);
    }

    /// Gives a page a content property, or a new value for it.
    pub fn set_property(&self, id: &str, key: &str, value: serde_json::Value) {
        self.page_mut(id, |p| match p.properties.iter_mut().find(|q| q.key == key) {
            Some(property) => property.value = value,
            None => p.properties.push(Property { key: key.to_owned(), value }),
        });
    }

    /// Offers Cloud's copy endpoint.
    pub fn offer_copy_endpoint(&self) {
        self.state().copy_endpoint = true;
    }

    /// Refuses every restriction write.
    pub fn refuse_restrictions(&self) {
        self.state().refuse_restrictions = true;
    }

    /// Refuses writes of this property key.
    pub fn refuse_property(&self, key: &str) {
        self.state().refused_properties.push(key.to_owned());
    }

    /// Archives a page.
    pub fn archive(&self, id: &str) {
        self.page_mut(id, |p| p.archived = true);
    }

    /// Hides a page from this account (a read restriction that leaves it out).
    pub fn restrict(&self, id: &str) {
        self.page_mut(id, |p| p.restricted = true);
    }

    /// The next move of this page is refused.
    pub fn refuse_move(&self, id: &str) {
        self.state().refused_moves.push(id.to_owned());
    }

    /// Lookups, listings, creates and moves yield once before acting (two joined runs interleave).
    pub fn interleave(&self) {
        self.state().interleave = true;
    }

    /// When `title` is first looked up (`find_placed`), a racing run makes the pages `chain`
    /// first: each under the one before, the first under `parent_id`.
    pub fn race_before_lookup(&self, title: &str, parent_id: &str, chain: &[&str]) {
        let chain = chain.iter().map(|t| (*t).to_owned()).collect();
        self.state().race_before_lookup.push((title.to_owned(), parent_id.to_owned(), chain));
    }

    async fn pause(&self) {
        let interleave = self.state().interleave;
        if interleave {
            tokio::task::yield_now().await;
        }
    }

    fn page_mut(&self, id: &str, change: impl FnOnce(&mut MemoryPage)) {
        let mut st = self.state();
        change(st.pages.iter_mut().find(|p| p.id == id).expect("known page"));
    }

    /// Gives a page a global label.
    /// Edits a page as a person would: a new version with this body.
    pub fn edit(&self, id: &str, body: &str) {
        let mut first = None;
        self.page_mut(id, |p| first = Some(std::mem::replace(&mut p.body, body.to_owned())));
        if let Some(first) = first {
            self.state().first_versions.entry(id.to_owned()).or_insert(first);
        }
    }

    /// A person mentions can name (by user key or account id).
    pub fn add_person(&self, id: &str, name: &str) {
        self.state().people.insert(id.to_owned(), name.to_owned());
    }

    pub fn add_label(&self, id: &str, label: &str) {
        self.page_mut(id, |page| page.labels.push(label.to_owned()));
    }

    /// Gives a page an attachment (a file name).
    pub fn add_attachment(&self, id: &str, filename: &str) {
        self.page_mut(id, |page| page.attachments.push(filename.to_owned()));
    }

    /// The next `n` creates make the page but lose the answer (as a timeout would).
    pub fn lose_create_answers(&self, n: u32) {
        self.state().lose_create_answers = n;
    }

    /// Pages created from now on stay invisible to the next `n` lookups.
    pub fn hide_created_pages_for(&self, n: u32) {
        self.state().hide_created_for = n;
    }

    /// Adds the page a create or copy makes (refusing a title taken ignoring case), lets `fill`
    /// complete it, then answers, or loses the answer when told to.
    fn insert(&self, new: NewPage<'_>, fill: impl FnOnce(&mut MemoryPage)) -> Result<Page, ApiError> {
        let request = "POST memory/pages".to_owned();
        let clash = {
            let st = self.state();
            st.pages.iter().any(|p| p.space == new.space.0 && p.title.eq_ignore_ascii_case(new.title))
        };
        if clash {
            let message = format!("A page with this title already exists: {}", new.title);
            return Err(ApiError::TitleExists { request, message });
        }
        let id = self.add_page(&new.space.0, Some(new.parent_id), new.title, new.body);
        let mut st = self.state();
        let hidden_for = st.hide_created_for;
        let page = st.pages.last_mut().expect("just added");
        page.hidden_for = hidden_for;
        fill(page);
        let page = to_page(page, false);
        if st.lose_create_answers > 0 {
            st.lose_create_answers -= 1;
            return Err(ApiError::Transport { request, detail: format!("timed out (page {id} was made)") });
        }
        Ok(page)
    }

    /// Every page, in creation order.
    pub fn pages(&self) -> Vec<MemoryPage> {
        self.state().pages.clone()
    }

    /// Pages whose title is exactly `title`.
    pub fn titled(&self, title: &str) -> Vec<MemoryPage> {
        self.state().pages.iter().filter(|p| p.title == title).cloned().collect()
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<String> {
        self.state().calls.clone()
    }

    fn log(&self, call: String) {
        self.state().calls.push(call);
    }
}

fn to_page(p: &MemoryPage, with_body: bool) -> Page {
    Page {
        id: p.id.clone(),
        title: p.title.clone(),
        body: with_body.then(|| p.body.clone()),
        url: format!("https://confluence.example.com/pages/{}", p.id),
    }
}

fn not_found(what: &str) -> ApiError {
    ApiError::NotFound { request: format!("GET memory/{what}"), message: format!("No content found: {what}") }
}

impl Confluence for Memory {
    type Extras = Self;

    fn extras(&self) -> &Self {
        self
    }

    async fn root_space(&self, root_page_id: &str) -> Result<Space, ApiError> {
        self.log(format!("root {root_page_id}"));
        let st = self.state();
        let page = st.pages.iter().find(|p| p.id == root_page_id).ok_or_else(|| not_found(root_page_id))?;
        Ok(Space(page.space.clone()))
    }

    async fn space_by_key(&self, key: &str) -> Result<Option<Space>, ApiError> {
        self.log(format!("space {key}"));
        Ok(self.state().pages.iter().any(|p| p.space == key).then(|| Space(key.to_owned())))
    }

    async fn find_page(&self, space: &Space, title: &str, wants: Lookup) -> Result<Option<Page>, ApiError> {
        let with_body = wants == Lookup::WithBody;
        self.pause().await;
        self.log(format!("find {title}"));
        let mut st = self.state();
        let visible = |p: &&mut MemoryPage| !p.archived && !p.restricted;
        let Some(page) = st.pages.iter_mut().filter(visible).find(|p| p.space == space.0 && p.title == title) else {
            return Ok(None);
        };
        if page.hidden_for > 0 {
            page.hidden_for -= 1;
            return Ok(None);
        }
        Ok(Some(to_page(page, with_body)))
    }

    async fn find_archived(&self, space: &Space, title: &str) -> Result<Option<Page>, ApiError> {
        self.log(format!("find archived {title}"));
        let st = self.state();
        let found = st.pages.iter().find(|p| p.archived && !p.restricted && p.space == space.0 && p.title == title);
        Ok(found.map(|p| to_page(p, false)))
    }

    async fn find_ignoring_case(&self, space: &Space, title: &str) -> Result<Option<Page>, ApiError> {
        self.log(format!("search {title}"));
        let st = self.state();
        let variant = |p: &&MemoryPage| p.title != title && p.title.to_lowercase() == title.to_lowercase();
        let found = st.pages.iter().filter(|p| !p.archived && !p.restricted && p.space == space.0).find(variant);
        Ok(found.map(|p| to_page(p, false)))
    }

    async fn get_page(&self, id: &str) -> Result<Page, ApiError> {
        self.log(format!("get {id}"));
        let st = self.state();
        st.pages.iter().find(|p| p.id == id).map(|p| to_page(p, true)).ok_or_else(|| not_found(id))
    }

    async fn create_page(&self, new: NewPage<'_>) -> Result<Page, ApiError> {
        self.pause().await;
        self.log(format!("create {}", new.title));
        self.insert(new, |_| {})
    }

    async fn copy_page(&self, copy: CopyPage<'_>) -> Result<Option<Page>, ApiError> {
        if !self.state().copy_endpoint {
            return Ok(None);
        }
        self.log(format!("copy {} as {}", copy.source_id, copy.new.title));
        let source = self.state().pages.iter().find(|p| p.id == copy.source_id).cloned();
        let source = source.ok_or_else(|| not_found(copy.source_id))?;
        // Like Confluence's endpoint, everything is copied in the one request, answer or not.
        self.insert(copy.new, |p| {
            p.restrictions = source.restrictions.clone();
            p.properties = source.properties.clone();
            if copy.carry.labels {
                p.labels = source.labels.clone();
            }
            if copy.carry.attachments {
                p.attachments = source.attachments.clone();
            }
        })
        .map(Some)
    }

    async fn delete_page(&self, page_id: &str) -> Result<(), ApiError> {
        self.log(format!("delete {page_id}"));
        self.state().pages.retain(|p| p.id != page_id);
        Ok(())
    }

    async fn children(&self, parent_id: &str) -> Result<Vec<Child>, ApiError> {
        self.pause().await;
        self.log(format!("children {parent_id}"));
        let st = self.state();
        let under = |p: &&MemoryPage| p.parent.as_deref() == Some(parent_id) && !p.archived && !p.restricted;
        Ok(st.pages.iter().filter(under).map(|p| Child { id: p.id.clone(), title: p.title.clone() }).collect())
    }

    async fn find_placed(&self, space: &Space, title: &str) -> Result<Option<Placed>, ApiError> {
        self.pause().await;
        self.log(format!("place {title}"));
        let race = {
            let mut st = self.state();
            let at = st.race_before_lookup.iter().position(|(t, ..)| t == title);
            at.map(|at| st.race_before_lookup.remove(at))
        };
        if let Some((_, mut parent, chain)) = race {
            for made in chain {
                parent = self.add_page(&space.0, Some(&parent), &made, "<p>made by another run</p>");
            }
        }
        let st = self.state();
        let found = st.pages.iter().find(|p| !p.archived && !p.restricted && p.space == space.0 && p.title == title);
        Ok(found.map(|p| Placed { id: p.id.clone(), parent_id: p.parent.clone(), url: to_page(p, false).url }))
    }

    async fn move_page(&self, page_id: &str, parent_id: &str) -> Result<(), ApiError> {
        self.pause().await;
        self.log(format!("move {page_id} under {parent_id}"));
        let mut st = self.state();
        if let Some(refused) = st.refused_moves.iter().position(|id| id == page_id) {
            st.refused_moves.remove(refused);
            return Err(ApiError::Status {
                request: format!("move {page_id}"),
                status: 403,
                message: "not permitted".into(),
                hint: None,
            });
        }
        let page = st.pages.iter_mut().find(|p| p.id == page_id).ok_or_else(|| not_found(page_id))?;
        page.parent = Some(parent_id.to_owned());
        Ok(())
    }

    async fn first_version(&self, page_id: &str) -> Result<String, ApiError> {
        self.log(format!("first_version {page_id}"));
        let st = self.state();
        if let Some(body) = st.first_versions.get(page_id) {
            return Ok(body.clone());
        }
        st.pages.iter().find(|p| p.id == page_id).map(|p| p.body.clone()).ok_or_else(|| not_found(page_id))
    }

    async fn display_names(&self, ids: &[String]) -> Result<HashMap<String, String>, ApiError> {
        self.log(format!("display_names {}", ids.join(",")));
        let st = self.state();
        Ok(ids.iter().filter_map(|id| Some((id.clone(), st.people.get(id)?.clone()))).collect())
    }
}

impl PageExtras for Memory {
    async fn is_anonymous(&self) -> Result<bool, ApiError> {
        self.log("who am i".to_owned());
        Ok(false)
    }

    async fn restrictions(&self, page_id: &str) -> Result<Restrictions, ApiError> {
        self.log(format!("restrictions {page_id}"));
        let st = self.state();
        st.pages.iter().find(|p| p.id == page_id).map(|p| p.restrictions.clone()).ok_or_else(|| not_found(page_id))
    }

    async fn set_restrictions(&self, page_id: &str, restrictions: &Restrictions) -> Result<(), ApiError> {
        self.log(format!("restrict {page_id}"));
        if self.state().refuse_restrictions {
            let (request, status, hint) = (format!("PUT memory/{page_id}/restriction"), 403, None);
            return Err(ApiError::Status { request, status, message: "not permitted".into(), hint });
        }
        self.page_mut(page_id, |p| p.restrictions = restrictions.clone());
        Ok(())
    }

    async fn properties(&self, page_id: &str) -> Result<Vec<Property>, ApiError> {
        self.log(format!("properties {page_id}"));
        let st = self.state();
        Ok(st.pages.iter().find(|p| p.id == page_id).map(|p| p.properties.clone()).unwrap_or_default())
    }

    async fn add_property(&self, page_id: &str, property: &Property) -> Result<(), ApiError> {
        self.log(format!("add property {page_id} {}", property.key));
        if self.state().refused_properties.contains(&property.key) {
            let (request, status, hint) = (format!("POST memory/{page_id}/property"), 403, None);
            return Err(ApiError::Status { request, status, message: "reserved key".into(), hint });
        }
        self.page_mut(page_id, |p| p.properties.push(property.clone()));
        Ok(())
    }

    async fn labels(&self, page_id: &str) -> Result<Vec<String>, ApiError> {
        self.log(format!("labels {page_id}"));
        let st = self.state();
        Ok(st.pages.iter().find(|p| p.id == page_id).map(|p| p.labels.clone()).unwrap_or_default())
    }

    async fn add_labels(&self, page_id: &str, labels: &[String]) -> Result<(), ApiError> {
        self.log(format!("add labels {page_id}"));
        let mut st = self.state();
        let page = st.pages.iter_mut().find(|p| p.id == page_id).ok_or_else(|| not_found(page_id))?;
        page.labels.extend(labels.iter().cloned());
        Ok(())
    }

    async fn attachments(&self, page_id: &str) -> Result<Vec<Attachment>, ApiError> {
        self.log(format!("attachments {page_id}"));
        let st = self.state();
        let names = st.pages.iter().find(|p| p.id == page_id).map(|p| p.attachments.clone()).unwrap_or_default();
        Ok(names
            .into_iter()
            .map(|filename| Attachment {
                id: format!("att-{filename}"),
                page_id: page_id.to_owned(),
                download: format!("/download/{page_id}/{filename}"),
                filename,
                media_type: "application/octet-stream".to_owned(),
            })
            .collect())
    }

    async fn copy_attachment(&self, attachment: &Attachment, page_id: &str) -> Result<(), ApiError> {
        self.log(format!("copy {} to {page_id}", attachment.filename));
        let mut st = self.state();
        let page = st.pages.iter_mut().find(|p| p.id == page_id).ok_or_else(|| not_found(page_id))?;
        if page.attachments.contains(&attachment.filename) {
            return Err(ApiError::AttachmentExists {
                request: format!("POST memory/{page_id}/attachments"),
                message: format!("Cannot add a new attachment with same file name: {}", attachment.filename),
            });
        }
        page.attachments.push(attachment.filename.clone());
        Ok(())
    }
}
