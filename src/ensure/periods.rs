//! Which days the pages are on: this period's, after the off days, and the earlier periods' a
//! source is looked for under.

use chrono::NaiveDate;

use super::{Report, SourceMode};
use crate::offdays::{self, OffDays};
use crate::period::Period;

/// How many skipped periods the source lookup passes over at most, besides `CONFLUENCE_LOOKBACK`
/// (a calendar that is off all year must not make the walk endless).
const MAX_PASSED_OVER: usize = 400;

/// The period named by `regular`, with its page on `day` (the same, or the day it moved to).
fn on(report: &Report, regular: NaiveDate, day: NaiveDate) -> Period {
    Period { date: day, ..report.schedule.period(regular) }
}

/// This period's title when its page is on `day` (its regular date or the day it moved to).
pub(super) fn title(report: &Report, regular: NaiveDate, day: NaiveDate) -> String {
    report.title.render(on(report, regular, day))
}

/// The earlier periods' pages to copy from, most recent first, each with the day it is on and
/// its title: the previous period, then `lookback` more. Skipped periods are passed over
/// without counting; a moved period's page is looked for under its moved title, then its
/// regular one. Empty when the template is always used.
pub(super) fn source_candidates(report: &Report, off: &OffDays, date: NaiveDate) -> Vec<(NaiveDate, String)> {
    let mut candidates: Vec<(NaiveDate, String)> = Vec::new();
    if report.source == SourceMode::Template {
        return candidates;
    }
    let (schedule, mut periods, mut passed) = (&report.schedule, 0, 0);
    let mut regular = date;
    while periods <= report.lookback {
        regular = schedule.previous(regular);
        match offdays::page_day(schedule, report.off_day, off, regular) {
            Err(_) if passed < MAX_PASSED_OVER => passed += 1,
            Err(_) => break,
            Ok(day) => {
                let moved = (day != regular).then(|| (day, title(report, regular, day)));
                let usual = (regular, title(report, regular, regular));
                candidates.extend(moved.filter(|(_, t)| *t != usual.1));
                candidates.push(usual);
                periods += 1;
            }
        }
    }
    candidates
}
