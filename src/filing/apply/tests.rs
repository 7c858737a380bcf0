//! Filing against the in-memory Confluence: whole report runs (the page, then its filing, as
//! `run` joins them), no server.

use chrono::NaiveDate;
use fake_confluence::weekly;
use futures_util::future::join;

use super::{Filing, FilingError, GROUP_BODY, file};
use crate::confluence::Confluence;
use crate::confluence::memory::Memory;
use crate::ensure::{Ensured, Options, Report, ensure};
use crate::filing::Groups;
use crate::outcome::Outcome;

const SPACE: &str = "TEAM";
const YEAR: &str = "주간보고 | 2024";
const Q1_2025: &str = "주간보고 | 2025 1분기";

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn archive() -> Groups {
    Groups::parse(weekly::ARCHIVE).expect("valid lines").expect("two lines")
}

/// The weekly titles (Thursdays) from `from` to `to`, oldest first.
fn weeks(from: &str, to: &str) -> Vec<String> {
    weekly::thursdays_until(d(to)).into_iter().filter(|day| *day >= d(from)).map(weekly::title).collect()
}

/// A root holding the 75 weekly pages of the shared fixture, all flat.
fn flat_root(memory: &Memory) -> Report {
    crate::ensure::tests::weekly_report(memory)
}

/// What a report's run came to: the outcome, and the filing's problems.
struct Ran {
    outcome: Outcome,
    filing: Vec<FilingError>,
}

/// A report's run on the fixture's last Thursday, as `run` does it: the root's children listed
/// beside the page's first lookups when filing, the page, then the filing.
async fn run(memory: &Memory, report: &Report, groups: Option<&Groups>, dry_run: bool) -> Ran {
    let options = Options { dry_run, lost_answer_retries: 4, concurrency: 4 };
    let listing = async {
        match groups {
            Some(_) => Some(memory.children(&report.root_page_id).await),
            None => None,
        }
    };
    let (ensured, listing) =
        join(ensure(memory, report, weekly::last(), &options, crate::ensure::tests::no_off_days()), listing).await;
    let Ensured { outcome, period } = ensured.expect("the page is ensured");
    let (Some(groups), Some(period), Some(listing)) = (groups, &period, listing) else {
        return Ran { outcome, filing: Vec::new() };
    };
    let filed = file(memory, &Filing { groups, report, period }, &options, listing).await;
    Ran { outcome: outcome.filed(filed.pages), filing: filed.errors }
}

/// The titles of the pages directly under `parent_id`, sorted.
fn children(memory: &Memory, parent_id: &str) -> Vec<String> {
    let mut titles: Vec<String> =
        memory.pages().into_iter().filter(|p| p.parent.as_deref() == Some(parent_id)).map(|p| p.title).collect();
    titles.sort();
    titles
}

fn id(memory: &Memory, title: &str) -> String {
    let [page] = &memory.titled(title)[..] else { panic!("one page titled {title}") };
    page.id.clone()
}

fn sorted(mut titles: Vec<String>) -> Vec<String> {
    titles.sort();
    titles
}

fn writes(calls: &[String]) -> Vec<&String> {
    calls.iter().filter(|c| c.starts_with("create") || c.starts_with("move") || c.starts_with("add")).collect()
}

/// The tree the 75 weekly pages end as: 2024 by quarter under the year page, Q1 2025 under its
/// quarter page, Q2 2025 (the open quarter) at the root.
fn assert_filed(memory: &Memory, root: &str) {
    let mut at_root = weeks("2025-04-01", "2025-06-05");
    at_root.extend([YEAR.to_owned(), Q1_2025.to_owned()]);
    assert_eq!(children(memory, root), sorted(at_root));
    let quarters: Vec<String> = (1..=4).map(|q| format!("주간보고 | 2024 {q}분기")).collect();
    assert_eq!(children(memory, &id(memory, YEAR)), quarters);
    let spans = [("2024-01-01", "2024-03-31"), ("2024-04-01", "2024-06-30"), ("2024-07-01", "2024-09-30")];
    for (quarter, (from, to)) in quarters.iter().zip(spans) {
        assert_eq!(children(memory, &id(memory, quarter)), weeks(from, to), "{quarter}");
    }
    assert_eq!(children(memory, &id(memory, &quarters[3])), weeks("2024-10-01", "2024-12-31"));
    assert_eq!(children(memory, &id(memory, Q1_2025)), weeks("2025-01-01", "2025-03-31"));
}

#[tokio::test]
async fn seventy_five_weekly_pages_are_filed_and_a_second_run_costs_one_listing() {
    let memory = Memory::default();
    let report = flat_root(&memory);
    let archive = archive();
    let ensured = run(&memory, &report, Some(&archive), false).await;
    assert!(ensured.filing.is_empty(), "{:?}", ensured.filing);
    assert_eq!(ensured.outcome.filed, 65);
    assert!(ensured.outcome.due && !ensured.outcome.created, "this week's page already existed");
    assert_filed(&memory, &report.root_page_id);
    for group in [YEAR, Q1_2025, "주간보고 | 2024 3분기"] {
        let [page] = &memory.titled(group)[..] else { panic!("one {group}") };
        assert_eq!(page.body, GROUP_BODY);
        assert!(page.labels.is_empty() && page.restrictions.is_empty(), "{group} has nothing of its own");
    }

    // Tidy now: no write, no lookup, just the listing beside what a run without filing sends.
    let before = memory.calls().len();
    let again = run(&memory, &report, Some(&archive), false).await;
    let with_filing = memory.calls()[before..].to_vec();
    assert!(again.filing.is_empty() && again.outcome.filed == 0);
    assert!(writes(&with_filing).is_empty(), "{with_filing:?}");
    let before = memory.calls().len();
    run(&memory, &report, None, false).await;
    let mut without = memory.calls()[before..].to_vec();
    without.push(format!("children {}", report.root_page_id));
    assert_eq!(sorted(with_filing), sorted(without));
    assert_filed(&memory, &report.root_page_id);
}

#[tokio::test]
async fn a_dry_run_counts_the_pages_it_would_file_and_writes_nothing() {
    let memory = Memory::default();
    let report = flat_root(&memory);
    let ensured = run(&memory, &report, Some(&archive()), true).await;
    assert!(ensured.filing.is_empty(), "{:?}", ensured.filing);
    assert_eq!(ensured.outcome.filed, 65);
    assert!(ensured.outcome.dry_run);
    assert!(writes(&memory.calls()).is_empty(), "{:?}", memory.calls());
    assert_eq!(children(&memory, &report.root_page_id).len(), 75, "everything stays at the root");
}

#[tokio::test]
async fn a_group_title_held_elsewhere_fails_naming_it_and_the_other_groups_are_filed() {
    let memory = Memory::default();
    let report = flat_root(&memory);
    let elsewhere = memory.add_page(SPACE, None, "Elsewhere", "");
    let held = memory.add_page(SPACE, Some(&elsewhere), Q1_2025, "<p>someone else's</p>");
    let ensured = run(&memory, &report, Some(&archive()), false).await;
    let [err @ FilingError::Foreign { .. }] = &ensured.filing[..] else { panic!("{:?}", ensured.filing) };
    let message = err.to_string();
    assert!(message.contains(Q1_2025) && message.contains(&format!("/pages/{held}")), "{message}");
    assert!(message.contains("CONFLUENCE_ARCHIVE") && message.contains("rename"), "{message}");
    assert_eq!(ensured.outcome.filed, 52, "2024 is filed");
    assert!(ensured.outcome.page_url.is_some(), "the outcome is kept");
    assert_eq!(children(&memory, &held), Vec::<String>::new(), "nothing moves into it");
    let root = children(&memory, &report.root_page_id);
    assert!(weeks("2025-01-01", "2025-06-05").iter().all(|t| root.contains(t)), "2025 stays at the root");
    assert!(root.contains(&YEAR.to_owned()) && !root.contains(&Q1_2025.to_owned()));
    assert_eq!(children(&memory, &id(&memory, YEAR)).len(), 4);
}

#[tokio::test]
async fn a_refused_move_stops_the_filing_and_keeps_what_moved() {
    let memory = Memory::default();
    let report = flat_root(&memory);
    let archive = archive();
    let refused_title = &weeks("2024-01-04", "2024-12-31")[20];
    memory.refuse_move(&id(&memory, refused_title));
    let ensured = run(&memory, &report, Some(&archive), false).await;
    let [err @ FilingError::Move { .. }] = &ensured.filing[..] else { panic!("{:?}", ensured.filing) };
    assert!(err.to_string().contains(refused_title.as_str()), "{err}");
    let root = children(&memory, &report.root_page_id);
    assert!(root.contains(refused_title), "the refused page stays");
    let filed = weeks("2024-01-04", "2025-03-31").into_iter().filter(|t| !root.contains(t)).count();
    assert_eq!(ensured.outcome.filed as usize, filed, "the archived output counts what moved");
    assert!((20..64).contains(&filed), "what moved before stays, no new move after the refusal: {filed}");

    // The next run files the rest.
    let next = run(&memory, &report, Some(&archive), false).await;
    assert!(next.filing.is_empty(), "{:?}", next.filing);
    assert_eq!(next.outcome.filed as usize, 65 - filed);
    assert_filed(&memory, &report.root_page_id);
}

#[tokio::test]
async fn two_runs_at_once_make_one_page_per_group() {
    let memory = Memory::default();
    let report = flat_root(&memory);
    let archive = archive();
    memory.interleave();
    let (a, b) = join(run(&memory, &report, Some(&archive), false), run(&memory, &report, Some(&archive), false)).await;
    assert!(a.filing.is_empty() && b.filing.is_empty(), "{:?} {:?}", a.filing, b.filing);
    let creates = memory.calls().into_iter().filter(|c| c.starts_with("create")).count();
    assert!(creates > 6, "both runs tried to create the groups: {creates}");
    assert_filed(&memory, &report.root_page_id);
}

#[tokio::test]
async fn a_group_made_by_a_racing_run_between_lookups_is_used_not_called_foreign() {
    let memory = Memory::default();
    let report = flat_root(&memory);
    let archive = archive();
    // Another run makes the year and one quarter while this run looks the groups up.
    memory.race_before_lookup("주간보고 | 2024 3분기", &report.root_page_id, &[YEAR, "주간보고 | 2024 3분기"]);
    let ensured = run(&memory, &report, Some(&archive), false).await;
    assert!(ensured.filing.is_empty(), "{:?}", ensured.filing);
    assert_eq!(ensured.outcome.filed, 65);
    assert_filed(&memory, &report.root_page_id);
}
