//! Cloud after Atlassian removed the v1 operations that have v2 equivalents (CHANGE-864: label
//! reads, content properties, the attachment listing, content CRUD, spaces; 410 Gone on the
//! gateway since August 2026). With the copy endpoint refused, so the run creates the page and
//! copies the rest itself, the new page still gets its source's labels, content properties (full
//! width too) and attachments, and no request the tool sends is a removed v1 operation or strays
//! from the 2026 descriptions: through the gateway, and on the site URL with the removal on there.

use serde_json::json;

use crate::common::cloud_api::nonconforming;
use crate::common::*;

/// The source: labels, a full-width page with app data, and two attachments.
fn full_source(site: &Site) -> String {
    let previous = site.add(PREVIOUS_TITLE, SOURCE_BODY);
    for label in ["weekly", "team-a"] {
        site.fake.add_label(&previous, label);
    }
    site.fake.set_property(&previous, "content-appearance-published", json!("full-width"));
    site.fake.set_property(&previous, "content-appearance-draft", json!("full-width"));
    site.fake.set_property(&previous, "app-data", json!({"a": 1}));
    site.fake.add_attachment(&previous, "chart.png", "image/png", b"\x89PNG chart");
    site.fake.add_attachment(&previous, "notes.txt", "text/plain", b"notes");
    previous
}

/// Runs with `env` and checks the copy is whole and the request log clean.
async fn copies_labels_properties_and_attachments(site: &Site, env: &Env) {
    without_copy_endpoint(site);
    let previous = full_source(site);
    // Every v2 listing one item per page: each `next` (cursor) is followed.
    site.fake.set_max_limit(1);
    let run = site.run(env).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true, "{}", run.stderr);

    let page = &site.titled(THIS_TITLE)[0];
    let mut labels = page.labels.clone();
    labels.sort();
    assert_eq!(labels, ["team-a", "weekly"]);
    let properties = site.fake.properties(&page.id);
    for (key, value) in [
        ("content-appearance-published", json!("full-width")),
        ("content-appearance-draft", json!("full-width")),
        ("app-data", json!({"a": 1})),
    ] {
        assert!(properties.contains(&(key.to_owned(), value.clone())), "{key} = {value} copied: {properties:?}");
    }
    let mut files: Vec<(&str, &[u8])> = page.attachments.iter().map(|a| (a.filename.as_str(), &a.data[..])).collect();
    files.sort();
    assert_eq!(files, [("chart.png", &b"\x89PNG chart"[..]), ("notes.txt", &b"notes"[..])]);

    let requests = site.fake.requests();
    let wrong = nonconforming(&requests);
    assert!(
        wrong.is_empty(),
        "no removed v1 operation, nothing outside the 2026 descriptions:\n  {}",
        wrong.join("\n  ")
    );
    for listing in ["labels", "properties", "attachments"] {
        let v2 = format!("/wiki/api/v2/pages/{previous}/{listing}");
        let pages = requests.iter().filter(|r| r.method == "GET" && r.path.ends_with(&v2)).count();
        assert!(pages >= 2, "the source's {listing} read through v2, page by page: {:?}", sent_with_queries(site));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_the_gateway_a_page_is_made_whole_without_the_removed_v1_operations() {
    let site = Site::start_gateway().await;
    copies_labels_properties_and_attachments(&site, &gateway_env(&site)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_site_url_a_page_is_made_whole_without_the_removed_v1_operations() {
    let site = Site::start(Flavor::Cloud).await;
    site.fake.set_v1_removed(true);
    copies_labels_properties_and_attachments(&site, &site.env()).await;
}
