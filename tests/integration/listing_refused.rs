//! Data Center sites that refuse the content listing (`GET /rest/api/content` answers 403,
//! CONFSERVER-57639) while single pages, child listings and CQL answer, and whose CQL index
//! trails writes: every rule of the page contract still holds.

use std::time::Duration;

use fake_confluence::FaultAction;

use crate::common::weekly;
use crate::common::*;

/// How far CQL trails writes: longer than any test runs, so it is never waited out.
const LAG: Duration = Duration::from_secs(30);
/// The fake's answer delay where a test counts round trips (see `run.rs`).
const LATENCY: Duration = Duration::from_millis(150);
/// What the run logs, once, when it switches to CQL.
const SWITCHED: &str = "refuses the content listing";

/// A Data Center site with the previous period's page, refusing the content listing, whose CQL
/// trails writes by [`LAG`] (the previous page is already indexed).
async fn refusing_site() -> Site {
    let site = site_with_previous(Flavor::DataCenter).await;
    site.fake.refuse_content_listing(true);
    site.fake.set_cql_index_lag(LAG);
    site
}

#[track_caller]
fn assert_not_blamed_on_the_token(run: &Run) {
    assert!(!run.stderr.contains("lacks permission"), "a refused listing is not a permission problem: {}", run.stderr);
    assert_eq!(run.stderr.matches(SWITCHED).count(), 1, "the switch is logged once: {}", run.stderr);
    assert!(run.stderr.contains("INFO"), "at info: {}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_then_a_rerun_within_the_index_lag_finds_it() {
    let site = refusing_site().await;
    let first = site.run(&site.env()).await;
    first.assert_code(0);
    assert_not_blamed_on_the_token(&first);
    let out = first.json();
    assert_eq!(out["created"], true);
    let pages = site.titled(THIS_TITLE);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].body, SOURCE_BODY, "the previous page was found by CQL, with its body");
    assert_eq!(out["page_id"], pages[0].id.as_str());

    // A second later: CQL does not have the new page yet, the root's child listing does.
    let writes = site.fake.writes();
    site.fake.set_latency(LATENCY);
    reset_stats(&site).await;
    let rerun = site.run(&site.env()).await;
    rerun.assert_code(0);
    assert_not_blamed_on_the_token(&rerun);
    let again = rerun.json();
    assert_eq!(again["created"], false);
    assert_eq!(again["page_id"], out["page_id"]);
    assert_eq!(again["page_url"], out["page_url"]);
    assert_eq!(site.fake.writes(), writes, "a rerun writes nothing");
    let refused = stats(&site).await;

    // The same rerun where the listing answers: the switch cost one round trip.
    site.fake.refuse_content_listing(false);
    reset_stats(&site).await;
    let plain = site.run(&site.env()).await;
    plain.assert_code(0);
    assert!(!plain.stderr.contains(SWITCHED), "{}", plain.stderr);
    let answered = stats(&site).await;
    assert_eq!(refused.round_trips, answered.round_trips + 1, "refused {refused:?}, answered {answered:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_runs_make_one_page() {
    let site = refusing_site().await;
    for run in race(&site, &site.env(), 3).await {
        assert!(!run.stderr.contains("lacks permission"), "{}", run.stderr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_create_is_rechecked() {
    let site = refusing_site().await;
    site.fake.inject(committed_create(Flavor::DataCenter, FaultAction::Drop));
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert_eq!(site.titled(THIS_TITLE).len(), 1, "found again (by the child listing), not made twice");
    assert_eq!(creates(&site), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn titles_with_quotes_and_backslashes_are_found_by_cql() {
    let site = Site::start(Flavor::DataCenter).await;
    // Not under the root: only CQL can find it.
    let archive = site.add("Archive", "<p/>");
    let previous = site.fake.add_page(&site.space, Some(&archive), r#"Say "hi" \ 2025-05-29"#, SOURCE_BODY);
    site.fake.refuse_content_listing(true);
    site.fake.set_cql_index_lag(LAG);
    let env = site.env().set("CONFLUENCE_TITLE_TEMPLATE", r#"Say "hi" \ {date}"#);
    let first = site.run(&env).await;
    first.assert_code(0);
    let out = first.json();
    assert_eq!(out["created"], true);
    assert_eq!(out["source_page_id"], previous.as_str());
    let rerun = site.run(&env).await;
    rerun.assert_code(0);
    assert_eq!(rerun.json()["created"], false);
    assert_eq!(site.titled(r#"Say "hi" \ 2025-06-05"#).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_child_listing_too_is_reported_as_missing_permission() {
    let site = refusing_site().await;
    site.fake.inject(status("GET", "/child/page", 100, 403, None));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    assert!(run.stderr.contains("lacks permission"), "{}", run.stderr);
    assert!(!run.stderr.contains(SWITCHED), "{}", run.stderr);
    assert_eq!(site.fake.writes(), 0);
}

/// A flat root of 75 weekly pages (2024-01-04 … 2025-06-05) filed by year and quarter on a site
/// that refuses the listing and whose CQL trails writes: group pages made a moment ago (by this
/// run or a racing one) are found by the child listings, never made twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filing_works_and_racing_runs_make_one_of_each_group_page() {
    let site = Site::start(Flavor::DataCenter).await;
    weekly::add_pages(&site, weekly::last());
    site.fake.refuse_content_listing(true);
    site.fake.set_cql_index_lag(LAG);
    let env = weekly::env(&site, "2025-06-05");
    let runs = futures_util::future::join_all((0..3).map(|_| site.run(&env))).await;
    let mut archived = 0;
    for run in &runs {
        run.assert_code(0);
        assert!(!run.stderr.contains("lacks permission"), "{}", run.stderr);
        archived += run.json()["archived"].as_u64().unwrap();
    }
    assert!(archived >= 65, "every closed week filed, some by more than one run: {archived}");
    let groups = ["주간보고 | 2024", "주간보고 | 2024 1분기", "주간보고 | 2024 4분기", "주간보고 | 2025 1분기"];
    for group in groups {
        assert_eq!(site.titled(group).len(), 1, "one page titled {group}");
    }
    let tree = site.fake.tree(&site.root);
    let top: Vec<&str> = tree.lines().filter(|l| l.starts_with("  ") && !l.starts_with("    ")).collect();
    assert_eq!(top.len(), 10 + 2, "Q2 2025's ten weeks, the year and Q1 2025 at the root:\n{tree}");
    let year = &site.titled("주간보고 | 2024")[0].id;
    assert_eq!(site.fake.tree(year).lines().count(), 1 + 4 + 52, "four quarters of 2024:\n{tree}");

    // A rerun a moment later (CQL still has none of the group pages) finds a tidy tree.
    let writes = site.fake.writes();
    let rerun = site.run(&env).await;
    rerun.assert_code(0);
    assert_eq!(rerun.json()["archived"], 0);
    assert_eq!(site.fake.writes(), writes, "a tidy tree costs no write");
}
