//! The reminder against the in-memory Confluence: who is named, what is read, that nothing is
//! written.

use chrono::NaiveDate;

use super::{Remind, RemindError, remind};
use crate::confluence::memory::Memory;
use crate::ensure::Report;
use crate::ensure::tests::no_off_days;
use crate::offdays::{OffDays, SkipList};

const TEAM: &str = include_str!("../storage/fixtures/korean_team.xml");

fn thursday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 5).unwrap()
}

fn setup() -> (Memory, Report, String) {
    let memory = Memory::default();
    let report = site(&memory);
    let title = crate::ensure::this_period_page(&report, thursday(), &crate::offdays::OffDays::default()).unwrap().1;
    let id = memory.add_page("TEAM", Some(&report.root_page_id), &title, TEAM);
    for (n, name) in ["김철수", "이영희", "박민수"].iter().enumerate() {
        memory.add_person(&format!("8a7f808a8b2c4e01018b2c5f3e2a000{}", n + 1), name);
    }
    (memory, report, id)
}

/// A root page in space TEAM, and the default report under it.
fn site(memory: &Memory) -> Report {
    let root = memory.add_page("TEAM", None, "Weekly Reports", "<p>root</p>");
    Report { root_page_id: root, ..crate::ensure::tests::report() }
}

fn plan() -> Remind {
    Remind { names: vec!["금주 진행 내역".into()], people: Default::default() }
}

#[tokio::test]
async fn mentions_are_named_and_an_edited_row_counts_as_written() {
    let (memory, report, id) = setup();
    memory.edit(&id, &TEAM.replace("API 설계 리뷰 완료", "API 설계 리뷰 완료, 문서화"));
    let outcome = remind(&memory, &report, &plan(), thursday(), false, no_off_days()).await.unwrap();
    assert_eq!(outcome.pending.as_deref(), Some(&["이영희".to_owned(), "박민수".to_owned()][..]));
    assert_eq!(outcome.entries, Some(4));
    assert!(!outcome.created && outcome.due);
    let calls = memory.calls();
    assert!(calls.iter().all(|c| !c.starts_with("create") && !c.starts_with("move")), "{calls:?}");
    let people = calls.iter().filter(|c| c.starts_with("display_names")).count();
    assert_eq!(people, 1, "one batched lookup: {calls:?}");
}

#[tokio::test]
async fn no_page_is_an_error_and_nothing_due_is_no_reminder() {
    let memory = Memory::default();
    let report = site(&memory);
    let err = remind(&memory, &report, &plan(), thursday(), false, no_off_days()).await.unwrap_err();
    assert!(matches!(err, RemindError::NoPage { .. }), "{err}");
    assert!(err.to_string().contains("no page for this period yet"));
    let weekdays = Report { schedule: "weekdays".parse().unwrap(), ..report };
    let saturday = NaiveDate::from_ymd_opt(2025, 6, 7).unwrap();
    let outcome = remind(&memory, &weekdays, &plan(), saturday, false, no_off_days()).await.unwrap();
    assert!(!outcome.due && outcome.pending.is_none());
}

#[tokio::test]
async fn a_name_found_nowhere_is_a_warning() {
    let (memory, report, _) = setup();
    let names = Remind { names: vec!["금주 진행 내역".into(), "Nowhere".into()], people: Default::default() };
    let outcome = remind(&memory, &report, &names, thursday(), false, no_off_days()).await.unwrap();
    assert_eq!(outcome.pending.as_ref().map(Vec::len), Some(3), "nobody has written");
    assert!(outcome.warnings.iter().any(|w| w.contains("Nowhere")), "{:?}", outcome.warnings);
}

#[tokio::test]
async fn an_off_day_gets_no_reminder_and_a_moved_page_is_found_on_its_day() {
    let (memory, report, _) = setup();
    let off = || std::future::ready(Ok(OffDays::new("2025-06-05".parse::<SkipList>().unwrap(), None)));
    let outcome = remind(&memory, &report, &plan(), thursday(), false, off()).await.unwrap();
    assert!(!outcome.due && outcome.pending.is_none());
    assert_eq!(outcome.skipped.as_deref(), Some("off day 2025-06-05: CONFLUENCE_SKIP"));

    // Moved to Wednesday: the reminder looks for Wednesday's page, which does not exist yet.
    let before = Report { off_day: "before".parse().unwrap(), ..report };
    let err = remind(&memory, &before, &plan(), thursday(), false, off()).await.unwrap_err();
    assert!(err.to_string().contains("2025-06-04"), "{err}");
}
