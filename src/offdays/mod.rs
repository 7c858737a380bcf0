//! Off days: dates on which no period page is made (`CONFLUENCE_SKIP`, `CONFLUENCE_HOLIDAYS`),
//! and what a period whose page falls on one gets instead (`CONFLUENCE_OFF_DAY`). A leaf: it
//! knows schedules and dates, nothing of configuration, HTTP or Confluence.

mod calendar;

use std::fmt;
use std::str::FromStr;

pub use calendar::{Calendar, CalendarError};

use chrono::{Datelike, NaiveDate, Weekday};

use crate::period::add_days;
use crate::schedule::Schedule;

/// `CONFLUENCE_SKIP`: dates and inclusive ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkipList(Vec<(NaiveDate, NaiveDate)>);

/// A `CONFLUENCE_SKIP` entry that is not a date or a range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipError {
    #[error("`{0}` is not a date (YYYY-MM-DD) or a range of dates (YYYY-MM-DD..YYYY-MM-DD)")]
    NotADate(String),
    #[error("`{0}` ends before it begins")]
    Backwards(String),
}

impl FromStr for SkipList {
    type Err = SkipError;

    /// Entries separated by commas, spaces or new lines.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let date = |text: &str, entry: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| SkipError::NotADate(entry.to_owned()))
        };
        let mut ranges = Vec::new();
        for entry in s.split(|c: char| c == ',' || c.is_whitespace()).filter(|e| !e.is_empty()) {
            let (from, to) = match entry.split_once("..") {
                Some((from, to)) => (date(from, entry)?, date(to, entry)?),
                None => (date(entry, entry)?, date(entry, entry)?),
            };
            if to < from {
                return Err(SkipError::Backwards(entry.to_owned()));
            }
            ranges.push((from, to));
        }
        Ok(Self(ranges))
    }
}

impl SkipList {
    fn contains(&self, date: NaiveDate) -> bool {
        self.0.iter().any(|(from, to)| (*from..=*to).contains(&date))
    }
}

/// `CONFLUENCE_OFF_DAY`: what a period whose page falls on an off day gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OffDayRule {
    /// No page.
    #[default]
    Skip,
    /// The page on the nearest earlier working day of the period.
    Before,
    /// The page on the nearest later working day of the period.
    After,
}

/// A `CONFLUENCE_OFF_DAY` that is none of the three.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not `skip`, `before` or `after`")]
pub struct OffDayRuleError(String);

impl FromStr for OffDayRule {
    type Err = OffDayRuleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "skip" => Ok(Self::Skip),
            "before" => Ok(Self::Before),
            "after" => Ok(Self::After),
            _ => Err(OffDayRuleError(s.trim().to_owned())),
        }
    }
}

/// The off days of one report: its skip list, then its calendar.
#[derive(Debug, Clone, Default)]
pub struct OffDays {
    skip: SkipList,
    calendar: Option<Calendar>,
}

/// Why a day is off: `off day 2025-05-01: 근로자의 날` (the event's summary, or `CONFLUENCE_SKIP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reason<'a> {
    pub date: NaiveDate,
    pub why: &'a str,
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "off day {}: {}", self.date, self.why)
    }
}

impl OffDays {
    pub fn new(skip: SkipList, calendar: Option<Calendar>) -> Self {
        Self { skip, calendar }
    }

    /// Why `date` is off, or `None` when it is not.
    pub fn is_off(&self, date: NaiveDate) -> Option<Reason<'_>> {
        if self.skip.contains(date) {
            return Some(Reason { date, why: "CONFLUENCE_SKIP" });
        }
        let why = self.calendar.as_ref()?.event_on(date)?;
        Some(Reason { date, why })
    }
}

/// Why a period has no page: the `skipped` output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// `weekdays` on Saturday or Sunday.
    Weekend,
    /// The period's page falls on an off day (and no working day of the period took it).
    OffDay(String),
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Weekend => f.write_str("weekend"),
            Self::OffDay(reason) => f.write_str(reason),
        }
    }
}

/// The day the page of the period named by `date` is made on: `date` itself, or (when it is off)
/// the nearest weekday of the same period that is not off, before or after it as `rule` says;
/// or why the period has no page. `daily` and `weekdays` pages never move.
pub fn page_day(schedule: &Schedule, rule: OffDayRule, off: &OffDays, date: NaiveDate) -> Result<NaiveDate, Skipped> {
    let Some(reason) = off.is_off(date) else { return Ok(date) };
    let skipped = || Skipped::OffDay(reason.to_string());
    if matches!(schedule, Schedule::Daily | Schedule::Weekdays) {
        return Err(skipped());
    }
    let period = schedule.period(date);
    let step = match rule {
        OffDayRule::Skip => return Err(skipped()),
        OffDayRule::Before => -1,
        OffDayRule::After => 1,
    };
    std::iter::successors(Some(add_days(date, step)), |d| Some(add_days(*d, step)))
        .take_while(|d| (period.start..=period.end).contains(d))
        .find(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && off.is_off(*d).is_none())
        .ok_or_else(skipped)
}

#[cfg(test)]
mod tests;
