//! Cloud flavour: Basic auth, v2 pages and spaces, cursor paging, v1 410s, v1 labels/attachments.

use fake_confluence::{CHART_PNG, FakeConfluence};
use serde_json::{Value, json};

use crate::common::*;

async fn cloud() -> (FakeConfluence, String, reqwest::Client) {
    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    (fake, root, client(&basic()))
}

async fn team_space_id(fake: &FakeConfluence, http: &reqwest::Client) -> String {
    let (status, spaces) = get(http, &format!("{}/api/v2/spaces?keys=TEAM,NOPE", fake.base_url())).await;
    assert_eq!(status, 200);
    assert_eq!(spaces["results"].as_array().unwrap().len(), 1);
    let space = &spaces["results"][0];
    assert_eq!(space["key"], "TEAM");
    assert_eq!(space["type"], "global");
    assert_eq!(space["status"], "current");
    assert_eq!(spaces["_links"]["base"], fake.base_url().as_str());
    space["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn rejects_bearer_wrong_and_missing_credentials_with_json_401() {
    let (fake, root, good) = cloud().await;
    let url = format!("{}/api/v2/pages/{root}", fake.base_url());
    let wrong = {
        use base64::Engine as _;
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{USER}:nope")))
    };
    let http = reqwest::Client::new();
    for auth in [None, Some(format!("Bearer {TOKEN}")), Some(wrong)] {
        let mut req = http.get(&url);
        if let Some(auth) = &auth {
            req = req.header("authorization", auth);
        }
        let (status, ct, body) = raw(req).await;
        assert_eq!(status, 401, "{auth:?}");
        assert!(ct.starts_with("application/json"), "{ct}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body, json!({"code": 401, "message": "Unauthorized; scope does not match"}));
    }
    assert_eq!(get(&good, &url).await.0, 200);
    assert_eq!(fake.requests().len(), 4);
}

#[tokio::test]
async fn v1_page_endpoints_are_gone() {
    let (fake, root, http) = cloud().await;
    let base = fake.base_url();
    let gone = |body: &Value| {
        assert_eq!(body["statusCode"], 410);
        assert_eq!(body["reason"], "Gone");
        assert!(body["message"].as_str().unwrap().contains("GoneException"), "{body}");
    };
    let (status, body) = get(&http, &format!("{base}/rest/api/content?spaceKey=TEAM&title=x")).await;
    assert_eq!(status, 410);
    gone(&body);
    let (status, body) = get(&http, &format!("{base}/rest/api/content/{root}")).await;
    assert_eq!(status, 410);
    gone(&body);
    let (status, body) = post(&http, &format!("{base}/rest/api/content"), &json!({"type": "page"})).await;
    assert_eq!(status, 410);
    gone(&body);
    assert_eq!(fake.pages().len(), 3);
}

#[tokio::test]
async fn get_page_shape_and_errors() {
    let (fake, root, http) = cloud().await;
    let base = fake.base_url();
    let child = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].clone();
    let (status, page) = get(&http, &format!("{base}/api/v2/pages/{}?body-format=storage", child.id)).await;
    assert_eq!(status, 200);
    assert_eq!(page["id"], child.id.as_str());
    assert_eq!(page["status"], "current");
    assert_eq!(page["parentId"], root.as_str());
    assert_eq!(page["parentType"], "page");
    assert_eq!(page["version"]["number"], 1);
    assert!(page["spaceId"].is_string());
    assert_eq!(page["body"]["storage"]["representation"], "storage");
    assert_eq!(page["body"]["storage"]["value"], child.body.as_str());
    assert_eq!(page["_links"]["webui"], format!("/spaces/TEAM/pages/{}/2025-05-29+Weekly+Report", child.id).as_str());
    assert_eq!(page["_links"]["base"], base.as_str());
    assert!(page["_links"]["editui"].is_string() && page["_links"]["tinyui"].is_string());

    let (_, no_body) = get(&http, &format!("{base}/api/v2/pages/{}", child.id)).await;
    assert_eq!(no_body["body"], json!({}));

    let (status, missing) = get(&http, &format!("{base}/api/v2/pages/424242")).await;
    assert_eq!(status, 404);
    assert_eq!(missing, json!({"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}));
}

#[tokio::test]
async fn create_then_exact_case_sensitive_lookup() {
    let (fake, root, http) = cloud().await;
    let base = fake.base_url();
    let space_id = team_space_id(&fake, &http).await;
    let value = "<p>Ünïcödé &amp; 주간</p>\n<ac:task-list/>\r\n";
    let (status, created) = post(
        &http,
        &format!("{base}/api/v2/pages"),
        &json!({"spaceId": space_id, "status": "current", "title": "2025-06-05 Weekly Report",
                "parentId": root, "body": {"representation": "storage", "value": value}}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["body"]["storage"]["value"], value);
    assert_eq!(created["_links"]["base"], base.as_str());
    assert_eq!(created["parentId"], root.as_str());
    assert_eq!(fake.page(&id).unwrap().body, value);

    let lookup = |title: &str| {
        format!(
            "{base}/api/v2/pages?space-id={space_id}&title={}&status=current&body-format=storage",
            title.replace(' ', "%20")
        )
    };
    let (status, found) = get(&http, &lookup("2025-06-05 Weekly Report")).await;
    assert_eq!(status, 200);
    let results = found["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["id"], id.as_str());
    assert_eq!(results[0]["body"]["storage"]["value"], value);
    assert!(results[0]["_links"].get("base").is_none());
    assert!(results[0]["_links"]["webui"].is_string());
    assert_eq!(found["_links"]["base"], base.as_str());
    assert!(found["_links"].get("next").is_none());

    let (_, other_case) = get(&http, &lookup("2025-06-05 WEEKLY REPORT")).await;
    assert_eq!(other_case["results"], json!([]), "case-sensitive");
}

#[tokio::test]
async fn duplicate_title_ignoring_case_is_refused() {
    let (fake, root, http) = cloud().await;
    let space_id = team_space_id(&fake, &http).await;
    let (status, body) = post(
        &http,
        &format!("{}/api/v2/pages", fake.base_url()),
        &json!({"spaceId": space_id, "status": "current", "title": "2025-05-29 weekly REPORT",
                "parentId": root, "body": {"representation": "storage", "value": "<p/>"}}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"errors":[{"status":400,"code":"BAD_REQUEST",
            "title":"A page with this title already exists: A page already exists with the same TITLE in this space",
            "detail":null}]})
    );
    assert_eq!(fake.pages().len(), 3);
}

#[tokio::test]
async fn create_validation_errors() {
    let (fake, root, http) = cloud().await;
    let url = format!("{}/api/v2/pages", fake.base_url());
    let space_id = team_space_id(&fake, &http).await;
    let page = |space: &str, parent: &str| {
        json!({"spaceId": space, "status": "current", "title": "New", "parentId": parent,
               "body": {"representation": "storage", "value": "<p/>"}})
    };
    let (status, body) = post(&http, &url, &page("999999", &root)).await;
    assert_eq!(status, 404, "{body}");
    assert!(body["errors"][0]["title"].is_string());
    let (status, body) = post(&http, &url, &page(&space_id, "999999")).await;
    assert_eq!(status, 404, "{body}");
    let mut untitled = page(&space_id, &root);
    untitled["title"] = json!("");
    assert_eq!(post(&http, &url, &untitled).await.0, 400);
    assert!(fake.find_title("TEAM", "New").is_empty());
}

#[tokio::test]
async fn sixty_children_paginate_with_site_root_relative_next() {
    let (fake, root, http) = cloud().await;
    let parent = fake.add_page("TEAM", Some(&root), "Archive", "<p/>");
    let ids: Vec<String> =
        (0..60).map(|i| fake.add_page("TEAM", Some(&parent), &format!("Child {i:02}"), "<p/>")).collect();
    let base = fake.base_url();
    let origin = fake.origin();
    assert_eq!(format!("{origin}/wiki"), base);

    let first = format!("{base}/api/v2/pages/{parent}/children");
    let (_, page1) = get(&http, &first).await;
    assert_eq!(page1["results"].as_array().unwrap().len(), 25);
    let child = &page1["results"][0];
    assert_eq!(child["title"], "Child 00");
    assert_eq!(child["status"], "current");
    assert!(child["spaceId"].is_string());
    assert_eq!(child["childPosition"], 0);
    let next = page1["_links"]["next"].as_str().unwrap();
    assert!(next.starts_with(&format!("/wiki/api/v2/pages/{parent}/children?")), "{next}");
    assert!(next.contains("cursor="), "{next}");

    // Naively appending `next` to the base URL is wrong (…/wiki/wiki/…) and the fake says so.
    let (status, _, _) = raw(http.get(format!("{base}{next}"))).await;
    assert_eq!(status, 404);

    let (all, pages) = collect_all(&http, first, |next| format!("{origin}{next}")).await;
    assert_eq!(pages, 3);
    let got: Vec<&str> = all.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());

    // The pages list pages the same way, keeping its filters.
    let space_id = team_space_id(&fake, &http).await;
    let (all, pages) = collect_all(&http, format!("{base}/api/v2/pages?space-id={space_id}&limit=7"), |next| {
        assert!(next.contains("limit=7") && next.contains("space-id="), "{next}");
        format!("{origin}{next}")
    })
    .await;
    assert_eq!(all.len(), 64);
    assert_eq!(pages, 10);

    let (status, body) = get(&http, &format!("{base}/api/v2/pages?cursor=garbage!!")).await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["status"], 400);
}

#[tokio::test]
async fn v1_labels_and_attachments_work_and_download_redirects() {
    let (fake, root, http) = cloud().await;
    let base = fake.base_url();
    let source = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].clone();

    let (status, labels) = get(&http, &format!("{base}/rest/api/content/{}/label", source.id)).await;
    assert_eq!(status, 200);
    assert_eq!(labels["results"][0]["name"], "weekly-report");

    let (status, list) = get(&http, &format!("{base}/rest/api/content/{}/child/attachment", source.id)).await;
    assert_eq!(status, 200);
    let download = list["results"][0]["_links"]["download"].as_str().unwrap().to_string();
    assert!(download.starts_with("/download/attachments/"), "{download}");
    // Like Cloud: a redirect to the media service, which reqwest follows.
    let resp = http.get(format!("{base}{download}")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().await.unwrap().as_ref(), CHART_PNG);

    let target = fake.add_page("TEAM", Some(&root), "Target", "<p/>");
    let url = format!("{base}/rest/api/content/{target}/child/attachment");
    let (ct, body) = multipart(&[("file", "chart.png", "image/png", CHART_PNG)], &[("minorEdit", "true")]);
    let (status, _, text) = raw(http.post(&url).header("content-type", &ct).body(body.clone())).await;
    assert_eq!((status, text.as_str()), (403, "XSRF check failed"));
    let (status, _, text) =
        raw(http.post(&url).header("content-type", &ct).header("X-Atlassian-Token", "no-check").body(body)).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(fake.page(&target).unwrap().attachments[0].data, CHART_PNG);
}

#[tokio::test]
async fn cloud_attachment_upload_requires_minor_edit() {
    let (fake, root, http) = cloud().await;
    let target = fake.add_page("TEAM", Some(&root), "Target", "<p/>");
    let url = format!("{}/rest/api/content/{target}/child/attachment", fake.base_url());
    let (ct, body) = multipart(&[("file", "notes.txt", "text/plain", b"hello")], &[]);
    let (status, _, text) =
        raw(http.post(&url).header("content-type", &ct).header("X-Atlassian-Token", "no-check").body(body)).await;
    assert_eq!(status, 400, "{text}");
    assert!(fake.page(&target).unwrap().attachments.is_empty());
}
