//! The body transforms of a copy: reopened tasks and shifted dates.

use chrono::NaiveDate;

use super::Report;

/// The source body with the configured transforms applied. `from` is the source page's date
/// (none for the template page), `to` the new page's.
pub fn transform(report: &Report, mut body: String, from: Option<NaiveDate>, to: NaiveDate) -> String {
    if report.reset_tasks {
        body = reset_tasks(&body);
    }
    if let (true, Some(from)) = (report.replace_dates, from) {
        body = replace_dates(&body, &date_pairs(report, from, to));
    }
    body
}

/// Every completed task becomes an open one.
pub fn reset_tasks(body: &str) -> String {
    body.replace("<ac:task-status>complete</ac:task-status>", "<ac:task-status>incomplete</ac:task-status>")
}

/// The renderings of the old period's days (each title placeholder, then the ISO date) paired
/// with the new period's.
fn date_pairs(report: &Report, from: NaiveDate, to: NaiveDate) -> Vec<(String, String)> {
    let rendered = |date| report.title.rendered_dates(report.schedule.period(date));
    let mut pairs: Vec<(String, String)> = Vec::new();
    for pair in rendered(from).into_iter().zip(rendered(to)) {
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    let iso = (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string());
    if !pairs.contains(&iso) {
        pairs.push(iso);
    }
    pairs
}

/// Replaces each old date with its new one in a single pass, so a replacement is never
/// replaced again (e.g. when one format's output contains another's).
pub fn replace_dates(body: &str, pairs: &[(String, String)]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    'outer: while !rest.is_empty() {
        // Longest match first, so "2025-06-05" wins over "06-05".
        let mut best: Option<&(String, String)> = None;
        for pair in pairs.iter().filter(|(old, _)| !old.is_empty() && rest.starts_with(old.as_str())) {
            if best.is_none_or(|b| pair.0.len() > b.0.len()) {
                best = Some(pair);
            }
        }
        if let Some((old, new)) = best {
            out.push_str(new);
            rest = &rest[old.len()..];
            continue 'outer;
        }
        let ch = rest.chars().next().expect("rest is not empty");
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completed_tasks_are_reopened() {
        let body = "<ac:task><ac:task-status>complete</ac:task-status></ac:task><ac:task><ac:task-status>incomplete</ac:task-status></ac:task>";
        assert_eq!(reset_tasks(body).matches("<ac:task-status>incomplete</ac:task-status>").count(), 2);
    }

    #[test]
    fn dates_are_replaced_once_each() {
        let pairs =
            vec![("20250529".to_owned(), "20250605".to_owned()), ("2025-05-29".to_owned(), "2025-06-05".to_owned())];
        let body = "<p>20250529 주간 보고</p><time datetime=\"2025-05-29\" /><p>2025-05-290</p>";
        assert_eq!(
            replace_dates(body, &pairs),
            "<p>20250605 주간 보고</p><time datetime=\"2025-06-05\" /><p>2025-06-050</p>"
        );
        // A new date that contains an old one is not replaced again.
        let chain = vec![("05".to_owned(), "0505".to_owned())];
        assert_eq!(replace_dates("a05b", &chain), "a0505b");
    }
}
