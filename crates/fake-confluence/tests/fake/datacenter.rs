//! Data Center flavour: auth, content create/lookup, paging, labels, attachments.

use fake_confluence::{CHART_PNG, FakeConfluence};
use serde_json::{Value, json};

use crate::common::*;

const DUPLICATE: &str =
    "A page with this title already exists: A page already exists with the same TITLE in this space";

async fn dc() -> (FakeConfluence, String, reqwest::Client) {
    let fake = FakeConfluence::start_datacenter(TOKEN, "/confluence").await;
    let root = fake.seed_demo().root_page_id;
    (fake, root, client(&bearer()))
}

fn page_body(title: &str, root: &str, value: &str) -> Value {
    json!({
        "type": "page",
        "title": title,
        "space": {"key": "TEAM"},
        "ancestors": [{"id": root}],
        "body": {"storage": {"value": value, "representation": "storage"}},
    })
}

#[tokio::test]
async fn rejects_missing_wrong_and_basic_auth_with_html_401() {
    let (fake, root, _) = dc().await;
    let url = format!("{}/rest/api/content/{root}", fake.base_url());
    let http = reqwest::Client::new();
    for auth in [None, Some("Bearer wrong".to_string()), Some(basic())] {
        let mut req = http.get(&url);
        if let Some(auth) = &auth {
            req = req.header("authorization", auth);
        }
        let (status, ct, body) = raw(req).await;
        assert_eq!(status, 401, "{auth:?}");
        assert!(ct.starts_with("text/html"), "{ct}");
        assert!(body.contains("<html") && body.contains("Unauthorized"), "{body}");
    }
    let (status, body) = get(&client(&bearer()), &url).await;
    assert_eq!(status, 200);
    assert_eq!(body["title"], "Weekly Reports");
    // Rejected requests are recorded too, with their raw header.
    let requests = fake.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].authorization, None);
    assert_eq!(requests[1].authorization.as_deref(), Some("Bearer wrong"));
    assert_eq!(requests[0].path, format!("/confluence/rest/api/content/{root}"));
    assert_eq!(fake.writes(), 0);
}

#[tokio::test]
async fn get_content_shapes_and_expansions() {
    let (fake, root, http) = dc().await;
    let base = fake.base_url();
    assert!(base.ends_with("/confluence"), "{base}");

    let (status, plain) = get(&http, &format!("{base}/rest/api/content/{root}")).await;
    assert_eq!(status, 200);
    assert_eq!(plain["id"], root.as_str());
    assert_eq!(plain["type"], "page");
    assert_eq!(plain["status"], "current");
    assert!(plain.get("space").is_none() && plain.get("body").is_none());
    assert_eq!(plain["_expandable"]["space"], "/rest/api/space/TEAM");
    assert_eq!(plain["_links"]["base"], base.as_str());
    assert_eq!(plain["_links"]["context"], "/confluence");
    assert_eq!(plain["_links"]["webui"], "/display/TEAM/Weekly+Reports");
    assert_eq!(plain["_links"]["self"], format!("{base}/rest/api/content/{root}").as_str());
    assert!(plain["_links"]["tinyui"].as_str().unwrap().starts_with("/x/"));

    let child = &fake.find_title("TEAM", "2025-05-29 Weekly Report")[0];
    let url = format!("{base}/rest/api/content/{}?expand=space,body.storage,ancestors,version", child.id);
    let (_, full) = get(&http, &url).await;
    assert_eq!(full["space"]["key"], "TEAM");
    assert!(full["space"]["id"].is_number());
    assert_eq!(full["space"]["name"], "Team");
    assert_eq!(full["body"]["storage"]["value"], child.body.as_str());
    assert_eq!(full["body"]["storage"]["representation"], "storage");
    assert_eq!(full["ancestors"][0]["id"], root.as_str());
    assert_eq!(full["version"]["number"], 1);
    assert!(full["_expandable"].get("space").is_none());

    let (status, missing) = get(&http, &format!("{base}/rest/api/content/123")).await;
    assert_eq!(status, 404);
    assert_eq!(
        missing,
        json!({"statusCode":404,"data":{"authorized":false,"valid":true,"errors":[],"successful":false},
               "message":"No content found with id: ContentId{id=123}","reason":"Not Found"})
    );
}

#[tokio::test]
async fn create_then_exact_case_sensitive_lookup() {
    let (fake, root, http) = dc().await;
    let base = fake.base_url();
    let body = "<p>주간 보고 &amp; ünïcödé</p>\r\n<ac:task-list>\n</ac:task-list>  ";
    let title = "2025-06-05 Weekly Report";
    let (status, created) = post(&http, &format!("{base}/rest/api/content"), &page_body(title, &root, body)).await;
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert!(id.parse::<u64>().is_ok());
    assert_eq!(created["space"]["key"], "TEAM");
    assert_eq!(created["body"]["storage"]["value"], body);
    assert_eq!(created["_links"]["base"], base.as_str());
    assert_eq!(created["_links"]["webui"], "/display/TEAM/2025-06-05+Weekly+Report");

    let stored = fake.page(&id).unwrap();
    assert_eq!(stored.body, body, "body stored byte for byte");
    assert_eq!(stored.parent_id.as_deref(), Some(root.as_str()));

    let lookup = |t: &str| {
        format!(
            "{base}/rest/api/content?spaceKey=TEAM&title={}&type=page&status=current&expand=version",
            t.replace(' ', "+")
        )
    };
    let (status, found) = get(&http, &lookup(title)).await;
    assert_eq!(status, 200);
    assert_eq!(found["size"], 1);
    assert_eq!(found["start"], 0);
    assert_eq!(found["limit"], 25);
    assert_eq!(found["results"][0]["id"], id.as_str());
    assert!(found["results"][0]["_links"].get("base").is_none());
    assert_eq!(found["_links"]["base"], base.as_str());
    assert_eq!(found["_links"]["context"], "/confluence");
    assert!(found["_links"].get("next").is_none());

    let (_, other_case) = get(&http, &lookup("2025-06-05 weekly report")).await;
    assert_eq!(other_case["size"], 0, "title lookup is case-sensitive");
    let (_, prefix) = get(&http, &lookup("2025-06-05 Weekly")).await;
    assert_eq!(prefix["size"], 0, "title lookup is exact");
}

#[tokio::test]
async fn non_ascii_titles_link_by_page_id() {
    let (fake, root, http) = dc().await;
    let (status, created) = post(
        &http,
        &format!("{}/rest/api/content", fake.base_url()),
        &page_body("20250605_Platform 주간 보고", &root, "<p/>"),
    )
    .await;
    assert_eq!(status, 200);
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["_links"]["webui"], format!("/pages/viewpage.action?pageId={id}").as_str());
}

#[tokio::test]
async fn duplicate_title_ignoring_case_is_refused() {
    let (fake, root, http) = dc().await;
    let before = fake.pages().len();
    let (status, body) = post(
        &http,
        &format!("{}/rest/api/content", fake.base_url()),
        &page_body("2025-05-29 WEEKLY report", &root, "<p/>"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["statusCode"], 400);
    assert_eq!(body["message"], DUPLICATE);
    assert_eq!(body["reason"], "Bad Request");
    assert_eq!(fake.pages().len(), before);
    assert_eq!(fake.writes(), 1);
}

#[tokio::test]
async fn create_validation_errors() {
    let (fake, root, http) = dc().await;
    let url = format!("{}/rest/api/content", fake.base_url());
    let other_space_root = {
        fake.add_space("OTHER");
        fake.add_page("OTHER", None, "Elsewhere", "<p/>")
    };

    let mut unknown_space = page_body("A", &root, "<p/>");
    unknown_space["space"]["key"] = json!("NOPE");
    let (status, body) = post(&http, &url, &unknown_space).await;
    assert_eq!((status, body["message"].as_str()), (404, Some("No space with key : NOPE")));

    let (status, body) = post(&http, &url, &page_body("A", "999", "<p/>")).await;
    assert_eq!(status, 404);
    assert!(body["message"].as_str().unwrap().contains("999"), "{body}");

    let (status, body) = post(&http, &url, &page_body("A", &other_space_root, "<p/>")).await;
    assert_eq!(status, 400, "{body}");

    let mut no_title = page_body("A", &root, "<p/>");
    no_title.as_object_mut().unwrap().remove("title");
    assert_eq!(post(&http, &url, &no_title).await.0, 400);

    let mut no_body = page_body("A", &root, "<p/>");
    no_body.as_object_mut().unwrap().remove("body");
    assert_eq!(post(&http, &url, &no_body).await.0, 400);

    let (status, _, _) = raw(http.post(&url).body("{}").header("content-type", "text/plain")).await;
    assert_eq!(status, 415);

    assert!(fake.find_title("TEAM", "A").is_empty());
}

#[tokio::test]
async fn sixty_children_paginate_at_25_following_next() {
    let (fake, root, http) = dc().await;
    let parent = fake.add_page("TEAM", Some(&root), "Archive", "<p/>");
    let ids: Vec<String> =
        (0..60).map(|i| fake.add_page("TEAM", Some(&parent), &format!("Child {i:02}"), "<p/>")).collect();
    let base = fake.base_url();
    let first = format!("{base}/rest/api/content/{parent}/child/page");

    let (_, page1) = get(&http, &first).await;
    assert_eq!(page1["size"], 25);
    assert_eq!(page1["limit"], 25);
    assert_eq!(page1["_links"]["next"], format!("/rest/api/content/{parent}/child/page?limit=25&start=25").as_str());
    assert_eq!(page1["_links"]["base"], base.as_str());
    assert_eq!(page1["_links"]["context"], "/confluence");

    let (all, pages) = collect_all(&http, first, |next| format!("{base}{next}")).await;
    assert_eq!(pages, 3);
    let got: Vec<&str> = all.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());

    // The search endpoint pages the same way and keeps the other parameters.
    let (_, search) = get(&http, &format!("{base}/rest/api/content?spaceKey=TEAM&type=page&limit=10&start=10")).await;
    assert_eq!(search["start"], 10);
    assert_eq!(search["size"], 10);
    let next = search["_links"]["next"].as_str().unwrap();
    assert!(next.starts_with("/rest/api/content?"), "{next}");
    assert!(next.contains("spaceKey=TEAM") && next.contains("start=20"), "{next}");
}

#[tokio::test]
async fn labels_list_and_add() {
    let (fake, _, http) = dc().await;
    let page = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].id.clone();
    let url = format!("{}/rest/api/content/{page}/label", fake.base_url());
    let (status, labels) = get(&http, &url).await;
    assert_eq!(status, 200);
    assert_eq!(labels["size"], 1);
    assert_eq!(labels["results"][0]["prefix"], "global");
    assert_eq!(labels["results"][0]["name"], "weekly-report");
    assert_eq!(labels["results"][0]["label"], "weekly-report");
    assert!(labels["results"][0]["id"].is_string());

    let (status, after) = post(
        &http,
        &url,
        &json!([{"prefix": "global", "name": "weekly-report"}, {"prefix": "global", "name": "team-a"}]),
    )
    .await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["size"], 2);
    assert_eq!(fake.page(&page).unwrap().labels, ["weekly-report", "team-a"]);

    let (status, _) = post(&http, &url, &json!([{"prefix": "global", "name": "has space"}])).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn attachments_upload_list_and_download() {
    let (fake, root, http) = dc().await;
    let base = fake.base_url();
    let source = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].clone();

    // List the seeded attachment and download it through its `_links.download`.
    let (status, list) = get(&http, &format!("{base}/rest/api/content/{}/child/attachment", source.id)).await;
    assert_eq!(status, 200);
    let att = &list["results"][0];
    assert_eq!(att["title"], "chart.png");
    assert_eq!(att["type"], "attachment");
    assert!(att["id"].as_str().unwrap().starts_with("att"));
    assert_eq!(att["metadata"]["mediaType"], "image/png");
    assert_eq!(att["extensions"]["fileSize"], CHART_PNG.len());
    let download = att["_links"]["download"].as_str().unwrap();
    assert!(download.starts_with(&format!("/download/attachments/{}/chart.png?", source.id)), "{download}");
    let resp = http.get(format!("{base}{download}")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), CHART_PNG);
    // Downloads need auth too.
    let anon = reqwest::get(format!("{base}{download}")).await.unwrap();
    assert_eq!(anon.status(), 401);

    // Upload to a new page: refused without the XSRF header.
    let target = fake.add_page("TEAM", Some(&root), "Target", "<p/>");
    let url = format!("{base}/rest/api/content/{target}/child/attachment");
    let (ct, body) = multipart(&[("file", "chart.png", "image/png", CHART_PNG)], &[("minorEdit", "true")]);
    let (status, _, text) = raw(http.post(&url).header("content-type", &ct).body(body.clone())).await;
    assert_eq!((status, text.as_str()), (403, "XSRF check failed"));
    assert!(fake.page(&target).unwrap().attachments.is_empty());

    let upload =
        || http.post(&url).header("content-type", &ct).header("X-Atlassian-Token", "no-check").body(body.clone());
    let (status, _, text) = raw(upload()).await;
    assert_eq!(status, 200, "{text}");
    let created: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(created["results"][0]["title"], "chart.png");
    let stored = &fake.page(&target).unwrap().attachments[0];
    assert_eq!(stored.data, CHART_PNG, "upload bytes intact");
    assert_eq!(stored.media_type, "image/png");

    let (status, _, text) = raw(upload()).await;
    assert_eq!(status, 400);
    assert!(text.contains("Cannot add a new attachment with same file name as an existing attachment"), "{text}");
}

#[tokio::test]
async fn without_context_path_and_unknown_routes() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&bearer());
    assert!(!fake.base_url().ends_with('/'));
    assert_eq!(fake.base_url().matches('/').count(), 2, "{}", fake.base_url());
    let (status, body) = get(&http, &format!("{}/rest/api/content/{root}", fake.base_url())).await;
    assert_eq!(status, 200);
    assert_eq!(body["_links"]["context"], "");

    let (status, _, _) = raw(http.get(format!("{}/api/v2/pages/{root}", fake.base_url()))).await;
    assert_eq!(status, 404, "no v2 API on Data Center");

    let ctx = FakeConfluence::start_datacenter(TOKEN, "confluence/").await;
    assert!(ctx.base_url().ends_with("/confluence"), "normalised: {}", ctx.base_url());
    let origin = ctx.base_url().trim_end_matches("/confluence").to_string();
    let (status, _, _) = raw(http.get(format!("{origin}/rest/api/content"))).await;
    assert_eq!(status, 404, "outside the context path");
}
