//! The one weekly fixture every test shares (the tool's unit tests, its integration tests, the
//! fake's tests and its `--weekly-pages` seed): the team `CONFLUENCE_ARCHIVE` was written for,
//! with a page per Thursday titled `YYYYMMDD_MY팀 주간 보고`, filed by quarter, then by year.

use chrono::{Duration, NaiveDate};

/// `CONFLUENCE_TITLE_TEMPLATE` of the weekly pages.
pub const TEMPLATE: &str = "{date:%Y%m%d}_MY팀 주간 보고";
/// [`TEMPLATE`] as a strftime format (what [`crate::FakeConfluence::add_weekly_pages`] takes).
pub const TITLE_FORMAT: &str = "%Y%m%d_MY팀 주간 보고";
/// `CONFLUENCE_SCHEDULE` of the weekly pages.
pub const SCHEDULE: &str = "weekly:thu";
/// `CONFLUENCE_ARCHIVE`: a group page per quarter, inside a group page per year.
pub const ARCHIVE: &str = "주간보고 | {date:%Y} {date:%q}분기\n주간보고 | {date:%Y}";
/// The root page's title.
pub const ROOT: &str = "MY팀 주간 보고";
/// A page under the root that is no period's.
pub const NOTES: &str = "How we write reports";

/// A calendar date; panics on an impossible one.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("fake-confluence: no date {y}-{m}-{d}"))
}

/// The first weekly page's Thursday: 2024-01-04.
pub fn first() -> NaiveDate {
    date(2024, 1, 4)
}

/// The last weekly page's Thursday in the flat tree: 2025-06-05.
pub fn last() -> NaiveDate {
    date(2025, 6, 5)
}

/// The weekly page's title for `day` ([`TEMPLATE`] rendered).
pub fn title(day: NaiveDate) -> String {
    day.format(TITLE_FORMAT).to_string()
}

/// The Thursdays from [`first`] to `until`, oldest first.
pub fn thursdays_until(until: NaiveDate) -> Vec<NaiveDate> {
    (0..).map(|w| first() + Duration::weeks(w)).take_while(|d| *d <= until).collect()
}

/// The 75 Thursdays from [`first`] to [`last`].
pub fn thursdays() -> Vec<NaiveDate> {
    thursdays_until(last())
}

/// The `count` Thursdays up to and including `end`, oldest first.
pub fn thursdays_ending(end: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let weeks = i64::try_from(count).unwrap_or(i64::MAX);
    (0..weeks).rev().map(|w| end - Duration::weeks(w)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flat_tree_has_75_thursdays_titled_by_date() {
        let days = thursdays();
        assert_eq!(days.len(), 75);
        assert_eq!(title(days[0]), "20240104_MY팀 주간 보고");
        assert_eq!(title(days[74]), "20250605_MY팀 주간 보고");
        assert!(days.iter().all(|d| d.format("%a").to_string() == "Thu"));
        assert_eq!(thursdays_ending(last(), 75), days);
        assert_eq!(thursdays_ending(last(), 500)[0], date(2015, 11, 12));
    }
}
