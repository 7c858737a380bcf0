//! Creates whose answer never arrives (a 502 or 504 after the page was made, a timeout, a
//! dropped connection, a page that shows up late) make exactly one page, reported as this run's;
//! slow transfers that keep moving are not cut off by the timeout.

use std::time::{Duration, Instant};

use fake_confluence::{Fault, FaultAction};

use crate::common::*;

both_flavors!(
    create_committed_but_answered_502_makes_one_page,
    create_committed_but_slower_than_the_timeout_makes_one_page,
    create_connection_dropped_after_commit_makes_one_page,
    lost_create_refused_on_retry_is_this_runs_page,
    lost_create_refused_on_retry_still_gets_its_copies,
    slow_attachment_that_keeps_moving_is_not_cut_off,
);

/// The run re-checked after the lost answer, found the page its one create made, and reports it
/// as created.
#[track_caller]
fn assert_one_page_from_one_create(site: &Site, run: &Run) {
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true);
    let pages = site.titled(THIS_TITLE);
    assert_eq!(pages.len(), 1);
    assert_eq!(out["page_id"], pages[0].id.as_str());
    assert_eq!(creates(site), 1, "the create is not repeated once the page is found: {:?}", sent_with_queries(site));
    assert!(run.stderr.contains("checking whether the page was created"), "{}", run.stderr);
}

/// The page is made, but the answer is a 502 from a proxy.
async fn create_committed_but_answered_502_makes_one_page(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let answer = FaultAction::Status { status: 502, retry_after: None, body: String::new() };
    site.fake.inject(committed_create(flavor, answer));
    let run = site.run(&site.env()).await;
    assert_one_page_from_one_create(&site, &run);
}

/// The page is made, but the answer comes after CONFLUENCE_TIMEOUT.
async fn create_committed_but_slower_than_the_timeout_makes_one_page(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(committed_create(flavor, FaultAction::Delay(Duration::from_secs(5))));
    let run = site.run(&site.env().set("CONFLUENCE_TIMEOUT", "1")).await;
    assert_one_page_from_one_create(&site, &run);
    assert!(run.stderr.contains("timed out"), "{}", run.stderr);
}

/// The page is made, but the connection drops before the answer.
async fn create_connection_dropped_after_commit_makes_one_page(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(committed_create(flavor, FaultAction::Drop));
    let run = site.run(&site.env()).await;
    assert_one_page_from_one_create(&site, &run);
}

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
    assert_eq!(creates(&site), 2, "re-checked, then sent again: {:?}", sent_with_queries(&site));
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
    assert_eq!(creates(&site), 2, "{:?}", sent_with_queries(&site));
    let pages = site.titled(THIS_TITLE);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].attachments.len(), 1, "the attachment is copied to the page");
    assert_eq!(pages[0].attachments[0].data, b"\x89PNG late commit");
}

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
