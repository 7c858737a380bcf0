//! Cloud's removed v1 operations (CHANGE-864): 410 Gone with Atlassian's body behind the gateway
//! (always) and on the site URL when switched on; the v1 operations with no v2 equivalent still
//! answer.

use fake_confluence::FakeConfluence;
use serde_json::{Value, json};

use crate::common::*;

const GONE: &str =
    "com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.";

fn atlassian_gone() -> Value {
    json!({
        "statusCode": 410,
        "data": {"authorized": false, "valid": true, "errors": [], "successful": false},
        "message": GONE,
        "reason": "Gone",
    })
}

/// Every removed operation: (method, path after `/wiki`, JSON body).
fn removed_ops(page: &str) -> Vec<(&'static str, String, Option<Value>)> {
    let prop = json!({"key": "k", "value": {"a": 1}});
    vec![
        ("GET", "/rest/api/content?spaceKey=TEAM&title=x".into(), None),
        ("POST", "/rest/api/content".into(), Some(json!({"type": "page", "title": "t", "space": {"key": "TEAM"}}))),
        ("GET", format!("/rest/api/content/{page}"), None),
        ("PUT", format!("/rest/api/content/{page}"), Some(json!({"type": "page", "title": "t"}))),
        ("DELETE", format!("/rest/api/content/{page}"), None),
        ("GET", format!("/rest/api/content/{page}/child"), None),
        ("GET", format!("/rest/api/content/{page}/child/page"), None),
        ("GET", format!("/rest/api/content/{page}/child/attachment"), None),
        ("GET", format!("/rest/api/content/{page}/child/comment"), None),
        ("GET", format!("/rest/api/content/{page}/label"), None),
        ("GET", format!("/rest/api/content/{page}/property"), None),
        ("POST", format!("/rest/api/content/{page}/property"), Some(prop.clone())),
        ("GET", format!("/rest/api/content/{page}/property/k"), None),
        ("PUT", format!("/rest/api/content/{page}/property/k"), Some(prop)),
        ("DELETE", format!("/rest/api/content/{page}/property/k"), None),
        ("GET", "/rest/api/space".into(), None),
        ("GET", "/rest/api/space/TEAM".into(), None),
    ]
}

async fn call(http: &reqwest::Client, method: &str, url: &str, body: Option<&Value>) -> (u16, Value) {
    let mut req = http.request(method.parse().unwrap(), url);
    if let Some(body) = body {
        req = req.json(body);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// The seeded report with the attachment, its id and its attachment's id.
fn report(fake: &FakeConfluence) -> (String, String) {
    let page = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].clone();
    (page.id.clone(), page.attachments[0].id.clone())
}

/// The kept v1 operations answer (not 410).
async fn kept_ops_answer(fake: &FakeConfluence, wiki: &str, http: &reqwest::Client) {
    let root = fake.find_title("TEAM", "Weekly Reports")[0].id.clone();
    let (page, att) = report(fake);
    let (status, body) =
        call(http, "POST", &format!("{wiki}/rest/api/content/{page}/label"), Some(&json!([{"name": "kept"}]))).await;
    assert_eq!(status, 200, "POST label: {body}");
    let (status, body) =
        call(http, "GET", &format!("{wiki}/rest/api/content/search?cql=type%20%3D%20page"), None).await;
    assert_eq!(status, 200, "CQL: {body}");
    let (status, body) = call(http, "GET", &format!("{wiki}/rest/api/user/current"), None).await;
    assert_eq!(status, 200, "current user: {body}");
    let (status, body) =
        call(http, "GET", &format!("{wiki}/rest/api/content/{page}/restriction/byOperation"), None).await;
    assert_eq!(status, 200, "restrictions: {body}");
    let download =
        http.get(format!("{wiki}/rest/api/content/{page}/child/attachment/{att}/download")).send().await.unwrap();
    assert_eq!(download.status(), 200, "download");
    let (ct, data) = multipart(&[("file", "kept.txt", "text/plain", b"kept")], &[("minorEdit", "true")]);
    let upload = http
        .post(format!("{wiki}/rest/api/content/{page}/child/attachment"))
        .header("content-type", ct)
        .header("x-atlassian-token", "no-check")
        .body(data)
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 200, "upload");
    let copy = json!({
        "destination": {"type": "parent_page", "value": root},
        "pageTitle": "Kept Copy",
        "copyAttachments": false, "copyLabels": false, "copyProperties": false, "copyPermissions": false,
    });
    let (status, body) = call(http, "POST", &format!("{wiki}/rest/api/content/{page}/copy"), Some(&copy)).await;
    assert_eq!(status, 200, "copy: {body}");
    let copied = body["id"].as_str().unwrap().to_string();
    let (status, body) = call(http, "PUT", &format!("{wiki}/rest/api/content/{copied}/move/append/{page}"), None).await;
    assert_eq!(status, 200, "move: {body}");
}

#[tokio::test]
async fn the_gateway_answers_every_removed_operation_with_410_and_keeps_the_rest() {
    let fake = FakeConfluence::start_cloud_gateway(USER, TOKEN, "c0ffee-1234").await;
    fake.seed_demo();
    let (page, _) = report(&fake);
    fake.set_property(&page, "k", json!(1));
    let http = client(&basic());
    let wiki = format!("{}/wiki", fake.base_url());
    for (method, path, body) in removed_ops(&page) {
        let (status, answer) = call(&http, method, &format!("{wiki}{path}"), body.as_ref()).await;
        assert_eq!((status, answer), (410, atlassian_gone()), "{method} {path}");
    }
    // Nothing changed.
    assert_eq!(fake.pages().len(), 3);
    assert_eq!(fake.properties(&page), vec![("k".to_string(), json!(1))]);
    kept_ops_answer(&fake, &wiki, &http).await;
    // Refused credentials are still 401 first.
    let (status, _) = call(&reqwest::Client::new(), "GET", &format!("{wiki}/rest/api/space/TEAM"), None).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn the_switch_turns_the_removals_on_and_off_on_the_site_url() {
    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    fake.seed_demo();
    let (page, _) = report(&fake);
    let http = client(&basic());
    let wiki = fake.base_url();
    let label_read = format!("{wiki}/rest/api/content/{page}/label");
    let attachment_listing = format!("{wiki}/rest/api/content/{page}/child/attachment");
    let space = format!("{wiki}/rest/api/space/TEAM");
    let properties = format!("{wiki}/rest/api/content/{page}/property");

    // Off by default on the site URL: Basic auth still reaches them; the page endpoints are gone.
    for url in [&label_read, &attachment_listing, &space, &properties] {
        assert_eq!(get(&http, url).await.0, 200, "{url}");
    }
    let (status, body) = get(&http, &format!("{wiki}/rest/api/content/{page}")).await;
    assert_eq!((status, body), (410, atlassian_gone()));
    let (status, body) = get(&http, &format!("{wiki}/rest/api/content/{page}/child/page")).await;
    assert_eq!((status, body), (410, atlassian_gone()));

    fake.set_v1_removed(true);
    for (method, path, body) in removed_ops(&page) {
        let (status, answer) = call(&http, method, &format!("{wiki}{path}"), body.as_ref()).await;
        assert_eq!((status, answer), (410, atlassian_gone()), "{method} {path}");
    }
    kept_ops_answer(&fake, &wiki, &http).await;

    fake.set_v1_removed(false);
    assert_eq!(get(&http, &label_read).await.0, 200);
}

#[tokio::test]
async fn the_gateway_can_switch_the_removals_off() {
    let fake = FakeConfluence::start_cloud_gateway(USER, TOKEN, "c0ffee-1234").await;
    fake.seed_demo();
    let (page, _) = report(&fake);
    let http = client(&basic());
    let label_read = format!("{}/wiki/rest/api/content/{page}/label", fake.base_url());
    assert_eq!(get(&http, &label_read).await.0, 410);
    fake.set_v1_removed(false);
    let (status, labels) = get(&http, &label_read).await;
    assert_eq!(status, 200);
    assert_eq!(labels["results"][0]["name"], "weekly-report");
}

#[tokio::test]
#[should_panic(expected = "Cloud")]
async fn the_switch_is_cloud_only() {
    FakeConfluence::start_datacenter(TOKEN, "").await.set_v1_removed(true);
}
