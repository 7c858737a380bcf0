//! The test API for content: spaces, pages, labels, attachments, folders and content properties
//! (added and read back as snapshots), archiving, restricting and purging a page. Setup panics
//! where a client's request would fail: it is test setup.

use serde_json::Value;

use super::start::FakeConfluence;
use crate::model::{Flavor, Page};
use crate::state::{PRIVATE_OWNER, Restrictions, Status};

impl FakeConfluence {
    /// Adds a space (name = key) and returns its numeric id. Panics if the key exists.
    pub fn add_space(&self, key: &str) -> String {
        self.add_space_named(key, key)
    }

    /// Adds a space with a display name and returns its numeric id. Panics if the key exists.
    pub fn add_space_named(&self, key: &str, name: &str) -> String {
        let mut st = self.shared.lock();
        assert!(st.space_by_key(key).is_none(), "fake-confluence: space {key} already exists");
        st.add_space(key, name)
    }

    /// Adds a page and returns its id. Panics if the space or parent is unknown, or the title
    /// clashes (ignoring case) with a page in the space — it's test setup.
    pub fn add_page(&self, space_key: &str, parent_id: Option<&str>, title: &str, storage_body: &str) -> String {
        let result = self.shared.lock().create_page(space_key, parent_id, title, storage_body);
        match result {
            Ok(id) => id,
            Err(e) => panic!("fake-confluence: add_page({space_key:?}, {title:?}): {e:?}"),
        }
    }

    /// Adds a label (lower-cased, as Confluence stores them). Panics if the page is unknown.
    pub fn add_label(&self, page_id: &str, label: &str) {
        let mut st = self.shared.lock();
        assert!(st.page(page_id).is_some(), "fake-confluence: add_label: no page {page_id}");
        st.add_label(page_id, label);
    }

    /// Adds an attachment. Panics if the page is unknown or the filename is already attached.
    pub fn add_attachment(&self, page_id: &str, filename: &str, media_type: &str, data: &[u8]) {
        let data = axum::body::Bytes::copy_from_slice(data);
        let result = self.shared.lock().add_attachment(page_id, filename, media_type, data, "");
        if let Err(e) = result {
            panic!("fake-confluence: add_attachment({page_id}, {filename:?}): {e:?}");
        }
    }

    pub fn page(&self, id: &str) -> Option<Page> {
        self.shared.lock().page(id).map(|p| p.snapshot())
    }

    /// Every stored page (current, archived, restricted or not yet visible), in creation order.
    pub fn pages(&self) -> Vec<Page> {
        self.shared.lock().pages.iter().map(|p| p.snapshot()).collect()
    }

    /// Pages of the space with exactly this title (case-sensitive).
    pub fn find_title(&self, space_key: &str, title: &str) -> Vec<Page> {
        self.shared
            .lock()
            .pages
            .iter()
            .filter(|p| p.space_key == space_key && p.title == title)
            .map(|p| p.snapshot())
            .collect()
    }

    /// Archives a page: lookups with `status=current` skip it, `status=archived` finds it, and
    /// its title still blocks creates. Panics if the page is unknown.
    pub fn archive(&self, id: &str) {
        match self.shared.lock().page_mut(id) {
            Some(page) => page.status = Status::Archived,
            None => panic!("fake-confluence: archive: no page {id}"),
        }
    }

    /// Makes a page one the account may not view: read-restricted to user `private-owner`. It is
    /// 404 to GETs and missing from lookups, yet its title blocks creates (refused as a
    /// duplicate). Panics if the page is unknown.
    pub fn restrict(&self, id: &str) {
        assert!(self.shared.lock().page(id).is_some(), "fake-confluence: restrict: no page {id}");
        self.set_restrictions(id, Restrictions { read_users: vec![PRIVATE_OWNER.to_string()], ..Default::default() });
    }

    /// Purges a page, as `DELETE` does (children move up to its parent). False if unknown.
    pub fn delete_page(&self, id: &str) -> bool {
        self.shared.lock().delete_page(id)
    }

    /// Adds a Cloud folder and returns its id; `parent_id` is a page or folder of the space.
    /// Panics on Data Center (no folders there) or an unknown space or parent.
    pub fn add_folder(&self, space_key: &str, parent_id: Option<&str>, title: &str) -> String {
        assert_eq!(self.flavor(), Flavor::Cloud, "fake-confluence: folders exist on Cloud only");
        match self.shared.lock().add_folder(space_key, parent_id, title) {
            Ok(id) => id,
            Err(e) => panic!("fake-confluence: add_folder({space_key:?}, {title:?}): {e:?}"),
        }
    }

    /// Sets a content property (creating it, or replacing its value and bumping its version).
    /// Panics if the page is unknown.
    pub fn set_property(&self, page_id: &str, key: &str, value: Value) {
        if self.shared.lock().set_property(page_id, key, value).is_none() {
            panic!("fake-confluence: set_property: no page {page_id}");
        }
    }

    /// A page's content properties `(key, value)` in creation order. Panics if the page is unknown.
    pub fn properties(&self, page_id: &str) -> Vec<(String, Value)> {
        match self.shared.lock().page(page_id) {
            Some(page) => page.properties.iter().map(|p| (p.key.clone(), p.value.clone())).collect(),
            None => panic!("fake-confluence: properties: no page {page_id}"),
        }
    }
}
