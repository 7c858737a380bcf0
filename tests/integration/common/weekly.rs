//! The weekly tree of the team `CONFLUENCE_ARCHIVE` was written for (the shared fixture,
//! `fake_confluence::weekly`), as a site and an environment.

use chrono::NaiveDate;
pub use fake_confluence::weekly::title as weekly_title;
pub use fake_confluence::weekly::{ARCHIVE, NOTES, SCHEDULE, TEMPLATE, date, first, last, thursdays, thursdays_until};

use super::{Env, Flavor, Site};

/// A root holding one weekly page per Thursday up to `until` (flat, as a team that never tidied
/// has it) and [`NOTES`].
pub async fn flat_site(flavor: Flavor, until: NaiveDate) -> Site {
    let site = Site::start(flavor).await;
    add_pages(&site, until);
    site.add(NOTES, "<p>notes</p>");
    site
}

/// One weekly page per Thursday up to `until` under the root, oldest first.
pub fn add_pages(site: &Site, until: NaiveDate) {
    for d in thursdays_until(until) {
        site.add(&weekly_title(d), &format!("<p>{d}</p>"));
    }
}

/// The weekly report with filing, on `today`.
pub fn env(site: &Site, today: &str) -> Env {
    site.env()
        .set("CONFLUENCE_TITLE_TEMPLATE", TEMPLATE)
        .set("CONFLUENCE_SCHEDULE", SCHEDULE)
        .set("CONFLUENCE_ARCHIVE", ARCHIVE)
        .set("CONFLUENCE_DATE", today)
}
