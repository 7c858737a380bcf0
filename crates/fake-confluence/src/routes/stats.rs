//! The fake's own endpoints under `/__fake/` (at the origin, outside any context path, no auth),
//! for benchmarks that drive the binary: what the requests since the last reset came to, and a
//! webhook receiver that answers with the same latency as Confluence.
//!
//! - `GET /__fake/stats` → `{"requests", "writes", "round_trips", "max_in_flight", "in_flight"}`
//!   since the start or the last reset. `round_trips` is the longest chain of requests each
//!   received after the one before it was answered: requests sent together count once.
//! - `POST /__fake/reset` → 204; starts the counts again.
//! - `POST /__fake/hook` → 200 `ok` after the latency; counted like any request (not logged in
//!   [`crate::FakeConfluence::requests`]).
//! - `GET /__fake/calendar/…/basic.ics` ([`CALENDAR`], a private-looking path like a Google
//!   Calendar secret address) → the calendar text set with
//!   [`crate::FakeConfluence::serve_calendar`] after the latency (404 when none is set); counted
//!   like the hook, not logged.
//!
//! Neither `stats` nor `reset` is counted.

use axum::http::Method;
use axum::response::Response;
use serde_json::json;

use crate::model::util;
use crate::state::{Shared, Span};

pub(crate) const PREFIX: &str = "/__fake/";

/// Where the calendar is served, after [`PREFIX`]; the key is in the path, as in a private
/// Google Calendar address.
pub(crate) const CALENDAR: &str = "calendar/ical/bench%40group.calendar.google.com/private-5f3c9a1e2b7d4c60/basic.ics";

/// Answers `stats` and `reset`; `None` for every other path (the hook is answered by the caller,
/// after counting and the latency).
pub(crate) fn control(shared: &Shared, method: &Method, path: &str) -> Option<Response> {
    match (method.as_str(), path.strip_prefix(PREFIX)?) {
        ("GET", "stats") => {
            let spans = shared.spans();
            let body = json!({
                "requests": spans.len(),
                "writes": spans.iter().filter(|s| s.write).count(),
                "round_trips": round_trips(&spans),
                "max_in_flight": shared.max_in_flight(),
                "in_flight": shared.in_flight(),
            });
            Some(util::json(200, &body))
        }
        ("POST", "reset") => {
            shared.reset_spans();
            shared.reset_max_in_flight();
            Some(util::text(204, ""))
        }
        ("POST", "hook") => None,
        ("GET", CALENDAR) => None,
        _ => Some(util::text(404, "unknown fake endpoint: GET /__fake/stats, POST /__fake/reset, POST /__fake/hook")),
    }
}

/// Whether this is the fake's webhook receiver.
pub(crate) fn is_hook(method: &Method, path: &str) -> bool {
    method == Method::POST && path.strip_prefix(PREFIX) == Some("hook")
}

/// Whether this asks for the fake's calendar.
pub(crate) fn is_calendar(method: &Method, path: &str) -> bool {
    method == Method::GET && path.strip_prefix(PREFIX) == Some(CALENDAR)
}

/// The most requests that ran one after another: a request counts when it was received after
/// the last counted one was answered (earliest answers first, which maximises the chain).
fn round_trips(spans: &[Span]) -> usize {
    let mut by_end = spans.to_vec();
    by_end.sort_by_key(|s| s.end);
    let mut count = 0;
    let mut last_end = None;
    for span in by_end {
        if last_end.is_none_or(|end| span.start >= end) {
            count += 1;
            last_end = Some(span.end);
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    #[test]
    fn requests_sent_together_count_as_one_round_trip() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let span = |start, end| Span { start: ms(start), end: ms(end), write: false };
        assert_eq!(round_trips(&[]), 0);
        // Two together, then one after both, then two together again.
        let spans = [span(0, 100), span(1, 101), span(102, 202), span(203, 303), span(204, 304)];
        assert_eq!(round_trips(&spans), 3);
        // A long request alongside a chain of short ones: the chain counts.
        let spans = [span(0, 1000), span(0, 100), span(101, 200), span(201, 300)];
        assert_eq!(round_trips(&spans), 3);
    }
}
