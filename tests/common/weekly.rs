//! The weekly tree of the team `CONFLUENCE_ARCHIVE` was written for: a page per Thursday titled
//! `YYYYMMDD_MY팀 주간 보고`, filed by quarter and year.

use chrono::{Duration, NaiveDate};

use super::{Env, Flavor, Site};

pub const TEMPLATE: &str = "{date:%Y%m%d}_MY팀 주간 보고";
pub const ARCHIVE: &str = "주간보고 | {date:%Y} {date:%q}분기\n주간보고 | {date:%Y}";
/// A page under the root that is no period's.
pub const NOTES: &str = "How we write reports";

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn weekly_title(d: NaiveDate) -> String {
    format!("{}_MY팀 주간 보고", d.format("%Y%m%d"))
}

/// The Thursdays from 2024-01-04 to `until`.
pub fn thursdays_until(until: NaiveDate) -> Vec<NaiveDate> {
    (0..).map(|w| date(2024, 1, 4) + Duration::weeks(w)).take_while(|d| *d <= until).collect()
}

/// The 75 Thursdays from 2024-01-04 to 2025-06-05.
pub fn thursdays() -> Vec<NaiveDate> {
    thursdays_until(date(2025, 6, 5))
}

/// A root holding one weekly page per Thursday up to `until` (flat, as a team that never tidied
/// has it) and [`NOTES`].
pub async fn flat_site(flavor: Flavor, until: NaiveDate) -> Site {
    let site = Site::start(flavor).await;
    for d in thursdays_until(until) {
        site.add(&weekly_title(d), &format!("<p>{d}</p>"));
    }
    site.add(NOTES, "<p>notes</p>");
    site
}

/// The weekly report with filing, on `today`.
pub fn env(site: &Site, today: &str) -> Env {
    site.env()
        .set("CONFLUENCE_TITLE_TEMPLATE", TEMPLATE)
        .set("CONFLUENCE_SCHEDULE", "weekly:thu")
        .set("CONFLUENCE_ARCHIVE", ARCHIVE)
        .set("CONFLUENCE_DATE", today)
}
