//! The per-site switches a test can change while the server runs (latency, page-size cap,
//! anonymous access, refused property keys, a refused content listing, the CQL index lag, the
//! Data Center move lag, Cloud's removed v1 operations, Data Center's endless listings, the calendar served beside). Held in the state, behind its lock; set through the test API
//! (`testapi`).

use std::collections::HashMap;
use std::time::Duration;

use crate::model::util::now_ms;

/// Options a test can change while the server runs.
#[derive(Debug, Default)]
pub(crate) struct Options {
    /// Waited before every answer.
    pub latency: Duration,
    /// Caps every list's `limit` (v1 and v2) below what was asked.
    pub max_limit: Option<usize>,
    /// Data Center: a wrong or missing token is served as the anonymous user instead of 401.
    pub anonymous_for_wrong_token: bool,
    /// Content property keys starting with one of these are refused (403).
    pub refused_property_prefixes: Vec<String>,
    /// Data Center: `GET /rest/api/content` (the listing) answers 403, as on large sites whose
    /// admins block it (CONFSERVER-57639); single pages, child listings and CQL still answer.
    pub refuse_content_listing: bool,
    /// How far CQL search trails writes.
    pub cql_index: CqlIndex,
    /// How long Data Center reads still show a moved page under its old parent.
    pub move_lag: MoveLag,
    /// Cloud: the v1 operations Atlassian removed (CHANGE-864) answer 410 Gone. On by default
    /// behind the gateway, off on the site URL.
    pub v1_removed: bool,
    /// Data Center: v1 listings of more than 200 items hand out `next` past their end
    /// (CONFSERVER-95396).
    pub endless_listings: bool,
    /// The text served at `/__fake/calendar/…` (a holiday calendar), if any.
    pub calendar: Option<String>,
}

/// CQL is served from a search index that trails writes: a page created, retitled or moved less
/// than `lag` ago is not found yet. Pages that existed when the lag was set count as indexed.
#[derive(Debug, Default)]
pub(crate) struct CqlIndex {
    lag: Duration,
    /// Pages with a numeric id below this existed when the lag was set.
    indexed_below_id: u64,
    /// When a page was last retitled or moved (ms), by id.
    changed_ms: HashMap<String, u64>,
}

impl CqlIndex {
    /// From now on, changes show in CQL `lag` after they happen; `next_id` is the id the next
    /// new page or folder will get.
    pub fn set_lag(&mut self, lag: Duration, next_id: u64) {
        self.lag = lag;
        self.indexed_below_id = next_id;
        self.changed_ms.clear();
    }

    /// A page was retitled or moved: CQL shows it again once the lag has passed.
    pub fn changed(&mut self, id: &str) {
        if !self.lag.is_zero() {
            self.changed_ms.insert(id.to_owned(), now_ms());
        }
    }

    /// Whether CQL finds the page (by id, created at `created_ms`) now.
    pub fn has(&self, id: &str, created_ms: u64) -> bool {
        if self.lag.is_zero() {
            return true;
        }
        let old = id.parse::<u64>().is_ok_and(|n| n < self.indexed_below_id);
        let changed = match self.changed_ms.get(id) {
            Some(ms) => Some(*ms),
            None if old => None,
            None => Some(created_ms),
        };
        changed.is_none_or(|ms| !within(self.lag, ms))
    }
}

/// Whether something that happened at `ms` (since the epoch) is less than `lag` ago.
fn within(lag: Duration, ms: u64) -> bool {
    let lag = u64::try_from(lag.as_millis()).unwrap_or(u64::MAX);
    ms.saturating_add(lag) > now_ms()
}

/// Data Center reads trail moves: for `lag` after a page is moved, its ancestors and the child
/// listings show it under the parent it had before. The shown tree is the real tree as it was
/// `lag` ago (pages made since then under the parent they were made under, pages purged since
/// then left out, their children shown under their parent), so it has no loops.
#[derive(Debug, Default)]
pub(crate) struct MoveLag {
    lag: Duration,
    /// Moves less than `lag` old, by page id, oldest first: when (ms) and the parent before.
    moves: HashMap<String, Vec<(u64, Option<String>)>>,
    /// Pages purged less than `lag` ago, by id: when (ms) and their parent then.
    purged: HashMap<String, (u64, Option<String>)>,
}

impl MoveLag {
    /// From now on, reads show the old parent for `lag` after a move; moves made before are
    /// shown where they are.
    pub fn set_lag(&mut self, lag: Duration) {
        self.lag = lag;
        self.moves.clear();
        self.purged.clear();
    }

    /// Whether something that happened at `ms` is less than `lag` ago.
    fn recent(&self, ms: u64) -> bool {
        within(self.lag, ms)
    }

    fn forget_old(&mut self) {
        let lag = self.lag;
        self.moves.retain(|_, list| {
            list.retain(|(ms, _)| within(lag, *ms));
            !list.is_empty()
        });
        self.purged.retain(|_, (ms, _)| within(lag, *ms));
    }

    /// Page `id` was moved away from `old_parent` (`None`: the top of the space) just now.
    pub fn moved(&mut self, id: &str, old_parent: Option<&str>) {
        if self.lag.is_zero() {
            return;
        }
        self.forget_old();
        self.moves.entry(id.to_owned()).or_default().push((now_ms(), old_parent.map(str::to_owned)));
    }

    /// Page `id`, under `parent`, was purged just now; its children moved to `parent`
    /// (recorded with [`MoveLag::moved`]).
    pub fn purged(&mut self, id: &str, parent: Option<&str>) {
        if !self.lag.is_zero() {
            self.purged.insert(id.to_owned(), (now_ms(), parent.map(str::to_owned)));
        }
    }

    /// The parent page `id` had before its oldest recent move, or `parent` (its real one).
    fn before_moves<'a>(&'a self, id: &str, parent: Option<&'a str>) -> Option<&'a str> {
        match self.moves.get(id).and_then(|list| list.iter().find(|(ms, _)| self.recent(*ms))) {
            Some((_, old)) => old.as_deref(),
            None => parent,
        }
    }

    /// The parent reads show for page `id`, whose real parent is `parent`: the one it had `lag`
    /// ago, passing over pages purged since.
    pub fn shown_parent<'a>(&'a self, id: &str, parent: Option<&'a str>) -> Option<&'a str> {
        let mut shown = self.before_moves(id, parent);
        let mut hops = 0;
        while let Some(gone) = shown
            && let Some((ms, its_parent)) = self.purged.get(gone)
            && self.recent(*ms)
            && hops < 10_000
        {
            shown = self.before_moves(gone, its_parent.as_deref());
            hops += 1;
        }
        shown
    }

    /// Whether any read may show a parent other than the real one.
    pub fn is_active(&self) -> bool {
        !self.lag.is_zero() && !self.moves.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_trails_new_and_changed_pages_only() {
        let mut index = CqlIndex::default();
        assert!(index.has("100005", now_ms()), "no lag: everything is found");
        index.set_lag(Duration::from_secs(30), 100_010);
        assert!(index.has("100005", now_ms()), "existed when the lag was set");
        assert!(!index.has("100010", now_ms()), "made a moment ago");
        assert!(index.has("100011", now_ms() - 31_000), "made longer ago than the lag");
        index.changed("100005");
        assert!(!index.has("100005", 0), "moved a moment ago");
    }

    #[test]
    fn a_page_moved_twice_shows_the_parent_before_the_first_move() {
        let mut lag = MoveLag::default();
        lag.moved("7", Some("1"));
        assert_eq!(lag.shown_parent("7", Some("2")), Some("2"), "no lag: the real parent");
        lag.set_lag(Duration::from_secs(30));
        lag.moved("7", Some("1"));
        lag.moved("7", Some("2"));
        assert_eq!(lag.shown_parent("7", Some("3")), Some("1"));
        assert_eq!(lag.shown_parent("8", None), None, "not moved");
        lag.set_lag(Duration::ZERO);
        assert_eq!(lag.shown_parent("7", Some("3")), Some("3"));
    }
}
