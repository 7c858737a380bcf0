use chrono::NaiveDate;
use regex::Regex;

use super::{Calendar, CalendarError};

/// As Google Calendar exports a public holiday calendar: CRLF, folded lines, `VALUE=DATE`,
/// escaped commas, a multi-day event and a cancelled one.
const GOOGLE: &str = include_str!("google.ics");
/// As Outlook publishes a calendar: a `VTIMEZONE`, a yearly `RRULE` with an `EXDATE`, a folded
/// `UID`, a timed event, a `DURATION`.
const OUTLOOK: &str = include_str!("outlook.ics");

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The text with CRLF line ends, and with LF ones.
fn both_line_ends(text: &str) -> [String; 2] {
    let lf = text.replace("\r\n", "\n");
    [lf.replace('\n', "\r\n"), lf]
}

#[test]
fn a_google_export_gives_its_all_day_events_over_their_whole_span() {
    for text in both_line_ends(GOOGLE) {
        let cal = Calendar::parse(&text, None).unwrap();
        assert_eq!(cal.len(), 3, "the cancelled event does not count");
        assert_eq!(cal.event_on(d("2025-05-01")), Some("근로자의 날"));
        assert_eq!(cal.event_on(d("2025-04-30")), None);
        assert_eq!(cal.event_on(d("2025-05-02")), None, "DTEND is exclusive");
        for day in ["2025-10-05", "2025-10-06", "2025-10-07"] {
            assert_eq!(cal.event_on(d(day)), Some("추석 연휴"), "{day}");
        }
        assert_eq!(cal.event_on(d("2025-10-08")), None);
        assert_eq!(cal.event_on(d("2025-05-05")), Some("어린이날 (관측), 대체"), "escapes undone");
        assert_eq!(cal.event_on(d("2025-05-08")), None, "STATUS:CANCELLED never counts");
    }
}

#[test]
fn an_outlook_export_recurs_yearly_minus_its_exdate_and_ignores_timed_events() {
    for text in both_line_ends(OUTLOOK) {
        let cal = Calendar::parse(&text, None).unwrap();
        assert_eq!(cal.len(), 3, "the timed event does not count");
        for year in [2023, 2025, 2026, 2030] {
            let day = NaiveDate::from_ymd_opt(year, 5, 1).unwrap();
            assert_eq!(cal.event_on(day), Some("Labor Day (team off)"), "{day}");
        }
        assert_eq!(cal.event_on(d("2024-05-01")), None, "EXDATE");
        assert_eq!(cal.event_on(d("2022-05-01")), None, "before DTSTART");
        assert_eq!(cal.event_on(d("2025-05-02")), None);
        assert_eq!(cal.event_on(d("2025-06-12")), Some("Team offsite"));
        assert_eq!(cal.event_on(d("2025-06-13")), Some("Team offsite"));
        assert_eq!(cal.event_on(d("2025-06-14")), None);
        assert_eq!(cal.event_on(d("2025-06-22")), Some("Workshop week"), "DURATION:P1W, bare date");
        assert_eq!(cal.event_on(d("2025-06-23")), None);
    }
}

#[test]
fn holidays_match_keeps_only_the_events_whose_summary_it_finds() {
    let only = Regex::new("연휴|근로자").unwrap();
    let cal = Calendar::parse(GOOGLE, Some(&only)).unwrap();
    assert_eq!(cal.event_on(d("2025-05-01")), Some("근로자의 날"));
    assert_eq!(cal.event_on(d("2025-10-06")), Some("추석 연휴"));
    assert_eq!(cal.event_on(d("2025-05-05")), None);
}

#[test]
fn a_recurring_multi_day_event_covers_each_occurrence_s_span() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Summer break\nDTSTART;VALUE=DATE:20240729\nDTEND;VALUE=DATE:20240803\nRRULE:FREQ=YEARLY;UNTIL=20260101\nEXDATE;VALUE=DATE:20250729\nEND:VEVENT\nEND:VCALENDAR\n";
    let cal = Calendar::parse(text, None).unwrap();
    assert_eq!(cal.event_on(d("2024-08-02")), Some("Summer break"));
    assert_eq!(cal.event_on(d("2024-08-03")), None);
    assert_eq!(cal.event_on(d("2025-07-31")), None, "that year's occurrence is excluded");
    assert_eq!(cal.event_on(d("2026-07-31")), None, "UNTIL");
}

#[test]
fn what_is_not_a_calendar_says_so_without_quoting_it() {
    let html = "<!DOCTYPE html><html><body>Sign in to continue</body></html>";
    assert!(matches!(Calendar::parse(html, None), Err(CalendarError::NotACalendar)));
    assert!(matches!(Calendar::parse("", None), Err(CalendarError::NotACalendar)));
    let broken =
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Broken\nDTSTART;VALUE=DATE:2025-13-45\nEND:VEVENT\nEND:VCALENDAR\n";
    let err = Calendar::parse(broken, None).unwrap_err().to_string();
    assert!(err.contains("\"Broken\"") && err.contains("DTSTART"), "{err}");
    let bad_rule = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:R\nDTSTART;VALUE=DATE:20250101\nRRULE:FREQ=SOMETIMES\nEND:VEVENT\nEND:VCALENDAR\n";
    assert!(Calendar::parse(bad_rule, None).unwrap_err().to_string().contains("RRULE"));
}
