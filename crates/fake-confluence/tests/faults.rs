//! Fault injection and concurrency.

mod common;

use std::time::{Duration, Instant};

use common::*;
use fake_confluence::{FakeConfluence, Fault, FaultAction};
use serde_json::{Value, json};

async fn dc() -> (FakeConfluence, String, reqwest::Client) {
    let fake = FakeConfluence::start_datacenter(TOKEN, "/confluence").await;
    let root = fake.seed_demo().root_page_id;
    (fake, root, client(&bearer()))
}

fn new_page(title: &str, root: &str) -> Value {
    json!({
        "type": "page", "title": title, "space": {"key": "TEAM"}, "ancestors": [{"id": root}],
        "body": {"storage": {"value": "<p>x</p>", "representation": "storage"}},
    })
}

fn fault(method: &'static str, path: &str, times: usize, commit: bool, action: FaultAction) -> Fault {
    Fault { method, path: path.to_string(), times, commit, action }
}

#[tokio::test]
async fn status_fault_with_retry_after_then_normal() {
    let (fake, root, http) = dc().await;
    fake.inject(fault(
        "POST",
        "/rest/api/content",
        2,
        false,
        FaultAction::Status {
            status: 429,
            retry_after: Some("3".into()),
            body: r#"{"message":"Rate limited"}"#.into(),
        },
    ));
    let url = format!("{}/rest/api/content", fake.base_url());
    for _ in 0..2 {
        let resp = http.post(&url).json(&new_page("New", &root)).send().await.unwrap();
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "3");
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        assert_eq!(resp.text().await.unwrap(), r#"{"message":"Rate limited"}"#);
    }
    assert!(fake.find_title("TEAM", "New").is_empty(), "not committed");
    // The fault is used up; GETs never matched it.
    let (status, _) = post(&http, &url, &new_page("New", &root)).await;
    assert_eq!(status, 200);
    assert_eq!(fake.find_title("TEAM", "New").len(), 1);
    assert_eq!(fake.writes(), 3);
}

#[tokio::test]
async fn committed_502_leaves_the_page_created() {
    let (fake, root, http) = dc().await;
    fake.inject(fault(
        "POST",
        "/rest/api/content",
        1,
        true,
        FaultAction::Status { status: 502, retry_after: None, body: "<html>Bad Gateway</html>".into() },
    ));
    let url = format!("{}/rest/api/content", fake.base_url());
    let (status, ct, _) = raw(http.post(&url).json(&new_page("Lost", &root))).await;
    assert_eq!(status, 502);
    assert!(ct.starts_with("text/html"), "{ct}");
    assert_eq!(fake.find_title("TEAM", "Lost").len(), 1, "committed");
    // A re-check by title finds it, and a blind retry is refused as a duplicate.
    let (_, found) = get(&http, &format!("{url}?spaceKey=TEAM&title=Lost")).await;
    assert_eq!(found["size"], 1);
    assert_eq!(post(&http, &url, &new_page("Lost", &root)).await.0, 400);
}

#[tokio::test]
async fn delay_fault_delays_the_normal_response() {
    let (fake, root, http) = dc().await;
    let wait = Duration::from_millis(300);
    fake.inject(fault("GET", &format!("/content/{root}"), 1, false, FaultAction::Delay(wait)));
    let started = Instant::now();
    let (status, body) = get(&http, &format!("{}/rest/api/content/{root}", fake.base_url())).await;
    assert!(started.elapsed() >= wait);
    assert_eq!(status, 200);
    assert_eq!(body["title"], "Weekly Reports");
}

#[tokio::test]
async fn committed_delay_changes_state_before_the_client_gives_up() {
    let (fake, root, http) = dc().await;
    fake.inject(fault("POST", "/rest/api/content", 1, true, FaultAction::Delay(Duration::from_secs(60))));
    let err = http
        .post(format!("{}/rest/api/content", fake.base_url()))
        .json(&new_page("Slow", &root))
        .timeout(Duration::from_secs(1))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert_eq!(fake.find_title("TEAM", "Slow").len(), 1);
}

#[tokio::test]
async fn drop_fault_closes_the_connection() {
    let (fake, root, http) = dc().await;
    let url = format!("{}/rest/api/content", fake.base_url());
    fake.inject(fault("POST", "/rest/api/content", 1, false, FaultAction::Drop));
    let err = http.post(&url).json(&new_page("Dropped", &root)).send().await.unwrap_err();
    // hyper reports IncompleteMessage: the connection closed without a response.
    assert!(err.is_request() && !err.is_timeout(), "{err:?}");
    assert!(fake.find_title("TEAM", "Dropped").is_empty());

    fake.inject(fault("POST", "/rest/api/content", 1, true, FaultAction::Drop));
    let err = http.post(&url).json(&new_page("Dropped", &root)).send().await.unwrap_err();
    assert!(err.is_request(), "{err:?}");
    assert_eq!(fake.find_title("TEAM", "Dropped").len(), 1, "committed before the drop");

    // The server is still fine afterwards.
    let (status, _) = get(&http, &format!("{url}/{root}")).await;
    assert_eq!(status, 200);
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_one_title_yield_one_page() {
    for fake in [FakeConfluence::start_datacenter(TOKEN, "").await, FakeConfluence::start_cloud(USER, TOKEN).await] {
        let root = fake.seed_demo().root_page_id;
        let cloud = fake.base_url().ends_with("/wiki");
        let http = client(&if cloud { basic() } else { bearer() });
        let space_id = fake.pages()[0].space_key.clone();
        let (url, body) = if cloud {
            let (_, spaces) = get(&http, &format!("{}/api/v2/spaces?keys={space_id}", fake.base_url())).await;
            let id = spaces["results"][0]["id"].as_str().unwrap().to_string();
            (
                format!("{}/api/v2/pages", fake.base_url()),
                json!({"spaceId": id, "status": "current", "title": "Race", "parentId": root,
                       "body": {"representation": "storage", "value": "<p/>"}}),
            )
        } else {
            (format!("{}/rest/api/content", fake.base_url()), new_page("Race", &root))
        };
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (http, url, body) = (http.clone(), url.clone(), body.clone());
                tokio::spawn(async move { post(&http, &url, &body).await.0 })
            })
            .collect();
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 15, "{statuses:?}");
        assert_eq!(fake.find_title("TEAM", "Race").len(), 1);
    }
}
