//! The run logic against the in-memory Confluence: no server, no clock.

use chrono::NaiveDate;

use super::*;
use crate::confluence::memory::Memory;

const SPACE: &str = "TEAM";
/// A Thursday: the default schedule's page for this week is "2025-06-05 Weekly Report".
const THURSDAY: (i32, u32, u32) = (2025, 6, 5);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(THURSDAY.0, THURSDAY.1, THURSDAY.2).unwrap()
}

/// The default report (root unset): the filing tests start from it too.
pub(crate) fn report() -> Report {
    Report {
        name: "default".into(),
        root_page_id: String::new(),
        space_key: None,
        title: "{date} Weekly Report".parse().unwrap(),
        schedule: "weekly:thu".parse().unwrap(),
        lookback: 4,
        template_page_id: None,
        source: SourceMode::Previous,
        carry: Carry { labels: true, attachments: true },
        prepare: crate::storage::Prepare::default(),
        replace_dates: DateShift::Off,
        off_day: OffDayRule::Skip,
    }
}

/// The shared weekly fixture's flat root (its 75 Thursday pages) in the space; returns the
/// report pointing at it (the filing tests and `run`'s start from it).
pub(crate) fn weekly_report(memory: &Memory) -> Report {
    use fake_confluence::weekly;
    let root = memory.add_page(SPACE, None, weekly::ROOT, "<p>root</p>");
    for day in weekly::thursdays() {
        memory.add_page(SPACE, Some(&root), &weekly::title(day), "<p>week</p>");
    }
    Report { root_page_id: root, title: weekly::TEMPLATE.parse().unwrap(), ..report() }
}

/// A space with a root page; returns the report pointing at it.
fn site(memory: &Memory) -> Report {
    let root = memory.add_page(SPACE, None, "Weekly Reports", "<p>root</p>");
    Report { root_page_id: root, ..report() }
}

/// No off days, ready at once.
pub(crate) fn no_off_days() -> std::future::Ready<Result<OffDays, HolidaysError>> {
    std::future::ready(Ok(OffDays::default()))
}

fn options(dry_run: bool) -> Options {
    Options { dry_run, lost_answer_retries: 4, concurrency: 4 }
}

async fn run(memory: &Memory, report: &Report) -> Result<Outcome, EnsureError> {
    ensure(memory, report, today(), &options(false), no_off_days()).await.map(|ensured| ensured.outcome)
}

#[tokio::test]
async fn copies_the_previous_period_with_labels_and_attachments() {
    let memory = Memory::default();
    let report = site(&memory);
    let previous = memory.add_page(SPACE, Some(&report.root_page_id), "2025-05-29 Weekly Report", "<p>last week</p>");
    memory.add_label(&previous, "weekly");
    memory.add_attachment(&previous, "chart.png");
    let outcome = run(&memory, &report).await.unwrap();
    assert!(outcome.created && outcome.due);
    assert_eq!(outcome.source_page_id.as_deref(), Some(previous.as_str()));
    let [page] = &memory.titled("2025-06-05 Weekly Report")[..] else { panic!("one page") };
    assert_eq!(page.parent.as_deref(), Some(report.root_page_id.as_str()));
    assert_eq!(page.body, "<p>last week</p>");
    assert_eq!((page.labels.clone(), page.attachments.clone()), (vec!["weekly".into()], vec!["chart.png".into()]));
    assert_eq!(outcome.page_id.as_deref(), Some(page.id.as_str()));

    // A second run finds it and writes nothing.
    let again = run(&memory, &report).await.unwrap();
    assert!(!again.created);
    assert_eq!(again.page_id, outcome.page_id);
    assert_eq!(memory.pages().len(), 3);
}

#[tokio::test]
async fn lookback_searches_newest_first_and_copies_the_newest_found() {
    let memory = Memory::default();
    let report = Report { lookback: 3, ..site(&memory) };
    let older = memory.add_page(SPACE, None, "2025-05-08 Weekly Report", "<p>older</p>");
    memory.add_page(SPACE, None, "2025-05-01 Weekly Report", "<p>oldest</p>");
    let outcome = run(&memory, &report).await.unwrap();
    assert_eq!(outcome.source_page_id.as_deref(), Some(older.as_str()));
    let finds: Vec<String> = memory.calls().into_iter().filter(|c| c.starts_with("find 2025-05")).collect();
    assert_eq!(
        finds,
        [
            "find 2025-05-29 Weekly Report",
            "find 2025-05-22 Weekly Report",
            "find 2025-05-15 Weekly Report",
            "find 2025-05-08 Weekly Report",
        ],
        "the previous period, then lookback 3 more, newest first; never further"
    );
}

#[tokio::test]
async fn the_template_page_is_the_last_resort_and_no_source_names_every_title() {
    let memory = Memory::default();
    let report = Report { lookback: 1, ..site(&memory) };
    let err = run(&memory, &report).await.unwrap_err();
    assert!(matches!(&err, EnsureError::NoSource { searched } if searched.len() == 2), "{err}");
    assert!(err.to_string().contains("\"2025-05-29 Weekly Report\", \"2025-05-22 Weekly Report\""), "{err}");

    let template = memory.add_page(SPACE, None, "Report template", "<p>template</p>");
    let report = Report { template_page_id: Some(template.clone()), ..report };
    let outcome = run(&memory, &report).await.unwrap();
    assert_eq!(outcome.source_page_id.as_deref(), Some(template.as_str()));
    assert_eq!(memory.titled("2025-06-05 Weekly Report")[0].body, "<p>template</p>");
}

#[tokio::test]
async fn template_mode_ignores_earlier_periods() {
    let memory = Memory::default();
    let template = memory.add_page(SPACE, None, "Report template", "<p>template</p>");
    let report = Report { source: SourceMode::Template, template_page_id: Some(template.clone()), ..site(&memory) };
    memory.add_page(SPACE, None, "2025-05-29 Weekly Report", "<p>last week</p>");
    let outcome = run(&memory, &report).await.unwrap();
    assert_eq!(outcome.source_page_id.as_deref(), Some(template.as_str()));
    assert!(!memory.calls().iter().any(|c| c == "find 2025-05-29 Weekly Report"));
}

#[tokio::test]
async fn a_lost_create_answer_is_rechecked_and_the_page_found_is_ours() {
    let memory = Memory::default();
    let report = site(&memory);
    let previous = memory.add_page(SPACE, None, "2025-05-29 Weekly Report", "<p>x</p>");
    memory.add_label(&previous, "weekly");
    memory.lose_create_answers(1);
    let outcome = run(&memory, &report).await.unwrap();
    assert!(outcome.created, "the re-check found the page this run made");
    let pages = memory.titled("2025-06-05 Weekly Report");
    assert_eq!(pages.len(), 1, "no second create");
    assert_eq!(pages[0].labels, ["weekly"], "its labels are still copied");
    assert_eq!(memory.calls().iter().filter(|c| c.starts_with("create")).count(), 1);
}

#[tokio::test]
async fn a_lost_answer_then_a_duplicate_refusal_is_looked_up() {
    let memory = Memory::default();
    let report = site(&memory);
    memory.add_page(SPACE, None, "2025-05-29 Weekly Report", "<p>x</p>");
    memory.lose_create_answers(1);
    // The committed page shows up only after the first re-check, so the retry is refused.
    memory.hide_created_pages_for(1);
    let previous = memory.titled("2025-05-29 Weekly Report")[0].id.clone();
    memory.add_label(&previous, "weekly");
    memory.add_attachment(&previous, "chart.png");
    let outcome = run(&memory, &report).await.unwrap();
    let pages = memory.titled("2025-06-05 Weekly Report");
    assert_eq!(pages.len(), 1, "one page");
    assert_eq!(memory.calls().iter().filter(|c| c.starts_with("create")).count(), 2);
    assert_eq!(outcome.page_id, Some(pages[0].id.clone()));
    assert!(outcome.created, "the page is this run's own: its first answer was lost");
    assert_eq!(
        (pages[0].labels.clone(), pages[0].attachments.clone()),
        (vec!["weekly".into()], vec!["chart.png".into()])
    );
}

#[tokio::test]
async fn a_page_the_account_cannot_see_holding_the_title_is_explained() {
    let memory = Memory::default();
    let report = site(&memory);
    memory.add_page(SPACE, None, "2025-05-29 Weekly Report", "<p>x</p>");
    let other = memory.add_page(SPACE, Some(&report.root_page_id), "2025-06-05 Weekly Report", "<p>theirs</p>");
    memory.restrict(&other);
    let err = run(&memory, &report).await.unwrap_err();
    assert!(matches!(err, EnsureError::HiddenTitle { .. }), "{err}");
    assert!(err.to_string().contains("can see no page") && err.to_string().contains("restricted"), "{err}");
    let asked: Vec<String> =
        memory.calls().into_iter().filter(|c| c.contains("archived") || c.starts_with("search")).collect();
    assert_eq!(asked.len(), 2, "archived pages and case variants were ruled out first: {asked:?}");
}

#[tokio::test]
async fn an_archived_page_holding_the_title_is_named() {
    let memory = Memory::default();
    let report = site(&memory);
    memory.add_page(SPACE, None, "2025-05-29 Weekly Report", "<p>x</p>");
    let archived = memory.add_page(SPACE, None, "2025-06-05 Weekly Report", "<p>old</p>");
    memory.archive(&archived);
    let err = run(&memory, &report).await.unwrap_err();
    assert!(matches!(&err, EnsureError::Archived { url, .. } if url.ends_with(&archived)), "{err}");
    assert!(err.to_string().contains("archived") && err.to_string().contains("Restore"), "{err}");
    assert!(!err.to_string().contains("letter case"), "{err}");
}

#[tokio::test]
async fn a_duplicate_refusal_with_only_a_case_variant_is_explained_not_guessed() {
    let memory = Memory::default();
    let report = site(&memory);
    memory.add_page(SPACE, None, "2025-05-29 Weekly Report", "<p>x</p>");
    memory.add_page(SPACE, None, "2025-06-05 weekly report", "<p>lower case</p>");
    let err = run(&memory, &report).await.unwrap_err();
    assert!(matches!(&err, EnsureError::CaseClash { existing, .. } if existing == "2025-06-05 weekly report"), "{err}");
    assert!(
        err.to_string().contains("letter case") && err.to_string().contains("\"2025-06-05 weekly report\""),
        "{err}"
    );
    assert_eq!(memory.pages().len(), 3, "nothing created");
}

#[tokio::test]
async fn dry_run_reads_but_writes_nothing() {
    let memory = Memory::default();
    let report = site(&memory);
    let previous = memory.add_page(SPACE, None, "2025-05-29 Weekly Report", "<p>x</p>");
    let outcome = ensure(&memory, &report, today(), &options(true), no_off_days()).await.unwrap().outcome;
    assert!(outcome.dry_run && outcome.due && !outcome.created);
    assert_eq!(outcome.source_page_id.as_deref(), Some(previous.as_str()));
    assert_eq!(outcome.page_title.as_deref(), Some("2025-06-05 Weekly Report"));
    assert!(outcome.page_id.is_none());
    assert_eq!(memory.pages().len(), 2);
    assert!(!memory.calls().iter().any(|c| c.starts_with("create") || c.starts_with("add") || c.starts_with("copy")));
}

#[tokio::test]
async fn nothing_due_sends_nothing() {
    let memory = Memory::default();
    let report = Report { schedule: "weekdays".parse().unwrap(), ..site(&memory) };
    let saturday = NaiveDate::from_ymd_opt(2025, 6, 7).unwrap();
    let outcome = ensure(&memory, &report, saturday, &options(false), no_off_days()).await.unwrap().outcome;
    assert!(!outcome.due && outcome.page_title.is_none());
    assert_eq!(memory.calls().len(), 0);
}

#[tokio::test]
async fn a_missing_root_or_space_is_named() {
    let memory = Memory::default();
    let report = Report { root_page_id: "999999".into(), ..report() };
    let err = run(&memory, &report).await.unwrap_err();
    assert!(matches!(err, EnsureError::RootNotFound { .. }), "{err}");
    assert!(err.to_string().contains("999999") && err.to_string().contains("CONFLUENCE_ROOT_PAGE_ID"), "{err}");

    let report = Report { space_key: Some("NOPE".into()), ..site(&memory) };
    let err = run(&memory, &report).await.unwrap_err();
    assert!(matches!(err, EnsureError::SpaceNotFound { .. }), "{err}");
    assert!(err.to_string().contains("`NOPE` (CONFLUENCE_SPACE_KEY)"), "{err}");
    assert!(!err.to_string().contains("CONFLUENCE_ROOT_PAGE_ID"), "names the space, not the root page: {err}");
}

fn restricted() -> crate::confluence::Restrictions {
    use crate::confluence::{UserId, Who};
    let user = |name: &str| UserId { username: Some(name.into()), ..UserId::default() };
    crate::confluence::Restrictions {
        read: Who { users: vec![user("alice")], groups: vec!["team-a".into()] },
        update: Who { users: vec![user("bob")], groups: vec![] },
    }
}

fn full_width() -> Vec<crate::confluence::Property> {
    ["content-appearance-published", "content-appearance-draft"]
        .map(|key| crate::confluence::Property { key: key.into(), value: serde_json::json!("full-width") })
        .to_vec()
}

/// A source page with restrictions, properties, a label and an attachment; returns the report.
fn protected_source(memory: &Memory) -> Report {
    let report = site(memory);
    let previous = memory.add_page(SPACE, None, "2025-05-29 Weekly Report", "<p>x</p>");
    memory.add_label(&previous, "weekly");
    memory.add_attachment(&previous, "chart.png");
    memory.set_restrictions(&previous, restricted());
    for property in full_width() {
        memory.set_property(&previous, &property.key, property.value);
    }
    report
}

#[tokio::test]
async fn a_created_copy_gets_the_source_restrictions_first_then_the_rest() {
    let memory = Memory::default();
    let report = protected_source(&memory);
    let outcome = run(&memory, &report).await.unwrap();
    let page = memory.titled("2025-06-05 Weekly Report").remove(0);
    assert!(outcome.created);
    assert_eq!(page.restrictions, restricted(), "exactly the source's view and edit restrictions");
    assert_eq!(page.properties, full_width(), "full width stays full width");
    assert_eq!((page.labels, page.attachments), (vec!["weekly".to_owned()], vec!["chart.png".to_owned()]));
    let calls = memory.calls();
    let at = |prefix: &str| {
        calls.iter().position(|c| c.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix}: {calls:?}"))
    };
    assert!(at("restrict ") < at("add labels") && at("restrict ") < at("copy chart.png"), "{calls:?}");
}

#[tokio::test]
async fn an_unrestricted_source_needs_no_restriction_write() {
    let memory = Memory::default();
    let report = site(&memory);
    memory.add_page(SPACE, None, "2025-05-29 Weekly Report", "<p>x</p>");
    run(&memory, &report).await.unwrap();
    assert!(!memory.calls().iter().any(|c| c.starts_with("restrict ")), "{:?}", memory.calls());
}

#[tokio::test]
async fn a_copy_that_cannot_be_restricted_is_deleted_again() {
    let memory = Memory::default();
    let report = protected_source(&memory);
    memory.refuse_restrictions();
    let err = run(&memory, &report).await.unwrap_err();
    assert!(matches!(err, EnsureError::Restrictions { .. }), "{err}");
    assert!(err.to_string().contains("deleted again"), "{err}");
    assert!(memory.titled("2025-06-05 Weekly Report").is_empty(), "no page left behind");
    assert!(!memory.calls().iter().any(|c| c.starts_with("add labels")), "nothing else was copied first");
}

#[tokio::test]
async fn a_refused_property_is_only_a_warning() {
    let memory = Memory::default();
    let report = protected_source(&memory);
    memory.refuse_property("content-appearance-draft");
    let outcome = run(&memory, &report).await.unwrap();
    assert!(outcome.created);
    let page = memory.titled("2025-06-05 Weekly Report").remove(0);
    assert_eq!(page.properties, full_width()[..1].to_vec());
}

#[tokio::test]
async fn the_copy_endpoint_makes_the_page_in_one_request() {
    let memory = Memory::default();
    let report = Report { carry: Carry { labels: true, attachments: false }, ..protected_source(&memory) };
    memory.offer_copy_endpoint();
    let before = memory.calls().len();
    let outcome = run(&memory, &report).await.unwrap();
    assert!(outcome.created);
    let page = memory.titled("2025-06-05 Weekly Report").remove(0);
    assert_eq!((page.restrictions.clone(), page.properties.clone()), (restricted(), full_width()));
    assert_eq!((page.labels, page.attachments), (vec!["weekly".to_owned()], vec![]), "labels yes, attachments off");
    let writes: Vec<String> =
        memory.calls()[before..].iter().filter(|c| !c.starts_with("root") && !c.starts_with("find")).cloned().collect();
    assert_eq!(writes, ["copy 101 as 2025-06-05 Weekly Report"], "one request, nothing read or written after it");
}

#[tokio::test]
async fn a_lost_copy_answer_is_rechecked_not_repeated() {
    let memory = Memory::default();
    let report = protected_source(&memory);
    memory.offer_copy_endpoint();
    memory.lose_create_answers(1);
    let outcome = run(&memory, &report).await.unwrap();
    assert!(outcome.created);
    assert_eq!(memory.titled("2025-06-05 Weekly Report").len(), 1);
    assert_eq!(memory.calls().iter().filter(|c| c.starts_with("copy 101")).count(), 1);
    assert_eq!(memory.titled("2025-06-05 Weekly Report")[0].restrictions, restricted());
}

/// Where the tests of [`copy::make`] put the new page.
fn place<'a>(space: &'a Space, report: &'a Report) -> copy::Place<'a> {
    copy::Place { space, parent_id: &report.root_page_id, title: "2025-06-05 Weekly Report" }
}

#[tokio::test]
async fn a_page_source_without_a_copy_endpoint_is_created_with_the_new_body_and_given_the_rest() {
    let memory = Memory::default();
    let report = protected_source(&memory);
    let source = memory.titled("2025-05-29 Weekly Report")[0].id.clone();
    let space = Space(SPACE.into());
    let carry = Carry { labels: false, attachments: true };
    let from = copy::CopySource::Page { id: &source, body: "<p>new body</p>", carry };
    let copy::Made::ByThisRun(page) = copy::make(&memory, &from, place(&space, &report), 4).await.unwrap() else {
        panic!("made by this run")
    };
    let made = memory.titled("2025-06-05 Weekly Report").remove(0);
    assert_eq!((made.id.as_str(), made.parent.as_deref()), (page.id.as_str(), Some(report.root_page_id.as_str())));
    assert_eq!(made.body, "<p>new body</p>", "the body given, not the source's");
    assert_eq!((made.restrictions, made.properties), (restricted(), full_width()));
    assert_eq!((made.labels, made.attachments), (vec![], vec!["chart.png".to_owned()]), "labels off, attachments on");
    assert!(!memory.calls().iter().any(|c| c.starts_with("labels ")), "labels not even read: {:?}", memory.calls());
}

#[tokio::test]
async fn a_body_source_is_created_with_its_body_and_labels_and_nothing_else() {
    let memory = Memory::default();
    let report = site(&memory);
    // Even where Confluence offers the copy endpoint, a body has no page to copy.
    memory.offer_copy_endpoint();
    let space = Space(SPACE.into());
    let labels = ["weekly".to_owned(), "archive".to_owned()];
    let from = copy::CopySource::Body { body: "<p>children</p>", labels: &labels };
    let before = memory.calls().len();
    let copy::Made::ByThisRun(page) = copy::make(&memory, &from, place(&space, &report), 4).await.unwrap() else {
        panic!("made by this run")
    };
    let made = memory.titled("2025-06-05 Weekly Report").remove(0);
    assert_eq!((made.body.as_str(), made.labels.as_slice()), ("<p>children</p>", &labels[..]));
    assert_eq!(made.restrictions, crate::confluence::Restrictions::default(), "no restrictions of its own");
    let calls = &memory.calls()[before..];
    assert_eq!(calls, [format!("create {}", made.title), format!("add labels {}", page.id)], "no copy, no restriction");
}

#[tokio::test]
async fn a_body_source_whose_title_another_run_took_adds_no_labels() {
    let memory = Memory::default();
    let report = site(&memory);
    let theirs = memory.add_page(SPACE, Some(&report.root_page_id), "2025-06-05 Weekly Report", "<p>theirs</p>");
    let space = Space(SPACE.into());
    let labels = ["weekly".to_owned()];
    let from = copy::CopySource::Body { body: "<p>children</p>", labels: &labels };
    let copy::Made::ByAnotherRun(page) = copy::make(&memory, &from, place(&space, &report), 4).await.unwrap() else {
        panic!("the other run made it")
    };
    assert_eq!(page.id, theirs);
    assert!(memory.titled("2025-06-05 Weekly Report")[0].labels.is_empty());
    assert!(!memory.calls().iter().any(|c| c.starts_with("add labels")), "{:?}", memory.calls());
}

/// Monday–Friday titles (`{start}` with an offset) on `weekly:mon`: each week's page is made from
/// last week's (found by its rendered title, its dates replaced), a rerun finds it, and a missed
/// week is bridged by the lookback.
#[tokio::test]
async fn start_and_offset_titles_are_made_and_found_week_after_week() {
    let memory = Memory::default();
    let report = Report {
        title: "{start:%Y.%m.%d} ~ {start+4:%Y.%m.%d}".parse().unwrap(),
        schedule: "weekly:mon".parse().unwrap(),
        replace_dates: DateShift::Title,
        ..site(&memory)
    };
    let body = "<p>2026.02.09 ~ 2026.02.13, due 2026-02-09</p>";
    let first = memory.add_page(SPACE, Some(&report.root_page_id), "2026.02.09 ~ 2026.02.13", body);
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    let run_on = |text: &str| {
        let today = day(text);
        let report = &report;
        let memory = &memory;
        async move {
            ensure(memory, report, today, &options(false), no_off_days()).await.map(|ensured| ensured.outcome).unwrap()
        }
    };

    let outcome = run_on("2026-02-18").await; // a Wednesday
    assert!(outcome.created, "{outcome:?}");
    assert_eq!(outcome.page_title.as_deref(), Some("2026.02.16 ~ 2026.02.20"));
    assert_eq!(outcome.source_page_id.as_deref(), Some(first.as_str()));
    let [page] = &memory.titled("2026.02.16 ~ 2026.02.20")[..] else { panic!("one page") };
    assert_eq!(page.body, "<p>2026.02.16 ~ 2026.02.20, due 2026-02-16</p>");
    assert!(!run_on("2026-02-22").await.created, "the rerun on Sunday finds it");

    let outcome = run_on("2026-02-23").await;
    assert_eq!(outcome.page_title.as_deref(), Some("2026.02.23 ~ 2026.02.27"));
    assert_eq!(outcome.source_page_id.as_deref(), Some(page.id.as_str()));

    // No page for the week of 2026-03-02: the lookback finds the one before it.
    let outcome = run_on("2026-03-09").await;
    let [source] = &memory.titled("2026.02.23 ~ 2026.02.27")[..] else { panic!("one page") };
    assert_eq!(outcome.source_page_id.as_deref(), Some(source.id.as_str()));
    let [page] = &memory.titled("2026.03.09 ~ 2026.03.13")[..] else { panic!("one page") };
    assert_eq!(page.body, "<p>2026.03.09 ~ 2026.03.13, due 2026-03-09</p>");
}

/// Off days: Korea's Labor Day week (Thursday 2025-05-01), from the skip list.
mod off_days;
