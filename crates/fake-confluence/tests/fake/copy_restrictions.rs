//! Restrictions, content properties, deletion and Cloud's copy endpoint.

use fake_confluence::{CHART_PNG, FakeConfluence, Fault, FaultAction, Restrictions};
use serde_json::{Value, json};

use crate::common::*;

async fn dc() -> (FakeConfluence, String, reqwest::Client) {
    let fake = FakeConfluence::start_datacenter(TOKEN, "/confluence").await;
    let root = fake.seed_demo().root_page_id;
    (fake, root, client(&bearer()))
}

async fn cloud() -> (FakeConfluence, String, reqwest::Client) {
    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    let root = fake.seed_demo().root_page_id;
    (fake, root, client(&basic()))
}

async fn send(req: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() })
}

fn names(list: &Value) -> Vec<String> {
    list["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.get("username").or(u.get("accountId")).or(u.get("name")).unwrap().as_str().unwrap().to_string())
        .collect()
}

fn assert_v1_error(body: &Value, status: u16, contains: &str) {
    assert_eq!(body["statusCode"], status, "{body}");
    assert!(body["data"].is_object(), "{body}");
    assert!(body["reason"].is_string(), "{body}");
    assert!(body["message"].as_str().unwrap().contains(contains), "{body}");
}

#[tokio::test]
async fn datacenter_restrictions_by_operation_put_post_and_refusals() {
    let (fake, root, http) = dc().await;
    let base = fake.base_url();
    let url = format!("{base}/rest/api/content/{root}/restriction");

    let (status, empty) = send(http.get(format!("{url}/byOperation"))).await;
    assert_eq!(status, 200);
    for op in ["read", "update"] {
        assert_eq!(empty[op]["operation"], op);
        assert_eq!(empty[op]["restrictions"]["user"]["results"], json!([]));
        assert_eq!(empty[op]["restrictions"]["group"]["results"], json!([]));
    }

    let body = json!([
        {"operation": "read", "restrictions": {"user": [{"type": "known", "username": "alice"},
                                                       {"type": "known", "username": "admin"}],
                                              "group": [{"type": "group", "name": "team-a"}]}},
        {"operation": "update", "restrictions": {"user": [{"type": "known", "username": "admin"}]}},
    ]);
    let (status, array) = send(http.put(&url).json(&body)).await;
    assert_eq!(status, 200, "{array}");
    assert_eq!(array["size"], 2);
    assert!(array["restrictionsHash"].is_string());
    assert_eq!(array["results"][0]["operation"], "read");
    assert_eq!(names(&array["results"][0]["restrictions"]["user"]), ["alice", "admin"]);
    assert_eq!(
        fake.restrictions(&root),
        Restrictions {
            read_users: vec!["alice".into(), "admin".into()],
            read_groups: vec!["team-a".into()],
            update_users: vec!["admin".into()],
            update_groups: vec![],
        }
    );

    // POST adds (by userKey here); the experimental path is served too. (Had the account left
    // itself out of `read`, the page would now be invisible to it: 404.)
    let key = fake.user_key("bob").unwrap();
    let add = json!([{"operation": "read", "restrictions": {"user": [{"type": "known", "userKey": key}]}}]);
    let (status, _) = send(http.post(url.replace("/api/", "/experimental/")).json(&add)).await;
    assert_eq!(status, 200);
    assert_eq!(fake.restrictions(&root).read_users, ["alice", "admin", "bob"]);
    let (_, by_op) = send(http.get(format!("{url}/byOperation"))).await;
    let read_users = &by_op["read"]["restrictions"]["user"];
    assert_eq!(names(read_users), ["alice", "admin", "bob"]);
    assert_eq!(read_users["results"][2]["userKey"], key.as_str());

    // Unknown users and groups are refused, all or nothing.
    let before = fake.restrictions(&root);
    let ghost = json!([{"operation": "read", "restrictions": {"user": [{"username": "ghost"}]}}]);
    let (status, err) = send(http.put(&url).json(&ghost)).await;
    assert_eq!(status, 400);
    assert_v1_error(&err, 400, "ghost");
    fake.remove_group("team-a");
    let (status, err) = send(http.put(&url).json(&body)).await;
    assert_eq!(status, 400);
    assert_v1_error(&err, 400, "team-a");
    let (status, _) = send(http.put(&url).json(&json!([{"operation": "administer", "restrictions": {}}]))).await;
    assert_eq!(status, 400);
    assert_eq!(fake.restrictions(&root), before);

    // PUT replaces everything; an empty list lifts all restrictions.
    let (status, _) = send(http.put(&url).json(&json!([]))).await;
    assert_eq!(status, 200);
    assert!(fake.restrictions(&root).is_empty());
    assert_eq!(send(http.get(format!("{base}/rest/api/content/999/restriction/byOperation"))).await.0, 404);
}

#[tokio::test]
async fn cloud_restrictions_use_account_ids_and_group_ids() {
    let (fake, root, http) = cloud().await;
    let url = format!("{}/rest/api/content/{root}/restriction", fake.base_url());
    let group_id = fake.group_id("team-a").unwrap();
    let body = json!({"results": [
        {"operation": "update", "restrictions": {"user": {"results": [{"accountId": "557058:alice"}]},
                                                "group": [{"type": "group", "id": group_id}]}},
    ]});
    let (status, array) = send(http.put(&url).json(&body)).await;
    assert_eq!(status, 200, "{array}");
    let update = &array["results"][1];
    assert_eq!(update["operation"], "update");
    assert_eq!(update["restrictions"]["user"]["results"][0]["accountId"], "557058:alice");
    assert_eq!(update["restrictions"]["group"]["results"][0]["name"], "team-a");
    assert_eq!(update["restrictions"]["group"]["results"][0]["id"], group_id.as_str());
    assert_eq!(fake.restrictions(&root).update_groups, ["team-a"]);

    let (status, all) = send(http.get(&url)).await;
    assert_eq!(status, 200);
    assert_eq!(all["results"].as_array().unwrap().len(), 2);

    // Cloud knows no usernames.
    let by_name = json!([{"operation": "read", "restrictions": {"user": [{"username": "alice"}]}}]);
    let (status, err) = send(http.post(&url).json(&by_name)).await;
    assert_eq!(status, 400);
    assert_v1_error(&err, 400, "accountId");
}

#[tokio::test]
async fn read_restrictions_hide_pages_and_their_children() {
    let (fake, root, http) = dc().await;
    let base = fake.base_url();
    let secret = fake.add_page("TEAM", Some(&root), "Secret", "<p/>");
    let below = fake.add_page("TEAM", Some(&secret), "Below secret", "<p/>");
    fake.set_restrictions(&secret, Restrictions { read_users: vec!["alice".into()], ..Default::default() });
    for id in [&secret, &below] {
        let (status, body) = send(http.get(format!("{base}/rest/api/content/{id}"))).await;
        assert_eq!(status, 404);
        assert_v1_error(&body, 404, "No content found with id");
    }
    // Letting the account's group in makes them visible again.
    fake.set_restrictions(&secret, Restrictions { read_groups: vec!["confluence-users".into()], ..Default::default() });
    assert_eq!(send(http.get(format!("{base}/rest/api/content/{below}"))).await.0, 200);
}

#[tokio::test]
async fn datacenter_properties_page_refuse_duplicates_and_reserved_keys() {
    let (fake, root, http) = dc().await;
    let base = fake.base_url();
    let url = format!("{base}/rest/api/content/{root}/property");
    let (status, created) =
        send(http.post(&url).json(&json!({"key": "content-appearance-published", "value": "full-width"}))).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["key"], "content-appearance-published");
    assert_eq!(created["value"], "full-width");
    assert_eq!(created["version"]["number"], 1);
    assert!(created["id"].is_string());

    let (status, dup) = send(http.post(&url).json(&json!({"key": "content-appearance-published", "value": "x"}))).await;
    assert_eq!(status, 400);
    assert_v1_error(&dup, 400, "already exists");

    fake.set_property(&root, "app-data", json!({"n": [1, 2]}));
    fake.set_property(&root, "content-appearance-draft", json!("full-width"));
    let (all, pages) = collect_all(&http, format!("{url}?limit=1"), |next| {
        assert!(next.starts_with(&format!("/rest/api/content/{root}/property?")), "{next}");
        format!("{base}{next}")
    })
    .await;
    assert_eq!(pages, 3);
    assert_eq!(all[1]["value"], json!({"n": [1, 2]}));
    let (status, one) = send(http.get(format!("{url}/app-data"))).await;
    assert_eq!((status, &one["value"]["n"][1]), (200, &json!(2)));
    assert_eq!(send(http.get(format!("{url}/nope"))).await.0, 404);

    fake.refuse_property_keys("forge.");
    let (status, refused) = send(http.post(&url).json(&json!({"key": "forge.app", "value": 1}))).await;
    assert_eq!(status, 403);
    assert_v1_error(&refused, 403, "forge.app");
    let keys: Vec<String> = fake.properties(&root).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["content-appearance-published", "app-data", "content-appearance-draft"]);
}

#[tokio::test]
async fn cloud_v2_properties_with_cursor_paging() {
    let (fake, root, http) = cloud().await;
    let url = format!("{}/api/v2/pages/{root}/properties", fake.base_url());
    for (key, value) in [("a", json!(1)), ("b", json!({"x": true})), ("c", json!("s"))] {
        let (status, created) = send(http.post(&url).json(&json!({"key": key, "value": value}))).await;
        assert_eq!(status, 200, "{created}");
        assert_eq!(created["value"], value);
        assert_eq!(created["version"]["number"], 1);
    }
    let origin = fake.origin();
    let (all, pages) = collect_all(&http, format!("{url}?limit=2"), |next| {
        assert!(next.starts_with(&format!("/wiki/api/v2/pages/{root}/properties?")), "{next}");
        format!("{origin}{next}")
    })
    .await;
    assert_eq!((all.len(), pages), (3, 2));
    let (_, only_b) = send(http.get(format!("{url}?key=b"))).await;
    assert_eq!(only_b["results"][0]["value"]["x"], true);

    let (status, dup) = send(http.post(&url).json(&json!({"key": "a", "value": 2}))).await;
    assert_eq!(status, 400);
    assert_eq!(dup["errors"][0]["status"], 400);
    fake.refuse_property_keys("app.");
    let (status, refused) = send(http.post(&url).json(&json!({"key": "app.x", "value": 2}))).await;
    assert_eq!(status, 403);
    assert_eq!(refused["errors"][0]["code"], "FORBIDDEN");
    // v1 reads the same properties.
    let (_, v1) = send(http.get(format!("{}/rest/api/content/{root}/property", fake.base_url()))).await;
    assert_eq!(v1["size"], 3);
}

#[tokio::test]
async fn deletion_purges_and_frees_the_title() {
    let (fake, root, http) = dc().await;
    let base = fake.base_url();
    let id = fake.add_page("TEAM", Some(&root), "Doomed", "<p/>");
    let (status, _) = send(http.delete(format!("{base}/rest/api/content/{id}"))).await;
    assert_eq!(status, 204);
    assert_eq!(send(http.get(format!("{base}/rest/api/content/{id}"))).await.0, 404);
    assert_eq!(send(http.delete(format!("{base}/rest/api/content/{id}"))).await.0, 404);
    assert!(fake.page(&id).is_none() && fake.find_title("TEAM", "Doomed").is_empty());
    let again = fake.add_page("TEAM", Some(&root), "DOOMED", "<p/>");
    assert_ne!(again, id);

    let (fake, root, http) = cloud().await;
    let base = fake.base_url();
    let id = fake.add_page("TEAM", Some(&root), "Doomed", "<p/>");
    assert_eq!(send(http.delete(format!("{base}/rest/api/content/{id}"))).await.0, 410);
    assert_eq!(send(http.delete(format!("{base}/api/v2/pages/{id}"))).await.0, 204);
    assert_eq!(send(http.get(format!("{base}/api/v2/pages/{id}"))).await.0, 404);
    assert_eq!(fake.pages().len(), 3);
}

/// A source page with everything the copy endpoint can copy.
fn rich_source(fake: &FakeConfluence) -> String {
    let source = fake.find_title("TEAM", "2025-05-29 Weekly Report")[0].id.clone();
    fake.set_property(&source, "content-appearance-published", json!("full-width"));
    fake.set_restrictions(
        &source,
        Restrictions {
            read_groups: vec!["confluence-users".into()],
            update_users: vec![fake.current_user()],
            ..Default::default()
        },
    );
    source
}

#[tokio::test]
async fn cloud_copy_copies_what_the_flags_say() {
    let (fake, root, http) = cloud().await;
    let source = rich_source(&fake);
    let url = format!("{}/rest/api/content/{source}/copy", fake.base_url());
    let (status, copy) = send(http.post(&url).json(&json!({
        "destination": {"type": "parent_page", "value": root},
        "pageTitle": "  2025-06-05 Weekly Report ",
        "body": {"storage": {"value": "<p>new</p>", "representation": "storage"}},
        "copyAttachments": true, "copyLabels": true, "copyProperties": true, "copyPermissions": true,
    })))
    .await;
    assert_eq!(status, 200, "{copy}");
    let id = copy["id"].as_str().unwrap();
    assert_eq!(copy["title"], "2025-06-05 Weekly Report", "trimmed");
    assert_eq!(copy["type"], "page");
    assert_eq!(copy["space"]["key"], "TEAM");
    assert_eq!(copy["version"]["number"], 1);
    assert!(copy["history"].is_object());
    assert_eq!(copy["_links"]["base"], fake.base_url().as_str());
    assert_eq!(copy["_links"]["webui"], format!("/spaces/TEAM/pages/{id}/2025-06-05+Weekly+Report").as_str());

    let page = fake.page(id).unwrap();
    assert_eq!((page.parent_id.as_deref(), page.body.as_str()), (Some(root.as_str()), "<p>new</p>"));
    assert_eq!(page.labels, ["weekly-report"]);
    assert_eq!(page.attachments[0].data, CHART_PNG);
    assert_ne!(page.attachments[0].id, fake.page(&source).unwrap().attachments[0].id);
    assert_eq!(fake.properties(id), fake.properties(&source));
    assert_eq!(fake.restrictions(id), fake.restrictions(&source));

    // Without flags: only the page (the source's body when there is no override).
    let (status, bare) = send(http.post(&url).json(&json!({
        "destination": {"type": "parent_page", "value": root}, "pageTitle": "Bare",
    })))
    .await;
    assert_eq!(status, 200, "{bare}");
    let bare = fake.page(bare["id"].as_str().unwrap()).unwrap();
    assert_eq!(bare.body, fake.page(&source).unwrap().body);
    assert!(bare.labels.is_empty() && bare.attachments.is_empty());
    assert!(fake.properties(&bare.id).is_empty() && fake.restrictions(&bare.id).is_empty());
}

#[tokio::test]
async fn cloud_copy_refusals() {
    let (fake, root, http) = cloud().await;
    let source = rich_source(&fake);
    let url = format!("{}/rest/api/content/{source}/copy", fake.base_url());
    let to = |kind: &str, value: &str, title: &str| json!({"destination": {"type": kind, "value": value}, "pageTitle": title});
    let (status, dup) = send(http.post(&url).json(&to("parent_page", &root, "weekly reports"))).await;
    assert_eq!(status, 400);
    assert_eq!(
        dup["message"],
        "A page with this title already exists: A page already exists with the title weekly reports in the space with key TEAM"
    );
    let folder = fake.add_folder("TEAM", None, "Reports folder");
    let (status, body) = send(http.post(&url).json(&to("parent_page", &folder, "Into folder"))).await;
    assert_eq!(status, 400);
    assert_v1_error(&body, 400, "folder");
    assert_eq!(send(http.post(&url).json(&to("parent_page", "999999", "X"))).await.0, 404);
    assert_eq!(send(http.post(&url).json(&to("space", "NOPE", "X"))).await.0, 404);
    assert_eq!(send(http.post(&url).json(&to("elsewhere", &root, "X"))).await.0, 400);
    assert_eq!(send(http.post(&url).json(&json!({"pageTitle": "X"}))).await.0, 400);
    assert_eq!(fake.pages().len(), 3);

    // Fault injection applies like on any route.
    let fault = |status: u16, commit: bool| Fault {
        method: "POST",
        path: "/copy".into(),
        times: 1,
        commit,
        action: FaultAction::Status { status, retry_after: None, body: String::new() },
    };
    fake.inject(fault(405, false));
    assert_eq!(send(http.post(&url).json(&to("parent_page", &root, "Faulty"))).await.0, 405);
    assert!(fake.find_title("TEAM", "Faulty").is_empty());
    fake.inject(fault(502, true));
    assert_eq!(send(http.post(&url).json(&to("parent_page", &root, "Faulty"))).await.0, 502);
    assert_eq!(fake.find_title("TEAM", "Faulty").len(), 1, "committed");
}

#[tokio::test]
async fn datacenter_has_no_copy_endpoint() {
    let (fake, root, http) = dc().await;
    let url = format!("{}/rest/api/content/{root}/copy", fake.base_url());
    let (status, body) = send(http.post(&url).json(&json!({"destination": {"type": "space", "value": "TEAM"}}))).await;
    assert_eq!(status, 404);
    assert_v1_error(&body, 404, "null for uri");
}
