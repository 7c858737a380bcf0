//! `CONFLUENCE_ARCHIVE`: the group title templates, one per line, finest first, that file the
//! pages of closed periods under group pages (docs/archive.md). Depends only on `title` and
//! `schedule`: no configuration, HTTP or Confluence.
//!
//! [`Groups::parse`] reads the lines and [`Groups::check`] validates them against the report's
//! title template and schedule (independently of today).

use chrono::NaiveDate;

use crate::parse_error::ParseError;
use crate::period::Period;
use crate::schedule::Schedule;
use crate::title::TitleTemplate;

/// A validated `CONFLUENCE_ARCHIVE`: group title templates, finest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups {
    lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    /// The line as written (trimmed), for messages.
    text: String,
    template: TitleTemplate,
}

/// One problem with `CONFLUENCE_ARCHIVE`. Lines are counted from 1, blank lines not counted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("line {line} `{text}`: {source}")]
    Template { line: usize, text: String, source: ParseError },
    #[error(
        "line {line} `{text}` gives every period page a group of its own, so filing would only wrap each page in another; use a coarser template, e.g. a quarter `{{date:%Y}} Q{{date:%q}}` or a year `{{date:%Y}}`"
    )]
    OnePeriodPerGroup { line: usize, text: String },
    #[error(
        "line {line} `{text}` is not inside line {next} `{next_text}`: its group \"{group}\" holds the periods of {first} (in \"{first_parent}\") and of {second} (in \"{second_parent}\"); each group must lie inside one group of the next line, so list the lines finest first with matching fields (e.g. %G with %V, %Y with %q and %m)"
    )]
    NotNested {
        line: usize,
        text: String,
        next: usize,
        next_text: String,
        group: String,
        first: NaiveDate,
        first_parent: String,
        second: NaiveDate,
        second_parent: String,
    },
    #[error(
        "line {line} `{text}` renders \"{title}\" for {date}, which is also {other}; every group title must differ from the period titles and from the other lines' titles"
    )]
    SameTitle { line: usize, text: String, title: String, date: NaiveDate, other: String },
}

/// The span of periods [`Groups::check`] looks at: 28 years hold every arrangement of
/// weekdays, leap years and ISO weeks of 1901–2099, so the check never depends on today.
const CHECK_FROM: (i32, u32, u32) = (2000, 1, 1);
const CHECK_TO: (i32, u32, u32) = (2027, 12, 31);

impl Groups {
    /// Parses the lines (blank ones ignored). `Ok(None)` when there is no line: no filing.
    pub fn parse(text: &str) -> Result<Option<Groups>, Vec<LineError>> {
        let mut lines = Vec::new();
        let mut errors = Vec::new();
        for (i, text) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            match TitleTemplate::parse(text) {
                Ok(template) => lines.push(Line { text: text.to_owned(), template }),
                Err(source) => errors.push(LineError::Template { line: i + 1, text: text.to_owned(), source }),
            }
        }
        match (errors.is_empty(), lines.is_empty()) {
            (false, _) => Err(errors),
            (true, true) => Ok(None),
            (true, false) => Ok(Some(Groups { lines })),
        }
    }

    /// Checks the lines against the report's title template and schedule over a fixed span of
    /// periods: no line gives each period a group of its own, every group of a line lies
    /// inside one group of the next line, and no two kinds of page share a title.
    pub fn check(&self, title: &TitleTemplate, schedule: &Schedule) -> Result<(), Vec<LineError>> {
        let (from, to) = (ymd(CHECK_FROM), ymd(CHECK_TO));
        let periods = periods(schedule, from, to);
        let rendered: Vec<Vec<String>> =
            self.lines.iter().map(|l| periods.iter().map(|&p| l.template.render(p)).collect()).collect();
        let mut errors = Vec::new();
        self.check_titles_differ(title, &periods, &rendered, &mut errors);
        for (i, titles) in rendered.iter().enumerate() {
            let distinct: std::collections::HashSet<&String> = titles.iter().collect();
            if distinct.len() == titles.len() {
                errors.push(LineError::OnePeriodPerGroup { line: i + 1, text: self.lines[i].text.clone() });
            }
        }
        for (i, pair) in rendered.windows(2).enumerate() {
            let mut parent_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
            for (k, group) in pair[0].iter().enumerate() {
                let first = *parent_of.entry(group).or_insert(k);
                if pair[1][first] != pair[1][k] {
                    errors.push(LineError::NotNested {
                        line: i + 1,
                        text: self.lines[i].text.clone(),
                        next: i + 2,
                        next_text: self.lines[i + 1].text.clone(),
                        group: group.clone(),
                        first: periods[first].date,
                        first_parent: pair[1][first].clone(),
                        second: periods[k].date,
                        second_parent: pair[1][k].clone(),
                    });
                    break;
                }
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// One error per line whose titles meet a period title or another line's title.
    fn check_titles_differ(
        &self,
        title: &TitleTemplate,
        periods: &[Period],
        rendered: &[Vec<String>],
        errors: &mut Vec<LineError>,
    ) {
        // Who renders each title first: `None` for the title template, `Some(i)` for line i.
        let titles: Vec<String> = periods.iter().map(|&p| title.render(p)).collect();
        let mut owner: std::collections::HashMap<&str, Option<usize>> =
            titles.iter().map(|t| (t.as_str(), None)).collect();
        for (i, titles) in rendered.iter().enumerate() {
            let clash = titles.iter().enumerate().find_map(|(k, t)| match owner.get(t.as_str()) {
                Some(&other) if other != Some(i) => Some((k, t, other)),
                _ => None,
            });
            if let Some((k, t, other)) = clash {
                let other = match other {
                    None => "the title of a period page (CONFLUENCE_TITLE_TEMPLATE)".to_owned(),
                    Some(j) => format!("a title of line {} `{}`", j + 1, self.lines[j].text),
                };
                let line = &self.lines[i];
                errors.push(LineError::SameTitle {
                    line: i + 1,
                    text: line.text.clone(),
                    title: t.clone(),
                    date: periods[k].date,
                    other,
                });
                continue;
            }
            owner.extend(titles.iter().map(|t| (t.as_str(), Some(i))));
        }
    }

    /// How many lines.
    pub(super) fn len(&self) -> usize {
        self.lines.len()
    }

    /// Line `i`'s group title for `period`.
    pub(super) fn render(&self, i: usize, period: Period) -> String {
        self.lines[i].template.render(period)
    }
}

/// The schedule's periods whose dates are from `from` to `to`, oldest first.
pub(super) fn periods(schedule: &Schedule, from: NaiveDate, to: NaiveDate) -> Vec<Period> {
    let mut dates = Vec::new();
    let mut date = schedule.period_date(to).filter(|&d| d <= to).unwrap_or_else(|| schedule.previous(to));
    while date >= from {
        dates.push(date);
        let previous = schedule.previous(date);
        if previous >= date {
            break; // chrono's first date: nothing before it
        }
        date = previous;
    }
    dates.into_iter().rev().map(|date| schedule.period(date)).collect()
}

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}
