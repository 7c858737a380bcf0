//! Cloud sites as users give them: `*.atlassian.net` without `/wiki`, a folder as the root, a
//! scoped token through the `api.atlassian.com` gateway; and Cloud is only ever spoken to through
//! its v2 page endpoints, with an email beside the token.

use crate::common::*;

/// On Cloud the root may be a folder: `GET /pages/{id}` is 404 for it, `GET /folders/{id}` names
/// its space, and the page is created under it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloud_root_may_be_a_folder() {
    let site = Site::start(Flavor::Cloud).await;
    let folder = site.fake.add_folder(&site.space, Some(&site.root), "Reports folder");
    let previous = site.fake.add_page(&site.space, Some(&folder), PREVIOUS_TITLE, SOURCE_BODY);
    let env = site.env().set("CONFLUENCE_ROOT_PAGE_ID", &folder);
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true);
    assert_eq!(out["source_page_id"], previous.as_str());
    let page = &site.titled(THIS_TITLE)[0];
    assert_eq!(page.parent_id.as_deref(), Some(folder.as_str()), "created under the folder");
    assert_eq!(page.body, SOURCE_BODY);
    let requests = sent_with_queries(&site);
    let page_get = requests.iter().position(|r| r.starts_with(&format!("GET /wiki/api/v2/pages/{folder}?")));
    let folder_get = requests.iter().position(|r| r.starts_with(&format!("GET /wiki/api/v2/folders/{folder}?")));
    assert!(matches!((page_get, folder_get), (Some(p), Some(f)) if p < f), "page first, then folder: {requests:?}");

    let rerun = site.run(&env).await;
    rerun.assert_code(0);
    assert_eq!(rerun.json()["created"], false);
    assert_eq!(rerun.json()["page_id"], out["page_id"]);

    // Neither a page nor a folder: the usual "not found", naming the id.
    let run = site.run(&site.env().set("CONFLUENCE_ROOT_PAGE_ID", "999999")).await;
    run.assert_code(1);
    assert!(run.stderr.contains("999999") && run.stderr.contains("not found"), "{}", run.stderr);
}

/// A scoped API token works only through `https://api.atlassian.com/ex/confluence/<cloudId>`.
/// That URL is Cloud (no CONFLUENCE_FLAVOR), gains `/wiki`, resolves v2 `next` links against the
/// gateway root, links pages from `_links.base` (the site), and
/// downloads attachments through the REST route (the gateway serves no web paths). `HTTP_PROXY`
/// points at the fake, which stands in for api.atlassian.com.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scoped_tokens_work_through_the_gateway() {
    let cloud_id = "0c2b8f3e-5a4d-4e1f-9a7b-3c6d2e1f0a9b";
    let fake = FakeConfluence::start_cloud_gateway(USER, TOKEN, cloud_id).await;
    fake.add_space("TEAM");
    let root = fake.add_page("TEAM", None, "Weekly Reports", "<p>root</p>");
    let site = Site { fake, flavor: Flavor::Cloud, space: "TEAM".into(), root, dir: tempfile::tempdir().unwrap() };
    without_copy_endpoint(&site);
    let previous = site.add(PREVIOUS_TITLE, SOURCE_BODY);
    for label in ["weekly-report", "team-a"] {
        site.fake.add_label(&previous, label);
    }
    let png: Vec<u8> = (0..=255u8).cycle().take(40_000).collect();
    site.fake.add_attachment(&previous, "chart.png", "image/png", &png);
    site.fake.add_attachment(&previous, "notes.txt", "text/plain", b"notes");
    // Every v2 list (labels, attachments) comes one item per page, with `next` relative to the
    // gateway root.
    site.fake.set_max_limit(1);

    let gateway = format!("http://api.atlassian.com/ex/confluence/{cloud_id}");
    let env = site
        .env()
        .unset("CONFLUENCE_FLAVOR")
        .set("CONFLUENCE_BASE_URL", &gateway)
        .set("HTTP_PROXY", &site.fake.origin());
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true);
    let page = &site.titled(THIS_TITLE)[0];
    assert_eq!(out["page_id"], page.id.as_str());
    let url = out["page_url"].as_str().unwrap();
    assert_eq!(site.fake.links_base(), "https://example.atlassian.net/wiki");
    assert_eq!(
        url,
        format!("https://example.atlassian.net/wiki/spaces/TEAM/pages/{}/2025-06-05+Weekly+Report", page.id)
    );

    let mut labels = page.labels.clone();
    labels.sort();
    assert_eq!(labels, ["team-a", "weekly-report"], "every page of the label list was read");
    assert_eq!(page.attachments.len(), 2, "every page of the attachment list was read");
    let chart = page.attachments.iter().find(|a| a.filename == "chart.png").unwrap();
    assert!(chart.data == png, "attachment bytes intact");

    let prefix = format!("/ex/confluence/{cloud_id}/wiki/");
    let requests = site.fake.requests();
    let outside: Vec<_> =
        requests.iter().filter(|r| !r.path.starts_with(&prefix) && !r.path.starts_with("/media/")).collect();
    assert!(outside.is_empty(), "every request goes through the gateway: {outside:?}");
    let v2_next = requests.iter().any(|r| r.path.ends_with("/labels") && r.query.contains("cursor="));
    assert!(v2_next, "v2 next followed under the gateway root: {:?}", sent_with_queries(&site));
    let att_ids: Vec<String> = site.titled(PREVIOUS_TITLE)[0].attachments.iter().map(|a| a.id.clone()).collect();
    for id in &att_ids {
        let rest = |r: &&fake_confluence::Request| {
            r.method == "GET"
                && r.path.starts_with(&format!("{prefix}rest/api/content/{previous}/child/attachment/"))
                && r.path.ends_with("/download")
                && r.path.contains(id.as_str())
        };
        assert!(requests.iter().any(|r| rest(&r)), "attachment {id} downloaded through the REST route");
    }
    assert!(!requests.iter().any(|r| r.path.contains("/download/attachments/")), "no web download path");

    // The rerun finds the page, linked to the site as well.
    let rerun = site.run(&env).await;
    rerun.assert_code(0);
    assert_eq!(rerun.json()["created"], false);
    assert_eq!(rerun.json()["page_url"], out["page_url"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn atlassian_hosts_are_cloud_and_gain_wiki() {
    // The fake Cloud stands in for example.atlassian.net through HTTP_PROXY, so the URL the user
    // typed (no `/wiki`, no CONFLUENCE_FLAVOR) is the one the binary resolves.
    let site = Site::start(Flavor::Cloud).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let env = site
        .env()
        .unset("CONFLUENCE_FLAVOR")
        .set("CONFLUENCE_BASE_URL", "http://example.atlassian.net")
        .set("HTTP_PROXY", &site.fake.origin());
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    let requests = site.fake.requests();
    assert!(
        requests.iter().all(|r| r.path.starts_with("/wiki/")),
        "{:?}",
        requests.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    assert!(requests.iter().any(|r| r.path.starts_with("/wiki/api/v2/")), "Cloud's v2 API is used");

    // Without CONFLUENCE_USER the same URL is a configuration error asking for the email.
    let run = site.run(&env.unset("CONFLUENCE_USER")).await;
    run.assert_code(2);
    assert!(run.stderr.contains("CONFLUENCE_USER") && run.stderr.contains("email"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloud_never_uses_v1_page_endpoints_and_needs_an_email() {
    let site = Site::start(Flavor::Cloud).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    site.run(&site.env()).await.assert_code(0);
    for r in site.fake.requests() {
        let v1_page = r.path == "/wiki/rest/api/content"
            || (r.path.starts_with("/wiki/rest/api/content/") && r.path[23..].bytes().all(|b| b.is_ascii_digit()));
        assert!(!v1_page, "v1 page endpoint used: {} {}", r.method, r.path);
    }

    let before = site.fake.requests().len();
    let run = site.run(&site.env().unset("CONFLUENCE_USER")).await;
    run.assert_code(2);
    assert!(run.stderr.contains("CONFLUENCE_USER") && run.stderr.contains("email"), "{}", run.stderr);
    assert_eq!(site.fake.requests().len(), before, "no request");
}
