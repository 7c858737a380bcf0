//! Data Center listings that never end (CONFSERVER-95396): past the end of a listing of more than
//! 200 items, empty pages that still carry `next`.

use fake_confluence::FakeConfluence;
use serde_json::Value;

use crate::common::*;

/// Follows `next` for at most `max` pages; returns the result counts of each page and whether the
/// last page fetched still had `next`.
async fn follow(http: &reqwest::Client, fake: &FakeConfluence, first: String, max: usize) -> (Vec<usize>, bool) {
    let mut url = first;
    let mut sizes = Vec::new();
    loop {
        let (status, body) = get(http, &url).await;
        assert_eq!(status, 200, "{url}: {body}");
        let results = body["results"].as_array().unwrap().len();
        assert_eq!(body["size"], results);
        sizes.push(results);
        let Some(next) = body["_links"]["next"].as_str() else {
            return (sizes, false);
        };
        assert!(next.starts_with("/rest/api/"), "relative to the base URL: {next}");
        if sizes.len() == max {
            return (sizes, true);
        }
        url = format!("{}{next}", fake.base_url());
    }
}

async fn dc_with_children(count: usize) -> (FakeConfluence, String, reqwest::Client) {
    let fake = FakeConfluence::start_datacenter(TOKEN, "/confluence").await;
    let root = fake.seed_demo().root_page_id;
    fake.add_weekly_pages("TEAM", &root, "%Y-%m-%d Old Report", "2020-01-02", 7, count);
    (fake, root, client(&bearer()))
}

#[tokio::test]
async fn long_listings_hand_out_next_past_their_end() {
    let (fake, root, http) = dc_with_children(205).await; // 207 children with the seeded two
    let base = fake.base_url();
    let children = format!("{base}/rest/api/content/{root}/child/page?limit=100");
    assert_eq!(follow(&http, &fake, children.clone(), 10).await, (vec![100, 100, 7], false), "off by default");

    fake.set_endless_listings(true);
    assert_eq!(follow(&http, &fake, children, 5).await, (vec![100, 100, 7, 0, 0], true));
    let (status, past) = get(&http, &format!("{base}/rest/api/content/{root}/child/page?limit=100&start=900")).await;
    assert_eq!(status, 200);
    assert_eq!(past["results"].as_array().unwrap().len(), 0);
    assert_eq!(past["size"], 0);
    assert!(past["_links"]["next"].as_str().unwrap().contains("start=1000"), "{past}");

    let listing = format!("{base}/rest/api/content?spaceKey=TEAM&type=page&limit=200");
    assert_eq!(follow(&http, &fake, listing, 3).await, (vec![200, 8, 0], true));
    let cql =
        format!("{base}/rest/api/content/search?cql=space%20%3D%20%22TEAM%22%20and%20type%20%3D%20page&limit=200");
    assert_eq!(follow(&http, &fake, cql, 3).await, (vec![200, 8, 0], true));

    fake.set_endless_listings(false);
    let children = format!("{base}/rest/api/content/{root}/child/page?limit=200");
    assert_eq!(follow(&http, &fake, children, 10).await, (vec![200, 7], false));
}

#[tokio::test]
async fn listings_of_200_items_or_fewer_end() {
    let (fake, root, http) = dc_with_children(198).await; // exactly 200 children
    fake.set_endless_listings(true);
    let children = format!("{}/rest/api/content/{root}/child/page?limit=150", fake.base_url());
    assert_eq!(follow(&http, &fake, children, 10).await, (vec![150, 50], false));
    let report = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].id.clone();
    let (_, labels): (u16, Value) = get(&http, &format!("{}/rest/api/content/{report}/label", fake.base_url())).await;
    assert!(labels["_links"].get("next").is_none(), "{labels}");
}

#[tokio::test]
#[should_panic(expected = "Data Center")]
async fn endless_listings_are_data_centers() {
    FakeConfluence::start_cloud(USER, TOKEN).await.set_endless_listings(true);
}
