//! The seeds: the demo ([`FakeConfluence::seed_demo`], [`Seed`]: space TEAM, root page "Weekly
//! Reports" and two weekly reports; [`CHART_PNG`], the attachment it uses) and runs of weekly (or
//! any periodic) pages ([`FakeConfluence::add_weekly_pages`], [`FakeConfluence::date_add`]).

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
    /// every `every_days` days, titled by `title_fmt` (strftime: `%Y`, `%y`, `%m`, `%d`, `%%`),
    /// each with a short body. Returns their ids in date order. Panics on a bad date or format,
    /// or as [`FakeConfluence::add_page`] does.
    pub fn add_weekly_pages(
        &self,
        space_key: &str,
        parent_id: &str,
        title_fmt: &str,
        first_date: &str,
        every_days: u32,
        count: usize,
    ) -> Vec<String> {
        let first = parse_date(first_date)
            .unwrap_or_else(|| panic!("fake-confluence: add_weekly_pages: bad date {first_date:?} (YYYY-MM-DD)"));
        (0..count)
            .map(|i| {
                let (y, m, d) = civil_from_days(first + i as i64 * i64::from(every_days));
                let title = strftime(title_fmt, y, m, d);
                let body = format!("<p>Report for {y:04}-{m:02}-{d:02}</p>");
                self.add_page(space_key, Some(parent_id), &title, &body)
            })
            .collect()
    }

    /// `date` (`YYYY-MM-DD`) moved by `days` (may be negative), as `YYYY-MM-DD`. Panics on a bad date.
    pub fn date_add(date: &str, days: i64) -> String {
        let day =
            parse_date(date).unwrap_or_else(|| panic!("fake-confluence: date_add: bad date {date:?} (YYYY-MM-DD)"));
        let (y, m, d) = civil_from_days(day + days);
        format!("{y:04}-{m:02}-{d:02}")
    }
}

fn parse_date(s: &str) -> Option<i64> {
    let mut parts = s.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

fn strftime(fmt: &str, y: i64, m: u32, d: u32) -> String {
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&format!("{y:04}")),
            Some('y') => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('%') => out.push('%'),
            other => panic!("fake-confluence: add_weekly_pages: unsupported format %{}", other.unwrap_or(' ')),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_format() {
        let day = parse_date("2025-06-05").unwrap();
        assert_eq!(civil_from_days(day), (2025, 6, 5));
        assert_eq!(civil_from_days(day - 7 * 499), (2015, 11, 12));
        assert_eq!(civil_from_days(parse_date("2024-03-01").unwrap() - 1), (2024, 2, 29));
        assert_eq!(strftime("%Y%m%d_MY팀 %y %%", 2025, 6, 5), "20250605_MY팀 25 %");
        assert_eq!(parse_date("2025-13-01"), None);
    }
}
