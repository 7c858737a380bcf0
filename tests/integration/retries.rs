//! Trouble that passes is retried (rate limits with `Retry-After`, 5xx, refused connections, a
//! webhook's 429); a refusal that will not pass (4xx on a create) is not.

use std::time::{Duration, Instant};

use crate::common::*;

both_flavors!(
    rate_limits_are_waited_out,
    unavailable_then_success,
    client_errors_on_create_are_not_retried,
    webhook_rate_limit_is_retried,
);

/// 429 with `Retry-After: 1` on the lookups: the run waits, retries, and logs it.
async fn rate_limits_are_waited_out(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(status("GET", lookup_path(flavor), 2, 429, Some("1")));
    let started = Instant::now();
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After honoured: {:?}", started.elapsed());
    assert_eq!(run.json()["created"], true);
    assert!(run.stderr.contains("HTTP 429") && run.stderr.contains("retry 1/4"), "retries are logged: {}", run.stderr);
    assert_eq!(site.titled(THIS_TITLE).len(), 1);
}

/// A 503 on the root page: retried once, then the run goes on.
async fn unavailable_then_success(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let root = match flavor {
        Flavor::DataCenter => format!("/rest/api/content/{}", site.root),
        Flavor::Cloud => format!("/api/v2/pages/{}", site.root),
    };
    site.fake.inject(status("GET", &root, 1, 503, None));
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert!(run.stderr.contains("HTTP 503") && run.stderr.contains("retry 1/4"), "the retry is logged: {}", run.stderr);
    let root_reads = site.fake.requests().iter().filter(|r| r.method == "GET" && r.path.ends_with(&root)).count();
    assert_eq!(root_reads, 2, "the 503, then its retry: {:?}", sent_with_queries(&site));
}

/// A 403 on the create is final: one POST, a message about the permission, no page.
async fn client_errors_on_create_are_not_retried(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(status("POST", create_path(flavor), 5, 403, None));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    assert!(run.stderr.contains("403") && run.stderr.contains("permission"), "{}", run.stderr);
    let posts = site.fake.requests().iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 1);
    assert!(site.titled(THIS_TITLE).is_empty());
}

/// A webhook's 429 is retried; the page is announced once.
async fn webhook_rate_limit_is_retried(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let hook = FakeWebhook::start().await;
    hook.fail_next(1, 429, Some("0"));
    let run = site.run(&site.env().set("WEBHOOK_URL", &hook.url())).await;
    run.assert_code(0);
    assert_eq!(hook.attempts(), 2);
    assert_eq!(hook.received().len(), 1);
    assert_eq!(hook.received()[0]["page_title"], THIS_TITLE, "json format by default for unknown hosts");
}

/// Nothing listening: the host is named, and the read is retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_names_the_host() {
    // A port that was free a moment ago and has no listener now.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let env = Env::default()
        .set("CONFLUENCE_BASE_URL", &format!("http://127.0.0.1:{port}"))
        .set("CONFLUENCE_TOKEN", TOKEN)
        .set("CONFLUENCE_ROOT_PAGE_ID", "1")
        .set("CONFLUENCE_MAX_RETRIES", "1");
    let run = run_in(dir.path(), &env, &[]).await;
    run.assert_code(1);
    assert!(run.stderr.contains("127.0.0.1") && run.stderr.contains("could not connect"), "{}", run.stderr);
    assert!(run.stderr.contains("retry 1/1"), "connection errors on reads are retried: {}", run.stderr);
}
