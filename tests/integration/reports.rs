//! Several reports from one config file (`CONFLUENCE_CONFIG` / `--config`).

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_run_together_and_failures_stay_contained() {
    let site = Site::start(Flavor::DataCenter).await;
    site.add("20250529_Platform 주간 보고", SOURCE_BODY);
    let monthly_root = site.fake.add_page("TEAM", None, "All-hands", "<p/>");
    site.fake.add_page("TEAM", Some(&monthly_root), "2025-05 All-hands", "<p>May</p>");
    let hook = FakeWebhook::start().await;
    let yaml = format!(
        "defaults:\n  base_url: {base}\n  timezone: Asia/Seoul\nreports:\n  - name: platform_weekly\n    root_page_id: \"{root}\"\n    title_template: \"{{date:%Y%m%d}}_Platform 주간 보고\"\n    schedule: weekly:thu\n    webhook_url: ${{PLATFORM_HOOK}}\n  - name: all_hands_monthly\n    root_page_id: {monthly_root}\n    title_template: \"{{date:%Y-%m}} All-hands\"\n    schedule: monthly:last-fri\n  - name: broken\n    root_page_id: \"999999\"\n",
        base = site.fake.base_url(),
        root = site.root,
    );
    std::fs::write(site.dir.path().join("reports.yml"), yaml).unwrap();
    let output = site.dir.path().join("github_output");
    let env = Env::default()
        .set("CONFLUENCE_TOKEN", TOKEN)
        .set("CONFLUENCE_DATE", TODAY)
        .set("PLATFORM_HOOK", &hook.url())
        .set("GITHUB_OUTPUT", output.to_str().unwrap())
        .set("GITLAB_CI", "true");
    let run = run_in(site.dir.path(), &env, &["--config", "reports.yml"]).await;
    run.assert_code(1);
    assert!(run.stderr.contains("report broken") && run.stderr.contains("999999"), "{}", run.stderr);

    let lines: Vec<serde_json::Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "one line per successful report: {}", run.stdout);
    let by_name = |name: &str| lines.iter().find(|l| l["report"] == name).unwrap().clone();
    let platform = by_name("platform_weekly");
    assert_eq!(platform["page_title"], "20250605_Platform 주간 보고");
    assert_eq!(platform["created"], true);
    let monthly = by_name("all_hands_monthly");
    assert_eq!(monthly["page_title"], "2025-06 All-hands");
    assert_eq!(monthly["report_date"], "2025-06-27");
    assert_eq!(site.fake.find_title("TEAM", "2025-06 All-hands")[0].parent_id.as_deref(), Some(monthly_root.as_str()));

    assert_eq!(hook.received().len(), 1, "only the report with a webhook notifies");
    assert_eq!(hook.received()[0]["page_title"], "20250605_Platform 주간 보고");

    let outputs = parse_github_output(&std::fs::read_to_string(&output).unwrap());
    assert_eq!(outputs["platform_weekly_page_url"], platform["page_url"].as_str().unwrap());
    assert_eq!(outputs["all_hands_monthly_page_url"], monthly["page_url"].as_str().unwrap());
    let reports: serde_json::Value = serde_json::from_str(&outputs["reports"]).unwrap();
    assert_eq!(reports.as_array().unwrap().len(), 2);
    let dotenv = std::fs::read_to_string(site.dir.path().join("confluence-weekly.env")).unwrap();
    assert!(
        dotenv.contains(&format!("CONFLUENCE_PLATFORM_WEEKLY_PAGE_URL={}\n", platform["page_url"].as_str().unwrap())),
        "{dotenv}"
    );
    assert!(dotenv.contains("CONFLUENCE_ALL_HANDS_MONTHLY_PAGE_CREATED=true\n"), "{dotenv}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_in_the_file_are_refused_before_any_request() {
    let site = Site::start(Flavor::DataCenter).await;
    let yaml = format!(
        "defaults:\n  base_url: {}\nreports:\n  - name: a\n    root_page_id: \"{}\"\n    token: {TOKEN}\n  - name: b\n    root_page_id: nope\n    token_env: B_TOKEN\n",
        site.fake.base_url(),
        site.root
    );
    std::fs::write(site.dir.path().join("reports.yml"), yaml).unwrap();
    let env = Env::default().set("CONFLUENCE_CONFIG", "reports.yml").set("CONFLUENCE_TOKEN", TOKEN);
    let run = site.run(&env).await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("(report `a`)") && run.stderr.contains("tokens never live in the file"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("CONFLUENCE_ROOT_PAGE_ID (report `b`)"), "{}", run.stderr);
    for line in run.stderr.lines() {
        assert!(line.starts_with("error: reports.yml: "), "every problem names the file: {line}");
    }
    assert!(run.stderr.contains("CONFLUENCE_TOKEN (report `b`): is required"), "B_TOKEN is unset: {}", run.stderr);
    assert_eq!(site.fake.requests().len(), 0);
    assert!(!run.all_output().contains(TOKEN), "the token from the file is not echoed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yaml_syntax_error_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "defaults:\n  base_url: https://confluence.example.com\nreports:\n  - name: a\n    root_page_id: \"1\"\n   schedule: weekly:thu\n";
    std::fs::write(dir.path().join("reports.yml"), yaml).unwrap();
    let env = Env::default().set("CONFLUENCE_TOKEN", TOKEN);
    let run = run_in(dir.path(), &env, &["--config", "reports.yml"]).await;
    run.assert_code(2);
    let line = run.stderr.lines().next().unwrap_or_default();
    assert!(line.starts_with("error: reports.yml:6:"), "file:line:column first: {}", run.stderr);
    assert!(line.contains("CONFLUENCE_CONFIG: is not a valid reports file"), "{}", run.stderr);
}
