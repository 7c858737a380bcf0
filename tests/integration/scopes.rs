//! The scoped-token table in `docs/cloud.md` ("Which scopes") is the least-privilege list a
//! security reviewer is given: it must name exactly the requests the tool sends to Confluence
//! Cloud, no more and no fewer. The real binary runs against the fake Cloud through scenarios
//! that together make every kind of request; what the fake recorded, as `METHOD /path/template`,
//! must be the table's `request` column. The "So select:" list under the table must be exactly
//! the scopes the table names.
//!
//! A new kind of request needs a scenario in [`SCENARIOS`] and a row in the table.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;

use fake_confluence::Restrictions;
use serde_json::json;

use crate::common::*;

const DOC: &str = include_str!("../../docs/cloud.md");

type Scenario = fn() -> Pin<Box<dyn Future<Output = Site> + Send>>;

/// Every scenario: each starts its own Cloud site, runs the binary, checks that the run went the
/// way the scenario is for, and hands back the site whose fake recorded the requests.
const SCENARIOS: &[(&str, Scenario)] = &[
    ("the copy endpoint", || Box::pin(copy_endpoint())),
    ("no copy endpoint: create, then copy what the source has", || Box::pin(create_and_copy())),
    ("a refused restriction write deletes the copy", || Box::pin(restriction_refused())),
    ("a folder as the root", || Box::pin(folder_root())),
    ("CONFLUENCE_SPACE_KEY", || Box::pin(space_key())),
    ("a duplicate refusal explained", || Box::pin(duplicate_refusals())),
    ("the anonymous check after a failure", || Box::pin(anonymous_check())),
    ("a template page", || Box::pin(template_page())),
    ("paging", || Box::pin(paging())),
    ("filing closed periods (CONFLUENCE_ARCHIVE)", || Box::pin(filing())),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scope_table_lists_exactly_the_requests_sent_on_cloud() {
    let runs = futures_util::future::join_all(SCENARIOS.iter().map(|&(name, scenario)| async move {
        let site = scenario().await;
        (name, site.fake.requests())
    }))
    .await;
    // Each request template, with the scenarios that sent it (for the failure message).
    let mut sent: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, requests) in &runs {
        for request in requests {
            if let Some(template) = template(&request.method, &request.path) {
                sent.entry(template).or_default().push(name);
            }
        }
    }
    let listed: BTreeSet<String> = table().into_iter().map(|row| row.request).collect();
    let unlisted: Vec<String> = sent
        .iter()
        .filter(|(request, _)| !listed.contains(*request))
        .map(|(request, by)| format!("{request}  (sent by: {})", dedup(by).join("; ")))
        .collect();
    let unsent: Vec<&String> = listed.iter().filter(|request| !sent.contains_key(*request)).collect();
    assert!(
        unlisted.is_empty() && unsent.is_empty(),
        "docs/cloud.md's scope table must list exactly the requests the tool sends on Cloud.\n\
         Sent but not in the table (add a row with its scope):\n  {}\n\
         In the table but never sent (drop the row, or add a scenario that sends it):\n  {}",
        unlisted.join("\n  "),
        unsent.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
    );
}

#[test]
fn so_select_lists_exactly_the_scopes_of_the_table() {
    let rows = table();
    let column = |pick: fn(&Row) -> &str| -> BTreeSet<String> {
        rows.iter().map(pick).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    };
    let (granular, classic) = select_list();
    assert_eq!(granular, column(|r| &r.granular), "the granular scopes after \"So select:\" are the table's");
    assert_eq!(classic, column(|r| &r.classic), "the classic scopes after \"So select:\" are the table's");
    for row in &rows {
        let scopes = [&row.classic, &row.granular].iter().filter(|s| !s.is_empty()).count();
        assert_eq!(scopes, 1, "{}: one scope, classic (v1) or granular (v2)", row.request);
        let v2 = row.request.split_once(' ').is_some_and(|(_, path)| path.starts_with("/api/v2/"));
        assert_eq!(v2, !row.granular.is_empty(), "{}: v2 requests have granular scopes, v1 classic", row.request);
    }
}

/// `METHOD /path/template` below the base URL (`/wiki`), or `None` for a request that is not the
/// tool's own: Cloud answers an attachment download with a redirect to its media service, whose
/// URL carries its own token.
fn template(method: &str, path: &str) -> Option<String> {
    if path.starts_with("/media/file/") {
        return None;
    }
    // Anything outside `/wiki` keeps its path whole, so it shows up as unlisted.
    let below = path.strip_prefix("/wiki").unwrap_or(path);
    let mut previous = "";
    let segments: Vec<&str> = below
        .split('/')
        .map(|segment| {
            let named = if previous == "attachment" && !segment.is_empty() {
                "{attachmentId}"
            } else if previous == "append" && !segment.is_empty() {
                "{targetId}"
            } else if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                segment
            };
            previous = segment;
            named
        })
        .collect();
    Some(format!("{method} {}", segments.join("/")))
}

fn dedup<'a>(names: &[&'a str]) -> Vec<&'a str> {
    names.iter().copied().collect::<BTreeSet<_>>().into_iter().collect()
}

/// One row of the scope table.
#[derive(Debug)]
struct Row {
    /// `METHOD /path/template`, the query (`?…`) dropped.
    request: String,
    classic: String,
    granular: String,
}

/// The rows of the table under "### Which scopes".
fn table() -> Vec<Row> {
    let section = DOC.split_once("### Which scopes").expect("docs/cloud.md has \"### Which scopes\"").1;
    let mut lines = section.lines().skip_while(|l| !l.starts_with('|'));
    let header = cells(lines.next().expect("the scope table"));
    assert_eq!(header, ["request", "when", "classic scope (v1)", "granular scope (v2)"], "the table's columns");
    let rows: Vec<Row> = lines
        .skip(1) // |---|
        .take_while(|l| l.starts_with('|'))
        .map(|line| {
            let cells = cells(line);
            assert_eq!(cells.len(), 4, "four cells: {line}");
            let request = cells[0].split('?').next().unwrap().to_owned();
            Row { request, classic: cells[2].clone(), granular: cells[3].clone() }
        })
        .collect();
    assert!(rows.len() > 10, "the scope table was read: {rows:?}");
    let distinct: BTreeSet<&String> = rows.iter().map(|r| &r.request).collect();
    assert_eq!(distinct.len(), rows.len(), "one row per request: {rows:#?}");
    rows
}

/// A table line's cells, trimmed, backticks dropped.
fn cells(line: &str) -> Vec<String> {
    line.trim().trim_matches('|').split('|').map(|c| c.trim().trim_matches('`').to_owned()).collect()
}

/// The scopes of "So select: … (granular) and … (classic)."
fn select_list() -> (BTreeSet<String>, BTreeSet<String>) {
    let after = DOC.split_once("So select:").expect("docs/cloud.md has \"So select:\"").1;
    let (granular, rest) = after.split_once("(granular)").expect("\"So select:\" names the granular scopes");
    let classic = rest.split_once("(classic)").expect("and then the classic ones").0;
    let quoted = |text: &str| -> BTreeSet<String> { text.split('`').skip(1).step_by(2).map(str::to_owned).collect() };
    (quoted(granular), quoted(classic))
}

// ---- scenarios ----

/// The source the copies start from: restricted to a group and a user, with a content property,
/// labels and attachments.
fn protected_previous(site: &Site) -> String {
    let previous = site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let restrictions = Restrictions {
        // The run's own account reads through `confluence-users`, as it must to copy the page.
        read_users: vec!["557058:alice".into()],
        read_groups: vec!["confluence-users".into()],
        update_users: vec!["557058:bob".into()],
        update_groups: vec!["team-a".into()],
    };
    site.fake.set_restrictions(&previous, restrictions);
    site.fake.set_property(&previous, "content-appearance-published", json!("full-width"));
    site.fake.set_property(&previous, "app-data", json!({"a": 1}));
    site.fake.add_label(&previous, "weekly");
    site.fake.add_label(&previous, "team-a");
    site.fake.add_attachment(&previous, "chart.png", "image/png", b"png-bytes");
    site.fake.add_attachment(&previous, "notes.txt", "text/plain", b"notes");
    previous
}

#[track_caller]
fn assert_created(run: &Run) {
    run.assert_code(0);
    assert_eq!(run.json()["created"], true, "{}", run.stderr);
}

#[track_caller]
fn assert_failed_with(run: &Run, words: &str) {
    run.assert_code(1);
    assert!(run.stderr.contains(words), "expected \"{words}\": {}", run.stderr);
}

async fn copy_endpoint() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    protected_previous(&site);
    assert_created(&site.run(&site.env()).await);
    assert!(site.fake.requests().iter().any(|r| r.path.ends_with("/copy")), "the copy endpoint made the page");
    // The rerun finds the page.
    site.run(&site.env()).await.assert_code(0);
    site
}

async fn create_and_copy() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    without_copy_endpoint(&site);
    protected_previous(&site);
    assert_created(&site.run(&site.env()).await);
    let page = &site.titled(THIS_TITLE)[0];
    assert_eq!(page.attachments.len(), 2, "attachments copied by the run");
    assert!(!site.fake.restrictions(&page.id).is_empty(), "restrictions copied by the run");
    site
}

async fn restriction_refused() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    without_copy_endpoint(&site);
    protected_previous(&site);
    site.fake.inject(status("PUT", "/restriction", 1, 403, None));
    assert_failed_with(&site.run(&site.env()).await, "deleted again");
    assert!(site.titled(THIS_TITLE).is_empty(), "the copy was deleted");
    site
}

async fn folder_root() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    let folder = site.fake.add_folder(&site.space, Some(&site.root), "Reports folder");
    site.fake.add_page(&site.space, Some(&folder), PREVIOUS_TITLE, SOURCE_BODY);
    assert_created(&site.run(&site.env().set("CONFLUENCE_ROOT_PAGE_ID", &folder)).await);
    site
}

async fn space_key() -> Site {
    let site = site_with_previous(Flavor::Cloud).await;
    assert_created(&site.run(&site.env().set("CONFLUENCE_SPACE_KEY", "TEAM")).await);
    site
}

/// An archived page, then a page in other capitals, holds this period's title.
async fn duplicate_refusals() -> Site {
    let site = site_with_previous(Flavor::Cloud).await;
    let archived = site.add(THIS_TITLE, "<p>archived</p>");
    site.fake.archive(&archived);
    assert_failed_with(&site.run(&site.env()).await, "archived");
    site.fake.delete_page(&archived);
    site.add("2025-06-05 WEEKLY report", "<p>shouting</p>");
    assert_failed_with(&site.run(&site.env()).await, "letter case");
    site
}

/// No source page: a failure a token served as anonymous would cause, so the run asks who it is.
async fn anonymous_check() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    assert_failed_with(&site.run(&site.env()).await, "CONFLUENCE_TEMPLATE_PAGE_ID");
    assert!(site.fake.requests().iter().any(|r| r.path.ends_with("/rest/api/user/current")), "who am I asked");
    site
}

async fn template_page() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    let template = site.fake.add_page(&site.space, None, "Weekly Report Template", "<p>template</p>");
    let run = site.run(&site.env().set("CONFLUENCE_TEMPLATE_PAGE_ID", &template)).await;
    assert_created(&run);
    assert_eq!(run.json()["source_page_id"], template.as_str());
    site
}

/// Every listing one item at a time, and title lookups with a `next` link: the links followed are
/// requests of their own.
async fn paging() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    without_copy_endpoint(&site);
    protected_previous(&site);
    site.fake.set_max_limit(1);
    site.fake.inject(endless_v2_lookups(2));
    assert_created(&site.run(&site.env()).await);
    let page = &site.titled(THIS_TITLE)[0];
    assert_eq!(page.labels.len(), 2, "every page of the label list was read");
    assert!(site.fake.requests().iter().any(|r| r.query.contains("cursor=")), "a v2 next link followed");
    site
}

/// Weekly pages of two quarters flat under the root: the run lists the root's children, looks the
/// quarter pages up by title, creates the closed one and moves its pages in.
async fn filing() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    for day in ["2025-03-20", "2025-03-27", "2025-04-03"] {
        site.add(&format!("{day} Weekly Report"), "<p>week</p>");
    }
    let env = site
        .env()
        .set("CONFLUENCE_SCHEDULE", "weekly:thu")
        .set("CONFLUENCE_DATE", "2025-04-03")
        .set("CONFLUENCE_ARCHIVE", "Reports {date:%Y} {date:%q}");
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(run.json()["archived"], 2, "{}", run.stderr);
    site
}
