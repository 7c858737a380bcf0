//! Large Data Center sites: the content listing refused (403) while single pages, child listings
//! and CQL answer; CQL's exact titles with escapes; a CQL index that trails writes.

use std::time::Duration;

use fake_confluence::FakeConfluence;
use serde_json::{Value, json};

use crate::common::*;

fn cql_url(fake: &FakeConfluence, cql: &str, expand: &str) -> String {
    let base = format!("{}/rest/api/content/search", fake.base_url());
    reqwest::Url::parse_with_params(&base, &[("cql", cql), ("expand", expand), ("limit", "1")]).unwrap().to_string()
}

fn titles(body: &Value) -> Vec<String> {
    body["results"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_content_listing_alone_is_refused() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    let http = client(&bearer());
    let listing = format!("{}/rest/api/content?spaceKey=TEAM&title=x&type=page", fake.base_url());
    assert_eq!(get(&http, &listing).await.0, 200, "answered until switched");
    fake.refuse_content_listing(true);
    let (status, body) = get(&http, &listing).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["message"], "The server understood the request but refuses to authorize it.");
    assert_eq!(get(&http, &format!("{}/rest/api/content/{root}", fake.base_url())).await.0, 200);
    assert_eq!(get(&http, &format!("{}/rest/api/content/{root}/child/page", fake.base_url())).await.0, 200);
    let (status, _) = get(&http, &cql_url(&fake, "space = \"TEAM\" and type = page", "")).await;
    assert_eq!(status, 200, "CQL still answers");
    let create = json!({"type": "page", "title": "New", "space": {"key": "TEAM"}, "ancestors": [{"id": root}],
                        "body": {"storage": {"value": "<p/>", "representation": "storage"}}});
    assert_eq!(post(&http, &format!("{}/rest/api/content", fake.base_url()), &create).await.0, 200, "creates work");
    fake.refuse_content_listing(false);
    assert_eq!(get(&http, &listing).await.0, 200);
}

#[tokio::test]
async fn cql_title_equals_is_exact_with_escaped_quotes_and_backslashes() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    let tricky = r#"Say "hi" \ and C:\temp"#;
    fake.add_page("TEAM", Some(&root), tricky, "<p>tricky</p>");
    fake.add_page("TEAM", Some(&root), "say \"HI\" \\ and c:\\TEMP 2", "<p/>");
    let http = client(&bearer());
    let quoted = tricky.replace('\\', "\\\\").replace('"', "\\\"");
    let cql = format!("space = \"TEAM\" and type = page and title = \"{quoted}\"");
    let (status, body) = get(&http, &cql_url(&fake, &cql, "body.storage,ancestors")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(titles(&body), [tricky]);
    assert_eq!(body["results"][0]["body"]["storage"]["value"], "<p>tricky</p>");
    assert_eq!(body["results"][0]["ancestors"].as_array().unwrap().last().unwrap()["id"], root.as_str());
    let upper = format!("space = \"TEAM\" and type = page and title = \"{}\"", quoted.to_uppercase());
    assert!(titles(&get(&http, &cql_url(&fake, &upper, "")).await.1).is_empty(), "= is exact");
}

#[tokio::test]
async fn cql_trails_new_pages_by_the_index_lag() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
    let root = fake.seed_demo().root_page_id;
    fake.add_page("TEAM", Some(&root), "Before", "<p/>");
    fake.set_cql_index_lag(Duration::from_secs(30));
    let fresh = fake.add_page("TEAM", Some(&root), "Fresh", "<p/>");
    let http = client(&bearer());
    let find = |title: &str| cql_url(&fake, &format!("space = \"TEAM\" and title = \"{title}\""), "");
    assert_eq!(titles(&get(&http, &find("Before")).await.1), ["Before"], "indexed before the lag was set");
    assert!(titles(&get(&http, &find("Fresh")).await.1).is_empty(), "made less than the lag ago");
    let (_, children) = get(&http, &format!("{}/rest/api/content/{root}/child/page?limit=200", fake.base_url())).await;
    assert!(titles(&children).contains(&"Fresh".to_owned()), "child listings are current: {fresh}");
    fake.set_cql_index_lag(Duration::ZERO);
    assert_eq!(titles(&get(&http, &find("Fresh")).await.1), ["Fresh"], "found once the index caught up");
}
