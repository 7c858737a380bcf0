//! The test API for who sees what: the account, users and groups, page restrictions, anonymous
//! access to public spaces (Data Center).

use super::start::FakeConfluence;
use crate::state::Restrictions;

impl FakeConfluence {
    /// The fake's own account: `admin` (Data Center username) or its Cloud `accountId`.
    pub fn current_user(&self) -> String {
        self.shared.lock().dir.me.clone()
    }

    /// Registers a user (`username` on Data Center, `accountId` on Cloud); a no-op if known.
    pub fn add_user(&self, name: &str) {
        self.shared.lock().dir.add_user(name);
    }

    /// Registers a person with the name people see (`username` on Data Center, `accountId` on
    /// Cloud) and returns how a mention names them: the `userKey` (Data Center) or the `accountId`.
    pub fn add_person(&self, name: &str, display: &str) -> String {
        let mut st = self.shared.lock();
        st.dir.add_person(name, display);
        match self.flavor() {
            crate::model::Flavor::DataCenter => st.dir.user(name).map(|u| u.key.clone()).unwrap_or_default(),
            crate::model::Flavor::Cloud => name.to_string(),
        }
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

    /// Data Center: serve a wrong (or missing) Bearer token as the anonymous user instead of
    /// answering 401. Anonymous sees only unrestricted pages of public spaces
    /// ([`FakeConfluence::set_space_public`]), gets 404 for the rest and 403 for any write.
    pub fn set_anonymous_for_wrong_token(&self, on: bool) {
        self.shared.lock().opts.anonymous_for_wrong_token = on;
    }

    /// Whether the anonymous user may read the space. Panics if the space is unknown.
    pub fn set_space_public(&self, space_key: &str, public: bool) {
        let mut st = self.shared.lock();
        match st.spaces.iter_mut().find(|s| s.key == space_key) {
            Some(space) => space.public = public,
            None => panic!("fake-confluence: set_space_public: no space {space_key}"),
        }
    }
}
