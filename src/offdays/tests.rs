use chrono::NaiveDate;

use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The page day of the period containing `today`, as a run works it out.
fn this_page_day(schedule: &Schedule, rule: OffDayRule, off: &OffDays, today: NaiveDate) -> Result<NaiveDate, Skipped> {
    page_day(schedule, rule, off, schedule.period_date(today).ok_or(Skipped::Weekend)?)
}

fn schedule(s: &str) -> Schedule {
    s.parse().unwrap()
}

/// Labor Day 2025 from a calendar, and the skip list's dates.
fn korea(skip: &str) -> OffDays {
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:근로자의 날\r\nDTSTART;VALUE=DATE:20250501\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    OffDays::new(skip.parse().unwrap(), Some(Calendar::parse(ics, None).unwrap()))
}

#[test]
fn the_skip_list_takes_dates_and_inclusive_ranges_separated_any_way() {
    let list: SkipList = "2025-05-01, 2025-10-03..2025-10-09\n2025-12-25  2026-01-01,".parse().unwrap();
    for day in ["2025-05-01", "2025-10-03", "2025-10-06", "2025-10-09", "2025-12-25", "2026-01-01"] {
        assert!(list.contains(d(day)), "{day}");
    }
    assert!(!list.contains(d("2025-10-10")) && !list.contains(d("2025-05-02")));
    assert_eq!("".parse::<SkipList>(), Ok(SkipList::default()));
    assert_eq!("2025-05-01 5/6".parse::<SkipList>(), Err(SkipError::NotADate("5/6".into())));
    assert_eq!("2025-05-01..".parse::<SkipList>(), Err(SkipError::NotADate("2025-05-01..".into())));
    assert_eq!(
        "2025-05-09..2025-05-01".parse::<SkipList>(),
        Err(SkipError::Backwards("2025-05-09..2025-05-01".into()))
    );
}

#[test]
fn the_reason_names_the_day_and_the_event_or_the_skip_list() {
    let off = korea("2025-05-02");
    assert_eq!(off.is_off(d("2025-05-01")).unwrap().to_string(), "off day 2025-05-01: 근로자의 날");
    assert_eq!(off.is_off(d("2025-05-02")).unwrap().to_string(), "off day 2025-05-02: CONFLUENCE_SKIP");
    assert_eq!(off.is_off(d("2025-05-03")), None);
    assert_eq!(OffDays::default().is_off(d("2025-05-01")), None);
}

#[test]
fn the_rule_parses_in_any_case() {
    assert_eq!("Before".parse(), Ok(OffDayRule::Before));
    assert_eq!(" after".parse(), Ok(OffDayRule::After));
    assert_eq!("skip".parse(), Ok(OffDayRule::Skip));
    assert!("nearest".parse::<OffDayRule>().unwrap_err().to_string().contains("`nearest`"));
}

#[test]
fn labor_day_week_is_skipped_or_moved_to_the_nearest_working_day_of_the_week() {
    let thu = schedule("weekly:thu");
    let off = korea("2025-04-30");
    let skipped = Err(Skipped::OffDay("off day 2025-05-01: 근로자의 날".into()));
    assert_eq!(this_page_day(&thu, OffDayRule::Skip, &off, d("2025-04-28")), skipped);
    // Wednesday is off too: Tuesday.
    assert_eq!(this_page_day(&thu, OffDayRule::Before, &off, d("2025-05-04")), Ok(d("2025-04-29")));
    // Friday, not the weekend.
    assert_eq!(this_page_day(&thu, OffDayRule::After, &off, d("2025-04-28")), Ok(d("2025-05-02")));
    assert_eq!(this_page_day(&thu, OffDayRule::Skip, &off, d("2025-05-08")), Ok(d("2025-05-08")));
    // Friday's page: the next working day would be next week's Monday, outside the period.
    let fri = schedule("weekly:fri");
    let off = korea("2025-05-02");
    assert_eq!(
        page_day(&fri, OffDayRule::After, &off, d("2025-05-02")),
        Err(Skipped::OffDay("off day 2025-05-02: CONFLUENCE_SKIP".into()))
    );
    assert_eq!(page_day(&fri, OffDayRule::Before, &off, d("2025-05-02")), Ok(d("2025-04-30")));
    // A whole week off: nothing to move to.
    let off = korea("2025-04-28..2025-05-04");
    assert!(page_day(&thu, OffDayRule::Before, &off, d("2025-05-01")).is_err());
}

#[test]
fn daily_and_weekdays_are_never_due_on_an_off_day_and_weekdays_not_on_a_weekend() {
    let off = korea("");
    for rule in [OffDayRule::Skip, OffDayRule::Before, OffDayRule::After] {
        for s in ["daily", "weekdays"] {
            assert!(this_page_day(&schedule(s), rule, &off, d("2025-05-01")).is_err(), "{s} {rule:?}");
            assert_eq!(this_page_day(&schedule(s), rule, &off, d("2025-05-02")), Ok(d("2025-05-02")));
        }
    }
    let saturday = d("2025-05-03");
    assert_eq!(this_page_day(&schedule("weekdays"), OffDayRule::Skip, &off, saturday), Err(Skipped::Weekend));
    assert_eq!(Skipped::Weekend.to_string(), "weekend");
}

#[test]
fn a_monthly_page_moves_within_its_month() {
    let first = schedule("monthly:1");
    let off = korea("2025-06-01..2025-06-02");
    // 2025-06-01 is a Sunday, the 2nd is off: Tuesday the 3rd.
    assert_eq!(page_day(&first, OffDayRule::After, &off, d("2025-06-01")), Ok(d("2025-06-03")));
    assert!(page_day(&first, OffDayRule::Before, &off, d("2025-06-01")).is_err(), "nothing earlier in June");
}
