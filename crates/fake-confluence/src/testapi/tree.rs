//! The test API for page trees: an outline of a tree, a page's parent, version and the updates
//! that notified watchers, and seeding a run of weekly (or any periodic) pages.

use crate::state::State;
use crate::testapi::FakeConfluence;

impl FakeConfluence {
    /// An indented outline of the tree under `root_id` (that page or folder first), two spaces per
    /// level, one title per line, children in Confluence's order (alphabetical), every stored page
    /// (hidden and archived ones too). Panics if `root_id` is unknown.
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
