//! The fake webhook.

use fake_confluence::FakeWebhook;
use serde_json::json;

#[tokio::test]
async fn fail_next_then_success() {
    let hook = FakeWebhook::start().await;
    assert!(hook.url().starts_with("http://127.0.0.1:"));
    assert!(hook.url().ends_with("/hooks/secret-path-123"));
    hook.fail_next(2, 503, Some("1"));
    let http = reqwest::Client::new();
    for _ in 0..2 {
        let resp = http.post(hook.url()).json(&json!({"n": 1})).send().await.unwrap();
        assert_eq!(resp.status(), 503);
        assert_eq!(resp.headers()["retry-after"], "1");
    }
    let resp = http.post(hook.url()).json(&json!({"n": 2})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), "ok");
    assert_eq!(hook.received(), vec![json!({"n": 2})]);
    assert_eq!(hook.attempts(), 3);
}

#[tokio::test]
async fn fail_always_and_bad_requests() {
    let hook = FakeWebhook::start().await;
    let http = reqwest::Client::new();
    let resp = http.post(hook.url()).body("not json").send().await.unwrap();
    assert_eq!(resp.status(), 400);
    let wrong_path = hook.url().replace("secret-path-123", "other");
    assert_eq!(http.post(wrong_path).json(&json!({})).send().await.unwrap().status(), 404);

    hook.fail_always(500);
    for _ in 0..3 {
        let resp = http.post(hook.url()).json(&json!({})).send().await.unwrap();
        assert_eq!(resp.status(), 500);
        assert!(resp.headers().get("retry-after").is_none());
    }
    assert!(hook.received().is_empty());
    assert_eq!(hook.attempts(), 5);
}
