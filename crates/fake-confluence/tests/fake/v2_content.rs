//! Cloud v2 as the 2026 description shapes it: page labels, content properties, the attachment
//! listing and direct children of pages and folders (shapes, cursor paging, visibility), and
//! pages created under a folder.

use fake_confluence::{CHART_PNG, FakeConfluence};
use serde_json::{Value, json};

use crate::common::*;

async fn cloud() -> (FakeConfluence, String, reqwest::Client) {
    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    (fake, root, client(&basic()))
}

fn report(fake: &FakeConfluence) -> String {
    fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].id.clone()
}

async fn team_space(fake: &FakeConfluence, http: &reqwest::Client) -> String {
    let (_, spaces) = get(http, &format!("{}/api/v2/spaces?keys=TEAM", fake.base_url())).await;
    spaces["results"][0]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn labels_with_prefix_filter_and_cursor_paging() {
    let (fake, _, http) = cloud().await;
    let page = report(&fake);
    for name in ["alpha", "beta", "gamma"] {
        fake.add_label(&page, name);
    }
    let first = format!("{}/api/v2/pages/{page}/labels?limit=2", fake.base_url());
    let (labels, pages) = collect_all(&http, first, |next| {
        assert!(next.starts_with(&format!("/wiki/api/v2/pages/{page}/labels?")), "{next}");
        assert!(next.contains("limit=2") && next.contains("cursor="), "{next}");
        format!("{}{next}", fake.origin())
    })
    .await;
    assert_eq!(pages, 2);
    let names: Vec<&str> = labels.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["weekly-report", "alpha", "beta", "gamma"]);
    for label in &labels {
        assert_eq!(label["prefix"], "global");
        assert!(label["id"].as_str().unwrap().chars().all(|c| c.is_ascii_digit()), "{label}");
        assert_eq!(label.as_object().unwrap().len(), 3, "{label}");
    }
    let (status, body) = get(&http, &format!("{}/api/v2/pages/{page}/labels", fake.base_url())).await;
    assert_eq!(status, 200);
    assert_eq!(body["_links"]["base"], fake.base_url().as_str());
    assert!(body["_links"].get("next").is_none());
    let (_, global) = get(&http, &format!("{}/api/v2/pages/{page}/labels?prefix=global", fake.base_url())).await;
    assert_eq!(global["results"].as_array().unwrap().len(), 4);
    let (_, team) = get(&http, &format!("{}/api/v2/pages/{page}/labels?prefix=team", fake.base_url())).await;
    assert_eq!(team["results"], json!([]));
    assert_eq!(get(&http, &format!("{}/api/v2/pages/999999/labels", fake.base_url())).await.0, 404);
    fake.restrict(&page);
    assert_eq!(get(&http, &format!("{}/api/v2/pages/{page}/labels", fake.base_url())).await.0, 404);
}

#[tokio::test]
async fn properties_list_create_and_refuse() {
    let (fake, _, http) = cloud().await;
    let page = report(&fake);
    let url = format!("{}/api/v2/pages/{page}/properties", fake.base_url());
    let (status, created) =
        post(&http, &url, &json!({"key": "content-appearance-published", "value": "full-width"})).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["key"], "content-appearance-published");
    assert_eq!(created["value"], "full-width");
    assert_eq!(created["version"]["number"], 1);
    assert!(created["id"].is_string());
    post(&http, &url, &json!({"key": "app.data", "value": {"n": 1}})).await;
    let (all, pages) = collect_all(&http, format!("{url}?limit=1"), |next| format!("{}{next}", fake.origin())).await;
    assert_eq!((all.len(), pages), (2, 2));
    assert_eq!(all[1]["value"], json!({"n": 1}));
    let (_, one) = get(&http, &format!("{url}?key=app.data")).await;
    assert_eq!(one["results"].as_array().unwrap().len(), 1);
    let (status, _) = post(&http, &url, &json!({"key": "app.data", "value": 2})).await;
    assert_eq!(status, 400, "a duplicate key");
    fake.refuse_property_keys("locked.");
    let (status, body) = post(&http, &url, &json!({"key": "locked.x", "value": 1})).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"][0]["status"], 403);
    assert_eq!(fake.properties(&page).len(), 2);
}

#[tokio::test]
async fn attachments_in_attachment_bulk_shape() {
    let (fake, _, http) = cloud().await;
    let page = report(&fake);
    fake.add_attachment(&page, "notes.txt", "text/plain", b"hello");
    let url = format!("{}/api/v2/pages/{page}/attachments", fake.base_url());
    let (status, body) = get(&http, &url).await;
    assert_eq!(status, 200, "{body}");
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let chart = &results[0];
    let att_id = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].attachments[0].id.clone();
    assert_eq!(chart["id"], att_id.as_str());
    assert!(att_id.starts_with("att"), "{att_id}");
    assert_eq!(chart["title"], "chart.png");
    assert_eq!(chart["status"], "current");
    assert_eq!(chart["mediaType"], "image/png");
    assert_eq!(chart["fileSize"], CHART_PNG.len());
    assert_eq!(chart["pageId"], page.as_str());
    let download = chart["downloadLink"].as_str().unwrap();
    assert!(download.starts_with(&format!("/download/attachments/{page}/chart.png?")), "{download}");
    assert_eq!(chart["_links"]["download"], download);
    assert!(chart["webuiLink"].as_str().unwrap().starts_with("/pages/viewpageattachments.action?pageId="));
    assert_eq!(chart["_links"]["webui"], chart["webuiLink"]);
    assert_eq!(body["_links"]["base"], fake.base_url().as_str());
    // downloadLink is relative to _links.base: the site serves it.
    let resp = http.get(format!("{}{download}", fake.base_url())).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().await.unwrap().as_ref(), CHART_PNG);

    let (_, filtered) = get(&http, &format!("{url}?filename=notes.txt")).await;
    assert_eq!(filtered["results"][0]["title"], "notes.txt");
    assert_eq!(filtered["results"].as_array().unwrap().len(), 1);
    let (all, pages) = collect_all(&http, format!("{url}?limit=1"), |next| {
        assert!(next.starts_with("/wiki/api/v2/pages/"), "{next}");
        format!("{}{next}", fake.origin())
    })
    .await;
    assert_eq!((all.len(), pages), (2, 2));
    assert_eq!(get(&http, &format!("{}/api/v2/pages/999999/attachments", fake.base_url())).await.0, 404);
}

fn titles(items: &[Value]) -> Vec<(&str, &str)> {
    items.iter().map(|c| (c["title"].as_str().unwrap(), c["type"].as_str().unwrap())).collect()
}

#[tokio::test]
async fn direct_children_of_pages_and_folders() {
    let (fake, root, http) = cloud().await;
    let base = fake.base_url();
    let folder = fake.add_folder("TEAM", Some(&root), "Archive");
    let in_folder = fake.add_page("TEAM", Some(&folder), "2024 Reports", "<p/>");
    let sub = fake.add_folder("TEAM", Some(&folder), "Older");
    let hidden = fake.add_page("TEAM", Some(&root), "Hidden", "<p/>");
    fake.restrict(&hidden);
    let gone = fake.add_page("TEAM", Some(&root), "Archived One", "<p/>");
    fake.archive(&gone);

    let (kids, pages) = collect_all(&http, format!("{base}/api/v2/pages/{root}/direct-children?limit=2"), |next| {
        assert!(next.starts_with(&format!("/wiki/api/v2/pages/{root}/direct-children?")), "{next}");
        format!("{}{next}", fake.origin())
    })
    .await;
    assert_eq!(pages, 2);
    assert_eq!(
        titles(&kids),
        [("2025-05-22 Weekly Report", "page"), ("2025-05-29 Weekly Report", "page"), ("Archive", "folder")],
        "current content the account sees, alphabetical"
    );
    let space = team_space(&fake, &http).await;
    for (i, kid) in kids.iter().enumerate() {
        let keys: Vec<&str> = kid.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 6, "{kid}");
        assert_eq!(kid["status"], "current");
        assert_eq!(kid["spaceId"], space.as_str());
        assert_eq!(kid["childPosition"], i);
    }
    assert_eq!(kids[2]["id"], folder.as_str());

    let (status, body) = get(&http, &format!("{base}/api/v2/folders/{folder}/direct-children")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(titles(body["results"].as_array().unwrap()), [("2024 Reports", "page"), ("Older", "folder")]);
    assert_eq!(body["results"][0]["id"], in_folder.as_str());
    assert_eq!(body["results"][1]["id"], sub.as_str());
    let (_, empty) = get(&http, &format!("{base}/api/v2/folders/{sub}/direct-children")).await;
    assert_eq!(empty["results"], json!([]));

    // A folder is not a page and a page is not a folder.
    assert_eq!(get(&http, &format!("{base}/api/v2/pages/{folder}/direct-children")).await.0, 404);
    assert_eq!(get(&http, &format!("{base}/api/v2/folders/{root}/direct-children")).await.0, 404);
    assert_eq!(get(&http, &format!("{base}/api/v2/pages/{hidden}/direct-children")).await.0, 404);
    assert_eq!(get(&http, &format!("{base}/api/v2/folders/abc/direct-children")).await.0, 400);
}

#[tokio::test]
async fn direct_children_page_behind_the_gateway_relative_to_its_root() {
    let fake = FakeConfluence::start_cloud_gateway(USER, TOKEN, "c0ffee-1234").await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&basic());
    let gateway = fake.gateway_root().unwrap();
    let first = format!("{gateway}/wiki/api/v2/pages/{root}/direct-children?limit=1");
    let (kids, pages) = collect_all(&http, first, |next| format!("{gateway}{next}")).await;
    assert_eq!((kids.len(), pages), (2, 2));
}

#[tokio::test]
async fn a_page_created_under_a_folder() {
    let (fake, root, http) = cloud().await;
    let base = fake.base_url();
    let folder = fake.add_folder("TEAM", Some(&root), "Filed");
    let body = json!({
        "spaceId": team_space(&fake, &http).await,
        "status": "current",
        "title": "2025-06-05 Weekly Report",
        "parentId": folder,
        "body": {"representation": "storage", "value": "<p>new</p>"},
    });
    let (status, page) = post(&http, &format!("{base}/api/v2/pages"), &body).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["parentId"], folder.as_str());
    assert_eq!(page["parentType"], "folder");
    assert_eq!(fake.parent_of(page["id"].as_str().unwrap()).as_deref(), Some(folder.as_str()));
    let (_, kids) = get(&http, &format!("{base}/api/v2/folders/{folder}/direct-children")).await;
    assert_eq!(kids["results"][0]["id"], page["id"]);
    assert_eq!(kids["results"][0]["type"], "page");
}
