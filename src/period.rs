//! One period of a schedule as its days: the date that names it and its first and last day.
//! A leaf shared by `schedule` (which computes periods) and `title` (which renders them), so
//! neither knows the other.

use chrono::NaiveDate;

/// A report period: `date` names it (the page's date), `start` and `end` are its first and last
/// day (`start <= date <= end`), e.g. a `weekly:thu` week is Monday to Sunday, named by its
/// Thursday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    /// The date that names the period (`{date}` in titles).
    pub date: NaiveDate,
    /// The period's first day (`{start}`).
    pub start: NaiveDate,
    /// The period's last day (`{end}`).
    pub end: NaiveDate,
}

impl Period {
    /// A one-day period (`daily`, `weekdays`): `date`, starting and ending on it.
    pub fn day(date: NaiveDate) -> Period {
        Period { date, start: date, end: date }
    }
}

/// `date` moved by `days`, saturating at chrono's date range (about ±262,000 years) instead of
/// panicking.
pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    chrono::TimeDelta::try_days(days).and_then(|delta| date.checked_add_signed(delta)).unwrap_or(if days < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}
