//! Report schedules (`CONFLUENCE_SCHEDULE`): which period today falls in, the date that names
//! that period, the period's first and last day, and the date naming the period before it.
//!
//! Date arithmetic saturates at chrono's supported range (about ±262,000 years) instead of
//! panicking, so no input date can crash the calculation.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::parse_error::ParseError;
use crate::period::{Period, add_days};

/// A report schedule, parsed from `CONFLUENCE_SCHEDULE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// `weekly:DAY`: one page per ISO week (Monday–Sunday), dated that week's DAY.
    Weekly(Weekday),
    /// `biweekly:DAY@YYYY-MM-DD`: two-week blocks; the block holding `anchor` starts on the Monday
    /// of the anchor's ISO week. Each block's page is dated the DAY of its first week, which for
    /// the anchor's block is the anchor itself (`anchor` always falls on `day`).
    Biweekly {
        /// The weekday the pages are dated.
        day: Weekday,
        /// A date on `day` that names one of the blocks.
        anchor: NaiveDate,
    },
    /// `monthly:N`: one page per calendar month, dated day N (1–31), clamped to the month's last day.
    MonthlyDay(u32),
    /// `monthly:last`: one page per calendar month, dated its last day.
    MonthlyLast,
    /// `monthly:first-DAY` … `monthly:fourth-DAY`, `monthly:last-DAY`: one page per calendar
    /// month, dated that weekday of the month.
    MonthlyNth {
        /// Which occurrence of `day` in the month.
        nth: Nth,
        /// The weekday.
        day: Weekday,
    },
    /// `daily`: one page per day.
    Daily,
    /// `weekdays`: one page per Monday–Friday; nothing is due on Saturday and Sunday.
    Weekdays,
}

/// Which occurrence of a weekday in a month (`monthly:first-mon`, `monthly:last-fri`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nth {
    /// The 1st occurrence.
    First,
    /// The 2nd occurrence.
    Second,
    /// The 3rd occurrence.
    Third,
    /// The 4th occurrence (every month has one).
    Fourth,
    /// The last occurrence (the 4th or 5th).
    Last,
}

/// The schedule forms, listed in every schedule error.
const FORMS: &str = "weekly:DAY, biweekly:DAY@YYYY-MM-DD, monthly:N (1-31), monthly:last, \
     monthly:first-DAY…monthly:fourth-DAY, monthly:last-DAY, daily or weekdays (DAY = mon…sun)";

/// Weekdays with their short (canonical) and full names.
const DAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "mon", "monday"),
    (Weekday::Tue, "tue", "tuesday"),
    (Weekday::Wed, "wed", "wednesday"),
    (Weekday::Thu, "thu", "thursday"),
    (Weekday::Fri, "fri", "friday"),
    (Weekday::Sat, "sat", "saturday"),
    (Weekday::Sun, "sun", "sunday"),
];

const NTHS: [(Nth, &str); 5] = [
    (Nth::First, "first"),
    (Nth::Second, "second"),
    (Nth::Third, "third"),
    (Nth::Fourth, "fourth"),
    (Nth::Last, "last"),
];

impl Schedule {
    /// The date that names the period containing `today`, or `None` when nothing is due
    /// (`weekdays` on Saturday or Sunday).
    pub fn period_date(&self, today: NaiveDate) -> Option<NaiveDate> {
        Some(match *self {
            Schedule::Weekly(day) => add_days(week_start(today), offset(day)),
            Schedule::Biweekly { day, anchor } => add_days(block_start(anchor, today), offset(day)),
            Schedule::MonthlyDay(_) | Schedule::MonthlyLast | Schedule::MonthlyNth { .. } => {
                self.monthly_date(today.year(), today.month())
            }
            Schedule::Daily => today,
            Schedule::Weekdays if is_weekend(today) => return None,
            Schedule::Weekdays => today,
        })
    }

    /// The date naming the period before the period that contains `date` (normally a date
    /// returned by [`Schedule::period_date`]): last week's DAY, the previous block's DAY, the
    /// same rule applied to the previous calendar month, yesterday, or the previous Monday–Friday
    /// day (Monday's previous is Friday).
    pub fn previous(&self, date: NaiveDate) -> NaiveDate {
        match *self {
            Schedule::Weekly(_) | Schedule::Biweekly { .. } => {
                let days = if matches!(self, Schedule::Weekly(_)) { 7 } else { 14 };
                // Both always yield a date for these variants; `date` is only a fallback.
                add_days(self.period_date(date).unwrap_or(date), -days)
            }
            Schedule::MonthlyDay(_) | Schedule::MonthlyLast | Schedule::MonthlyNth { .. } => {
                let (year, month) = match date.month() {
                    1 => (date.year() - 1, 12),
                    month => (date.year(), month - 1),
                };
                self.monthly_date(year, month)
            }
            Schedule::Daily => add_days(date, -1),
            Schedule::Weekdays => match date.weekday() {
                Weekday::Mon => add_days(date, -3),
                Weekday::Sun => add_days(date, -2),
                _ => add_days(date, -1),
            },
        }
    }

    /// The days of the period named by `date` (a date from [`Schedule::period_date`] or
    /// [`Schedule::previous`]; any day of the period gives the same `start` and `end`): the ISO
    /// week (Monday–Sunday) for `weekly`, the two-week block for `biweekly`, the calendar month for
    /// `monthly`, the day itself for `daily` and `weekdays`.
    pub fn period(&self, date: NaiveDate) -> Period {
        let (start, end) = match *self {
            Schedule::Weekly(_) => {
                let start = week_start(date);
                (start, add_days(start, 6))
            }
            Schedule::Biweekly { anchor, .. } => {
                let start = block_start(anchor, date);
                (start, add_days(start, 13))
            }
            Schedule::MonthlyDay(_) | Schedule::MonthlyLast | Schedule::MonthlyNth { .. } => {
                let (year, month) = (date.year(), date.month());
                (ymd(year, month, 1), ymd(year, month, days_in_month(year, month)))
            }
            Schedule::Daily | Schedule::Weekdays => return Period::day(date),
        };
        Period { date, start, end }
    }

    /// The monthly rule's date in the given month (non-monthly variants give the 1st).
    fn monthly_date(&self, year: i32, month: u32) -> NaiveDate {
        let last = days_in_month(year, month);
        let first = ymd(year, month, 1);
        match *self {
            Schedule::MonthlyDay(n) => ymd(year, month, n.clamp(1, last)),
            Schedule::MonthlyLast => ymd(year, month, last),
            Schedule::MonthlyNth { nth, day } => {
                let first_day = (offset(day) - offset(first.weekday())).rem_euclid(7);
                let weeks = match nth {
                    Nth::First => 0,
                    Nth::Second => 1,
                    Nth::Third => 2,
                    Nth::Fourth => 3,
                    // Day 29..=31 may hold a fifth occurrence.
                    Nth::Last if first_day + 28 < i64::from(last) => 4,
                    Nth::Last => 3,
                };
                add_days(first, first_day + weeks * 7)
            }
            _ => first,
        }
    }
}

impl FromStr for Schedule {
    type Err = ParseError;

    /// Parses a schedule, ignoring case and surrounding whitespace. Days may be given as
    /// `mon`…`sun` or `monday`…`sunday`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let input = s.trim();
        let lower = input.to_ascii_lowercase();
        let (kind, arg) = match lower.split_once(':') {
            Some((kind, arg)) => (kind.trim(), Some(arg.trim())),
            None => (lower.as_str(), None),
        };
        let err = |detail: String| ParseError::Invalid { detail, expected: FORMS };
        let bad_day = |day: &str| err(format!("unknown day `{day}` in schedule `{input}`"));

        match (kind, arg) {
            ("daily", None) => Ok(Schedule::Daily),
            ("weekdays", None) => Ok(Schedule::Weekdays),
            ("weekly", Some(day)) => parse_day(day).map(Schedule::Weekly).ok_or_else(|| bad_day(day)),
            ("biweekly", Some(arg)) => {
                let (day_text, anchor_text) = arg.split_once('@').ok_or_else(|| {
                    err(format!("schedule `{input}` lacks its anchor date, e.g. `biweekly:thu@2025-01-02`"))
                })?;
                let day = parse_day(day_text.trim()).ok_or_else(|| bad_day(day_text.trim()))?;
                let anchor_text = anchor_text.trim();
                let anchor = NaiveDate::parse_from_str(anchor_text, "%Y-%m-%d").map_err(|_| {
                    err(format!("anchor `{anchor_text}` in schedule `{input}` is not a YYYY-MM-DD date"))
                })?;
                if anchor.weekday() != day {
                    return Err(err(format!(
                        "anchor `{anchor_text}` in schedule `{input}` is a {}, not a {}",
                        full_name(anchor.weekday()),
                        full_name(day)
                    )));
                }
                Ok(Schedule::Biweekly { day, anchor })
            }
            ("monthly", Some("last")) => Ok(Schedule::MonthlyLast),
            ("monthly", Some(n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => match n.parse::<u32>() {
                Ok(n @ 1..=31) => Ok(Schedule::MonthlyDay(n)),
                _ => Err(err(format!("day of month `{n}` in schedule `{input}` is not between 1 and 31"))),
            },
            ("monthly", Some(arg)) => {
                let (nth_text, day_text) = arg
                    .split_once('-')
                    .ok_or_else(|| err(format!("unknown monthly rule `{arg}` in schedule `{input}`")))?;
                let nth = NTHS.iter().find(|(_, name)| *name == nth_text).map(|&(nth, _)| nth).ok_or_else(|| {
                    err(format!(
                        "unknown position `{nth_text}` in schedule `{input}` \
                             (use first, second, third, fourth or last)"
                    ))
                })?;
                let day = parse_day(day_text).ok_or_else(|| bad_day(day_text))?;
                Ok(Schedule::MonthlyNth { nth, day })
            }
            ("", None) => Err(err("the schedule is empty".to_owned())),
            _ => Err(err(format!("unknown schedule `{input}`"))),
        }
    }
}

impl fmt::Display for Schedule {
    /// The canonical form (`weekly:thu`, `monthly:last-fri`, …), which parses back to `self`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Schedule::Weekly(day) => write!(f, "weekly:{}", short_name(day)),
            Schedule::Biweekly { day, anchor } => {
                write!(f, "biweekly:{}@{}", short_name(day), anchor.format("%Y-%m-%d"))
            }
            Schedule::MonthlyDay(n) => write!(f, "monthly:{n}"),
            Schedule::MonthlyLast => f.write_str("monthly:last"),
            Schedule::MonthlyNth { nth, day } => write!(f, "monthly:{nth}-{}", short_name(day)),
            Schedule::Daily => f.write_str("daily"),
            Schedule::Weekdays => f.write_str("weekdays"),
        }
    }
}

impl fmt::Display for Nth {
    /// `first`, `second`, `third`, `fourth` or `last`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = NTHS.iter().find(|(nth, _)| nth == self).map_or("", |&(_, name)| name);
        f.write_str(name)
    }
}

/// `mon`…`sun` or `monday`…`sunday` (already lower-cased).
fn parse_day(text: &str) -> Option<Weekday> {
    DAYS.iter().find(|(_, short, full)| text == *short || text == *full).map(|&(day, _, _)| day)
}

fn short_name(day: Weekday) -> &'static str {
    DAYS[day.num_days_from_monday() as usize].1
}

fn full_name(day: Weekday) -> &'static str {
    DAYS[day.num_days_from_monday() as usize].2
}

/// Days since Monday (Monday = 0 … Sunday = 6).
fn offset(day: Weekday) -> i64 {
    i64::from(day.num_days_from_monday())
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The Monday of `date`'s ISO week.
fn week_start(date: NaiveDate) -> NaiveDate {
    add_days(date, -offset(date.weekday()))
}

/// The Monday starting the `biweekly` block that holds `date`: blocks of 14 days, one of them
/// starting on the Monday of `anchor`'s ISO week.
fn block_start(anchor: NaiveDate, date: NaiveDate) -> NaiveDate {
    let first_block = week_start(anchor);
    let blocks = (date - first_block).num_days().div_euclid(14);
    add_days(first_block, blocks * 14)
}

/// The date, saturating at chrono's date range (`day` must exist in the month).
fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(if year < 0 { NaiveDate::MIN } else { NaiveDate::MAX })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn s(text: &str) -> Schedule {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn period(schedule: &str, today: &str) -> Option<NaiveDate> {
        s(schedule).period_date(d(today))
    }

    fn err(text: &str) -> String {
        match text.parse::<Schedule>() {
            Ok(parsed) => panic!("{text} parsed as {parsed:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(s("weekly:thu"), Schedule::Weekly(Weekday::Thu));
        assert_eq!(s("weekly:sunday"), Schedule::Weekly(Weekday::Sun));
        assert_eq!(s("  WEEKLY:Mon \n"), Schedule::Weekly(Weekday::Mon));
        assert_eq!(s("biweekly:thu@2025-01-02"), Schedule::Biweekly { day: Weekday::Thu, anchor: d("2025-01-02") });
        assert_eq!(s("monthly:15"), Schedule::MonthlyDay(15));
        assert_eq!(s("monthly:1"), Schedule::MonthlyDay(1));
        assert_eq!(s("monthly:31"), Schedule::MonthlyDay(31));
        assert_eq!(s("Monthly:LAST"), Schedule::MonthlyLast);
        assert_eq!(s("monthly:first-mon"), Schedule::MonthlyNth { nth: Nth::First, day: Weekday::Mon });
        assert_eq!(s("monthly:second-tuesday"), Schedule::MonthlyNth { nth: Nth::Second, day: Weekday::Tue });
        assert_eq!(s("monthly:third-wed"), Schedule::MonthlyNth { nth: Nth::Third, day: Weekday::Wed });
        assert_eq!(s("monthly:fourth-fri"), Schedule::MonthlyNth { nth: Nth::Fourth, day: Weekday::Fri });
        assert_eq!(s("monthly:last-fri"), Schedule::MonthlyNth { nth: Nth::Last, day: Weekday::Fri });
        assert_eq!(s("daily"), Schedule::Daily);
        assert_eq!(s("Weekdays"), Schedule::Weekdays);
    }

    #[test]
    fn rejects_bad_forms_naming_the_bad_value() {
        for (input, mentions) in [
            ("weekly:xyz", "`xyz`"),
            ("weekly:", "``"),
            ("weekly", "`weekly`"),
            ("monthly:0", "`0`"),
            ("monthly:32", "`32`"),
            ("monthly:99999999999", "`99999999999`"),
            ("monthly:fifth-mon", "`fifth`"),
            ("monthly:first-xyz", "`xyz`"),
            ("monthly:soon", "`soon`"),
            ("biweekly:thu", "anchor"),
            ("biweekly:thu@2025-13-01", "`2025-13-01`"),
            ("biweekly:thu@2025-01-03", "is a friday, not a thursday"),
            ("hourly", "`hourly`"),
            ("fortnightly", "unknown schedule `fortnightly`"),
            ("daily:3", "`daily:3`"),
            ("", "empty"),
        ] {
            let message = err(input);
            assert!(message.contains(mentions), "{input}: {message}");
            assert!(message.contains("expected weekly:DAY"), "{input}: {message}");
            assert!(message.contains("(DAY = mon…sun)"), "{input}: {message}");
        }
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "weekly:mon",
            "weekly:sun",
            "biweekly:thu@2025-01-02",
            "monthly:1",
            "monthly:31",
            "monthly:last",
            "monthly:first-mon",
            "monthly:second-tue",
            "monthly:third-wed",
            "monthly:fourth-fri",
            "monthly:last-sat",
            "daily",
            "weekdays",
        ] {
            assert_eq!(s(text).to_string(), text);
            assert_eq!(s(&s(text).to_string()), s(text));
        }
        assert_eq!(s(" Weekly:Thursday ").to_string(), "weekly:thu");
    }

    #[test]
    fn weekly_uses_the_iso_week_of_today() {
        assert_eq!(period("weekly:thu", "2025-06-02"), Some(d("2025-06-05"))); // Monday
        assert_eq!(period("weekly:thu", "2025-06-05"), Some(d("2025-06-05"))); // Thursday
        assert_eq!(period("weekly:thu", "2025-06-08"), Some(d("2025-06-05"))); // Sunday
        assert_eq!(period("weekly:thu", "2025-06-09"), Some(d("2025-06-12"))); // next Monday
        assert_eq!(period("weekly:sun", "2025-06-02"), Some(d("2025-06-08")));
        assert_eq!(period("weekly:mon", "2025-06-08"), Some(d("2025-06-02")));
    }

    #[test]
    fn weekly_across_year_ends() {
        assert_eq!(period("weekly:thu", "2024-12-30"), Some(d("2025-01-02")));
        assert_eq!(period("weekly:thu", "2025-01-01"), Some(d("2025-01-02")));
        assert_eq!(period("weekly:mon", "2026-01-01"), Some(d("2025-12-29")));
        // 2020 has an ISO week 53: Mon 2020-12-28 … Sun 2021-01-03.
        assert_eq!(period("weekly:thu", "2020-12-31"), Some(d("2020-12-31")));
        assert_eq!(period("weekly:thu", "2021-01-03"), Some(d("2020-12-31")));
        assert_eq!(period("weekly:mon", "2021-01-03"), Some(d("2020-12-28")));
        assert_eq!(period("weekly:sun", "2020-12-28"), Some(d("2021-01-03")));
    }

    #[test]
    fn biweekly_blocks_before_and_after_the_anchor() {
        let sched = "biweekly:thu@2025-01-02"; // block 0 = Mon 2024-12-30 … Sun 2025-01-12
        assert_eq!(period(sched, "2024-12-30"), Some(d("2025-01-02")));
        assert_eq!(period(sched, "2025-01-02"), Some(d("2025-01-02")));
        assert_eq!(period(sched, "2025-01-12"), Some(d("2025-01-02")));
        assert_eq!(period(sched, "2025-01-13"), Some(d("2025-01-16")));
        assert_eq!(period(sched, "2025-01-26"), Some(d("2025-01-16")));
        assert_eq!(period(sched, "2025-01-27"), Some(d("2025-01-30")));
        // Before the anchor: block -1 = Mon 2024-12-16 … Sun 2024-12-29.
        assert_eq!(period(sched, "2024-12-29"), Some(d("2024-12-19")));
        assert_eq!(period(sched, "2024-12-16"), Some(d("2024-12-19")));
        assert_eq!(period(sched, "2024-12-15"), Some(d("2024-12-05")));
        // The block's DAY is the one in the block's first week, whichever side of today it is.
        assert_eq!(period("biweekly:mon@2025-01-06", "2025-01-19"), Some(d("2025-01-06")));
        assert_eq!(period("biweekly:sun@2025-01-05", "2024-12-30"), Some(d("2025-01-05")));
    }

    #[test]
    fn monthly_day_is_clamped() {
        assert_eq!(period("monthly:15", "2025-06-01"), Some(d("2025-06-15")));
        assert_eq!(period("monthly:15", "2025-06-30"), Some(d("2025-06-15")));
        assert_eq!(period("monthly:31", "2025-02-10"), Some(d("2025-02-28")));
        assert_eq!(period("monthly:31", "2024-02-10"), Some(d("2024-02-29")));
        assert_eq!(period("monthly:30", "2100-02-01"), Some(d("2100-02-28")));
        assert_eq!(period("monthly:30", "2000-02-01"), Some(d("2000-02-29")));
        assert_eq!(period("monthly:31", "2025-04-01"), Some(d("2025-04-30")));
        assert_eq!(period("monthly:31", "2025-12-01"), Some(d("2025-12-31")));
    }

    #[test]
    fn monthly_last() {
        assert_eq!(period("monthly:last", "2025-06-01"), Some(d("2025-06-30")));
        assert_eq!(period("monthly:last", "2024-02-01"), Some(d("2024-02-29")));
        assert_eq!(period("monthly:last", "2025-02-28"), Some(d("2025-02-28")));
        assert_eq!(period("monthly:last", "2025-12-31"), Some(d("2025-12-31")));
    }

    #[test]
    fn monthly_nth_weekday() {
        // June 2025 starts on a Sunday.
        assert_eq!(period("monthly:first-sun", "2025-06-20"), Some(d("2025-06-01")));
        assert_eq!(period("monthly:first-mon", "2025-06-20"), Some(d("2025-06-02")));
        assert_eq!(period("monthly:first-sat", "2025-06-20"), Some(d("2025-06-07")));
        assert_eq!(period("monthly:second-tue", "2025-06-20"), Some(d("2025-06-10")));
        assert_eq!(period("monthly:third-wed", "2025-06-20"), Some(d("2025-06-18")));
        assert_eq!(period("monthly:fourth-fri", "2025-06-20"), Some(d("2025-06-27")));
        assert_eq!(period("monthly:last-fri", "2025-06-01"), Some(d("2025-06-27")));
        assert_eq!(period("monthly:last-mon", "2025-06-01"), Some(d("2025-06-30")));
        assert_eq!(period("monthly:last-sun", "2025-06-01"), Some(d("2025-06-29")));
        // Leap February 2024 starts on a Thursday and has five Thursdays.
        assert_eq!(period("monthly:last-thu", "2024-02-01"), Some(d("2024-02-29")));
        assert_eq!(period("monthly:fourth-thu", "2024-02-01"), Some(d("2024-02-22")));
        assert_eq!(period("monthly:last-fri", "2024-02-01"), Some(d("2024-02-23")));
        // February 2026 starts on a Sunday and has exactly four of each weekday.
        assert_eq!(period("monthly:last-sat", "2026-02-01"), Some(d("2026-02-28")));
        assert_eq!(period("monthly:fourth-sat", "2026-02-01"), Some(d("2026-02-28")));
    }

    #[test]
    fn daily_and_weekdays() {
        assert_eq!(period("daily", "2025-06-07"), Some(d("2025-06-07")));
        assert_eq!(period("weekdays", "2025-06-06"), Some(d("2025-06-06"))); // Friday
        assert_eq!(period("weekdays", "2025-06-07"), None); // Saturday
        assert_eq!(period("weekdays", "2025-06-08"), None); // Sunday
        assert_eq!(period("weekdays", "2025-06-09"), Some(d("2025-06-09"))); // Monday
    }

    #[test]
    fn previous_for_every_variant() {
        let prev = |schedule: &str, date: &str| s(schedule).previous(d(date));
        assert_eq!(prev("weekly:thu", "2025-01-02"), d("2024-12-26"));
        assert_eq!(prev("weekly:thu", "2025-06-05"), d("2025-05-29"));
        assert_eq!(prev("biweekly:thu@2025-01-02", "2025-01-02"), d("2024-12-19"));
        assert_eq!(prev("biweekly:thu@2025-01-02", "2025-01-16"), d("2025-01-02"));
        assert_eq!(prev("monthly:15", "2025-01-15"), d("2024-12-15"));
        assert_eq!(prev("monthly:31", "2025-03-31"), d("2025-02-28"));
        assert_eq!(prev("monthly:31", "2024-03-31"), d("2024-02-29"));
        assert_eq!(prev("monthly:31", "2025-02-28"), d("2025-01-31"));
        assert_eq!(prev("monthly:last", "2025-03-31"), d("2025-02-28"));
        assert_eq!(prev("monthly:last", "2025-05-31"), d("2025-04-30"));
        assert_eq!(prev("monthly:last-fri", "2025-06-27"), d("2025-05-30"));
        assert_eq!(prev("monthly:first-mon", "2025-01-06"), d("2024-12-02"));
        assert_eq!(prev("daily", "2025-01-01"), d("2024-12-31"));
        assert_eq!(prev("daily", "2024-03-01"), d("2024-02-29"));
        assert_eq!(prev("weekdays", "2025-06-09"), d("2025-06-06")); // Monday → Friday
        assert_eq!(prev("weekdays", "2025-06-10"), d("2025-06-09"));
        assert_eq!(prev("weekdays", "2025-06-07"), d("2025-06-06")); // Saturday → Friday
        assert_eq!(prev("weekdays", "2025-06-08"), d("2025-06-06")); // Sunday → Friday
    }

    #[test]
    fn previous_chains_back_period_by_period() {
        let sched = s("monthly:last-fri");
        let mut date = sched.period_date(d("2025-03-10")).expect("due");
        let mut seen = vec![date];
        for _ in 0..3 {
            date = sched.previous(date);
            seen.push(date);
        }
        assert_eq!(seen, [d("2025-03-28"), d("2025-02-28"), d("2025-01-31"), d("2024-12-27")]);
    }

    /// `(start, end)` of the period named by the page date of the period holding `today`.
    fn days(schedule: &str, today: &str) -> (NaiveDate, NaiveDate) {
        let sched = s(schedule);
        let date = sched.period_date(d(today)).expect("due");
        let period = sched.period(date);
        assert_eq!(period.date, date);
        (period.start, period.end)
    }

    #[test]
    fn weekly_periods_are_iso_weeks() {
        assert_eq!(days("weekly:thu", "2025-06-05"), (d("2025-06-02"), d("2025-06-08")));
        assert_eq!(days("weekly:mon", "2026-02-20"), (d("2026-02-16"), d("2026-02-22")));
        assert_eq!(days("weekly:sun", "2026-02-16"), (d("2026-02-16"), d("2026-02-22")));
        // ISO weeks across a year end: 2025-W01 starts in 2024; 2020-W53 ends in 2021.
        assert_eq!(days("weekly:thu", "2024-12-30"), (d("2024-12-30"), d("2025-01-05")));
        assert_eq!(days("weekly:fri", "2021-01-03"), (d("2020-12-28"), d("2021-01-03")));
        assert_eq!(days("weekly:mon", "2026-01-01"), (d("2025-12-29"), d("2026-01-04")));
    }

    #[test]
    fn biweekly_periods_are_the_blocks() {
        let sched = "biweekly:thu@2025-01-02";
        assert_eq!(days(sched, "2025-01-12"), (d("2024-12-30"), d("2025-01-12")));
        assert_eq!(days(sched, "2025-01-13"), (d("2025-01-13"), d("2025-01-26")));
        // Before the anchor.
        assert_eq!(days(sched, "2024-12-29"), (d("2024-12-16"), d("2024-12-29")));
        assert_eq!(days(sched, "2024-12-15"), (d("2024-12-02"), d("2024-12-15")));
        assert_eq!(days(sched, "2023-06-01"), (d("2023-05-22"), d("2023-06-04")));
        // A Sunday anchor: its block starts on the Monday before it.
        assert_eq!(days("biweekly:sun@2025-01-05", "2025-01-19"), (d("2025-01-13"), d("2025-01-26")));
    }

    #[test]
    fn monthly_periods_are_calendar_months() {
        assert_eq!(days("monthly:15", "2025-06-20"), (d("2025-06-01"), d("2025-06-30")));
        assert_eq!(days("monthly:last", "2025-02-03"), (d("2025-02-01"), d("2025-02-28")));
        assert_eq!(days("monthly:31", "2024-02-03"), (d("2024-02-01"), d("2024-02-29")));
        assert_eq!(days("monthly:first-mon", "2100-02-03"), (d("2100-02-01"), d("2100-02-28")));
        assert_eq!(days("monthly:last-fri", "2000-02-03"), (d("2000-02-01"), d("2000-02-29")));
        assert_eq!(days("monthly:1", "2025-12-31"), (d("2025-12-01"), d("2025-12-31")));
        assert_eq!(days("monthly:second-tue", "2025-04-01"), (d("2025-04-01"), d("2025-04-30")));
    }

    #[test]
    fn daily_and_weekday_periods_are_the_day() {
        assert_eq!(days("daily", "2024-02-29"), (d("2024-02-29"), d("2024-02-29")));
        assert_eq!(days("weekdays", "2026-02-20"), (d("2026-02-20"), d("2026-02-20")));
        assert_eq!(s("weekdays").period(d("2026-02-21")), Period::day(d("2026-02-21")));
    }

    /// Every period holds its date and today, and meets the period before it (`weekdays` skips
    /// the weekend), over four years of days for every kind of schedule.
    #[test]
    fn periods_hold_their_date_and_tile_the_calendar() {
        for text in ["weekly:wed", "biweekly:fri@2025-01-03", "monthly:31", "monthly:last-mon", "daily", "weekdays"] {
            let sched = s(text);
            let mut today = d("2023-11-20");
            while today < d("2027-12-31") {
                if let Some(date) = sched.period_date(today) {
                    let period = sched.period(date);
                    assert!(period.start <= today && today <= period.end, "{text} {today}: {period:?}");
                    assert!(period.start <= date && date <= period.end, "{text} {today}: {period:?}");
                    let again = sched.period(period.end);
                    assert_eq!((again.start, again.end), (period.start, period.end), "{text} {today}");
                    let before = sched.period(sched.previous(date));
                    let gap = (period.start - before.end).num_days();
                    let expected = if text == "weekdays" && period.start.weekday() == Weekday::Mon { 3 } else { 1 };
                    assert_eq!(gap, expected, "{text} {today}: {before:?} then {period:?}");
                }
                today = add_days(today, 1);
            }
        }
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        for text in ["weekly:sun", "biweekly:mon@2025-01-06", "monthly:last-fri", "daily"] {
            let sched = s(text);
            for date in [NaiveDate::MIN, NaiveDate::MAX] {
                let _ = sched.period_date(date);
                let _ = sched.previous(date);
                let period = sched.period(date);
                assert!(period.start <= period.end, "{text} {date}: {period:?}");
            }
        }
    }
}
