//! The test API for page trees and versions: an outline of a tree, a page's parent, its version
//! and minor-edit flag, and the updates that notified watchers.

use super::start::FakeConfluence;
use crate::state::State;

impl FakeConfluence {
    /// An indented outline of the tree under `root_id` (that page or folder first), two spaces per
    /// level, one title per line, children in Confluence's order (alphabetical), every stored page
    /// (restricted and archived ones too). Panics if `root_id` is unknown.
    pub fn tree(&self, root_id: &str) -> String {
        let st = self.shared.lock();
        let title = match (st.page(root_id), st.folder(root_id)) {
            (Some(p), _) => p.title.clone(),
            (None, Some(f)) => f.title.clone(),
            (None, None) => panic!("fake-confluence: tree: no page or folder {root_id}"),
        };
        let mut out = format!("{title}\n");
        outline(&st, root_id, 1, &mut out);
        out
    }

    /// The page's parent (a page or folder id), `None` at the top of the space. Panics if unknown.
    pub fn parent_of(&self, id: &str) -> Option<String> {
        match self.shared.lock().page(id) {
            Some(page) => page.parent_id.clone(),
            None => panic!("fake-confluence: parent_of: no page {id}"),
        }
    }

    /// The page's version number (1 when created; each update adds one). Panics if unknown.
    pub fn page_version(&self, id: &str) -> u64 {
        match self.shared.lock().page(id) {
            Some(page) => page.version,
            None => panic!("fake-confluence: page_version: no page {id}"),
        }
    }

    /// Whether the page's latest version was a minor edit. Panics if unknown.
    pub fn page_minor_edit(&self, id: &str) -> bool {
        match self.shared.lock().page(id) {
            Some(page) => page.minor_edit,
            None => panic!("fake-confluence: page_minor_edit: no page {id}"),
        }
    }

    /// Ids of pages updated without `minorEdit` — each such update would have mailed the
    /// page's watchers — in order (a page updated twice is listed twice).
    pub fn notified_updates(&self) -> Vec<String> {
        self.shared.lock().notified.clone()
    }
}

fn outline(st: &State, id: &str, depth: usize, out: &mut String) {
    let mut kids: Vec<(String, String)> = st.children(id).iter().map(|p| (p.title.clone(), p.id.clone())).collect();
    kids.extend(
        st.folders.iter().filter(|f| f.parent_id.as_deref() == Some(id)).map(|f| (f.title.clone(), f.id.clone())),
    );
    kids.sort_by_cached_key(|(title, _)| (title.to_lowercase(), title.clone()));
    for (title, kid) in kids {
        out.push_str(&"  ".repeat(depth));
        out.push_str(&title);
        out.push('\n');
        if depth < 100 {
            outline(st, &kid, depth + 1, out);
        }
    }
}
