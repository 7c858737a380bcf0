//! The test API for the site's behaviour and what it was asked: faults, latency, the page-size cap,
//! refused listings and property keys, the CQL index lag and the Data Center move lag, late commits,
//! Cloud's removed v1 operations, Data Center's endless listings, a calendar served beside;
//! the request log and the in-flight counts.

use std::time::Duration;

use super::start::FakeConfluence;
use crate::model::{Fault, Flavor, Request};

impl FakeConfluence {
    /// Adds a fault; faults are matched in the order they were injected.
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    /// Every request received, in order, including rejected ones.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.lock().requests.clone()
    }

    /// How many requests received had a method other than GET (Cloud's `users-bulk` lookup,
    /// a POST that only reads, aside).
    pub fn writes(&self) -> usize {
        self.shared.lock().requests.iter().filter(|r| crate::model::is_write(&r.method, &r.path)).count()
    }

    /// Waits this long before answering every request (0 = none), e.g. for benchmarks.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.lock().opts.latency = latency;
    }

    /// Serves `text` (a holiday calendar, `.ics`) at [`FakeConfluence::calendar_url`], behind the
    /// same latency as every request and counted in `/__fake/stats` like the webhook.
    pub fn serve_calendar(&self, text: &str) {
        self.shared.lock().opts.calendar = Some(text.to_owned());
    }

    /// `{origin}/__fake/calendar/…/private-…/basic.ics`: a private-looking address, as a Google
    /// Calendar secret address is; it answers 404 until [`FakeConfluence::serve_calendar`].
    pub fn calendar_url(&self) -> String {
        format!("{}{}{}", self.origin(), crate::routes::stats::PREFIX, crate::routes::stats::CALENDAR)
    }

    /// Caps every list's page size (v1 `limit`, v2 `limit`) at `limit`, below what was asked;
    /// the short page still carries `next` when more follow. 0 removes the cap.
    pub fn set_max_limit(&self, limit: usize) {
        self.shared.lock().opts.max_limit = (limit > 0).then_some(limit);
    }

    /// Data Center: answer `GET /rest/api/content` (the content listing) with 403 "The server
    /// understood the request but refuses to authorize it.", as large sites whose admins block it
    /// do; single pages, child listings and CQL search still answer.
    pub fn refuse_content_listing(&self, on: bool) {
        self.shared.lock().opts.refuse_content_listing = on;
    }

    /// From now on, creating a property whose key starts with `prefix` is refused with 403
    /// (v1 and v2), like app-owned keys in real Confluence.
    pub fn refuse_property_keys(&self, prefix: &str) {
        self.shared.lock().opts.refused_property_prefixes.push(prefix.to_string());
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

    /// Cloud: whether the v1 operations Atlassian removed (CHANGE-864: label reads, content properties, the attachment listing, spaces, content CRUD) answer 410 Gone, as the gateway does since August 2026. On by default behind the gateway, off on the site URL (where Basic auth still reached them). Panics on Data Center.
    ///
    /// The v1 page endpoints (`/rest/api/content`, `…/content/{id}`, `…/{id}/child/page`) answer
    /// 410 on Cloud whatever this says. Kept either way: copy, restrictions, adding labels,
    /// attachment upload and download, move, CQL search, the current user.
    pub fn set_v1_removed(&self, on: bool) {
        assert_eq!(self.flavor(), Flavor::Cloud, "fake-confluence: the v1 removals are Cloud's");
        self.shared.lock().opts.v1_removed = on;
    }

    /// Data Center: v1 listings (`start`/`limit` paging: child pages, content, CQL search, labels, attachments, properties) of more than 200 items keep handing out a `next` link past their end, as 7.19.21, 8.5.8 and 8.9.0 do: the pages after the last answer `"results": []`, `size: 0`, still with `next`. Panics on Cloud.
    pub fn set_endless_listings(&self, on: bool) {
        assert_eq!(self.flavor(), Flavor::DataCenter, "fake-confluence: endless listings are Data Center's");
        self.shared.lock().opts.endless_listings = on;
    }

    /// Makes pages created under a [`crate::FaultAction::LateCommit`] visible now.
    pub fn reveal_late_commits(&self) {
        for page in self.shared.lock().pages.iter_mut() {
            page.visible_after = None;
        }
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
