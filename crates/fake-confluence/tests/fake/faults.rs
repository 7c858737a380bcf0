//! Fault injection and concurrency.

use std::time::{Duration, Instant};

use fake_confluence::{FakeConfluence, Fault, FaultAction};
use serde_json::{Value, json};

use crate::common::*;

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

#[tokio::test]
async fn trickle_outlasts_a_whole_request_timeout_but_not_an_idle_one() {
    let (fake, root, _) = dc().await;
    let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    let id = fake.add_page("TEAM", Some(&root), "Big", "<p/>");
    fake.add_attachment(&id, "data.bin", "application/octet-stream", &data);
    let url = format!("{}/download/attachments/{id}/data.bin", fake.base_url());
    let every = Duration::from_millis(50);
    fake.inject(fault("GET", "/data.bin", 2, false, FaultAction::Trickle { chunk: 1_000, every }));

    let whole = reqwest::Client::builder().timeout(Duration::from_millis(400)).build().unwrap();
    let err = async { whole.get(&url).bearer_auth(TOKEN).send().await?.bytes().await }.await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");

    let idle = reqwest::Client::builder().read_timeout(Duration::from_secs(2)).build().unwrap();
    let started = Instant::now();
    let resp = idle.get(&url).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(resp.headers()["content-length"], "20000");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), data.as_slice());
    assert!(started.elapsed() >= every * 19, "{:?}", started.elapsed());
}

#[tokio::test]
async fn repeat_next_points_a_listing_at_itself() {
    let (fake, root, http) = dc().await;
    let base = fake.base_url();
    fake.inject(fault("GET", "/child/page", 1000, false, FaultAction::RepeatNext));
    let first = format!("{base}/rest/api/content/{root}/child/page?limit=1");
    let mut url = first.clone();
    for _ in 0..3 {
        let (status, body) = get(&http, &url).await;
        assert_eq!(status, 200);
        let next = body["_links"]["next"].as_str().unwrap();
        assert_eq!(format!("{base}{next}"), first, "the same page again");
        url = format!("{base}{next}");
    }

    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&basic());
    fake.inject(fault("GET", "/children", 1000, false, FaultAction::RepeatNext));
    let (_, body) = get(&http, &format!("{}/api/v2/pages/{root}/children?limit=1", fake.base_url())).await;
    assert_eq!(body["_links"]["next"], format!("/wiki/api/v2/pages/{root}/children?limit=1").as_str());
}

#[tokio::test]
async fn endless_next_keeps_going_past_the_end() {
    let (fake, root, http) = dc().await;
    let base = fake.base_url();
    fake.inject(fault("GET", "/child/page", 5, false, FaultAction::EndlessNext));
    let mut url = format!("{base}/rest/api/content/{root}/child/page?limit=1");
    let mut starts = Vec::new();
    for _ in 0..5 {
        let (_, body) = get(&http, &url).await;
        starts.push(body["start"].as_u64().unwrap());
        url = format!("{base}{}", body["_links"]["next"].as_str().unwrap());
    }
    assert_eq!(starts, [0, 1, 2, 3, 4], "pages beyond the two children keep coming");
    let (_, body) = get(&http, &url).await;
    assert_eq!(body["results"], json!([]));
    assert!(body["_links"].get("next").is_none(), "fault used up");
}

#[tokio::test]
async fn late_commit_shows_the_page_only_later() {
    let (fake, root, http) = dc().await;
    let url = format!("{}/rest/api/content", fake.base_url());
    let action = FaultAction::LateCommit { status: 504, body: "<html>Gateway Timeout</html>".into(), invisible_for: 3 };
    fake.inject(fault("POST", "/rest/api/content", 1, false, action));
    let (status, ct, _) = raw(http.post(&url).json(&new_page("Late", &root))).await;
    assert_eq!((status, ct.starts_with("text/html")), (504, true));
    assert_eq!(fake.find_title("TEAM", "Late").len(), 1, "committed");
    let id = fake.find_title("TEAM", "Late")[0].id.clone();

    let lookup = format!("{url}?spaceKey=TEAM&title=Late");
    assert_eq!(get(&http, &lookup).await.1["size"], 0, "1st title request after: not yet");
    let (status, refused) = post(&http, &url, &new_page("Late", &root)).await;
    assert_eq!(status, 400, "2nd: the retry is a duplicate: {refused}");
    for _ in 0..3 {
        assert_eq!(get(&http, &format!("{url}/{id}")).await.0, 404, "reads that name no title do not count");
    }
    assert_eq!(get(&http, &lookup).await.1["size"], 0, "3rd title request: still invisible");
    assert_eq!(get(&http, &lookup).await.1["size"], 1, "4th: there it is");

    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&basic());
    let (_, spaces) = get(&http, &format!("{}/api/v2/spaces?keys=TEAM", fake.base_url())).await;
    let sid = spaces["results"][0]["id"].as_str().unwrap().to_string();
    let action = FaultAction::LateCommit { status: 504, body: String::new(), invisible_for: 1_000 };
    fake.inject(fault("POST", "/api/v2/pages", 1, true, action));
    let body = json!({"spaceId": sid, "status": "current", "title": "Late", "parentId": root,
                      "body": {"representation": "storage", "value": "<p/>"}});
    assert_eq!(raw(http.post(format!("{}/api/v2/pages", fake.base_url())).json(&body)).await.0, 504);
    let lookup = format!("{}/api/v2/pages?space-id={sid}&title=Late", fake.base_url());
    assert_eq!(get(&http, &lookup).await.1["results"], json!([]));
    fake.reveal_late_commits();
    assert_eq!(get(&http, &lookup).await.1["results"].as_array().unwrap().len(), 1);
}
