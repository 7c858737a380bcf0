//! A team's holiday calendar (iCalendar, `.ics`) as the days its all-day events cover.
//!
//! The format is read by the `icalendar` crate's parser (line unfolding, CRLF or LF, nested
//! components such as `VTIMEZONE`); recurrences are expanded by the `rrule` crate. What an event
//! means here is decided below: an all-day event (`DTSTART;VALUE=DATE`, or a bare 8-digit date)
//! covers `DTSTART` up to `DTEND` (exclusive; one day without it, or `DURATION` in days or
//! weeks), on every occurrence of its `RRULE` minus its `EXDATE`s. Cancelled and timed events
//! never make an off day.

use chrono::{NaiveDate, TimeZone};
use icalendar::parser::{self, Component, Property};
use regex::Regex;
use rrule::{RRule, RRuleSet, Tz, Unvalidated};

use crate::period::add_days;

/// Why a calendar's text could not be used. Never quotes the text beyond an event's summary.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("it is not an iCalendar file (it does not begin with BEGIN:VCALENDAR)")]
    NotACalendar,
    #[error("it is not valid iCalendar ({0})")]
    Syntax(String),
    #[error("event \"{summary}\": {problem}")]
    Event { summary: String, problem: String },
}

/// One all-day event that counts.
#[derive(Debug, Clone)]
struct Event {
    summary: String,
    start: NaiveDate,
    /// How many days each occurrence covers (at least one).
    days: i64,
    /// The occurrences, when the event recurs.
    recurs: Option<RRuleSet>,
}

/// The all-day events of a calendar that count as off days.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    events: Vec<Event>,
}

impl Calendar {
    /// Reads `text`, keeping the all-day events that are not cancelled and, when `only` is given,
    /// whose `SUMMARY` it matches (anywhere).
    pub fn parse(text: &str, only: Option<&Regex>) -> Result<Self, CalendarError> {
        let text = text.trim_start_matches('\u{feff}').trim_start();
        if !text.get(..15).is_some_and(|head| head.eq_ignore_ascii_case("BEGIN:VCALENDAR")) {
            return Err(CalendarError::NotACalendar);
        }
        let unfolded = parser::unfold(text);
        let calendar = parser::read_calendar(&unfolded).map_err(|err| {
            CalendarError::Syntax(err.lines().find(|l| !l.trim().is_empty()).unwrap_or("").to_owned())
        })?;
        let mut events = Vec::new();
        for component in calendar.components.iter().filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT")) {
            if let Some(event) = event(component)?
                && only.is_none_or(|re| re.is_match(&event.summary))
            {
                events.push(event);
            }
        }
        Ok(Self { events })
    }

    /// The summary of an event that covers `date`, if any (the first in the file).
    pub fn event_on(&self, date: NaiveDate) -> Option<&str> {
        self.events.iter().find(|e| e.covers(date)).map(|e| e.summary.as_str())
    }

    /// How many events count.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.events.len()
    }
}

impl Event {
    fn covers(&self, date: NaiveDate) -> bool {
        let earliest = add_days(date, 1 - self.days);
        match &self.recurs {
            None => (earliest..=date).contains(&self.start),
            // Only the occurrences that can cover `date`: the expansion is bounded by the day asked.
            Some(set) => set
                .clone()
                .after(midnight(add_days(earliest, -1)))
                .before(midnight(add_days(date, 1)))
                .all(u16::try_from(self.days.clamp(1, 1000) + 2).unwrap_or(u16::MAX))
                .dates
                .iter()
                .any(|occurrence| (earliest..=date).contains(&occurrence.date_naive())),
        }
    }
}

/// The event in `component`, when it is an all-day event that is not cancelled.
fn event(component: &Component<'_>) -> Result<Option<Event>, CalendarError> {
    let prop = |name: &str| component.properties.iter().find(|p| p.name.as_str().eq_ignore_ascii_case(name));
    let summary = prop("SUMMARY").map(|p| unescape(p.val.as_str())).unwrap_or_default();
    if prop("STATUS").is_some_and(|p| p.val.as_str().trim().eq_ignore_ascii_case("CANCELLED")) {
        return Ok(None);
    }
    let problem = |problem: String| CalendarError::Event { summary: summary.clone(), problem };
    let Some(start) = prop("DTSTART") else { return Err(problem("it has no DTSTART".into())) };
    let Some(start) = all_day(start).map_err(problem)? else { return Ok(None) };
    let days = match (prop("DTEND"), prop("DURATION")) {
        (Some(end), _) => match all_day(end).map_err(problem)? {
            Some(end) => (end - start).num_days().max(1),
            None => 1,
        },
        (None, Some(duration)) => days_of(duration.val.as_str()).ok_or_else(|| {
            problem(format!("DURATION `{}` is not a number of days or weeks", duration.val.as_str().trim()))
        })?,
        (None, None) => 1,
    };
    let recurs = match prop("RRULE") {
        None => None,
        Some(rule) => {
            let rule: RRule<Unvalidated> =
                utc_until(rule.val.as_str()).parse().map_err(|err| problem(format!("RRULE: {err}")))?;
            let mut set = rule.build(midnight(start)).map_err(|err| problem(format!("RRULE: {err}")))?;
            let exdates = component.properties.iter().filter(|p| p.name.as_str().eq_ignore_ascii_case("EXDATE"));
            for value in exdates.flat_map(|p| p.val.as_str().split(',')) {
                let day = value.trim().get(..8).and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok());
                let day = day.ok_or_else(|| problem(format!("EXDATE `{}` is not a date", value.trim())))?;
                set = set.exdate(midnight(day));
            }
            Some(set)
        }
    };
    Ok(Some(Event { summary, start, days, recurs }))
}

/// The date of a `DTSTART`/`DTEND` when it is a date (`VALUE=DATE`, or 8 digits), `None` when it
/// is a date-time (a timed event).
fn all_day(prop: &Property<'_>) -> Result<Option<NaiveDate>, String> {
    let value = prop.val.as_str().trim();
    let date_param = prop.params.iter().any(|p| {
        p.key.as_str().eq_ignore_ascii_case("VALUE")
            && p.val.as_ref().is_some_and(|v| v.as_str().eq_ignore_ascii_case("DATE"))
    });
    if !date_param && value.contains(['T', 't']) {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y%m%d")
        .map(Some)
        .map_err(|_| format!("{} `{value}` is not a date (YYYYMMDD)", prop.name.as_str()))
}

/// The rule with its `UNTIL` in UTC, as the expansion (which counts days at UTC midnight)
/// requires: an all-day event's date-only `UNTIL=20260101` becomes `20260101T000000Z` (still
/// inclusive), a floating date-time gets its `Z`.
fn utc_until(rule: &str) -> String {
    let parts = rule.trim().split(';').map(|part| match part.split_once('=') {
        Some((key, value)) if key.trim().eq_ignore_ascii_case("UNTIL") => {
            let value = value.trim();
            if value.len() == 8 {
                format!("UNTIL={value}T000000Z")
            } else if !value.ends_with(['Z', 'z']) {
                format!("UNTIL={value}Z")
            } else {
                format!("UNTIL={value}")
            }
        }
        _ => part.to_owned(),
    });
    parts.collect::<Vec<_>>().join(";")
}

/// `P3D`, `P1W` as days.
fn days_of(duration: &str) -> Option<i64> {
    let rest = duration.trim().strip_prefix('P')?;
    let (n, unit) = rest.split_at(rest.len().checked_sub(1)?);
    let n: i64 = n.parse().ok()?;
    match unit {
        "D" => Some(n.max(1)),
        "W" => Some((n * 7).max(1)),
        _ => None,
    }
}

/// `date` at midnight, as the recurrence expansion counts it.
fn midnight(date: NaiveDate) -> chrono::DateTime<Tz> {
    Tz::UTC.from_utc_datetime(&date.and_time(chrono::NaiveTime::MIN))
}

/// A TEXT value's escapes (`\,`, `\;`, `\n`, `\\`) undone; a line break becomes a space.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.trim().chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
