//! The flavours' filing calls (children, find_placed, move_page) against the stateful fake
//! Confluence.

use std::time::Duration;

use fake_confluence::{FakeConfluence, Fault, FaultAction, Request};

use super::{Api, ApiError, Child, Cloud, Confluence, DataCenter, Flavor, SignIn, Site, parse_base_url};
use crate::http::{Http, HttpSettings};
use crate::secret::Secret;

const TOKEN: &str = "unit-token";
const USER: &str = "bot@example.com";

fn api(fake: &FakeConfluence, flavor: Flavor) -> Api {
    let settings = HttpSettings { timeout: Duration::from_secs(10), max_retries: 0, concurrency: 4, ca: None };
    let user = (flavor == Flavor::Cloud).then_some(USER);
    let base_url = parse_base_url(&fake.base_url()).expect("the fake's base URL");
    let sign_in = SignIn::Token { token: Secret::new(TOKEN), user: user.map(str::to_owned) };
    let site = Site { base_url, flavor, sign_in };
    Api::new(Http::new(&settings).expect("HTTP client"), &site, &Secret::new(TOKEN), user)
}

/// The demo seed plus "Archive" under the root: (fake, root, archive, the 2025-05-29 report).
fn seeded(fake: &FakeConfluence) -> (String, String, String) {
    let root = fake.seed_demo().root_page_id;
    let archive = fake.add_page("TEAM", Some(&root), "Archive", "<p/>");
    let report = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].id.clone();
    (root, archive, report)
}

fn sent(fake: &FakeConfluence, method: &str) -> Vec<Request> {
    fake.requests().into_iter().filter(|r| r.method == method).collect()
}

fn titles(kids: &[Child]) -> Vec<&str> {
    kids.iter().map(|c| c.title.as_str()).collect()
}

async fn cloud() -> (FakeConfluence, Cloud, String, String, String) {
    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let (root, archive, report) = seeded(&fake);
    let cloud = Cloud::new(api(&fake, Flavor::Cloud));
    (fake, cloud, root, archive, report)
}

async fn datacenter() -> (FakeConfluence, DataCenter, String, String, String) {
    let fake = FakeConfluence::start_datacenter(TOKEN, "/confluence").await;
    let (root, archive, report) = seeded(&fake);
    let dc = DataCenter::new(api(&fake, Flavor::DataCenter), &root);
    (fake, dc, root, archive, report)
}

#[tokio::test]
async fn cloud_children_reads_every_page_of_the_listing() {
    let (fake, cloud, root, archive, _) = cloud().await;
    for title in ["e", "B", "d", "a", "C"] {
        fake.add_page("TEAM", Some(&archive), title, "<p/>");
    }
    fake.set_max_limit(2);
    let kids = cloud.children(&archive).await.unwrap();
    assert_eq!(titles(&kids), ["a", "B", "C", "d", "e"]);
    let listings = sent(&fake, "GET");
    let listings: Vec<&Request> = listings.iter().filter(|r| r.path.ends_with("/direct-children")).collect();
    assert_eq!(listings.len(), 3, "{listings:?}");
    assert!(listings.iter().all(|r| r.path.contains("/api/v2/pages/")), "{listings:?}");
    let ids: Vec<String> = kids.iter().map(|c| c.id.clone()).collect();
    assert!(ids.iter().all(|id| fake.parent_of(id).as_deref() == Some(archive.as_str())));
    let top = cloud.children(&root).await.unwrap();
    assert_eq!(titles(&top), ["2025-05-22 Weekly Report", "2025-05-29 Weekly Report", "Archive"]);
}

#[tokio::test]
async fn cloud_children_of_a_folder_come_from_the_folder_listing() {
    let (fake, cloud, ..) = cloud().await;
    let folder = fake.add_folder("TEAM", None, "Reports folder");
    fake.add_page("TEAM", Some(&folder), "b", "<p/>");
    fake.add_page("TEAM", Some(&folder), "a", "<p/>");
    fake.add_folder("TEAM", Some(&folder), "a folder is no page");
    let kids = cloud.children(&folder).await.unwrap();
    assert_eq!(titles(&kids), ["a", "b"]);
    let paths: Vec<String> = sent(&fake, "GET").into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            format!("/wiki/api/v2/pages/{folder}/direct-children"),
            format!("/wiki/api/v2/folders/{folder}/direct-children")
        ]
    );
    let err = cloud.children("999999").await.unwrap_err();
    assert!(matches!(err, ApiError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("/pages/999999/direct-children"), "the page listing is named: {err}");
}

/// Data Center 7.19–8.9 hand out `next` past the end of long listings (CONFSERVER-95396): the
/// first page with no results ends the listing.
#[tokio::test]
async fn a_listing_page_with_no_results_ends_the_listing_whatever_next_says() {
    let (fake, dc, _, archive, _) = datacenter().await;
    for title in ["a", "b", "c"] {
        fake.add_page("TEAM", Some(&archive), title, "<p/>");
    }
    fake.set_max_limit(1);
    let endless = Fault {
        method: "GET",
        path: "/child/page".into(),
        times: 100,
        commit: false,
        action: FaultAction::EndlessNext,
    };
    fake.inject(endless);
    let kids = dc.children(&archive).await.unwrap();
    assert_eq!(titles(&kids), ["a", "b", "c"]);
    assert_eq!(sent(&fake, "GET").len(), 4, "three pages, then the empty one");
}

/// A listing that keeps giving results and new `next` links is stopped at 1,000 pages.
#[tokio::test]
async fn a_listing_that_never_ends_stops_after_1000_pages() {
    let (fake, dc, _, archive, _) = datacenter().await;
    for n in 0..=super::paging::MAX_LISTING_PAGES {
        fake.add_page("TEAM", Some(&archive), &format!("page {n}"), "<p/>");
    }
    fake.set_max_limit(1);
    let err = dc.children(&archive).await.unwrap_err();
    assert!(matches!(err, ApiError::Endless { .. }), "{err}");
    assert!(err.to_string().contains("did not end after 1000 pages"), "{err}");
    assert_eq!(sent(&fake, "GET").len(), super::paging::MAX_LISTING_PAGES);
}

#[tokio::test]
async fn cloud_find_placed_reads_the_parent() {
    let (fake, cloud, _, archive, _) = cloud().await;
    let space = cloud.space_by_key("TEAM").await.unwrap().unwrap();
    let filed = fake.add_page("TEAM", Some(&archive), "2025-01-02 Weekly Report", "<p/>");
    let placed = cloud.find_placed(&space, "2025-01-02 Weekly Report").await.unwrap().unwrap();
    assert_eq!((placed.id.as_str(), placed.parent_id.as_deref()), (filed.as_str(), Some(archive.as_str())));
    assert!(placed.url.ends_with(&format!("/pages/{filed}/2025-01-02+Weekly+Report")), "{}", placed.url);
    let top = cloud.find_placed(&space, "Weekly Reports").await.unwrap().unwrap();
    assert_eq!(top.parent_id, None);
    assert_eq!(cloud.find_placed(&space, "2025-01-02 weekly report").await.unwrap(), None);
}

#[tokio::test]
async fn cloud_move_appends_under_the_parent_keeping_the_page() {
    let (fake, cloud, _, archive, report) = cloud().await;
    let before = fake.page(&report).unwrap();
    cloud.move_page(&report, &archive).await.unwrap();
    let after = fake.page(&report).unwrap();
    assert_eq!(after.parent_id.as_deref(), Some(archive.as_str()));
    assert_eq!((&after.id, &after.body, &after.labels), (&before.id, &before.body, &before.labels));
    assert_eq!(after.attachments.len(), 1);
    assert_eq!(fake.page_version(&report), 1);
    let puts = sent(&fake, "PUT");
    assert_eq!(puts.len(), 1);
    assert_eq!(puts[0].path, format!("/wiki/rest/api/content/{report}/move/append/{archive}"));
    assert_eq!(puts[0].body, "");
}

#[tokio::test]
async fn datacenter_move_is_a_minor_edit_with_the_body_unchanged() {
    let (fake, dc, _, archive, report) = datacenter().await;
    let before = fake.page(&report).unwrap();
    dc.move_page(&report, &archive).await.unwrap();
    let after = fake.page(&report).unwrap();
    assert_eq!(after.parent_id.as_deref(), Some(archive.as_str()));
    assert_eq!((&after.id, &after.title, &after.body), (&before.id, &before.title, &before.body));
    assert_eq!((after.labels, after.attachments.len()), (before.labels, 1));
    assert_eq!(fake.page_version(&report), 2);
    assert!(fake.page_minor_edit(&report));
    assert!(fake.notified_updates().is_empty(), "watchers are spared");
    let gets = sent(&fake, "GET");
    assert_eq!(gets.len(), 1);
    assert!(gets[0].query.contains("expand=body.storage%2Cversion%2Cancestors"), "{}", gets[0].query);
}

#[tokio::test]
async fn datacenter_page_already_under_the_parent_sends_no_write() {
    let (fake, dc, root, _, report) = datacenter().await;
    dc.move_page(&report, &root).await.unwrap();
    assert_eq!(fake.writes(), 0);
    assert_eq!(fake.page_version(&report), 1);
}

fn conflict(times: usize, commit: bool) -> Fault {
    let body = r#"{"statusCode":409,"data":{"authorized":false,"valid":true,"errors":[],"successful":false},"message":"Version must be incremented on update. Current version is: 2","reason":"Conflict"}"#;
    Fault {
        method: "PUT",
        path: "/rest/api/content/".into(),
        times,
        commit,
        action: FaultAction::Status { status: 409, retry_after: None, body: body.into() },
    }
}

#[tokio::test]
async fn datacenter_conflict_from_a_concurrent_move_is_re_read() {
    let (fake, dc, _, archive, report) = datacenter().await;
    // The first update lands but answers 409, as when another run moved the page first: the page
    // is read again, found under the parent, and not written twice.
    fake.inject(Fault { path: format!("/rest/api/content/{report}"), ..conflict(1, true) });
    dc.move_page(&report, &archive).await.unwrap();
    assert_eq!((sent(&fake, "GET").len(), sent(&fake, "PUT").len()), (2, 1));
    assert_eq!(fake.parent_of(&report).as_deref(), Some(archive.as_str()));

    // A conflict that changed nothing: read again, sent again with the next version.
    let (fake, dc, _, archive, report) = datacenter().await;
    fake.inject(Fault { path: format!("/rest/api/content/{report}"), ..conflict(1, false) });
    dc.move_page(&report, &archive).await.unwrap();
    assert_eq!((sent(&fake, "GET").len(), sent(&fake, "PUT").len()), (2, 2));
    assert_eq!(fake.parent_of(&report).as_deref(), Some(archive.as_str()));
    assert_eq!(fake.page_version(&report), 2);
}

#[tokio::test]
async fn datacenter_conflicts_give_up_after_three_reads() {
    let (fake, dc, root, archive, report) = datacenter().await;
    fake.inject(Fault { path: format!("/rest/api/content/{report}"), ..conflict(10, false) });
    let err = dc.move_page(&report, &archive).await.unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    assert!(err.to_string().contains("Version must be incremented"), "{err}");
    assert_eq!((sent(&fake, "GET").len(), sent(&fake, "PUT").len()), (3, 3));
    assert_eq!(fake.parent_of(&report).as_deref(), Some(root.as_str()));
}
