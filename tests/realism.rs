//! What real Confluence does that the first fake did not (issue 10): trimmed titles, ISO weeks,
//! archived and hidden titles, Cloud folders, the scoped-token gateway, slow transfers, creates
//! that show up late, listings that never end, and wrong tokens served as anonymous. Each test
//! runs the real binary against the fake, which now behaves like real Confluence in these cases
//! (`../shared/REAL-CONFLUENCE.md`).

mod common;

use std::time::{Duration, Instant};

use common::*;
use fake_confluence::{Fault, FaultAction};

/// Cloud without its copy endpoint (405), so the run creates and copies itself: what these tests
/// watch (downloads, v1 paging) happens in the run, not server-side.
fn without_copy_endpoint(site: &Site) {
    if site.flavor == Flavor::Cloud {
        site.fake.inject(status("POST", "/copy", 100, 405, None));
    }
}

/// `METHOD path?query` of every request the fake received.
fn sent(site: &Site) -> Vec<String> {
    site.fake.requests().iter().map(|r| format!("{} {}?{}", r.method, r.path, r.query)).collect()
}

/// POSTs that create a page.
fn creates(site: &Site) -> usize {
    site.fake.requests().iter().filter(|r| r.method == "POST" && r.path.ends_with(create_path(site.flavor))).count()
}

/// The link the fake gives a page with an ASCII title: Data Center's `/display/KEY/Title`, Cloud's
/// `/spaces/KEY/pages/{id}/…` (as a prefix).
fn link_prefix(site: &Site, id: &str, title: &str) -> String {
    match site.flavor {
        Flavor::DataCenter => format!("{}/display/{}/{}", site.fake.base_url(), site.space, title.replace(' ', "+")),
        Flavor::Cloud => format!("{}/spaces/{}/pages/{id}/", site.fake.base_url(), site.space),
    }
}

both_flavors!(
    titles_with_outer_spaces_are_trimmed,
    iso_week_titles_need_the_iso_year,
    archived_page_holding_the_title_is_named,
    hidden_page_holding_the_title_is_reported_as_such,
    case_variant_holding_the_title_is_named,
    slow_attachment_that_keeps_moving_is_not_cut_off,
    lost_create_refused_on_retry_is_this_runs_page,
    lost_create_refused_on_retry_still_gets_its_copies,
    listing_that_repeats_its_next_link_is_an_error,
    listing_that_never_ends_is_an_error,
);

// ---------------------------------------------------------------------------------------------
// Titles

/// Confluence stores `" 2025-06-05 Weekly Report "` as `"2025-06-05 Weekly Report"`: the template's
/// outer spaces must not make lookups miss (the source, then this period's page on a rerun).
async fn titles_with_outer_spaces_are_trimmed(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let env = site.env().set("CONFLUENCE_TITLE_TEMPLATE", "  {date} Weekly Report ");
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true);
    assert_eq!(out["page_title"], THIS_TITLE, "the rendered title is trimmed");
    assert_eq!(out["source_page_id"], site.titled(PREVIOUS_TITLE)[0].id.as_str(), "the source is found");
    assert_eq!(site.titled(THIS_TITLE).len(), 1);

    let writes = site.fake.writes();
    let rerun = site.run(&env).await;
    rerun.assert_code(0);
    assert_eq!(rerun.json()["created"], false, "the rerun finds the page it made");
    assert_eq!(rerun.json()["page_id"], out["page_id"]);
    assert_eq!(site.fake.writes(), writes, "and writes nothing");
}

/// `%V` is the ISO week, whose year is `%G`: `%Y-W%V` names 2024-12-30 "2024-W01" (last January's
/// page). Such a template is a configuration error; `%G-W%V` names that week "2025-W01".
async fn iso_week_titles_need_the_iso_year(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add("2024-W52 Weekly", SOURCE_BODY);
    let env = site
        .env()
        .set("CONFLUENCE_DATE", "2024-12-30")
        .set("CONFLUENCE_SCHEDULE", "weekly:mon")
        .set("LOG_FORMAT", "text");

    for template in ["{date:%Y-W%V} Weekly", "{date:%y}/{date:%V} Weekly"] {
        let run = site.run(&env.clone().set("CONFLUENCE_TITLE_TEMPLATE", template)).await;
        run.assert_code(2);
        assert_eq!(run.stderr.lines().count(), 1, "{template}: {}", run.stderr);
        assert!(run.stderr.contains("CONFLUENCE_TITLE_TEMPLATE"), "{template}: {}", run.stderr);
        assert!(run.stderr.contains("%G"), "suggests the ISO year: {}", run.stderr);
        assert_eq!(run.stdout, "");
    }
    assert_eq!(site.fake.requests().len(), 0, "no request before the configuration is valid");

    let run = site.run(&env.set("CONFLUENCE_TITLE_TEMPLATE", "{date:%G-W%V} Weekly")).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["page_title"], "2025-W01 Weekly");
    assert_eq!(out["report_date"], "2024-12-30");
    assert_eq!(out["source_page_id"], site.titled("2024-W52 Weekly")[0].id.as_str());
    assert_eq!(site.titled("2025-W01 Weekly").len(), 1);
}

/// An archived page keeps its title: the lookup (current pages) misses it, the create is refused.
/// The run names the archived page and says to restore or rename it; nothing is created.
async fn archived_page_holding_the_title_is_named(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let archived = site.add(THIS_TITLE, "<p>archived</p>");
    site.fake.archive_page(&archived);
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    let err = &run.stderr;
    assert!(err.contains("archived"), "{err}");
    assert!(err.contains(&link_prefix(&site, &archived, THIS_TITLE)), "names the archived page's link: {err}");
    assert!(err.contains("Restore") && err.contains("rename"), "says what to do: {err}");
    assert!(!err.contains("letter case") && !err.contains("may not view"), "no other explanation: {err}");
    assert_eq!(run.stdout, "");
    assert_eq!(creates(&site), 1, "the refused create is not repeated");
    assert_eq!(site.fake.pages().len(), 3, "nothing created");
    assert_eq!(site.fake.page(&archived).unwrap().status, "archived", "the archived page is left alone");
}

/// A page the account cannot see (read-restricted) holds the title: no current, archived or
/// case-variant page is visible, so the run says exactly that, and guesses nothing else.
async fn hidden_page_holding_the_title_is_reported_as_such(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let hidden = site.fake.add_hidden_page(&site.space, Some(&site.root), THIS_TITLE, "<p>private</p>");
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    let err = &run.stderr;
    assert!(err.contains(THIS_TITLE), "{err}");
    assert!(err.contains("can see no page with that title") && err.contains("may not view"), "{err}");
    assert!(!err.contains("letter case") && !err.contains("is archived"), "no false explanation: {err}");
    assert!(!err.contains(&hidden), "the hidden page's id is unknown to the run: {err}");
    assert_eq!(creates(&site), 1);
    assert_eq!(site.fake.pages().len(), 3, "nothing created");
}

/// Titles are unique ignoring case while lookups are exact: the page in another case is named,
/// with its link.
async fn case_variant_holding_the_title_is_named(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let variant_title = "2025-06-05 WEEKLY report";
    let variant = site.add(variant_title, "<p>shouting</p>");
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    let err = &run.stderr;
    assert!(err.contains("letter case"), "{err}");
    assert!(err.contains(&format!("\"{variant_title}\"")), "names the page: {err}");
    assert!(err.contains(&link_prefix(&site, &variant, variant_title)), "with its link: {err}");
    assert!(!err.contains("is archived") && !err.contains("may not view"), "{err}");
    assert_eq!(creates(&site), 1);
    assert_eq!(site.fake.pages().len(), 3, "nothing created");
}

// ---------------------------------------------------------------------------------------------
// Slow links

/// The path the attachment's bytes come from: Data Center's `_links.download` web path; on Cloud
/// the media service the REST download route redirects to.
fn attachment_bytes_path(flavor: Flavor, filename: &str) -> String {
    match flavor {
        Flavor::DataCenter => format!("/{filename}"),
        Flavor::Cloud => "/binary".to_owned(),
    }
}

/// A 3 MB attachment arriving over ~2 s, never pausing 1 s, with CONFLUENCE_TIMEOUT=1: the
/// timeout is the longest stall, not a limit on the whole transfer. A real stall still fails.
async fn slow_attachment_that_keeps_moving_is_not_cut_off(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    without_copy_endpoint(&site);
    let previous = site.titled(PREVIOUS_TITLE)[0].id.clone();
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    site.fake.add_attachment(&previous, "big.bin", "application/octet-stream", &data);
    let trickle = |every_ms| Fault {
        method: "GET",
        path: attachment_bytes_path(flavor, "big.bin"),
        times: 1,
        commit: false,
        action: FaultAction::Trickle { chunk: 300_000, every: Duration::from_millis(every_ms) },
    };
    site.fake.inject(trickle(200));
    let env = site.env().set("CONFLUENCE_TIMEOUT", "1").set("CONFLUENCE_MAX_RETRIES", "0");
    let started = Instant::now();
    let run = site.run(&env).await;
    let took = started.elapsed();
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert!(took >= Duration::from_millis(1700), "the trickled download was used: {took:?}");
    let page = &site.titled(THIS_TITLE)[0];
    assert_eq!(page.attachments.len(), 1);
    assert!(page.attachments[0].data == data, "3 MB arrived intact");

    // The same transfer pausing 3 s after its first chunk: a stall longer than the timeout.
    site.fake.inject(trickle(3000));
    let run = site.run(&env.set("CONFLUENCE_DATE", "2025-06-12")).await;
    run.assert_code(1);
    assert!(run.stderr.contains("timed out"), "{}", run.stderr);
    assert!(run.stderr.contains("copying its labels or attachments failed"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Lost creates

/// The first create is carried out, answered 504, and its page stays invisible for the next
/// `invisible_for` requests (its title blocks creates meanwhile).
fn late_commit(flavor: Flavor, invisible_for: usize) -> Fault {
    Fault {
        method: "POST",
        path: create_path(flavor).to_owned(),
        times: 1,
        commit: true,
        action: FaultAction::LateCommit {
            status: 504,
            body: "<html><title>504 Gateway Time-out</title></html>".into(),
            invisible_for,
        },
    }
}

/// Lost answer → re-check misses (the page is not visible yet) → the second create is refused as a
/// duplicate → the page found then is this run's own: `created=true`, one page, two POSTs.
/// (The fake counts only requests that name a title, so the reads sent alongside the create do
/// not change when the page shows up.)
async fn lost_create_refused_on_retry_is_this_runs_page(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    // Invisible to the re-check and the second create; visible to the lookup after the refusal.
    site.fake.inject(late_commit(flavor, 2));
    let hook = FakeWebhook::start().await;
    let env = site
        .env()
        .set("CONFLUENCE_COPY_LABELS", "false")
        .set("CONFLUENCE_COPY_ATTACHMENTS", "false")
        .set("WEBHOOK_URL", &hook.url())
        .set("WEBHOOK_WHEN", "created");
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true, "the refusal was of this run's own lost create");
    assert_eq!(hook.received().len(), 1, "WEBHOOK_WHEN=created: the page is announced as created");
    assert_eq!(creates(&site), 2, "re-checked, then sent again: {:?}", sent(&site));
    let pages = site.titled(THIS_TITLE);
    assert_eq!(pages.len(), 1);
    assert_eq!(out["page_id"], pages[0].id.as_str());
    assert!(run.stderr.contains("checking whether the page was created"), "{}", run.stderr);
    assert!(!run.stderr.contains("another run created"), "{}", run.stderr);
}

/// The same, with the attachment copied: `created=true` means this run finishes the copy.
async fn lost_create_refused_on_retry_still_gets_its_copies(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let previous = site.titled(PREVIOUS_TITLE)[0].id.clone();
    site.fake.add_attachment(&previous, "chart.png", "image/png", b"\x89PNG late commit");
    site.fake.inject(late_commit(flavor, 2));
    let run = site.run(&site.env().set("CONFLUENCE_COPY_LABELS", "false")).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert_eq!(creates(&site), 2, "{:?}", sent(&site));
    let pages = site.titled(THIS_TITLE);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].attachments.len(), 1, "the attachment is copied to the page");
    assert_eq!(pages[0].attachments[0].data, b"\x89PNG late commit");
}

// ---------------------------------------------------------------------------------------------
// Endless listings

/// The title lookup that finds nothing (this period's) is the one that follows `next`.
fn bad_next(flavor: Flavor, action: FaultAction) -> Fault {
    Fault { method: "GET", path: lookup_path(flavor).to_owned(), times: 5000, commit: false, action }
}

/// Lookups of this period's title.
fn this_title_lookups(site: &Site) -> usize {
    let encoded = ["2025-06-05+Weekly+Report", "2025-06-05%20Weekly%20Report"];
    site.fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(lookup_path(site.flavor)))
        .filter(|r| encoded.iter().any(|e| r.query.contains(e)))
        .count()
}

/// A listing whose `next` is the page just read: an error after one repeat, not a loop.
async fn listing_that_repeats_its_next_link_is_an_error(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(bad_next(flavor, FaultAction::RepeatNext));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    assert!(run.stderr.contains("could not look up the page titled"), "{}", run.stderr);
    assert!(run.stderr.contains("already gave") && run.stderr.contains("instead of looping"), "{}", run.stderr);
    assert_eq!(this_title_lookups(&site), 1, "the repeated link is not requested again: {:?}", sent(&site));
    assert_eq!(site.fake.writes(), 0);
}

/// A listing whose `next` always points one page further: an error after 1,000 pages.
async fn listing_that_never_ends_is_an_error(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(bad_next(flavor, FaultAction::EndlessNext));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    assert!(run.stderr.contains("did not end after 1000 pages"), "{}", run.stderr);
    assert_eq!(this_title_lookups(&site), 1000, "stops at the limit");
    assert_eq!(site.fake.writes(), 0);
}

// ---------------------------------------------------------------------------------------------
// Cloud: folders and the scoped-token gateway

/// On Cloud the root may be a folder: `GET /pages/{id}` is 404 for it, `GET /folders/{id}` names
/// its space, and the page is created under it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloud_root_may_be_a_folder() {
    let site = Site::start(Flavor::Cloud).await;
    let folder = site.fake.add_folder(&site.space, Some(&site.root), "Reports folder");
    let previous = site.fake.add_page(&site.space, Some(&folder), PREVIOUS_TITLE, SOURCE_BODY);
    let env = site.env().set("CONFLUENCE_ROOT_PAGE_ID", &folder);
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true);
    assert_eq!(out["source_page_id"], previous.as_str());
    let page = &site.titled(THIS_TITLE)[0];
    assert_eq!(page.parent_id.as_deref(), Some(folder.as_str()), "created under the folder");
    assert_eq!(page.body, SOURCE_BODY);
    let requests = sent(&site);
    let page_get = requests.iter().position(|r| r.starts_with(&format!("GET /wiki/api/v2/pages/{folder}?")));
    let folder_get = requests.iter().position(|r| r.starts_with(&format!("GET /wiki/api/v2/folders/{folder}?")));
    assert!(matches!((page_get, folder_get), (Some(p), Some(f)) if p < f), "page first, then folder: {requests:?}");

    let rerun = site.run(&env).await;
    rerun.assert_code(0);
    assert_eq!(rerun.json()["created"], false);
    assert_eq!(rerun.json()["page_id"], out["page_id"]);

    // Neither a page nor a folder: the usual "not found", naming the id.
    let run = site.run(&site.env().set("CONFLUENCE_ROOT_PAGE_ID", "999999")).await;
    run.assert_code(1);
    assert!(run.stderr.contains("999999") && run.stderr.contains("not found"), "{}", run.stderr);
}

/// A scoped API token works only through `https://api.atlassian.com/ex/confluence/<cloudId>`.
/// That URL is Cloud (no CONFLUENCE_FLAVOR), gains `/wiki`, resolves v2 `next` links against the
/// gateway root and v1 ones against the base URL, links pages from `_links.base` (the site), and
/// downloads attachments through the REST route (the gateway serves no web paths). `HTTP_PROXY`
/// points at the fake, which stands in for api.atlassian.com.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scoped_tokens_work_through_the_gateway() {
    let cloud_id = "0c2b8f3e-5a4d-4e1f-9a7b-3c6d2e1f0a9b";
    let fake = FakeConfluence::start_cloud_gateway(USER, TOKEN, cloud_id).await;
    fake.add_space("TEAM");
    let root = fake.add_page("TEAM", None, "Weekly Reports", "<p>root</p>");
    let site = Site { fake, flavor: Flavor::Cloud, space: "TEAM".into(), root, dir: tempfile::tempdir().unwrap() };
    without_copy_endpoint(&site);
    let previous = site.add(PREVIOUS_TITLE, SOURCE_BODY);
    for label in ["weekly-report", "team-a"] {
        site.fake.add_label(&previous, label);
    }
    let png: Vec<u8> = (0..=255u8).cycle().take(40_000).collect();
    site.fake.add_attachment(&previous, "chart.png", "image/png", &png);
    site.fake.add_attachment(&previous, "notes.txt", "text/plain", b"notes");
    // Every v1 list (labels, attachments) comes one item per page, with `next` relative to the base.
    site.fake.set_max_limit(1);
    // This period's lookup (which finds nothing) gets a `next` link relative to the gateway root.
    site.fake.inject(Fault {
        method: "GET",
        path: "/api/v2/pages".into(),
        times: 2,
        commit: false,
        action: FaultAction::EndlessNext,
    });

    let gateway = format!("http://api.atlassian.com/ex/confluence/{cloud_id}");
    let env = site
        .env()
        .unset("CONFLUENCE_FLAVOR")
        .set("CONFLUENCE_BASE_URL", &gateway)
        .set("HTTP_PROXY", &site.fake.origin());
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true);
    let page = &site.titled(THIS_TITLE)[0];
    assert_eq!(out["page_id"], page.id.as_str());
    let url = out["page_url"].as_str().unwrap();
    assert_eq!(site.fake.links_base(), "https://example.atlassian.net/wiki");
    assert!(url.starts_with(&format!("{}/spaces/TEAM/pages/{}/", site.fake.links_base(), page.id)), "{url}");

    let mut labels = page.labels.clone();
    labels.sort();
    assert_eq!(labels, ["team-a", "weekly-report"], "every page of the label list was read");
    assert_eq!(page.attachments.len(), 2, "every page of the attachment list was read");
    let chart = page.attachments.iter().find(|a| a.filename == "chart.png").unwrap();
    assert!(chart.data == png, "attachment bytes intact");

    let prefix = format!("/ex/confluence/{cloud_id}/wiki/");
    let requests = site.fake.requests();
    let outside: Vec<_> =
        requests.iter().filter(|r| !r.path.starts_with(&prefix) && !r.path.starts_with("/media/")).collect();
    assert!(outside.is_empty(), "every request goes through the gateway: {outside:?}");
    let v2_next = requests.iter().any(|r| r.path == format!("{prefix}api/v2/pages") && r.query.contains("cursor="));
    assert!(v2_next, "v2 next followed under the gateway root: {:?}", sent(&site));
    let v1_next = requests.iter().any(|r| r.path.ends_with("/label") && r.query.contains("start=1"));
    assert!(v1_next, "v1 next followed under the base URL: {:?}", sent(&site));
    let att_ids: Vec<String> = site.titled(PREVIOUS_TITLE)[0].attachments.iter().map(|a| a.id.clone()).collect();
    for id in &att_ids {
        let rest = |r: &&fake_confluence::Request| {
            r.method == "GET"
                && r.path.starts_with(&format!("{prefix}rest/api/content/{previous}/child/attachment/"))
                && r.path.ends_with("/download")
                && r.path.contains(id.as_str())
        };
        assert!(requests.iter().any(|r| rest(&r)), "attachment {id} downloaded through the REST route");
    }
    assert!(!requests.iter().any(|r| r.path.contains("/download/attachments/")), "no web download path");

    // The rerun finds the page, linked to the site as well.
    let rerun = site.run(&env).await;
    rerun.assert_code(0);
    assert_eq!(rerun.json()["created"], false);
    assert_eq!(rerun.json()["page_url"], out["page_url"]);
}

// ---------------------------------------------------------------------------------------------
// Data Center: wrong tokens served as anonymous

/// Asserts the run failed because Confluence served the token as anonymous, and says so.
#[track_caller]
fn assert_anonymous(site: &Site, run: &Run, wrong: &str, what_failed: &str) {
    run.assert_code(1);
    let err = &run.stderr;
    assert!(err.contains("treated CONFLUENCE_TOKEN as anonymous"), "{err}");
    assert!(err.contains("new token"), "says what to do: {err}");
    assert!(err.contains(what_failed), "then what failed as anonymous ({what_failed}): {err}");
    assert!(!run.all_output().contains(wrong), "the token is never printed");
    let asked = site.fake.requests().iter().filter(|r| r.path == "/rest/api/user/current").count();
    assert!(asked >= 1, "asked who it is");
    assert_eq!(run.stdout, "");
}

/// A wrong personal access token that Data Center serves as the anonymous user (404, 403 or empty
/// lookups instead of 401) is reported as such — not as a missing root page, a missing permission
/// or a missing source page; a right token whose root page is really missing is still "not found".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_token_served_as_anonymous_is_named() {
    let site = site_with_previous(Flavor::DataCenter).await;
    site.fake.set_anonymous_for_wrong_token(true);
    let wrong = "wrong-SECRET-pat-31";
    let env = site.env().set("CONFLUENCE_TOKEN", wrong);

    // A private space: the root page is 404 to anonymous.
    let run = site.run(&env).await;
    assert_anonymous(&site, &run, wrong, &format!("root page {} (CONFLUENCE_ROOT_PAGE_ID) was not found", site.root));
    // CONFLUENCE_SPACE_KEY skips the root page: anonymous finds no page at all.
    let run = site.run(&env.clone().set("CONFLUENCE_SPACE_KEY", "TEAM")).await;
    assert_anonymous(&site, &run, wrong, "no source page to copy");
    // A public space: anonymous reads everything, and its create is refused (403).
    site.fake.set_space_public("TEAM", true);
    let run = site.run(&env).await;
    assert_anonymous(&site, &run, wrong, "could not create the page");
    assert!(run.stderr.contains("HTTP 403"), "{}", run.stderr);
    assert_eq!(site.fake.writes(), 1, "only that refused create");
    assert!(site.titled(THIS_TITLE).is_empty());
    site.fake.set_space_public("TEAM", false);

    let run = site.run(&site.env().set("CONFLUENCE_ROOT_PAGE_ID", "999999")).await;
    run.assert_code(1);
    assert!(run.stderr.contains("999999") && run.stderr.contains("not found"), "{}", run.stderr);
    assert!(!run.stderr.contains("anonymous"), "the right token is not called anonymous: {}", run.stderr);
}
