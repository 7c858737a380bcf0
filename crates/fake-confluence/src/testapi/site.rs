//! The test API beyond the basics: users and groups, restrictions, hidden and archived pages,
//! folders, properties, runtime options and counters.

use std::time::Duration;

use serde_json::Value;

use crate::model::Flavor;
use crate::state::{PRIVATE_OWNER, Restrictions, Status};
use crate::testapi::FakeConfluence;

impl FakeConfluence {
    /// The fake's own account: `admin` (Data Center username) or its Cloud `accountId`.
    pub fn current_user(&self) -> String {
        self.shared.lock().dir.me.clone()
    }

    /// Registers a user (`username` on Data Center, `accountId` on Cloud); a no-op if known.
    pub fn add_user(&self, name: &str) {
        self.shared.lock().dir.add_user(name);
    }

    /// Registers a group; a no-op if known.
    pub fn add_group(&self, name: &str) {
        self.shared.lock().dir.add_group(name);
    }

    /// Makes a user unknown: restrictions naming it are then refused (400). Existing restrictions
    /// that name it stay as they are.
    pub fn remove_user(&self, name: &str) {
        self.shared.lock().dir.remove_user(name);
    }

    /// Makes a group unknown: restrictions naming it are then refused (400).
    pub fn remove_group(&self, name: &str) {
        self.shared.lock().dir.remove_group(name);
    }

    /// A known Data Center user's `userKey`.
    pub fn user_key(&self, username: &str) -> Option<String> {
        self.shared.lock().dir.user(username).map(|u| u.key.clone())
    }

    /// A known group's id (Cloud shows it; Data Center groups have only names).
    pub fn group_id(&self, name: &str) -> Option<String> {
        self.shared.lock().dir.group(name).map(|g| g.id.clone())
    }

    /// Replaces a page's restrictions, registering any user or group it names.
    /// Panics if the page is unknown.
    pub fn set_restrictions(&self, page_id: &str, restrictions: Restrictions) {
        let mut st = self.shared.lock();
        for name in restrictions.read_users.iter().chain(&restrictions.update_users) {
            st.dir.add_user(name);
        }
        for name in restrictions.read_groups.iter().chain(&restrictions.update_groups) {
            st.dir.add_group(name);
        }
        match st.page_mut(page_id) {
            Some(page) => page.restrictions = restrictions,
            None => panic!("fake-confluence: set_restrictions: no page {page_id}"),
        }
    }

    /// A page's restrictions. Panics if the page is unknown.
    pub fn restrictions(&self, page_id: &str) -> Restrictions {
        match self.shared.lock().page(page_id) {
            Some(page) => page.restrictions.clone(),
            None => panic!("fake-confluence: restrictions: no page {page_id}"),
        }
    }

    /// Makes a page one the account may not view: read-restricted to user `private-owner`. It is
    /// 404 to GETs and missing from lookups, yet its title blocks creates (refused as a
    /// duplicate). Panics if the page is unknown.
    pub fn restrict(&self, id: &str) {
        self.set_restrictions(id, Restrictions { read_users: vec![PRIVATE_OWNER.to_string()], ..Default::default() });
    }

    /// Archives a page: lookups with `status=current` skip it, `status=archived` finds it, and
    /// its title still blocks creates. Panics if the page is unknown.
    pub fn archive(&self, id: &str) {
        match self.shared.lock().page_mut(id) {
            Some(page) => page.status = Status::Archived,
            None => panic!("fake-confluence: archive: no page {id}"),
        }
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

    /// From now on, creating a property whose key starts with `prefix` is refused with 403
    /// (v1 and v2), like app-owned keys in real Confluence.
    pub fn refuse_property_keys(&self, prefix: &str) {
        self.shared.lock().opts.refused_property_prefixes.push(prefix.to_string());
    }

    /// Makes pages created under a [`crate::FaultAction::LateCommit`] visible now.
    pub fn reveal_late_commits(&self) {
        for page in self.shared.lock().pages.iter_mut() {
            page.visible_after = None;
        }
    }

    /// Data Center: serve a wrong (or missing) Bearer token as the anonymous user instead of
    /// answering 401. Anonymous sees only unrestricted pages of public spaces
    /// ([`FakeConfluence::set_space_public`]), gets 404 for the rest and 403 for any write.
    pub fn set_anonymous_for_wrong_token(&self, on: bool) {
        self.shared.lock().opts.anonymous_for_wrong_token = on;
    }

    /// Data Center: answer `GET /rest/api/content` (the content listing) with 403 "The server
    /// understood the request but refuses to authorize it.", as large sites whose admins block it
    /// do; single pages, child listings and CQL search still answer.
    pub fn refuse_content_listing(&self, on: bool) {
        self.shared.lock().opts.refuse_content_listing = on;
    }

    /// Makes CQL search (`/rest/api/content/search`) trail writes by `lag`: a page created (or
    /// retitled, moved) less than `lag` ago is not found by CQL. Pages that exist now count as
    /// indexed. `Duration::ZERO` makes CQL current again.
    pub fn set_cql_index_lag(&self, lag: Duration) {
        let mut st = self.shared.lock();
        let next = st.peek_id();
        st.opts.cql_index.set_lag(lag, next);
    }

    /// Data Center: for `lag` after a page is moved by an update (`PUT /rest/api/content/{id}`
    /// with other `ancestors`), reads still show its old parent: `expand=ancestors` gives the old
    /// ancestors, the old parent's child listing still lists it and the new one's does not yet.
    /// The update's own answer, [`FakeConfluence::tree`] and [`FakeConfluence::parent_of`] show
    /// the real, new parent. Moves made before the call are shown where they are;
    /// `Duration::ZERO` makes reads current again. Panics on Cloud.
    pub fn set_move_lag(&self, lag: Duration) {
        assert_eq!(self.flavor(), Flavor::DataCenter, "fake-confluence: the move lag is Data Center's");
        self.shared.lock().opts.move_lag.set_lag(lag);
    }

    /// Whether the anonymous user may read the space. Panics if the space is unknown.
    pub fn set_space_public(&self, space_key: &str, public: bool) {
        let mut st = self.shared.lock();
        match st.spaces.iter_mut().find(|s| s.key == space_key) {
            Some(space) => space.public = public,
            None => panic!("fake-confluence: set_space_public: no space {space_key}"),
        }
    }

    /// Caps every list's page size (v1 `limit`, v2 `limit`) at `limit`, below what was asked;
    /// the short page still carries `next` when more follow. 0 removes the cap.
    pub fn set_max_limit(&self, limit: usize) {
        self.shared.lock().opts.max_limit = (limit > 0).then_some(limit);
    }

    /// Waits this long before answering every request (0 = none), e.g. for benchmarks.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.lock().opts.latency = latency;
    }

    /// The most requests in flight at once since the start (or the last reset), counted from
    /// receipt until the answer is produced — latency and fault delays included.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight()
    }

    /// Restarts [`FakeConfluence::max_in_flight`] from the number in flight now.
    pub fn reset_max_in_flight(&self) {
        self.shared.reset_max_in_flight();
    }
}
