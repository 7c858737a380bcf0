//! The per-site switches a test can change while the server runs (latency, page-size cap,
//! anonymous access, refused property keys, a refused content listing, the CQL index lag). Held
//! in the state, behind its lock; set through the test API in `control`.

use std::collections::HashMap;
use std::time::Duration;

use crate::util::now_ms;

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
        let lag = u64::try_from(self.lag.as_millis()).unwrap_or(u64::MAX);
        if lag == 0 {
            return true;
        }
        let old = id.parse::<u64>().is_ok_and(|n| n < self.indexed_below_id);
        let changed = match self.changed_ms.get(id) {
            Some(ms) => Some(*ms),
            None if old => None,
            None => Some(created_ms),
        };
        changed.is_none_or(|ms| ms.saturating_add(lag) <= now_ms())
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
}
