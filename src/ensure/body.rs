//! Preparing the copy's body: the storage rules (carry, clear, tasks), then the dates.

use chrono::NaiveDate;

use super::Report;
use crate::period::add_days;
use crate::storage::{Prepare, ReadError, RuleChange, TaskCount, TaskMode};

/// `CONFLUENCE_REPLACE_DATES`: which dates of the source's body move to the new period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DateShift {
    /// `false`: none.
    #[default]
    Off,
    /// `true`: what each title placeholder renders for the source's period, and its ISO date.
    Title,
    /// `period`: every day of the source's period, to the day at the same position in the new one.
    Period,
}

/// The body to copy, and what the storage rules changed in it.
#[derive(Debug)]
pub struct Prepared {
    pub body: String,
    /// One entry per carry and clear rule, in order.
    pub rules: Vec<RuleChange>,
    pub tasks: TaskCount,
}

/// The source body prepared for the new page: carry rules, clear rules, tasks (`prepare`), then
/// dates. `from` is the source page's date (none for the template page: no date shift), `to` the
/// new page's. With no rule and `keep`, the body is not read.
pub fn prepare(
    report: &Report,
    prepare: &Prepare,
    body: String,
    from: Option<NaiveDate>,
    to: NaiveDate,
) -> Result<Prepared, ReadError> {
    let (body, rules, tasks) = if prepare.is_noop() {
        (body, Vec::new(), TaskCount::default())
    } else {
        let prepared = prepare.apply(&body)?;
        (prepared.body.into_owned(), prepared.rules, prepared.tasks)
    };
    let body = match (report.replace_dates, from) {
        (DateShift::Title, Some(from)) => replace_dates(&body, &title_pairs(report, from, to)),
        (DateShift::Period, Some(from)) => replace_dates(&body, &period_pairs(report, from, to)),
        _ => body,
    };
    Ok(Prepared { body, rules, tasks })
}

/// What preparing changed, one line per rule and one for the tasks (none for `keep`), each
/// starting with its verb: `carry Next week -> This week: 1 table, 4 rows, 0 sections`,
/// `drop 3 completed tasks and 1 task list left empty`.
pub fn changes(prepared: &Prepared, mode: TaskMode) -> Vec<String> {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut lines: Vec<String> = prepared.rules.iter().map(ToString::to_string).collect();
    let tasks = prepared.tasks;
    match mode {
        TaskMode::Keep => {}
        TaskMode::Reopen => lines.push(format!("reopen {}", plural(tasks.reopened, "completed task"))),
        TaskMode::DropDone => lines.push(format!(
            "drop {} and {} left empty",
            plural(tasks.removed, "completed task"),
            plural(tasks.lists_removed, "task list")
        )),
    }
    lines
}

/// The renderings of the old period's days (each title placeholder, then the ISO date) paired
/// with the new period's.
fn title_pairs(report: &Report, from: NaiveDate, to: NaiveDate) -> Vec<(String, String)> {
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

/// Every day of the source's period paired with the day at the same position in the new period
/// (day 1 with day 1), in ISO form and in each of the title's formats. A day the new period does
/// not have (the 31st into a 30-day month) is left out, so it stays as it is; so is a text that
/// would name two different new days (a format without the day, such as `%m`).
fn period_pairs(report: &Report, from: NaiveDate, to: NaiveDate) -> Vec<(String, String)> {
    let (old, new) = (report.schedule.period(from), report.schedule.period(to));
    let texts = |day: NaiveDate| {
        let mut texts = vec![day.format("%Y-%m-%d").to_string()];
        texts.extend(report.title.formatted_days(day));
        texts
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut ambiguous: Vec<String> = Vec::new();
    let mut day = old.start;
    let mut position = 0;
    while day <= old.end {
        let moved = add_days(new.start, position);
        if moved <= new.end {
            for pair in texts(day).into_iter().zip(texts(moved)) {
                match pairs.iter().find(|(o, _)| *o == pair.0) {
                    None => pairs.push(pair),
                    Some((_, n)) if *n != pair.1 => ambiguous.push(pair.0),
                    Some(_) => {}
                }
            }
        }
        if day == NaiveDate::MAX {
            break;
        }
        day = add_days(day, 1);
        position += 1;
    }
    pairs.retain(|(o, _)| !ambiguous.contains(o));
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
    use crate::ensure::tests::report;
    use crate::storage::{Rules, TaskMode};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
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

    #[test]
    fn period_moves_every_day_of_the_week_by_position() {
        let report =
            Report { replace_dates: DateShift::Period, title: "{date:%m/%d} 주간".parse().unwrap(), ..report() };
        let body = "<p>2025-05-26 05/27 2025-06-01 <time datetime=\"2025-05-28\" /> 2025-06-02</p>";
        let out =
            prepare(&report, &Prepare::default(), body.to_owned(), Some(d("2025-05-29")), d("2025-06-05")).unwrap();
        // 2025-06-02 is a day of the new week, not the old: it stays.
        assert_eq!(out.body, "<p>2025-06-02 06/03 2025-06-08 <time datetime=\"2025-06-04\" /> 2025-06-02</p>");
    }

    #[test]
    fn period_leaves_a_day_the_new_month_lacks() {
        let report = Report { replace_dates: DateShift::Period, schedule: "monthly:1".parse().unwrap(), ..report() };
        let body = "2025-05-01 2025-05-30 2025-05-31";
        let out =
            prepare(&report, &Prepare::default(), body.to_owned(), Some(d("2025-05-01")), d("2025-06-01")).unwrap();
        assert_eq!(out.body, "2025-06-01 2025-06-30 2025-05-31");
    }

    #[test]
    fn true_moves_the_title_dates_and_the_template_page_no_dates() {
        let report = Report { replace_dates: DateShift::Title, ..report() };
        let body = "<p>2025-05-29 2025-05-28</p>";
        let out =
            prepare(&report, &Prepare::default(), body.to_owned(), Some(d("2025-05-29")), d("2025-06-05")).unwrap();
        assert_eq!(out.body, "<p>2025-06-05 2025-05-28</p>");
        let out = prepare(&report, &Prepare::default(), body.to_owned(), None, d("2025-06-05")).unwrap();
        assert_eq!(out.body, body);
    }

    #[test]
    fn rules_and_tasks_go_before_dates_and_code_is_left_alone() {
        let report = Report { replace_dates: DateShift::Title, ..report() };
        let body = "<ac:task-list><ac:task><ac:task-status>complete</ac:task-status><ac:task-body>2025-05-29</ac:task-body></ac:task></ac:task-list>\
                    <ac:structured-macro ac:name=\"code\"><ac:plain-text-body><![CDATA[<ac:task-status>complete</ac:task-status>]]></ac:plain-text-body></ac:structured-macro>";
        let rules = Prepare::new(Rules::default(), TaskMode::Reopen);
        let out = prepare(&report, &rules, body.to_owned(), Some(d("2025-05-29")), d("2025-06-05")).unwrap();
        assert_eq!(out.tasks.reopened, 1);
        assert!(
            out.body.contains("<ac:task-status>incomplete</ac:task-status><ac:task-body>2025-06-05"),
            "{}",
            out.body
        );
        assert!(out.body.contains("<![CDATA[<ac:task-status>complete</ac:task-status>]]>"), "{}", out.body);
    }

    #[test]
    fn an_unreadable_body_with_a_rule_is_an_error() {
        let rules = Prepare::new(Rules::parse("", "Notes").unwrap(), TaskMode::Keep);
        let err = prepare(&report(), &rules, "<p>\n<td></p>".to_owned(), None, d("2025-06-05")).unwrap_err();
        assert_eq!(err.line, 2);
        // Without rules the body is copied unread.
        let out = prepare(&report(), &Prepare::default(), "<p>\n<td></p>".to_owned(), None, d("2025-06-05"));
        assert_eq!(out.unwrap().body, "<p>\n<td></p>");
    }
}
