//! Real-Confluence behaviours: trimmed titles, archived and hidden pages, folders, the scoped-token
//! gateway, the REST attachment download, anonymous Data Center, capped page sizes.

use fake_confluence::{CHART_PNG, FakeConfluence};
use serde_json::{Value, json};

use crate::common::*;

async fn send(req: reqwest::RequestBuilder) -> (u16, reqwest::header::HeaderMap, Value) {
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    (status, headers, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn dc_page(title: &str, root: &str) -> Value {
    json!({"type": "page", "title": title, "space": {"key": "TEAM"}, "ancestors": [{"id": root}],
           "body": {"storage": {"value": "<p/>", "representation": "storage"}}})
}

fn v2_page(space_id: &str, title: &str, parent: &str) -> Value {
    json!({"spaceId": space_id, "status": "current", "title": title, "parentId": parent,
           "body": {"representation": "storage", "value": "<p/>"}})
}

async fn space_id(fake: &FakeConfluence, http: &reqwest::Client) -> String {
    let (_, spaces) = get(http, &format!("{}/api/v2/spaces?keys=TEAM", fake.base_url())).await;
    spaces["results"][0]["id"].as_str().unwrap().to_string()
}

fn q(title: &str) -> String {
    title.replace(' ', "%20")
}

#[tokio::test]
async fn titles_are_stored_trimmed_on_both_flavours() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&bearer());
    let url = format!("{}/rest/api/content", fake.base_url());
    let (status, created) = post(&http, &url, &dc_page(" 2025-06-05 Weekly Report  ", &root)).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["title"], "2025-06-05 Weekly Report");
    let lookup = |t: &str| format!("{url}?spaceKey=TEAM&title={}", q(t));
    assert_eq!(get(&http, &lookup(" 2025-06-05 Weekly Report  ")).await.1["size"], 0);
    assert_eq!(get(&http, &lookup("2025-06-05 Weekly Report")).await.1["size"], 1);
    assert_eq!(post(&http, &url, &dc_page(" 2025-06-05 Weekly Report  ", &root)).await.0, 400);

    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&basic());
    let sid = space_id(&fake, &http).await;
    let (status, created) =
        post(&http, &format!("{}/api/v2/pages", fake.base_url()), &v2_page(&sid, "\tPadded ", &root)).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["title"], "Padded");
    assert_eq!(fake.find_title("TEAM", "Padded").len(), 1);
}

#[tokio::test]
async fn archived_pages_keep_their_titles() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&bearer());
    let old = fake.add_page("TEAM", Some(&root), "2024-01-04 Weekly Report", "<p/>");
    fake.archive(&old);
    let url = format!("{}/rest/api/content", fake.base_url());
    let find = |status: &str| format!("{url}?spaceKey=TEAM&title=2024-01-04%20Weekly%20Report{status}");
    assert_eq!(get(&http, &find("")).await.1["size"], 0, "status defaults to current");
    assert_eq!(get(&http, &find("&status=current")).await.1["size"], 0);
    let (_, archived) = get(&http, &find("&status=archived")).await;
    assert_eq!((archived["size"].as_u64(), archived["results"][0]["status"].as_str()), (Some(1), Some("archived")));
    assert_eq!(get(&http, &find("&status=any")).await.1["size"], 1);
    let (status, body) = post(&http, &url, &dc_page("2024-01-04 WEEKLY REPORT", &root)).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("A page with this title already exists"));
    assert_eq!(fake.page(&old).unwrap().status, "archived");

    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&basic());
    let old = fake.add_page("TEAM", Some(&root), "Old", "<p/>");
    fake.archive(&old);
    let sid = space_id(&fake, &http).await;
    let list = |status: &str| format!("{}/api/v2/pages?space-id={sid}&title=Old{status}", fake.base_url());
    assert_eq!(get(&http, &list("&status=current")).await.1["results"], json!([]));
    assert_eq!(get(&http, &list("&status=archived")).await.1["results"][0]["status"], "archived");
    assert_eq!(get(&http, &list("")).await.1["results"].as_array().unwrap().len(), 1, "v2 default: current+archived");
    let (status, _) = post(&http, &format!("{}/api/v2/pages", fake.base_url()), &v2_page(&sid, "old", &root)).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn hidden_pages_are_invisible_but_block_their_title() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&bearer());
    let hidden = fake.add_page("TEAM", Some(&root), "Private", "<p/>");
    fake.restrict(&hidden);
    let url = format!("{}/rest/api/content", fake.base_url());
    assert_eq!(get(&http, &format!("{url}?spaceKey=TEAM&title=Private")).await.1["size"], 0);
    let (status, body) = get(&http, &format!("{url}/{hidden}")).await;
    assert_eq!(status, 404);
    assert_eq!(body["message"], format!("No content found with id: ContentId{{id={hidden}}}").as_str());
    let (_, kids) = get(&http, &format!("{url}/{root}/child/page?limit=200")).await;
    assert!(kids["results"].as_array().unwrap().iter().all(|k| k["id"] != hidden.as_str()));
    assert_eq!(post(&http, &url, &dc_page("private", &root)).await.0, 400);
    assert_eq!(fake.restrictions(&hidden).read_users, ["private-owner"]);

    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&basic());
    let hidden = fake.add_page("TEAM", Some(&root), "Private", "<p/>");
    fake.restrict(&hidden);
    let sid = space_id(&fake, &http).await;
    let base = fake.base_url();
    assert_eq!(get(&http, &format!("{base}/api/v2/pages/{hidden}")).await.0, 404);
    assert_eq!(get(&http, &format!("{base}/api/v2/pages?space-id={sid}&title=Private")).await.1["results"], json!([]));
    assert_eq!(post(&http, &format!("{base}/api/v2/pages"), &v2_page(&sid, "Private", &root)).await.0, 400);
}

#[tokio::test]
async fn cloud_folders_parent_pages_but_are_not_pages() {
    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    fake.seed_demo();
    let http = client(&basic());
    let base = fake.base_url();
    let folder = fake.add_folder("TEAM", None, "Reports");
    let sid = space_id(&fake, &http).await;
    let (status, f) = get(&http, &format!("{base}/api/v2/folders/{folder}")).await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(
        (f["id"].as_str(), f["type"].as_str(), f["title"].as_str()),
        (Some(folder.as_str()), Some("folder"), Some("Reports"))
    );
    assert_eq!(f["spaceId"], sid.as_str());
    assert!(f["parentId"].is_null());
    assert_eq!(f["_links"]["base"], base.as_str());
    assert_eq!(get(&http, &format!("{base}/api/v2/pages/{folder}")).await.0, 404);
    assert_eq!(get(&http, &format!("{base}/api/v2/folders/424242")).await.0, 404);

    let (status, page) = post(&http, &format!("{base}/api/v2/pages"), &v2_page(&sid, "In folder", &folder)).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!((page["parentId"].as_str(), page["parentType"].as_str()), (Some(folder.as_str()), Some("folder")));
    assert_eq!(fake.find_title("TEAM", "In folder")[0].parent_id.as_deref(), Some(folder.as_str()));
}

#[tokio::test]
async fn gateway_mode_links_to_the_site_and_serves_only_rest_downloads() {
    let fake = FakeConfluence::start_cloud_gateway(USER, TOKEN, "c0ffee-1234").await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&basic());
    let base = fake.base_url();
    let gateway = fake.gateway_root().unwrap();
    assert_eq!(base, gateway);
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/ex/confluence/c0ffee-1234"), "{base}");
    assert_eq!(fake.links_base(), "https://example.atlassian.net/wiki");

    let (status, page) = get(&http, &format!("{base}/wiki/api/v2/pages/{root}")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["_links"]["base"], "https://example.atlassian.net/wiki");
    for i in 0..3 {
        fake.add_page("TEAM", Some(&root), &format!("Child {i}"), "<p/>");
    }
    let (all, pages) = collect_all(&http, format!("{base}/wiki/api/v2/pages/{root}/children?limit=2"), |next| {
        assert!(next.starts_with("/wiki/api/v2/pages/"), "{next}");
        format!("{gateway}{next}")
    })
    .await;
    assert_eq!((all.len(), pages), (5, 3));
    // Not served at the origin's /wiki.
    assert_eq!(send(http.get(format!("{}/wiki/api/v2/pages/{root}", fake.origin()))).await.0, 404);

    let report = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].clone();
    // The v1 attachment listing is gone behind the gateway; v2 lists them.
    let v1_listing = format!("{base}/wiki/rest/api/content/{}/child/attachment", report.id);
    assert_eq!(get(&http, &v1_listing).await.0, 410);
    let (_, list) = get(&http, &format!("{base}/wiki/api/v2/pages/{}/attachments", report.id)).await;
    let att = &list["results"][0];
    let web_path = att["downloadLink"].as_str().unwrap();
    let (status, _, _) = send(http.get(format!("{base}/wiki{web_path}"))).await;
    assert_eq!(status, 404, "the web path is not a REST API");
    let rest =
        format!("{base}/wiki/rest/api/content/{}/child/attachment/{}/download", report.id, att["id"].as_str().unwrap());
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp = no_redirects.get(&rest).header("authorization", basic()).send().await.unwrap();
    assert_eq!(resp.status(), 302);
    assert!(resp.headers()["location"].to_str().unwrap().contains("/media/file/"));
    let resp = http.get(&rest).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().await.unwrap().as_ref(), CHART_PNG);
}

#[tokio::test]
async fn rest_download_route_on_datacenter() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "/confluence").await;
    fake.seed_demo();
    let http = client(&bearer());
    let report = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].clone();
    let att = &report.attachments[0];
    let url =
        |att_id: &str| format!("{}/rest/api/content/{}/child/attachment/{att_id}/download", fake.base_url(), report.id);
    let resp = http.get(url(&att.id)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), CHART_PNG);
    let numeric = att.id.trim_start_matches("att");
    assert_eq!(http.get(url(numeric)).send().await.unwrap().status(), 200);
    assert_eq!(http.get(url("att1")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn datacenter_wrong_token_served_as_anonymous() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "/confluence").await;
    let root = fake.seed_demo().root_page_id;
    let base = fake.base_url();
    let good = client(&bearer());
    let wrong = client("Bearer not-the-token");

    // By default: 401, naming the failed login.
    let (status, headers, _) = send(wrong.get(format!("{base}/rest/api/content/{root}"))).await;
    assert_eq!(status, 401);
    assert_eq!(headers["x-seraph-loginreason"], "AUTHENTICATION_DENIED");
    let (status, headers, _) = send(reqwest::Client::new().get(format!("{base}/rest/api/content/{root}"))).await;
    assert_eq!(status, 401);
    assert!(headers.get("x-seraph-loginreason").is_none());

    fake.set_anonymous_for_wrong_token(true);
    let (status, headers, body) = send(wrong.get(format!("{base}/rest/api/content/{root}"))).await;
    assert_eq!(status, 404);
    assert_eq!(headers["x-ausername"], "anonymous");
    assert_eq!(body["message"], format!("No content found with id: ContentId{{id={root}}}").as_str());
    let (status, _, found) =
        send(wrong.get(format!("{base}/rest/api/content?spaceKey=TEAM&title=Weekly%20Reports"))).await;
    assert_eq!((status, &found["size"]), (200, &json!(0)), "a lookup finds nothing");
    assert_eq!(send(wrong.get(format!("{base}/rest/api/space/TEAM"))).await.0, 404);
    let (status, _, me) = send(wrong.get(format!("{base}/rest/api/user/current"))).await;
    assert_eq!((status, me["type"].as_str()), (200, Some("anonymous")));
    let (status, _, refused) = send(wrong.post(format!("{base}/rest/api/content")).json(&dc_page("Anon", &root))).await;
    assert_eq!(status, 403);
    assert_eq!(refused["statusCode"], 403);
    assert!(fake.find_title("TEAM", "Anon").is_empty());

    let (status, headers, me) = send(good.get(format!("{base}/rest/api/user/current"))).await;
    assert_eq!(status, 200);
    assert_eq!(headers["x-ausername"], "admin");
    assert_eq!((me["type"].as_str(), me["username"].as_str()), (Some("known"), Some("admin")));

    // Public content is served to anonymous.
    fake.set_space_public("TEAM", true);
    let (status, _, page) = send(wrong.get(format!("{base}/rest/api/content/{root}"))).await;
    assert_eq!((status, page["title"].as_str()), (200, Some("Weekly Reports")));
}

#[tokio::test]
async fn capped_limit_answers_short_pages_with_next() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&bearer());
    fake.set_max_limit(1);
    let base = fake.base_url();
    let (_, first) = get(&http, &format!("{base}/rest/api/content/{root}/child/page?limit=50")).await;
    assert_eq!((first["size"].as_u64(), first["limit"].as_u64()), (Some(1), Some(1)));
    assert!(first["_links"]["next"].is_string());
    let (all, pages) =
        collect_all(&http, format!("{base}/rest/api/content/{root}/child/page?limit=50"), |n| format!("{base}{n}"))
            .await;
    assert_eq!((all.len(), pages), (2, 2));

    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&basic());
    fake.set_max_limit(1);
    let origin = fake.origin();
    let first = format!("{}/api/v2/pages/{root}/children?limit=100", fake.base_url());
    let (all, pages) = collect_all(&http, first, |n| format!("{origin}{n}")).await;
    assert_eq!((all.len(), pages), (2, 2));
}

#[tokio::test]
async fn cql_title_search_ignores_letter_case_but_not_the_space() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    fake.add_page("TEAM", Some(&root), "2025-06-05 weekly REPORT", "<p/>");
    fake.add_space("OTHER");
    fake.add_page("OTHER", None, "2025-06-05 Weekly Report", "<p/>");
    let http = client(&bearer());
    let cql = "space = \"TEAM\" and type = page and title ~ \"\\\"2025-06-05 Weekly Report\\\"\"";
    let url = reqwest::Url::parse_with_params(&format!("{}/rest/api/content/search", fake.base_url()), &[("cql", cql)])
        .unwrap();
    let (status, _, body) = send(http.get(url)).await;
    assert_eq!(status, 200, "{body}");
    let titles: Vec<&str> = body["results"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["2025-06-05 weekly REPORT"]);
    let bad = reqwest::Url::parse_with_params(
        &format!("{}/rest/api/content/search", fake.base_url()),
        &[("cql", "label in (x)")],
    )
    .unwrap();
    assert_eq!(send(http.get(bad)).await.0, 400, "unsupported CQL is refused, not ignored");
}
