//! The `fake-confluence` binary: prints one JSON line, serves, stops on SIGTERM.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use base64::Engine as _;
use serde_json::Value;

fn run(args: &[&str]) -> (std::process::Child, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-confluence"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    (child, info)
}

#[cfg(unix)]
fn terminate(child: &mut std::process::Child) -> std::process::ExitStatus {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    child.wait().unwrap()
}

#[cfg(not(unix))]
fn terminate(child: &mut std::process::Child) -> std::process::ExitStatus {
    child.kill().unwrap();
    child.wait().unwrap()
}

#[tokio::test]
async fn datacenter_binary_serves_the_seed() {
    let (mut child, info) = run(&["--context-path", "/confluence", "--token", "t0k"]);
    assert_eq!(info["space_key"], "TEAM");
    assert_eq!(info["token"], "t0k");
    assert!(info["user"].is_null());
    let base = info["base_url"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/confluence"), "{base}");
    let root = info["root_page_id"].as_str().unwrap();
    let resp =
        reqwest::Client::new().get(format!("{base}/rest/api/content/{root}")).bearer_auth("t0k").send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["title"], "Weekly Reports");
    let status = terminate(&mut child);
    #[cfg(unix)]
    assert!(status.success(), "{status:?}");
    let _ = status;
}

#[tokio::test]
async fn cloud_binary_serves_the_seed() {
    let (mut child, info) = run(&["--flavor", "cloud", "--user", "me@example.com"]);
    assert_eq!(info["user"], "me@example.com");
    assert_eq!(info["token"], "fake-token");
    let base = info["base_url"].as_str().unwrap();
    assert!(base.ends_with("/wiki"), "{base}");
    let root = info["root_page_id"].as_str().unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode("me@example.com:fake-token");
    let resp = reqwest::Client::new()
        .get(format!("{base}/api/v2/pages/{root}/children"))
        .header("authorization", format!("Basic {auth}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["results"].as_array().unwrap().len(), 2);
    terminate(&mut child);
}

#[test]
fn bad_arguments_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_fake-confluence")).args(["--flavor", "mainframe"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn latency_option_delays_every_answer() {
    let (mut child, info) = run(&["--token", "t0k", "--latency-ms", "300"]);
    let base = info["base_url"].as_str().unwrap();
    let root = info["root_page_id"].as_str().unwrap();
    let started = std::time::Instant::now();
    let resp =
        reqwest::Client::new().get(format!("{base}/rest/api/content/{root}")).bearer_auth("t0k").send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300), "{:?}", started.elapsed());
    terminate(&mut child);

    let out = Command::new(env!("CARGO_BIN_EXE_fake-confluence")).args(["--latency-ms", "soon"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn benchmark_seed_and_statistics() {
    let (mut child, info) = run(&[
        "--token",
        "t0k",
        "--latency-ms",
        "100",
        "--big-body",
        "5000",
        "--big-attachment",
        "3000",
        "--teams",
        "2",
    ]);
    let (base, control) = (info["base_url"].as_str().unwrap(), info["control_url"].as_str().unwrap());
    let http = reqwest::Client::new();
    let stats = || async { http.get(format!("{control}/stats")).send().await.unwrap().json::<Value>().await.unwrap() };
    let find = |title: &'static str| {
        let req = http.get(format!("{base}/rest/api/content")).query(&[
            ("spaceKey", "TEAM"),
            ("title", title),
            ("expand", "body.storage,children.attachment"),
        ]);
        async move { req.bearer_auth("t0k").send().await.unwrap().json::<Value>().await.unwrap() }
    };
    assert_eq!(stats().await["requests"], 0, "nothing yet, and stats are not counted");

    // Two together, then one after them, then the webhook receiver: three round trips.
    let (big, team) = tokio::join!(find("2025-05-29 Big Body Report"), find("2025-05-29 Team 01 Report"));
    assert!(big["results"][0]["body"]["storage"]["value"].as_str().unwrap().len() >= 5000);
    assert_eq!(team["results"].as_array().unwrap().len(), 1);
    let attached = find("2025-05-29 Big Attachment Report").await;
    assert_eq!(attached["results"].as_array().unwrap().len(), 1);
    let hook = http.post(format!("{control}/hook")).json(&serde_json::json!({"text": "hi"})).send().await.unwrap();
    assert_eq!(hook.status(), 200);
    let s = stats().await;
    assert_eq!((s["requests"].as_u64(), s["writes"].as_u64(), s["round_trips"].as_u64()), (Some(4), Some(1), Some(3)));
    assert_eq!(s["max_in_flight"], 2);

    let reset = http.post(format!("{control}/reset")).send().await.unwrap();
    assert_eq!(reset.status(), 204);
    let s = stats().await;
    assert_eq!((s["requests"].as_u64(), s["max_in_flight"].as_u64()), (Some(0), Some(0)));
    terminate(&mut child);
}

#[tokio::test]
async fn weekly_pages_flag_files_thursday_reports_under_the_root() {
    let (mut child, info) = run(&["--token", "t0k", "--weekly-pages", "500"]);
    let base = info["base_url"].as_str().unwrap();
    let root = info["root_page_id"].as_str().unwrap();
    let http = reqwest::Client::new();
    let url = format!("{base}/rest/api/content/{root}/child/page?limit=200&start=0");
    let body: Value = http.get(url).bearer_auth("t0k").send().await.unwrap().json().await.unwrap();
    let titles: Vec<&str> = body["results"].as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap()).collect();
    // Alphabetical: the oldest weekly page first (499 weeks before 2025-06-05), a week apart.
    assert_eq!(titles[..3], ["20151112_MY팀 주간 보고", "20151119_MY팀 주간 보고", "20151126_MY팀 주간 보고"]);
    let last = format!("{base}/rest/api/content?spaceKey=TEAM&title={}", "20250605_MY팀 주간 보고");
    let found: Value = http.get(last).bearer_auth("t0k").send().await.unwrap().json().await.unwrap();
    assert_eq!(found["size"], 1);
    terminate(&mut child);
}

#[tokio::test]
async fn move_lag_flag_keeps_a_moved_page_under_its_old_parent_in_reads() {
    let (mut child, info) = run(&["--token", "t0k", "--move-lag-ms", "600000"]);
    let base = info["base_url"].as_str().unwrap();
    let root = info["root_page_id"].as_str().unwrap();
    let http = reqwest::Client::new();
    let get = |url: String| {
        let http = http.clone();
        async move { http.get(url).bearer_auth("t0k").send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let ids = |listing: &Value| -> Vec<String> {
        listing["results"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
    };
    let kids = ids(&get(format!("{base}/rest/api/content/{root}/child/page")).await);
    let (older, newer) = (&kids[0], &kids[1]);
    let update = serde_json::json!({
        "type": "page", "title": "2025-05-29 Weekly Report", "ancestors": [{"id": older}],
        "body": {"storage": {"value": "<p/>", "representation": "storage"}}, "version": {"number": 2, "minorEdit": true},
    });
    let resp =
        http.put(format!("{base}/rest/api/content/{newer}")).bearer_auth("t0k").json(&update).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(ids(&get(format!("{base}/rest/api/content/{root}/child/page")).await).contains(newer));
    assert!(ids(&get(format!("{base}/rest/api/content/{older}/child/page")).await).is_empty());
    terminate(&mut child);

    for args in [&["--move-lag-ms", "soon"][..], &["--flavor", "cloud", "--move-lag-ms", "5"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_fake-confluence")).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[tokio::test]
async fn client_credentials_flag_registers_a_service_account() {
    let (mut child, info) = run(&["--flavor", "cloud", "--client-credentials", "sa-id:sa-secret"]);
    let token_url = info["oauth_token_url"].as_str().unwrap();
    assert!(token_url.ends_with("/oauth/token") && !token_url.contains("/wiki"), "{info}");
    let http = reqwest::Client::new();
    let grant = |secret: &str| serde_json::json!({"grant_type": "client_credentials", "client_id": "sa-id", "client_secret": secret});
    let resp = http.post(token_url).json(&grant("sa-secret")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let token = resp.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
    let root = info["root_page_id"].as_str().unwrap();
    let page = format!("{}/api/v2/pages/{root}", info["base_url"].as_str().unwrap());
    assert_eq!(http.get(&page).bearer_auth(&token).send().await.unwrap().status(), 200);
    assert_eq!(http.post(token_url).json(&grant("nope")).send().await.unwrap().status(), 401);
    terminate(&mut child);

    let out = Command::new(env!("CARGO_BIN_EXE_fake-confluence"))
        .args(["--client-credentials", "no-colon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn calendar_gateway_and_team_table_flags_for_the_benchmark() {
    let dir = std::env::temp_dir().join(format!("fake-confluence-bench-flags-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (ics, table) = (dir.join("h.ics"), dir.join("t.xml"));
    std::fs::write(&ics, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").unwrap();
    std::fs::write(&table, "<table><tbody><tr><th><p>담당자</p></th></tr></tbody></table>").unwrap();
    let cloud_id = "5e1f0a9b-2c3d-4e5f-8a7b-6c5d4e3f2a1b";
    let args = ["--flavor", "cloud", "--gateway", cloud_id, "--latency-ms", "50", "--calendar"];
    let (mut child, info) =
        run(&[&args[..], &[ics.to_str().unwrap(), "--team-table", table.to_str().unwrap()]].concat());
    let base = info["base_url"].as_str().unwrap();
    assert!(base.ends_with(&format!("/ex/confluence/{cloud_id}")), "{base}");
    let calendar = info["calendar_url"].as_str().unwrap();
    let control = info["control_url"].as_str().unwrap();
    assert!(calendar.starts_with(control) && calendar.contains("/private-"), "{calendar}");

    let http = reqwest::Client::new();
    let started = std::time::Instant::now();
    let resp = http.get(calendar).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    assert!(started.elapsed() >= std::time::Duration::from_millis(50), "behind the latency");
    let stats: Value = http.get(format!("{control}/stats")).send().await.unwrap().json().await.unwrap();
    assert_eq!((stats["requests"].as_u64(), stats["round_trips"].as_u64()), (Some(1), Some(1)), "counted");

    let auth = base64::engine::general_purpose::STANDARD.encode("bot@example.com:fake-token");
    let found: Value = http
        .get(format!("{base}/wiki/api/v2/pages"))
        .query(&[("title", "2025-05-29 Team Table Report")])
        .header("authorization", format!("Basic {auth}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["results"].as_array().map(Vec::len), Some(1), "{found}");
    terminate(&mut child);

    let out = Command::new(env!("CARGO_BIN_EXE_fake-confluence")).args(["--gateway", cloud_id]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "the gateway is Cloud's");
    let (mut child, info) = run(&[]);
    assert!(info["calendar_url"].is_null());
    terminate(&mut child);
    std::fs::remove_dir_all(&dir).unwrap();
}
