//! Scale: many reports in one run share one limit on requests in flight
//! (`CONFLUENCE_CONCURRENCY`) and still overlap; large attachments are copied intact without
//! being held in memory.

use std::time::{Duration, Instant};

use crate::common::*;

/// Waited by the fake before every answer: long enough that overlap, or its absence, dominates
/// the wall time of a run.
const LATENCY: Duration = Duration::from_millis(200);

/// Sequential round trips of one report that creates its page, on both flavours: the root page,
/// then this period's and the previous period's titles together, then the create (or copy) with
/// the reads of what else to copy.
const CREATE_ROUND_TRIPS: u32 = 3;

const REPORTS: usize = 30;

both_flavors!(thirty_reports_overlap_within_the_limit, a_forty_megabyte_attachment_is_copied_intact);

/// A config file with `REPORTS` reports under the site's root, each with its own title and its
/// previous period's page; `defaults` is added under `defaults:`.
fn many_reports(site: &Site, defaults: &str) -> String {
    let mut yaml = format!("defaults:\n  base_url: {}\n{defaults}reports:\n", site.fake.base_url());
    for i in 0..REPORTS {
        site.add(&format!("2025-05-29 Team {i:02} Report"), SOURCE_BODY);
        yaml.push_str(&format!(
            "  - name: team_{i:02}\n    root_page_id: \"{}\"\n    title_template: \"{{date}} Team {i:02} Report\"\n",
            site.root
        ));
    }
    yaml
}

async fn thirty_reports_overlap_within_the_limit(flavor: Flavor) {
    let site = Site::start(flavor).await;
    // Run-wide, so under `defaults:`.
    std::fs::write(site.dir.path().join("reports.yml"), many_reports(&site, "  concurrency: 16\n")).unwrap();
    site.fake.set_latency(LATENCY);
    let env = site.env().unset("CONFLUENCE_ROOT_PAGE_ID").set("CONFLUENCE_CONFIG", "reports.yml");

    let started = Instant::now();
    let run = site.run(&env).await;
    let elapsed = started.elapsed();
    run.assert_code(0);

    assert_eq!(run.stdout.lines().count(), REPORTS, "one line per report: {}", run.stdout);
    for i in 0..REPORTS {
        let pages = site.titled(&format!("2025-06-05 Team {i:02} Report"));
        assert_eq!(pages.len(), 1, "report {i}");
        assert_eq!(pages[0].body, SOURCE_BODY, "report {i}");
    }
    let most = site.fake.max_in_flight();
    assert!(most <= 16, "CONFLUENCE_CONCURRENCY is 16, but {most} requests were in flight at once");
    assert!(most >= 8, "reports overlap: at most {most} requests were in flight at once");
    // One report after another would take at least 30 × its round trips × the latency.
    let sequential = LATENCY * CREATE_ROUND_TRIPS * REPORTS as u32;
    assert!(elapsed < sequential / 2, "30 reports took {elapsed:?}; one after another would take {sequential:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_request_at_a_time_when_asked_and_lookbacks_keep_to_the_limit() {
    let site = Site::start(Flavor::DataCenter).await;
    // No previous period's page: the lookback walks 12 more periods and finds the oldest.
    let oldest = "2025-03-06 Weekly Report";
    let source = site.add(oldest, SOURCE_BODY);
    site.fake.add_label(&source, "weekly");
    site.fake.add_attachment(&source, "chart.png", "image/png", fake_confluence::CHART_PNG);
    let hook = FakeWebhook::start().await;
    site.fake.set_latency(Duration::from_millis(100));
    let env = site.env().set("CONFLUENCE_LOOKBACK", "12").set("WEBHOOK_URL", &hook.url());

    // A download and its upload, a label, a lookup, the webhook: all one at a time, none waits
    // for another's place.
    site.run(&env.clone().set("CONFLUENCE_CONCURRENCY", "1")).await.assert_code(0);
    assert_eq!(site.fake.max_in_flight(), 1);
    let copy = &site.titled(THIS_TITLE)[0];
    assert_eq!(copy.labels, ["weekly"]);
    assert_eq!(copy.attachments[0].data, fake_confluence::CHART_PNG);
    assert_eq!(hook.received().len(), 1);

    // Thirteen lookups go out together, but no more than the limit at once.
    site.fake.delete_page(&copy.id);
    site.fake.reset_max_in_flight();
    site.run(&env.set("CONFLUENCE_CONCURRENCY", "3")).await.assert_code(0);
    assert_eq!(site.fake.max_in_flight(), 3);
}

async fn a_forty_megabyte_attachment_is_copied_intact(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let previous = site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let data: Vec<u8> = (0..40 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    site.fake.add_attachment(&previous, "big.bin", "application/octet-stream", &data);
    site.fake.add_attachment(&previous, "chart.png", "image/png", fake_confluence::CHART_PNG);
    if flavor == Flavor::Cloud {
        // The copy endpoint would copy attachments server-side; without it they pass through here.
        site.fake.inject(status("POST", "/copy", 1, 404, None));
    }
    // The first upload is turned away unprocessed: the retry must send the whole file again.
    site.fake.inject(status("POST", "/child/attachment", 1, 503, Some("0")));

    let tmp = site.dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let run = site.run(&site.env().set("TMPDIR", tmp.to_str().unwrap())).await;
    run.assert_code(0);
    assert!(run.stderr.contains("HTTP 503") && run.stderr.contains("retry 1/"), "{}", run.stderr);
    assert!(!run.stderr.contains("held in memory"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "temporary files are removed");
    let copy = &site.titled(THIS_TITLE)[0];
    let big = copy.attachments.iter().find(|a| a.filename == "big.bin").expect("big.bin copied");
    assert_eq!(big.data.len(), data.len());
    assert!(big.data == data, "the 40 MB attachment differs after the copy");
    assert_eq!(big.media_type, "application/octet-stream");
    let chart = copy.attachments.iter().find(|a| a.filename == "chart.png").expect("chart.png copied");
    assert_eq!(chart.data, fake_confluence::CHART_PNG);
}

/// A read-only file system without a writable `TMPDIR` (Kubernetes' `readOnlyRootFilesystem`):
/// attachments are still copied, held in memory, with a warning saying what to mount.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_writable_temporary_directory_attachments_are_copied_from_memory() {
    let site = Site::start(Flavor::DataCenter).await;
    let previous = site.add(PREVIOUS_TITLE, SOURCE_BODY);
    site.fake.add_attachment(&previous, "chart.png", "image/png", fake_confluence::CHART_PNG);
    let missing = site.dir.path().join("no-such-dir");
    let run = site.run(&site.env().set("TMPDIR", missing.to_str().unwrap())).await;
    run.assert_code(0);
    assert!(run.stderr.contains("held in memory") && run.stderr.contains("TMPDIR"), "{}", run.stderr);
    assert_eq!(site.titled(THIS_TITLE)[0].attachments[0].data, fake_confluence::CHART_PNG);
}
