//! The whole run, end to end: the real binary against a stateful fake Confluence, once per
//! flavour (Data Center v1 with a PAT, Cloud v2 with email + API token).

use std::time::Duration;

use crate::common::*;

/// The fake's answer delay where a test counts round trips: long enough that requests sent
/// together always overlap at the fake.
const LATENCY: Duration = Duration::from_millis(150);

both_flavors!(
    creates_then_finds_it_again,
    concurrent_runs_make_one_page,
    existing_title_under_another_parent_counts,
    many_children_cost_nothing,
    lookback_finds_an_older_page,
    no_source_fails_naming_every_title,
    template_page_is_the_last_resort,
    labels_attachments_and_transforms_are_copied,
    dry_run_writes_nothing,
    github_and_gitlab_outputs_are_written,
    slack_workflow_webhook_gets_the_link,
    failing_webhook_exits_3_with_outputs_written,
    korean_titles_link_to_the_page,
    missing_root_page_is_named,
);

async fn creates_then_finds_it_again(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let previous = site.add(PREVIOUS_TITLE, SOURCE_BODY);

    let first = site.run(&site.env()).await;
    first.assert_code(0);
    let out = first.json();
    assert_eq!(out["created"], true);
    assert_eq!(out["due"], true);
    assert_eq!(out["dry_run"], false);
    assert_eq!(out["archived"], 0, "always present, 0 without CONFLUENCE_ARCHIVE");
    assert_eq!(out["report"], "default");
    assert_eq!(out["page_title"], THIS_TITLE);
    assert_eq!(out["report_date"], TODAY);
    assert_eq!(out["source_page_id"], previous.as_str());
    let pages = site.titled(THIS_TITLE);
    assert_eq!(pages.len(), 1);
    let page = &pages[0];
    assert_eq!(out["page_id"], page.id.as_str());
    assert_eq!(page.parent_id.as_deref(), Some(site.root.as_str()));
    assert_eq!(page.body, SOURCE_BODY, "the storage body is copied byte for byte");
    assert_eq!(out["page_url"], page_link(&site, &page.id, "2025-06-05+Weekly+Report"));

    let writes = site.fake.writes();
    let before = site.fake.requests().len();
    // With a latency, requests sent together overlap at the fake and count as one round trip.
    site.fake.set_latency(LATENCY);
    reset_stats(&site).await;
    let second = site.run(&site.env()).await;
    second.assert_code(0);
    let again = second.json();
    assert_eq!(again["created"], false);
    assert_eq!(again["page_url"], out["page_url"]);
    assert_eq!(again["page_id"], out["page_id"]);
    assert_eq!(site.fake.writes(), writes, "a rerun writes nothing");
    assert_eq!(site.titled(THIS_TITLE).len(), 1);
    // Existing path: the root page (for its space), then this period's and the previous
    // period's lookups together.
    let mut requests = sent(&site, before);
    requests.sort();
    let (root, lookup) = match flavor {
        Flavor::DataCenter => (format!("GET /rest/api/content/{}", site.root), "GET /rest/api/content"),
        Flavor::Cloud => (format!("GET /wiki/api/v2/pages/{}", site.root), "GET /wiki/api/v2/pages"),
    };
    let mut expected = vec![root, lookup.to_owned(), lookup.to_owned()];
    expected.sort();
    assert_eq!(requests, expected);
    assert_eq!(stats(&site).await, Stats { requests: 3, writes: 0, round_trips: 2 });
}

async fn concurrent_runs_make_one_page(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    race(&site, &site.env(), 4).await;
}

async fn existing_title_under_another_parent_counts(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let archive = site.add("Archive 2025", "<p/>");
    let moved = site.fake.add_page(&site.space, Some(&archive), THIS_TITLE, "<p>moved</p>");
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], false);
    assert_eq!(out["page_id"], moved.as_str());
    assert_eq!(site.fake.writes(), 0);
}

async fn many_children_cost_nothing(flavor: Flavor) {
    let site = Site::start(flavor).await;
    for i in 0..60 {
        site.add(&format!("Old page {i:02}"), "<p/>");
    }
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    site.fake.set_latency(LATENCY);
    let run =
        site.run(&site.env().set("CONFLUENCE_COPY_LABELS", "false").set("CONFLUENCE_COPY_ATTACHMENTS", "no")).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    let requests = sent(&site, 0);
    assert!(!requests.iter().any(|r| r.contains("/child")), "children are never listed: {requests:?}");
    // Create path: root page, the two lookups (together), then the page: on Cloud one request to
    // the copy endpoint; on Data Center the create, with the source's restrictions and properties
    // read in the same round.
    let expected = if flavor == Flavor::Cloud { 4 } else { 6 };
    assert_eq!(requests.len(), expected, "{requests:?}");
    let stats = stats(&site).await;
    assert_eq!(stats, Stats { requests: expected as u64, writes: 1, round_trips: 3 }, "{requests:?}");
}

async fn lookback_finds_an_older_page(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let older = site.add("2025-05-08 Weekly Report", SOURCE_BODY);
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true);
    assert_eq!(out["source_page_id"], older.as_str());
    assert_eq!(site.titled(THIS_TITLE)[0].body, SOURCE_BODY);
}

async fn no_source_fails_naming_every_title(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let run = site.run(&site.env().set("CONFLUENCE_LOOKBACK", "2")).await;
    run.assert_code(1);
    for title in [PREVIOUS_TITLE, "2025-05-22 Weekly Report", "2025-05-15 Weekly Report"] {
        assert!(run.stderr.contains(title), "{title} missing from: {}", run.stderr);
    }
    assert!(!run.stderr.contains("2025-05-08"), "only the configured lookback is searched");
    assert!(run.stderr.contains("CONFLUENCE_TEMPLATE_PAGE_ID"), "says what to do: {}", run.stderr);
    assert_eq!(run.stdout, "", "no result line on failure");
    assert_eq!(site.fake.writes(), 0);
    assert!(site.titled(THIS_TITLE).is_empty());
}

async fn template_page_is_the_last_resort(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let template = site.fake.add_page(&site.space, None, "Weekly Report Template", "<p>template</p>");
    let run = site.run(&site.env().set("CONFLUENCE_TEMPLATE_PAGE_ID", &template)).await;
    run.assert_code(0);
    assert_eq!(run.json()["source_page_id"], template.as_str());
    assert_eq!(site.titled(THIS_TITLE)[0].body, "<p>template</p>");

    // CONFLUENCE_SOURCE=template copies the template even when last week's page exists.
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let template = site.fake.add_page(&site.space, None, "Template", "<p>fresh</p>");
    let env = site.env().set("CONFLUENCE_SOURCE", "template").set("CONFLUENCE_TEMPLATE_PAGE_ID", &template);
    site.run(&env).await.assert_code(0);
    assert_eq!(site.titled(THIS_TITLE)[0].body, "<p>fresh</p>");
}

async fn labels_attachments_and_transforms_are_copied(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let previous = site.add(PREVIOUS_TITLE, SOURCE_BODY);
    site.fake.add_label(&previous, "weekly-report");
    site.fake.add_label(&previous, "team-a");
    let png: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    site.fake.add_attachment(&previous, "chart.png", "image/png", &png);
    site.fake.add_attachment(&previous, "notes.txt", "text/plain", b"hello");
    let env = site.env().set("CONFLUENCE_RESET_TASKS", "true").set("CONFLUENCE_REPLACE_DATES", "yes");
    site.run(&env).await.assert_code(0);
    let page = &site.titled(THIS_TITLE)[0];
    let mut labels = page.labels.clone();
    labels.sort();
    assert_eq!(labels, ["team-a", "weekly-report"]);
    let chart = page.attachments.iter().find(|a| a.filename == "chart.png").expect("chart copied");
    assert_eq!(chart.data, png, "attachment bytes intact");
    assert_eq!(chart.media_type, "image/png");
    assert_eq!(page.attachments.len(), 2);
    assert!(page.body.contains("<ac:task-status>incomplete</ac:task-status>"), "{}", page.body);
    assert!(!page.body.contains("<ac:task-status>complete</ac:task-status>"));
    assert!(page.body.contains("<p>2025-06-05 &amp; notes — 주간</p>"), "{}", page.body);
}

async fn dry_run_writes_nothing(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let previous = site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let hook = FakeWebhook::start().await;
    let run = run_in(site.dir.path(), &site.env().set("WEBHOOK_URL", &hook.url()), &["--dry-run"]).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["dry_run"], true);
    assert_eq!(out["created"], false);
    assert_eq!(out["page_title"], THIS_TITLE);
    assert_eq!(out["source_page_id"], previous.as_str());
    assert_eq!(site.fake.writes(), 0);
    assert_eq!(hook.attempts(), 0, "a dry run sends nothing");
    assert!(site.titled(THIS_TITLE).is_empty());
}

async fn github_and_gitlab_outputs_are_written(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let dir = site.dir.path();
    let output = dir.join("github_output");
    let summary = dir.join("summary.md");
    let env = site
        .env()
        .set("GITHUB_ACTIONS", "true")
        .set("GITHUB_OUTPUT", output.to_str().unwrap())
        .set("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())
        .set("GITLAB_CI", "true");
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(run.stderr.lines().next(), Some(format!("::add-mask::{TOKEN}").as_str()), "mask first");
    assert_eq!(run.stderr.matches(TOKEN).count(), 1, "only the mask line holds the token");
    assert!(run.stderr.contains("::notice::Created 2025-06-05 Weekly Report"), "{}", run.stderr);

    let outputs = parse_github_output(&std::fs::read_to_string(&output).unwrap());
    assert_eq!(outputs["page_url"], out["page_url"].as_str().unwrap());
    assert_eq!(outputs["page_id"], out["page_id"].as_str().unwrap());
    assert_eq!(outputs["page_title"], THIS_TITLE);
    assert_eq!(outputs["created"], "true");
    assert_eq!(outputs["report_date"], TODAY);
    assert_eq!(outputs["source_page_id"], out["source_page_id"].as_str().unwrap());
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.contains(&format!("[{THIS_TITLE}]({})", out["page_url"].as_str().unwrap())), "{summary}");

    let dotenv = std::fs::read_to_string(dir.join("confluence-weekly.env")).unwrap();
    assert!(dotenv.contains(&format!("CONFLUENCE_PAGE_URL={}\n", out["page_url"].as_str().unwrap())), "{dotenv}");
    assert!(dotenv.contains("CONFLUENCE_PAGE_CREATED=true\n"));
    assert!(dotenv.contains(&format!("CONFLUENCE_PAGE_TITLE={THIS_TITLE}\n")));
    assert!(dotenv.contains(&format!("CONFLUENCE_REPORT_DATE={TODAY}\n")));
    assert!(dotenv.contains(&format!("CONFLUENCE_PAGE_ID={}\n", out["page_id"].as_str().unwrap())), "{dotenv}");
}

async fn slack_workflow_webhook_gets_the_link(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let hook = FakeWebhook::start().await;
    let env = site.env().set("WEBHOOK_URL", &hook.url()).set("WEBHOOK_FORMAT", "slack-workflow");
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    let received = hook.received();
    assert_eq!(received.len(), 1);
    let body = &received[0];
    assert_eq!(body["report_link"], out["page_url"]);
    assert_eq!(body["page_url"], out["page_url"]);
    assert_eq!(body["page_title"], THIS_TITLE);
    assert_eq!(body["created"], "true");
    assert!(body.as_object().unwrap().values().all(|v| v.is_string()), "{body}");
    assert!(!run.all_output().contains("secret-path"), "webhook URLs are secrets");

    // WEBHOOK_WHEN=created: the rerun finds the page and stays quiet.
    let rerun = site.run(&env.clone().set("WEBHOOK_WHEN", "created")).await;
    rerun.assert_code(0);
    assert_eq!(hook.received().len(), 1);
}

async fn failing_webhook_exits_3_with_outputs_written(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let hook = FakeWebhook::start().await;
    hook.fail_always(500);
    let output = site.dir.path().join("github_output");
    let env = site
        .env()
        .set("WEBHOOK_URL", &hook.url())
        .set("CONFLUENCE_MAX_RETRIES", "1")
        .set("GITHUB_OUTPUT", output.to_str().unwrap());
    let run = site.run(&env).await;
    run.assert_code(3);
    assert_eq!(run.json()["created"], true);
    assert_eq!(site.titled(THIS_TITLE).len(), 1, "the page stays");
    let outputs = parse_github_output(&std::fs::read_to_string(&output).unwrap());
    assert_eq!(outputs["page_url"], run.json()["page_url"].as_str().unwrap());
    assert_eq!(outputs["created"], "true");
    assert!(run.stderr.contains("127.0.0.1"), "names the webhook host: {}", run.stderr);
    assert!(!run.all_output().contains("secret-path"), "but not its path");
    assert_eq!(hook.attempts(), 2, "one retry");
}

async fn korean_titles_link_to_the_page(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add("20250529_Platform 주간 보고", SOURCE_BODY);
    let env = site.env().set("CONFLUENCE_TITLE_TEMPLATE", "{date:%Y%m%d}_Platform 주간 보고");
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["page_title"], "20250605_Platform 주간 보고");
    let id = site.titled("20250605_Platform 주간 보고")[0].id.clone();
    let url = out["page_url"].as_str().unwrap();
    match flavor {
        Flavor::DataCenter => assert_eq!(url, format!("{}/pages/viewpage.action?pageId={id}", site.fake.base_url())),
        Flavor::Cloud => {
            let title = "20250605_Platform+%EC%A3%BC%EA%B0%84+%EB%B3%B4%EA%B3%A0";
            assert_eq!(url, format!("{}/spaces/TEAM/pages/{id}/{title}", site.fake.base_url()))
        }
    }
}

async fn missing_root_page_is_named(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let run = site.run(&site.env().set("CONFLUENCE_ROOT_PAGE_ID", "999999")).await;
    run.assert_code(1);
    assert!(run.stderr.contains("999999"), "{}", run.stderr);
    assert!(run.stderr.contains("CONFLUENCE_ROOT_PAGE_ID"), "{}", run.stderr);
    assert!(run.stderr.contains("not found"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn context_paths_are_kept_in_links() {
    let site = Site::start_at(Flavor::DataCenter, "/confluence").await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    let url = run.json()["page_url"].as_str().unwrap().to_owned();
    assert!(site.fake.base_url().ends_with("/confluence"));
    assert_eq!(url, format!("{}/display/TEAM/2025-06-05+Weekly+Report", site.fake.base_url()));
    assert!(site.fake.requests().iter().all(|r| r.path.starts_with("/confluence/")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn space_key_saves_the_root_lookup_on_data_center() {
    let site = Site::start(Flavor::DataCenter).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let env = site.env().set("CONFLUENCE_SPACE_KEY", "TEAM");
    site.run(&env).await.assert_code(0);
    let before = site.fake.requests().len();
    site.fake.set_latency(LATENCY);
    reset_stats(&site).await;
    site.run(&env).await.assert_code(0);
    // No root page read: only this period's and the previous period's lookups, together.
    assert_eq!(sent(&site, before), ["GET /rest/api/content", "GET /rest/api/content"]);
    assert_eq!(stats(&site).await, Stats { requests: 2, writes: 0, round_trips: 1 });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dotenv_file_is_read_and_real_variables_win() {
    let site = Site::start(Flavor::DataCenter).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    std::fs::write(
        site.dir.path().join(".env"),
        format!(
            "CONFLUENCE_BASE_URL={}\nCONFLUENCE_API_TOKEN={TOKEN}\nROOT_PAGE_ID={}\nCONFLUENCE_DATE=2020-01-02\n",
            site.fake.base_url(),
            site.root
        ),
    )
    .unwrap();
    // Only the date comes from the real environment; the rest from the old script's .env names.
    let run = site.run(&Env::default().set("CONFLUENCE_DATE", TODAY)).await;
    run.assert_code(0);
    assert_eq!(run.json()["page_title"], THIS_TITLE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weekdays_schedule_is_not_due_on_saturday() {
    let site = Site::start(Flavor::DataCenter).await;
    let output = site.dir.path().join("github_output");
    let env = site
        .env()
        .set("CONFLUENCE_SCHEDULE", "weekdays")
        .set("CONFLUENCE_DATE", "2025-06-07")
        .set("GITHUB_OUTPUT", output.to_str().unwrap())
        .set("GITLAB_CI", "true");
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["due"], false);
    assert_eq!(out["page_url"], serde_json::Value::Null);
    assert_eq!(site.fake.requests().len(), 0);
    let outputs = parse_github_output(&std::fs::read_to_string(&output).unwrap());
    assert_eq!((outputs["created"].as_str(), outputs["due"].as_str()), ("false", "false"));
    assert_eq!(outputs["archived"], "0");
    let dotenv = std::fs::read_to_string(site.dir.path().join("confluence-weekly.env")).unwrap();
    assert!(dotenv.contains("CONFLUENCE_DUE=false\n") && dotenv.contains("CONFLUENCE_PAGE_URL=\n"), "{dotenv}");
    assert!(dotenv.contains("CONFLUENCE_ARCHIVED=0\n"), "{dotenv}");

    // On Monday the page is due, and the outputs say so.
    site.add("2025-06-06 Weekly Report", SOURCE_BODY);
    let run = site
        .run(&env.set("CONFLUENCE_DATE", "2025-06-09").set("CONFLUENCE_TITLE_TEMPLATE", "{date} Weekly Report"))
        .await;
    run.assert_code(0);
    let outputs = parse_github_output(&std::fs::read_to_string(&output).unwrap());
    assert_eq!((outputs["created"].as_str(), outputs["due"].as_str()), ("true", "true"));
}
