//! A copy as faithful as Confluence's own and never more open than its source: restrictions,
//! content properties, and Cloud's one-request copy endpoint with its fallback.

use fake_confluence::Restrictions;
use serde_json::json;

use crate::common::*;

both_flavors!(
    restricted_sources_give_equally_restricted_copies,
    a_copy_that_cannot_be_restricted_leaves_no_page,
    large_bodies_are_copied_intact,
);

/// The previous period's page, restricted to a group and a user, full width, with a label and
/// an attachment.
fn protected_previous(site: &Site) -> (String, Restrictions) {
    let previous = site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let restrictions = Restrictions {
        // The run's own account reads through `confluence-users`, as it must to copy the page.
        read_users: vec![user(site.flavor, "alice")],
        read_groups: vec!["confluence-users".into()],
        update_users: vec![user(site.flavor, "bob")],
        update_groups: vec!["team-a".into()],
    };
    site.fake.set_restrictions(&previous, restrictions.clone());
    site.fake.set_property(&previous, "content-appearance-published", json!("full-width"));
    site.fake.add_label(&previous, "weekly");
    site.fake.add_attachment(&previous, "chart.png", "image/png", b"png-bytes");
    (previous, restrictions)
}

async fn restricted_sources_give_equally_restricted_copies(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let (_, restrictions) = protected_previous(&site);
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    let copy = &site.titled(THIS_TITLE)[0];
    assert_eq!(site.fake.restrictions(&copy.id), restrictions, "exactly the source's restrictions");
    let properties = site.fake.properties(&copy.id);
    assert!(properties.contains(&("content-appearance-published".into(), json!("full-width"))), "{properties:?}");
    assert_eq!(copy.labels, ["weekly"]);
    assert_eq!(copy.attachments[0].data, b"png-bytes");
}

async fn a_copy_that_cannot_be_restricted_leaves_no_page(flavor: Flavor) {
    let site = Site::start(flavor).await;
    protected_previous(&site);
    if flavor == Flavor::Cloud {
        // Without the copy endpoint Cloud creates and then restricts, like Data Center.
        site.fake.inject(status("POST", "/copy", 1, 405, None));
    }
    site.fake.inject(status("PUT", "/restriction", 1, 403, None));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    assert!(run.stderr.contains("deleted again") && run.stderr.contains("never more open"), "{}", run.stderr);
    assert!(site.titled(THIS_TITLE).is_empty(), "no page left behind");

    // A rerun starts clean.
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert_eq!(site.titled(THIS_TITLE).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloud_copies_in_one_request_with_the_new_body() {
    let site = Site::start(Flavor::Cloud).await;
    protected_previous(&site);
    let before = site.fake.writes();
    let run = site.run(&site.env().set("CONFLUENCE_RESET_TASKS", "true")).await;
    run.assert_code(0);
    assert_eq!(site.fake.writes() - before, 1, "the copy endpoint is the only write");
    let posts: Vec<String> =
        site.fake.requests().iter().filter(|r| r.method == "POST").map(|r| r.path.clone()).collect();
    assert!(posts.iter().all(|p| p.ends_with("/copy")), "{posts:?}");
    let copy = &site.titled(THIS_TITLE)[0];
    assert!(copy.body.contains("<ac:task-status>incomplete</ac:task-status>"), "the body override: {}", copy.body);
    assert_eq!(copy.parent_id.as_deref(), Some(site.root.as_str()));
    assert_eq!(copy.attachments[0].data, b"png-bytes", "attachments copied server-side");
    assert!(!site.fake.restrictions(&copy.id).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloud_falls_back_to_create_and_copies_when_the_copy_endpoint_is_gone() {
    let site = Site::start(Flavor::Cloud).await;
    let (_, restrictions) = protected_previous(&site);
    site.fake.inject(status("POST", "/copy", 1, 410, None));
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    let copy = &site.titled(THIS_TITLE)[0];
    assert_eq!(site.fake.restrictions(&copy.id), restrictions);
    assert!(site.fake.properties(&copy.id).contains(&("content-appearance-published".into(), json!("full-width"))));
    assert_eq!((copy.labels.clone(), copy.attachments.len()), (vec!["weekly".to_owned()], 1));
    assert!(site.fake.requests().iter().any(|r| r.method == "POST" && r.path == "/wiki/api/v2/pages"), "v2 create");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloud_folder_root_is_copied_into_through_the_fallback() {
    let site = Site::start(Flavor::Cloud).await;
    let folder = site.fake.add_folder("TEAM", None, "Reports folder");
    site.fake.add_page("TEAM", Some(&folder), PREVIOUS_TITLE, SOURCE_BODY);
    let run = site.run(&site.env().set("CONFLUENCE_ROOT_PAGE_ID", &folder)).await;
    run.assert_code(0);
    assert_eq!(site.titled(THIS_TITLE)[0].parent_id.as_deref(), Some(folder.as_str()), "created under the folder");
    // The copy endpoint refuses a folder as the destination (400); the run then creates the page.
    let posts: Vec<String> = sent(&site, 0).into_iter().filter(|r| r.starts_with("POST ")).collect();
    assert_eq!(posts.len(), 2, "{posts:?}");
    assert!(posts[0].starts_with("POST /wiki/rest/api/content/") && posts[0].ends_with("/copy"), "{posts:?}");
    assert_eq!(posts[1], "POST /wiki/api/v2/pages", "{posts:?}");
}

/// A 5 MB body with multi-byte characters, quotes and backslashes arrives byte for byte.
async fn large_bodies_are_copied_intact(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let row = "<tr><td>항목 ✓ &amp; \"quoted\" \\ 🎉</td></tr>\n";
    let body = format!("<table>{}</table>", row.repeat(5 * 1024 * 1024 / row.len()));
    assert!(body.len() >= 5_000_000);
    site.add(PREVIOUS_TITLE, &body);
    site.run(&site.env()).await.assert_code(0);
    assert!(site.titled(THIS_TITLE)[0].body == body, "5 MB body differs after the copy");
}

/// The page exists but an attachment could not be copied: the message links the page and says
/// to copy them by hand.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_attachment_copy_names_the_created_page() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let previous = site.titled(PREVIOUS_TITLE)[0].id.clone();
    site.fake.add_attachment(&previous, "chart.png", "image/png", b"png");
    site.fake.inject(status("POST", "/child/attachment", 1, 403, None));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    let page = &site.titled(THIS_TITLE)[0];
    assert!(run.stderr.contains("copying its labels or attachments failed"), "{}", run.stderr);
    let link = page_link(&site, &page.id, "2025-06-05+Weekly+Report");
    assert!(run.stderr.contains(&link), "names the page {link}: {}", run.stderr);
    assert!(run.stderr.contains("Copy them by hand"), "says what to do: {}", run.stderr);
}
