//! Scale: requests in flight, global latency, large attachments.

use std::time::{Duration, Instant};

use fake_confluence::{FakeConfluence, Fault, FaultAction};

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_in_flight_counts_overlapping_requests_including_delays() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&bearer());
    let url = format!("{}/rest/api/content/{root}", fake.base_url());
    assert_eq!(fake.max_in_flight(), 0);

    fake.set_latency(Duration::from_millis(300));
    let started = Instant::now();
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let (http, url) = (http.clone(), url.clone());
            tokio::spawn(async move { get(&http, &url).await.0 })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    assert!(started.elapsed() >= Duration::from_millis(300), "latency applies");
    assert_eq!(fake.max_in_flight(), 6);

    fake.set_latency(Duration::ZERO);
    fake.reset_max_in_flight();
    assert_eq!(fake.max_in_flight(), 0);
    get(&http, &url).await;
    assert_eq!(fake.max_in_flight(), 1);

    // Fault delays count too.
    fake.reset_max_in_flight();
    fake.inject(Fault {
        method: "GET",
        path: format!("/content/{root}"),
        times: 3,
        commit: false,
        action: FaultAction::Delay(Duration::from_millis(300)),
    });
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let (http, url) = (http.clone(), url.clone());
            tokio::spawn(async move { get(&http, &url).await.0 })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(fake.max_in_flight(), 3);
}

#[tokio::test]
async fn forty_megabyte_attachment_uploads_and_downloads_intact() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&bearer());
    let data: Vec<u8> = (0..40 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let (ct, body) = multipart(&[("file", "big.bin", "application/octet-stream", &data)], &[]);
    let url = format!("{}/rest/api/content/{root}/child/attachment", fake.base_url());
    let (status, _, text) =
        raw(http.post(&url).header("content-type", &ct).header("X-Atlassian-Token", "no-check").body(body)).await;
    assert_eq!(status, 200, "{}", &text[..text.len().min(300)]);
    let page = fake.page(&root).unwrap();
    assert_eq!(page.attachments[0].data.len(), data.len());
    assert!(fake.requests().last().unwrap().body.len() <= 4 * 1024 * 1024, "the log keeps only the start");

    let att_id = &page.attachments[0].id;
    for path in [
        format!("/download/attachments/{root}/big.bin"),
        format!("/rest/api/content/{root}/child/attachment/{att_id}/download"),
    ] {
        let resp = http.get(format!("{}{path}", fake.base_url())).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        assert!(resp.bytes().await.unwrap() == data, "{path}");
    }
}
