//! The scoped-token table in `docs/cloud.md` ("Which scopes") is the least-privilege list a
//! security reviewer is given: it must name exactly the requests the tool sends to Confluence
//! Cloud, no more and no fewer, each with the scopes Atlassian's 2026 description names for it.
//! The real binary runs against the fake Cloud through scenarios that together make every kind of
//! request; what the fake recorded, as `METHOD /path/template`, must be the table's `request`
//! column, and every recorded request must conform to the 2026 descriptions
//! ([`cloud_api::nonconforming`]: an operation of them, not a removed v1 one, only declared query
//! parameters). The "So select:" list under the table must be exactly the scopes the table names.
//!
//! A new kind of request needs a scenario in [`SCENARIOS`] and a row in the table.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;

use fake_confluence::Restrictions;
use serde_json::json;

use crate::common::cloud_api::{self, operation_of, operations};
use crate::common::*;

const DOC: &str = include_str!("../../docs/cloud.md");

type Scenario = fn() -> Pin<Box<dyn Future<Output = Site> + Send>>;

/// Every scenario: each starts its own Cloud site, runs the binary, checks that the run went the
/// way the scenario is for, and hands back the site whose fake recorded the requests.
const SCENARIOS: &[(&str, Scenario)] = &[
    ("the copy endpoint", || Box::pin(copy_endpoint())),
    ("no copy endpoint: create, then copy what the source has", || Box::pin(create_and_copy())),
    ("a refused restriction write deletes the copy", || Box::pin(restriction_refused())),
    ("the gateway without the copy endpoint", || Box::pin(gateway())),
    ("a folder as the root, filing under it", || Box::pin(folder_root())),
    ("CONFLUENCE_SPACE_KEY", || Box::pin(space_key())),
    ("a duplicate refusal explained", || Box::pin(duplicate_refusals())),
    ("the anonymous check after a failure", || Box::pin(anonymous_check())),
    ("a template page", || Box::pin(template_page())),
    ("paging", || Box::pin(paging())),
    ("filing closed periods (CONFLUENCE_ARCHIVE)", || Box::pin(filing())),
    ("a reminder with a mention as owner (CONFLUENCE_MODE=remind)", || Box::pin(reminder())),
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
    let mut wrong = Vec::new();
    for (name, requests) in &runs {
        wrong.extend(cloud_api::nonconforming(requests).into_iter().map(|w| format!("{w}  (sent by: {name})")));
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
    assert!(
        wrong.is_empty(),
        "every request sent to Cloud must conform to the 2026 descriptions (tests/data/cloud-operations.txt):\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn so_select_lists_exactly_the_scopes_of_the_table() {
    let rows = table();
    let column = |pick: fn(&Row) -> &Vec<String>| -> BTreeSet<String> { rows.iter().flat_map(pick).cloned().collect() };
    let (granular, classic) = select_list();
    assert_eq!(granular, column(|r| &r.granular), "the granular scopes after \"So select:\" are the table's");
    assert_eq!(classic, column(|r| &r.classic), "the classic scopes after \"So select:\" are the table's");
    for row in &rows {
        let v2 = row.request.split_once(' ').is_some_and(|(_, path)| path.starts_with("/api/v2/"));
        let (mine, other) = if v2 { (&row.granular, &row.classic) } else { (&row.classic, &row.granular) };
        assert!(!mine.is_empty() && other.is_empty(), "{}: v2 requests have granular scopes, v1 classic", row.request);
    }
}

/// Each row's scopes are those the 2026 description names for its operation.
#[test]
fn the_table_names_the_scopes_of_the_2026_descriptions() {
    let ops = operations();
    for row in table() {
        let (method, path) = row.request.split_once(' ').unwrap();
        let op = operation_of(&ops, method, path).unwrap_or_else(|| panic!("{}: not in the descriptions", row.request));
        let scopes: BTreeSet<&String> = row.classic.iter().chain(&row.granular).collect();
        assert_eq!(scopes, op.scopes.iter().collect(), "{}: the scopes of {} {}", row.request, op.method, op.path);
    }
}

/// `METHOD /path/template` below the base URL (`/wiki`, also behind the gateway), or `None` for a
/// request that is not the tool's own (see [`cloud_api::below_wiki`]).
fn template(method: &str, path: &str) -> Option<String> {
    let below = cloud_api::below_wiki(path)?;
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
    classic: Vec<String>,
    granular: Vec<String>,
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
            let scopes = |cell: &str| -> Vec<String> {
                cell.split(',').map(|s| s.trim().trim_matches('`').to_owned()).filter(|s| !s.is_empty()).collect()
            };
            Row { request, classic: scopes(&cells[2]), granular: scopes(&cells[3]) }
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

/// Through the gateway, where the removed v1 operations answer 410 Gone: the page is made and
/// its labels, attachments and properties copied through v2 and the v1 that remains.
async fn gateway() -> Site {
    let site = Site::start_gateway().await;
    without_copy_endpoint(&site);
    protected_previous(&site);
    assert_created(&site.run(&gateway_env(&site)).await);
    let page = &site.titled(THIS_TITLE)[0];
    assert_eq!((page.labels.len(), page.attachments.len()), (2, 2), "labels and attachments copied");
    site
}

/// A folder as the root, with a closed period under it: the page is made under the folder, the
/// folder's children listed, a group page made under it and the closed page moved into it.
async fn folder_root() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    let folder = site.fake.add_folder(&site.space, Some(&site.root), "Reports folder");
    site.fake.add_page(&site.space, Some(&folder), "2025-03-27 Weekly Report", "<p>week</p>");
    site.fake.add_page(&site.space, Some(&folder), PREVIOUS_TITLE, SOURCE_BODY);
    let env = site
        .env()
        .set("CONFLUENCE_ROOT_PAGE_ID", &folder)
        .set("CONFLUENCE_SCHEDULE", "weekly:thu")
        .set("CONFLUENCE_ARCHIVE", "Reports {date:%Y} {date:%q}");
    let run = site.run(&env).await;
    assert_created(&run);
    assert_eq!(run.json()["archived"], 1, "{}", run.stderr);
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

/// Every listing one item at a time: the `next` links followed are requests of their own.
async fn paging() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    without_copy_endpoint(&site);
    protected_previous(&site);
    site.fake.set_max_limit(1);
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

async fn reminder() -> Site {
    let site = Site::start(Flavor::Cloud).await;
    let id = site.fake.add_person("557058:kim", "김철수");
    let cell = format!("<ac:link><ri:user ri:account-id=\"{id}\" /></ac:link>");
    let body = format!("<table><tr><th>Who</th><th>Done</th></tr><tr><td>{cell}</td><td><p /></td></tr></table>");
    site.add(THIS_TITLE, &body);
    let run = site.run(&site.env().set("CONFLUENCE_MODE", "remind").set("CONFLUENCE_REMIND", "Done")).await;
    run.assert_code(0);
    assert_eq!(run.json()["pending"], serde_json::json!(["김철수"]), "{}", run.stderr);
    site
}

// ---- the 2026 descriptions ----

/// Where the descriptions live beside the repository (CI checks out `../shared` next to it).
fn reference(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference").join(name)
}

/// The parts of the descriptions the tool could send to: pages, folders and spaces (v2); content,
/// spaces and the current user (v1).
const KEPT: &[(&str, &str)] = &[
    ("v2", "/pages"),
    ("v2", "/folders"),
    ("v2", "/spaces"),
    ("v2", "/users-bulk"),
    ("v1", "/wiki/rest/api/content"),
    ("v1", "/wiki/rest/api/space"),
    ("v1", "/wiki/rest/api/user/current"),
];

/// The operation list as derived from one description (`api`: `v1` or `v2`).
fn derive(api: &str, description: &serde_json::Value) -> Vec<cloud_api::Operation> {
    let resolve = |p: &serde_json::Value| -> serde_json::Value {
        match p["$ref"].as_str() {
            Some(r) => description.pointer(r.trim_start_matches('#')).cloned().unwrap_or_default(),
            None => p.clone(),
        }
    };
    let mut ops = Vec::new();
    for (path, item) in description["paths"].as_object().expect("paths") {
        if !KEPT.iter().any(|(a, prefix)| *a == api && path.starts_with(prefix)) {
            continue;
        }
        let shared: Vec<serde_json::Value> = item["parameters"].as_array().into_iter().flatten().map(resolve).collect();
        for (method, op) in item.as_object().unwrap() {
            if !["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            let own = op["parameters"].as_array().into_iter().flatten().map(resolve);
            let mut query: Vec<String> = shared
                .iter()
                .cloned()
                .chain(own)
                .filter(|p| p["in"] == "query")
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect();
            query.sort();
            query.dedup();
            let scopes: BTreeSet<String> = op["security"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s["oAuthDefinitions"].as_array())
                .flatten()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect();
            let path = match api {
                "v2" => format!("/api/v2{path}"),
                _ => path.strip_prefix("/wiki").unwrap_or(path).to_owned(),
            };
            ops.push(cloud_api::Operation {
                api: api.to_owned(),
                method: method.to_uppercase(),
                path,
                query,
                scopes: scopes.into_iter().collect(),
            });
        }
    }
    ops
}

/// `tests/data/cloud-operations.txt` is what the descriptions in `../shared/reference` say. Run
/// with `WRITE_CLOUD_OPERATIONS=1` to write it again after the descriptions change.
#[test]
fn the_operation_list_is_derived_from_the_2026_descriptions() {
    let (v1, v2) = (reference("confluence-cloud-v1.openapi.json"), reference("confluence-cloud-v2.openapi.json"));
    if !v1.exists() || !v2.exists() {
        eprintln!("../shared/reference is not beside the repository: the committed operation list is used as is");
        return;
    }
    let read =
        |p: &std::path::Path| -> serde_json::Value { serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap() };
    let mut lines: Vec<String> =
        derive("v2", &read(&v2)).into_iter().chain(derive("v1", &read(&v1))).map(|op| op.line()).collect();
    lines.sort();
    let text = format!(
        "# Generated by tests/integration/scopes.rs (WRITE_CLOUD_OPERATIONS=1) from\n\
         # ../shared/reference/confluence-cloud-v{{1,2}}.openapi.json (2026): the operations of pages,\n\
         # folders and spaces (v2), content, spaces and the current user (v1), one a line:\n\
         # api METHOD path query-parameters scopes (`-`: none). Do not edit by hand.\n{}\n",
        lines.join("\n")
    );
    if std::env::var_os("WRITE_CLOUD_OPERATIONS").is_some() {
        let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cloud-operations.txt");
        std::fs::write(out, &text).unwrap();
        return;
    }
    assert!(
        text == cloud_api::OPERATIONS,
        "tests/data/cloud-operations.txt differs from ../shared/reference: run WRITE_CLOUD_OPERATIONS=1 cargo test --test integration the_operation_list"
    );
}
