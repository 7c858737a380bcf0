//! Page updates and moves: Data Center's whole-page PUT (versions, the no-ancestors trap, minor
//! edits), Cloud's v1 move endpoint and v2 PUT, child order, and the tree test API.

use fake_confluence::{FakeConfluence, weekly};
use serde_json::{Value, json};

use crate::common::*;

async fn put(http: &reqwest::Client, url: &str, body: &Value) -> (u16, Value) {
    let resp = http.put(url).json(body).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

fn dc_update(title: &str, parent: Option<&str>, version: u64, minor: bool, value: &str) -> Value {
    let mut body = json!({
        "id": "ignored",
        "type": "page",
        "title": title,
        "body": {"storage": {"value": value, "representation": "storage"}},
        "version": {"number": version, "minorEdit": minor},
    });
    if let Some(parent) = parent {
        body["ancestors"] = json!([{"id": parent}]);
    }
    body
}

/// Data Center with the demo seed plus "Archive" under the root; (fake, root, archive, report, client).
async fn dc() -> (FakeConfluence, String, String, String, reqwest::Client) {
    let fake = FakeConfluence::start_datacenter(TOKEN, "/confluence").await;
    let root = fake.seed_demo().root_page_id;
    let archive = fake.add_page("TEAM", Some(&root), "Archive", "<p/>");
    let report = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].id.clone();
    (fake, root, archive, report, client(&bearer()))
}

#[tokio::test]
async fn dc_update_with_ancestors_moves_as_a_minor_edit_keeping_everything() {
    let (fake, root, archive, report, http) = dc().await;
    let url = format!("{}/rest/api/content/{report}", fake.base_url());
    let (_, before) = get(&http, &format!("{url}?expand=body.storage,version,ancestors")).await;
    assert_eq!(before["version"]["number"], 1);
    assert_eq!(before["ancestors"].as_array().unwrap().last().unwrap()["id"], root.as_str());
    let body = before["body"]["storage"]["value"].as_str().unwrap().to_string();

    let (status, moved) =
        put(&http, &url, &dc_update("2025-05-29 Weekly Report", Some(&archive), 2, true, &body)).await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["version"]["number"], 2);
    assert_eq!(moved["version"]["minorEdit"], true);
    assert_eq!(moved["ancestors"].as_array().unwrap().last().unwrap()["id"], archive.as_str());
    assert_eq!(fake.parent_of(&report).as_deref(), Some(archive.as_str()));
    assert_eq!(fake.page_version(&report), 2);
    assert!(fake.page_minor_edit(&report));
    assert!(fake.notified_updates().is_empty());
    let page = fake.page(&report).unwrap();
    assert_eq!((page.id.as_str(), page.body.as_str()), (report.as_str(), body.as_str()));
    assert_eq!(page.labels, ["weekly-report"]);
    assert_eq!(page.attachments.len(), 1);
    assert_eq!(
        fake.tree(&root),
        "Weekly Reports\n  2025-05-22 Weekly Report\n  Archive\n    2025-05-29 Weekly Report\n"
    );
    let (_, after) = get(&http, &format!("{url}?expand=version,ancestors")).await;
    assert_eq!(after["version"]["number"], 2);
    assert_eq!(after["ancestors"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn dc_stale_version_is_409_and_changes_nothing() {
    let (fake, root, archive, report, http) = dc().await;
    let url = format!("{}/rest/api/content/{report}", fake.base_url());
    for stale in [1, 3] {
        let (status, err) =
            put(&http, &url, &dc_update("2025-05-29 Weekly Report", Some(&archive), stale, true, "<p/>")).await;
        assert_eq!(status, 409);
        assert_eq!(err["statusCode"], 409);
        assert_eq!(err["message"], "Version must be incremented on update. Current version is: 1");
    }
    assert_eq!(fake.parent_of(&report).as_deref(), Some(root.as_str()));
    assert_eq!(fake.page_version(&report), 1);
}

#[tokio::test]
async fn dc_update_without_ancestors_moves_the_page_to_the_top_of_the_space() {
    let (fake, root, _, report, http) = dc().await;
    let url = format!("{}/rest/api/content/{report}", fake.base_url());
    let (status, _) = put(&http, &url, &dc_update("2025-05-29 Weekly Report", None, 2, false, "<p>new</p>")).await;
    assert_eq!(status, 200);
    assert_eq!(fake.parent_of(&report), None, "the real trap: no ancestors = top level");
    assert!(!fake.tree(&root).contains("2025-05-29"));
    assert_eq!(fake.notified_updates(), [report.as_str()], "a non-minor update notifies watchers");
    assert_eq!(fake.page(&report).unwrap().body, "<p>new</p>");
}

#[tokio::test]
async fn dc_update_refuses_bad_parents_titles_and_bodies() {
    let (fake, root, archive, report, http) = dc().await;
    let base = fake.base_url();
    let url = format!("{base}/rest/api/content/{report}");
    let child = fake.add_page("TEAM", Some(&report), "Child of the report", "<p/>");
    fake.add_space("OTHER");
    let elsewhere = fake.add_page("OTHER", None, "Elsewhere", "<p/>");
    let title = "2025-05-29 Weekly Report";
    for parent in ["999999", elsewhere.as_str(), report.as_str(), child.as_str()] {
        let (status, err) = put(&http, &url, &dc_update(title, Some(parent), 2, true, "<p/>")).await;
        assert_eq!(status, 400, "parent {parent}: {err}");
        assert!(err["message"].as_str().unwrap().contains(parent), "{err}");
    }
    let (status, err) = put(&http, &url, &dc_update("archive", Some(&root), 2, true, "<p/>")).await;
    assert_eq!((status, err["message"].as_str().unwrap()), (400, fake_duplicate()));
    let mut no_body = dc_update(title, Some(&archive), 2, true, "<p/>");
    no_body.as_object_mut().unwrap().remove("body");
    assert_eq!(put(&http, &url, &no_body).await.0, 400);
    let mut no_type = dc_update(title, Some(&archive), 2, true, "<p/>");
    no_type.as_object_mut().unwrap().remove("type");
    assert_eq!(put(&http, &url, &no_type).await.0, 400);
    let missing = format!("{base}/rest/api/content/999999");
    assert_eq!(put(&http, &missing, &dc_update(title, Some(&archive), 2, true, "<p/>")).await.0, 404);
    assert_eq!(fake.parent_of(&report).as_deref(), Some(root.as_str()));
    assert_eq!(fake.page_version(&report), 1);
    // A title change to a free title (or another case of its own) is fine.
    let (status, _) = put(&http, &url, &dc_update("2025-05-29 weekly report", Some(&root), 2, true, "<p/>")).await;
    assert_eq!(status, 200);
    assert_eq!(fake.page(&report).unwrap().title, "2025-05-29 weekly report");
}

fn fake_duplicate() -> &'static str {
    "A page with this title already exists: A page already exists with the same TITLE in this space"
}

#[tokio::test]
async fn dc_has_no_move_endpoint_and_lists_children_alphabetically() {
    let (fake, root, archive, report, http) = dc().await;
    let base = fake.base_url();
    let resp = http.put(format!("{base}/rest/api/content/{report}/move/append/{archive}")).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    fake.add_page("TEAM", Some(&root), "aardvark", "<p/>");
    let (_, kids) = get(&http, &format!("{base}/rest/api/content/{root}/child/page")).await;
    let titles: Vec<&str> = kids["results"].as_array().unwrap().iter().map(|k| k["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["2025-05-22 Weekly Report", "2025-05-29 Weekly Report", "aardvark", "Archive"]);
}

/// Cloud with the demo seed plus "Archive"; (fake, root, archive, report, client).
async fn cloud() -> (FakeConfluence, String, String, String, reqwest::Client) {
    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    let archive = fake.add_page("TEAM", Some(&root), "Archive", "<p/>");
    let report = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].id.clone();
    (fake, root, archive, report, client(&basic()))
}

#[tokio::test]
async fn cloud_v1_move_append_before_after_without_a_new_version() {
    let (fake, root, archive, report, http) = cloud().await;
    let base = fake.base_url();
    let older = fake.find_title("TEAM", "2025-05-22 Weekly Report")[0].id.clone();
    // The v1 page endpoints are gone, the move endpoint answers.
    assert_eq!(get(&http, &format!("{base}/rest/api/content/{report}")).await.0, 410);
    let (status, body) =
        put(&http, &format!("{base}/rest/api/content/{report}/move/append/{archive}"), &json!(null)).await;
    assert_eq!((status, &body), (200, &json!({"pageId": report})));
    assert_eq!(fake.parent_of(&report).as_deref(), Some(archive.as_str()));
    assert_eq!(fake.page_version(&report), 1);
    let (_, page) = get(&http, &format!("{base}/api/v2/pages/{report}")).await;
    assert_eq!(page["parentId"], archive.as_str());
    assert_eq!(page["version"]["number"], 1);

    // `before`/`after`: a sibling of the target; of a top-level target, a top-level page.
    let resp = http.put(format!("{base}/rest/api/content/{older}/move/after/{report}")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(fake.parent_of(&older).as_deref(), Some(archive.as_str()));
    let resp = http.put(format!("{base}/rest/api/content/{older}/move/before/{root}")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(fake.parent_of(&older), None);
    assert!(fake.notified_updates().is_empty());
}

#[tokio::test]
async fn cloud_v1_move_refusals() {
    let (fake, _root, archive, report, http) = cloud().await;
    let base = fake.base_url();
    fake.add_space("OTHER");
    let elsewhere = fake.add_page("OTHER", None, "Elsewhere", "<p/>");
    let child = fake.add_page("TEAM", Some(&report), "Child of the report", "<p/>");
    let base = &base;
    let status = |path: String| {
        let http = http.clone();
        async move { http.put(format!("{base}/rest/api/content/{path}")).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status(format!("{report}/move/append/999999")).await, 404);
    assert_eq!(status(format!("999999/move/append/{archive}")).await, 404);
    assert_eq!(status(format!("{report}/move/append/{elsewhere}")).await, 400);
    assert_eq!(status(format!("{report}/move/append/{child}")).await, 400);
    assert_eq!(status(format!("{report}/move/append/{report}")).await, 400);
    assert_eq!(status(format!("{report}/move/inside/{archive}")).await, 400);
    assert_ne!(fake.parent_of(&report).as_deref(), Some(archive.as_str()));
}

#[tokio::test]
async fn cloud_v2_put_moves_with_parent_id_as_a_whole_update() {
    let (fake, root, archive, report, http) = cloud().await;
    let url = format!("{}/api/v2/pages/{report}", fake.base_url());
    let update = |version: u64| {
        json!({
            "id": report, "status": "current", "title": "2025-05-29 Weekly Report", "parentId": archive,
            "body": {"representation": "storage", "value": "<p>same</p>"}, "version": {"number": version},
        })
    };
    let (status, err) = put(&http, &url, &update(1)).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(fake.parent_of(&report).as_deref(), Some(root.as_str()));
    let (status, page) = put(&http, &url, &update(2)).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!((page["parentId"].as_str(), page["version"]["number"].as_u64()), (Some(archive.as_str()), Some(2)));
    assert_eq!(fake.notified_updates(), [report.as_str()]);
    assert_eq!(fake.page(&report).unwrap().attachments.len(), 1);
}

#[tokio::test]
async fn weekly_pages_seed_a_tree_in_date_order() {
    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    let archive = fake.add_page("TEAM", Some(&root), "주간보고 | 2025", "<p/>");
    let ids = fake.add_weekly_pages("TEAM", &archive, weekly::TITLE_FORMAT, "2024-12-26", 7, 3);
    assert_eq!(ids.len(), 3);
    assert_eq!(fake.page(&ids[2]).unwrap().title, "20250109_MY팀 주간 보고");
    let tree = fake.tree(&archive);
    assert_eq!(
        tree,
        "주간보고 | 2025\n  20241226_MY팀 주간 보고\n  20250102_MY팀 주간 보고\n  20250109_MY팀 주간 보고\n"
    );
    assert_eq!(FakeConfluence::date_add("2025-06-05", -7 * 499), "2015-11-12");
}

#[tokio::test]
async fn a_moved_page_leaves_cql_until_the_index_catches_up() {
    let (fake, _root, archive, report, http) = dc().await;
    fake.set_cql_index_lag(std::time::Duration::from_secs(30));
    let search = reqwest::Url::parse_with_params(
        &format!("{}/rest/api/content/search", fake.base_url()),
        &[("cql", "space = \"TEAM\" and title = \"2025-05-29 Weekly Report\"")],
    )
    .unwrap()
    .to_string();
    let found = |body: &Value| body["results"].as_array().unwrap().len();
    assert_eq!(found(&get(&http, &search).await.1), 1, "indexed before the lag was set");
    let url = format!("{}/rest/api/content/{report}", fake.base_url());
    let (status, body) =
        put(&http, &url, &dc_update("2025-05-29 Weekly Report", Some(&archive), 2, true, "<p/>")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(found(&get(&http, &search).await.1), 0, "moved less than the lag ago");
    fake.set_cql_index_lag(std::time::Duration::ZERO);
    assert_eq!(found(&get(&http, &search).await.1), 1, "found once the index caught up");
}

/// The ids a child listing shows.
async fn listed(http: &reqwest::Client, base: &str, parent: &str) -> Vec<String> {
    let (status, kids) = get(http, &format!("{base}/rest/api/content/{parent}/child/page")).await;
    assert_eq!(status, 200, "{kids}");
    kids["results"].as_array().unwrap().iter().map(|k| k["id"].as_str().unwrap().to_owned()).collect()
}

/// The ids of a page's ancestors as a read shows them, top first.
async fn shown_ancestors(http: &reqwest::Client, base: &str, id: &str) -> Vec<String> {
    let (status, page) = get(http, &format!("{base}/rest/api/content/{id}?expand=ancestors")).await;
    assert_eq!(status, 200, "{page}");
    page["ancestors"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn dc_reads_show_the_old_parent_until_the_move_lag_passes() {
    let (fake, root, archive, report, http) = dc().await;
    let base = fake.base_url();
    let top = fake.parent_of(&root);
    fake.set_move_lag(std::time::Duration::from_secs(30));
    let url = format!("{base}/rest/api/content/{report}");
    let (status, moved) =
        put(&http, &url, &dc_update("2025-05-29 Weekly Report", Some(&archive), 2, true, "<p/>")).await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["ancestors"].as_array().unwrap().last().unwrap()["id"], archive.as_str(), "the answer is current");
    assert_eq!(fake.parent_of(&report).as_deref(), Some(archive.as_str()), "the real parent is the new one");
    assert!(fake.tree(&archive).contains("2025-05-29 Weekly Report"));

    let old: Vec<String> = top.into_iter().chain([root.clone()]).collect();
    assert_eq!(shown_ancestors(&http, &base, &report).await, old, "the old ancestors, for now");
    assert!(listed(&http, &base, &root).await.contains(&report), "still listed under the old parent");
    assert!(!listed(&http, &base, &archive).await.contains(&report), "not listed under the new one yet");
    let (_, page) = get(&http, &format!("{url}?expand=version")).await;
    assert_eq!(page["version"]["number"], 2, "the update itself is seen");

    // Moving the archive page (the new parent) under the report it thinks is still a sibling
    // is refused: the real tree has the report below it.
    let archive_url = format!("{base}/rest/api/content/{archive}");
    let (status, _) = put(&http, &archive_url, &dc_update("Archive", Some(&report), 2, true, "<p/>")).await;
    assert_eq!(status, 400, "no loop in the real tree");

    fake.set_move_lag(std::time::Duration::ZERO);
    assert_eq!(shown_ancestors(&http, &base, &report).await.last(), Some(&archive));
    assert!(!listed(&http, &base, &root).await.contains(&report));
    assert!(listed(&http, &base, &archive).await.contains(&report));
}

#[tokio::test]
async fn dc_lagging_reads_show_the_tree_as_it_was_without_loops() {
    let (fake, root, _archive, _report, http) = dc().await;
    let base = fake.base_url();
    // Root > D > C > P, then P to the root, D under P, and D purged (C moves up to P): the real
    // tree is Root > P > C, what reads show is Root > C > P (the old tree without D), no loop.
    let d = fake.add_page("TEAM", Some(&root), "D", "<p/>");
    let c = fake.add_page("TEAM", Some(&d), "C", "<p/>");
    let p = fake.add_page("TEAM", Some(&c), "P", "<p/>");
    fake.set_move_lag(std::time::Duration::from_secs(30));
    let p_url = format!("{base}/rest/api/content/{p}");
    assert_eq!(put(&http, &p_url, &dc_update("P", Some(&root), 2, true, "<p/>")).await.0, 200);
    let d_url = format!("{base}/rest/api/content/{d}");
    assert_eq!(put(&http, &d_url, &dc_update("D", Some(&p), 2, true, "<p/>")).await.0, 200);
    assert!(fake.delete_page(&d));
    assert_eq!(fake.parent_of(&p).as_deref(), Some(root.as_str()));
    assert_eq!(fake.tree(&p), "P\n  C\n");

    let root_path = shown_ancestors(&http, &base, &root).await;
    let under = |ids: &[&String]| -> Vec<String> {
        root_path.iter().chain([&root]).chain(ids.iter().copied()).cloned().collect()
    };
    assert_eq!(shown_ancestors(&http, &base, &c).await, under(&[]), "C: where D was");
    assert_eq!(shown_ancestors(&http, &base, &p).await, under(&[&c]), "P: under C, as before its move");
    assert!(listed(&http, &base, &root).await.contains(&c));
    assert!(!listed(&http, &base, &root).await.contains(&p));
    assert_eq!(listed(&http, &base, &c).await, [p.as_str()]);
    assert!(listed(&http, &base, &p).await.is_empty());

    fake.set_move_lag(std::time::Duration::ZERO);
    assert_eq!(shown_ancestors(&http, &base, &c).await, under(&[&p]));
    assert_eq!(listed(&http, &base, &p).await, [c.as_str()]);
}
