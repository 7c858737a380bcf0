//! Off days: Korea's Labor Day week (Thursday 2025-05-01), from the skip list, against Memory.

use super::*;
use crate::offdays::SkipList;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn labor_day() -> std::future::Ready<Result<OffDays, HolidaysError>> {
    std::future::ready(Ok(OffDays::new("2025-05-01".parse::<SkipList>().unwrap(), None)))
}

async fn on(memory: &Memory, report: &Report, today: &str) -> Outcome {
    ensure(memory, report, d(today), &options(false), labor_day()).await.unwrap().outcome
}

/// A root with the page of 2025-04-24.
fn april(memory: &Memory, rule: OffDayRule) -> Report {
    let report = Report { off_day: rule, lookback: 0, ..site(memory) };
    memory.add_page(SPACE, Some(&report.root_page_id), "2025-04-24 Weekly Report", "<p>2025-04-24</p>");
    report
}

#[tokio::test]
async fn a_skipped_period_has_no_page_and_writes_nothing() {
    let memory = Memory::default();
    let report = april(&memory, OffDayRule::Skip);
    let outcome = on(&memory, &report, "2025-04-28").await;
    assert!(!outcome.due && outcome.page_title.is_none() && outcome.report_date.is_none());
    assert_eq!(outcome.skipped.as_deref(), Some("off day 2025-05-01: CONFLUENCE_SKIP"));
    assert!(!memory.calls().iter().any(|c| !c.starts_with("root") && !c.starts_with("space")), "{:?}", memory.calls());
}

#[tokio::test]
async fn the_week_after_a_skipped_one_copies_the_page_before_it_without_using_up_lookback() {
    let memory = Memory::default();
    let report = april(&memory, OffDayRule::Skip);
    let outcome = on(&memory, &report, "2025-05-08").await;
    assert_eq!(outcome.page_title.as_deref(), Some("2025-05-08 Weekly Report"));
    assert!(outcome.created);
    let source = memory.titled("2025-04-24 Weekly Report");
    assert_eq!(outcome.source_page_id.as_deref(), Some(source[0].id.as_str()));
    // Without the off day, LOOKBACK=0 looks at last week only.
    let memory = Memory::default();
    let report = april(&memory, OffDayRule::Skip);
    let err = ensure(&memory, &report, d("2025-05-08"), &options(false), no_off_days()).await.unwrap_err();
    assert!(matches!(err, EnsureError::NoSource { .. }), "{err}");
}

#[tokio::test]
async fn before_makes_wednesday_s_page_which_a_rerun_finds_and_the_next_week_copies() {
    let memory = Memory::default();
    let report = april(&memory, OffDayRule::Before);
    let made = on(&memory, &report, "2025-05-01").await;
    assert_eq!(made.page_title.as_deref(), Some("2025-04-30 Weekly Report"));
    assert_eq!((made.due, made.created, made.report_date), (true, true, Some(d("2025-04-30"))));
    assert_eq!(made.skipped, None);
    let again = on(&memory, &report, "2025-05-02").await;
    assert_eq!((again.created, again.page_id.clone()), (false, made.page_id.clone()));
    let next = on(&memory, &report, "2025-05-08").await;
    assert_eq!(next.page_title.as_deref(), Some("2025-05-08 Weekly Report"));
    assert_eq!(next.source_page_id, made.page_id, "copied from the moved page");
}

#[tokio::test]
async fn a_moved_period_made_under_its_regular_title_is_still_found() {
    let memory = Memory::default();
    let report = april(&memory, OffDayRule::After);
    let thursday =
        memory.add_page(SPACE, Some(&report.root_page_id), "2025-05-01 Weekly Report", "<p>made by hand</p>");
    let next = on(&memory, &report, "2025-05-08").await;
    assert_eq!(next.source_page_id.as_deref(), Some(thursday.as_str()));
    let calls = memory.calls();
    let moved = calls.iter().position(|c| c.contains("2025-05-02 Weekly Report")).expect("the moved title first");
    let regular = calls.iter().position(|c| c.contains("2025-05-01 Weekly Report")).expect("then the regular one");
    assert!(moved < regular, "{calls:?}");
}

#[tokio::test]
async fn a_calendar_that_cannot_be_had_fails_before_any_write() {
    let memory = Memory::default();
    let report = april(&memory, OffDayRule::Skip);
    let failed = std::future::ready(Err(HolidaysError::Fetch {
        host: "calendar.example.com".into(),
        detail: "HTTP 404".into(),
    }));
    let err = ensure(&memory, &report, d("2025-05-08"), &options(false), failed).await.unwrap_err();
    assert!(
        err.to_string().contains("calendar.example.com") && err.to_string().contains("nothing was written"),
        "{err}"
    );
    assert!(!memory.calls().iter().any(|c| c.starts_with("create")), "{:?}", memory.calls());
}

#[tokio::test]
async fn weekdays_on_a_weekend_say_so() {
    let memory = Memory::default();
    let report = Report { schedule: "weekdays".parse().unwrap(), ..april(&memory, OffDayRule::Before) };
    let outcome = on(&memory, &report, "2025-05-03").await;
    assert_eq!((outcome.due, outcome.skipped.as_deref()), (false, Some("weekend")));
    assert!(memory.calls().is_empty());
    let outcome = on(&memory, &report, "2025-05-01").await;
    assert_eq!(outcome.skipped.as_deref(), Some("off day 2025-05-01: CONFLUENCE_SKIP"), "never moved");
}
