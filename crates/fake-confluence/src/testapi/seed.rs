//! The seeds: the demo ([`FakeConfluence::seed_demo`], [`Seed`]: space TEAM, root page "Weekly
//! Reports" and two weekly reports; [`CHART_PNG`], the attachment it uses) and runs of weekly (or
//! any periodic) pages ([`FakeConfluence::add_weekly_pages`], [`FakeConfluence::date_add`]).

use std::fmt::Write as _;

use chrono::format::{Item, StrftimeItems};
use chrono::{NaiveDate, TimeDelta};

use super::start::FakeConfluence;

/// A 1×1 transparent PNG (67 bytes; contains CR LF and NUL bytes, which makes it a good check
/// that uploads and downloads keep bytes intact).
pub const CHART_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// The storage body of the demo report for `date` (ISO `YYYY-MM-DD`).
fn report_body(date: &str, with_chart: bool) -> String {
    let chart = if with_chart { "<p><ac:image><ri:attachment ri:filename=\"chart.png\"/></ac:image></p>" } else { "" };
    format!(
        "<h1>Weekly Report</h1>\
         <p>Week of {date}</p>\
         <ac:task-list>\
         <ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status>\
         <ac:task-body>Ship the release</ac:task-body></ac:task>\
         <ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status>\
         <ac:task-body>Write the retrospective</ac:task-body></ac:task>\
         </ac:task-list>{chart}"
    )
}

/// What [`FakeConfluence::seed_demo`] created.
#[derive(Debug, Clone)]
pub struct Seed {
    pub space_key: String,
    pub root_page_id: String,
}

impl FakeConfluence {
    /// Space TEAM with root page "Weekly Reports" and two weekly report pages
    /// ("2025-05-22 Weekly Report", "2025-05-29 Weekly Report"), both labelled `weekly-report`, the
    /// second with the attachment `chart.png` ([`CHART_PNG`]).
    pub fn seed_demo(&self) -> Seed {
        let space_key = "TEAM";
        self.add_space_named(space_key, "Team");
        let root =
            self.add_page(space_key, None, "Weekly Reports", "<p>One page per week, created by confluence-weekly.</p>");
        let first =
            self.add_page(space_key, Some(&root), "2025-05-22 Weekly Report", &report_body("2025-05-22", false));
        self.add_label(&first, "weekly-report");
        let second =
            self.add_page(space_key, Some(&root), "2025-05-29 Weekly Report", &report_body("2025-05-29", true));
        self.add_label(&second, "weekly-report");
        self.add_attachment(&second, "chart.png", "image/png", CHART_PNG);
        Seed { space_key: space_key.to_string(), root_page_id: root }
    }

    /// Adds `count` pages under `parent_id`, the first for `first_date` (`YYYY-MM-DD`), then one
    /// every `every_days` days, titled by `title_fmt` (strftime, as chrono reads it: `%Y`, `%y`,
    /// `%m`, `%d`, `%%` and the other date fields), each with a short body. Returns their ids in
    /// date order. Panics on a bad date, on a format chrono cannot read or that asks for more than
    /// a date (`%H`, …), or as [`FakeConfluence::add_page`] does.
    pub fn add_weekly_pages(
        &self,
        space_key: &str,
        parent_id: &str,
        title_fmt: &str,
        first_date: &str,
        every_days: u32,
        count: usize,
    ) -> Vec<String> {
        let first = parse_day("add_weekly_pages", first_date);
        let format = TitleFormat::new(title_fmt);
        format.render(first); // a bad format panics before any page is added
        (0..count)
            .map(|i| {
                let offset = i64::try_from(i).unwrap_or(i64::MAX).saturating_mul(i64::from(every_days));
                let day = shift("add_weekly_pages", first, offset);
                let body = format!("<p>Report for {day}</p>");
                self.add_page(space_key, Some(parent_id), &format.render(day), &body)
            })
            .collect()
    }

    /// `date` (`YYYY-MM-DD`) moved by `days` (may be negative), as `YYYY-MM-DD`. Panics on a bad date.
    pub fn date_add(date: &str, days: i64) -> String {
        shift("date_add", parse_day("date_add", date), days).to_string()
    }
}

/// A `YYYY-MM-DD` date; panics naming `caller` on anything else (or an impossible date).
fn parse_day(caller: &str, date: &str) -> NaiveDate {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap_or_else(|_| panic!("fake-confluence: {caller}: bad date {date:?} (YYYY-MM-DD)"))
}

/// `day` moved by `days`; panics naming `caller` past the calendar's range.
fn shift(caller: &str, day: NaiveDate, days: i64) -> NaiveDate {
    TimeDelta::try_days(days)
        .and_then(|delta| day.checked_add_signed(delta))
        .unwrap_or_else(|| panic!("fake-confluence: {caller}: {day} moved by {days} days is out of range"))
}

/// A title format (strftime), read once.
struct TitleFormat<'a> {
    text: &'a str,
    items: Vec<Item<'a>>,
}

impl<'a> TitleFormat<'a> {
    /// Panics on a format chrono cannot read (`%Q`, a lone `%`), rather than titling pages with
    /// garbage.
    fn new(text: &'a str) -> TitleFormat<'a> {
        let items: Vec<Item<'a>> = StrftimeItems::new(text).collect();
        if items.iter().any(|item| matches!(item, Item::Error)) {
            panic!("fake-confluence: add_weekly_pages: bad title format {text:?} (strftime: %Y, %y, %m, %d, %%, …)");
        }
        TitleFormat { text, items }
    }

    /// The title for `day`; panics when the format asks for more than a date has (`%H`, `%Z`, …).
    fn render(&self, day: NaiveDate) -> String {
        let mut title = String::new();
        if write!(title, "{}", day.format_with_items(self.items.iter())).is_err() {
            panic!("fake-confluence: add_weekly_pages: title format {:?} asks for more than a date", self.text);
        }
        title
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_move_across_months_leap_days_and_years() {
        assert_eq!(FakeConfluence::date_add("2025-06-05", 0), "2025-06-05");
        assert_eq!(FakeConfluence::date_add("2025-06-05", -7 * 499), "2015-11-12");
        assert_eq!(FakeConfluence::date_add("2024-03-01", -1), "2024-02-29");
        assert_eq!(FakeConfluence::date_add("2024-12-26", 7), "2025-01-02");
    }

    #[test]
    fn titles_take_strftime_date_fields() {
        let day = NaiveDate::from_ymd_opt(2025, 6, 5).expect("a date");
        assert_eq!(TitleFormat::new("%Y%m%d_MY팀 %y %%").render(day), "20250605_MY팀 25 %");
    }

    #[test]
    #[should_panic(expected = "date_add: bad date \"2025-13-01\"")]
    fn an_impossible_date_panics() {
        FakeConfluence::date_add("2025-13-01", 0);
    }

    #[test]
    #[should_panic(expected = "bad title format \"%Q\"")]
    fn an_unreadable_format_panics() {
        TitleFormat::new("%Q");
    }

    #[test]
    #[should_panic(expected = "asks for more than a date")]
    fn a_time_field_panics() {
        TitleFormat::new("%Y %H").render(NaiveDate::from_ymd_opt(2025, 6, 5).expect("a date"));
    }
}
