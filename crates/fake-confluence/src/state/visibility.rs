//! Who may see which page: the visibility rule every lookup, listing and read applies —
//! inherited read restrictions, anonymous access to public spaces, and pages whose create "was
//! lost" ([`crate::FaultAction::LateCommit`]) and show up only later.

use super::access::Op;
use super::store::{PageRec, State};
use crate::model::Viewer;

impl State {
    /// May `viewer` see this page? Read restrictions are inherited from ancestor pages; the
    /// anonymous user sees only unrestricted pages of public spaces; a page whose create "was
    /// lost" ([`crate::FaultAction::LateCommit`]) stays invisible for a number of title requests.
    pub fn can_read(&self, page: &PageRec, viewer: Viewer) -> bool {
        if page.visible_after.is_some_and(|n| self.title_requests <= n) {
            return false;
        }
        if viewer == Viewer::Anonymous && !self.space_by_key(&page.space_key).is_some_and(|s| s.public) {
            return false;
        }
        let mut chain = vec![page];
        chain.extend(self.ancestors(page));
        chain.iter().all(|p| match viewer {
            Viewer::Me => self.dir.permits_me(&p.restrictions, Op::Read),
            Viewer::Anonymous => {
                p.restrictions.users(Op::Read).is_empty() && p.restrictions.groups(Op::Read).is_empty()
            }
        })
    }

    /// The page if it exists and `viewer` may see it.
    pub fn visible_page(&self, id: &str, viewer: Viewer) -> Option<&PageRec> {
        self.page(id).filter(|p| self.can_read(p, viewer))
    }
}
