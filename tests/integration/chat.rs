//! The chat hears what happened (issue 24): failure messages with the CI run's link
//! (`WEBHOOK_ON_FAILURE`), chat outages that need not fail the run (`WEBHOOK_REQUIRED`), the
//! `notified` output; and outputs that fit every CI (GitLab's 20 dotenv variables, Bitbucket's
//! output variables).

use crate::common::*;

/// A CI environment: its name, the variables its runner sets, and the run link they give.
type Ci = (&'static str, Vec<(&'static str, &'static str)>, &'static str);

/// The CI environments a failure message links, with the link each must give.
fn ci_environments() -> Vec<Ci> {
    vec![
        (
            "github",
            vec![
                ("GITHUB_ACTIONS", "true"),
                ("GITHUB_SERVER_URL", "https://github.com"),
                ("GITHUB_REPOSITORY", "acme/reports"),
                ("GITHUB_RUN_ID", "4242"),
            ],
            "https://github.com/acme/reports/actions/runs/4242",
        ),
        (
            "gitlab",
            vec![("GITLAB_CI", "true"), ("CI_JOB_URL", "https://gitlab.example.com/acme/reports/-/jobs/77")],
            "https://gitlab.example.com/acme/reports/-/jobs/77",
        ),
        (
            "bitbucket",
            vec![("BITBUCKET_GIT_HTTP_ORIGIN", "http://bitbucket.org/acme/reports"), ("BITBUCKET_BUILD_NUMBER", "15")],
            "http://bitbucket.org/acme/reports/pipelines/results/15",
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_run_posts_one_failure_message_with_the_run_s_link_and_no_secret() {
    // No source page: the run fails (exit 1) with a message that says what to do.
    let site = Site::start(Flavor::DataCenter).await;
    for (ci, vars, link) in ci_environments() {
        for format in ["slack-workflow", "json", "discord"] {
            let hook = FakeWebhook::start().await;
            let mut env = site
                .env()
                .set("WEBHOOK_URL", &hook.url())
                .set("WEBHOOK_FORMAT", format)
                .set("WEBHOOK_ON_FAILURE", "true")
                // The success message is governed by WEBHOOK_WHEN, the failure message is not.
                .set("WEBHOOK_WHEN", "never");
            for (name, value) in &vars {
                env = env.set(name, value);
            }
            let run = site.run(&env).await;
            run.assert_code(1);
            let received = hook.received();
            assert_eq!(received.len(), 1, "{ci} {format}: exactly one message: {received:?}");
            let body = &received[0];
            let text = body.to_string();
            match format {
                "discord" => {
                    let content = body["content"].as_str().unwrap();
                    assert!(content.contains("`default` failed"), "{content}");
                    assert!(content.contains("no source page to copy"), "{content}");
                    assert!(content.contains(&format!("CI run: {link}")), "{content}");
                }
                _ => {
                    assert_eq!(body["status"], "failed", "{ci} {format}: {body}");
                    assert_eq!(body["report"], "default");
                    assert_eq!(body["run_url"], link, "{ci} {format}");
                    let error = body["error"].as_str().unwrap();
                    assert!(error.starts_with("no source page to copy") && error.contains(PREVIOUS_TITLE), "{error}");
                    assert!(error.contains("CONFLUENCE_TEMPLATE_PAGE_ID"), "says what to do: {error}");
                }
            }
            if format == "slack-workflow" {
                assert!(body.as_object().unwrap().values().all(|v| v.is_string()), "{body}");
            }
            for secret in [TOKEN, "secret-path", &hook.url()] {
                assert!(!text.contains(secret), "{ci} {format}: the message holds {secret}: {text}");
            }
            let printed: Vec<&str> =
                run.stderr.lines().chain(run.stdout.lines()).filter(|l| !l.starts_with("::add-mask::")).collect();
            assert!(!printed.join("\n").contains("secret-path"), "the webhook URL is only ever masked: {printed:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failure_messages_are_off_by_default_and_never_sent_for_a_configuration_error() {
    let site = Site::start(Flavor::DataCenter).await;
    let hook = FakeWebhook::start().await;
    let env = site.env().set("WEBHOOK_URL", &hook.url()).set("CI_JOB_URL", "https://gitlab.example.com/-/jobs/1");
    site.run(&env).await.assert_code(1);
    assert_eq!(hook.attempts(), 0, "WEBHOOK_ON_FAILURE defaults to false");

    let misconfigured = env.clone().set("WEBHOOK_ON_FAILURE", "true").set("CONFLUENCE_SCHEDULE", "hourly");
    let run = site.run(&misconfigured).await;
    run.assert_code(2);
    assert_eq!(hook.attempts(), 0, "exit 2 posts nothing");
    let bad = site.run(&env.clone().set("WEBHOOK_ON_FAILURE", "sometimes")).await;
    bad.assert_code(2);
    assert!(bad.stderr.contains("WEBHOOK_ON_FAILURE: "), "{}", bad.stderr);
    assert_eq!(hook.attempts(), 0);
    // A dry run sends nothing, failures included.
    site.run(&env.clone().set("WEBHOOK_ON_FAILURE", "true").set("CONFLUENCE_DRY_RUN", "true")).await;
    assert_eq!(hook.attempts(), 0, "a dry run sends nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undeliverable_failure_message_leaves_the_exit_code_at_1() {
    let site = Site::start(Flavor::DataCenter).await;
    let hook = FakeWebhook::start().await;
    hook.fail_always(500);
    let env =
        site.env().set("WEBHOOK_URL", &hook.url()).set("WEBHOOK_ON_FAILURE", "true").set("CONFLUENCE_MAX_RETRIES", "0");
    let run = site.run(&env).await;
    run.assert_code(1);
    assert_eq!(hook.attempts(), 1);
    assert!(run.stderr.contains("no source page to copy"), "{}", run.stderr);
    assert!(run.stderr.contains("the failure message to webhook 127.0.0.1"), "{}", run.stderr);
    let quiet = site.run(&env.clone().set("WEBHOOK_REQUIRED", "false")).await;
    quiet.assert_code(1);
    assert!(!quiet.all_output().contains("secret-path"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_outage_need_not_fail_the_run() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let hook = FakeWebhook::start().await;
    hook.fail_always(500);
    let output = site.dir.path().join("github_output");
    let env = site
        .env()
        .set("WEBHOOK_URL", &hook.url())
        .set("CONFLUENCE_MAX_RETRIES", "0")
        .set("GITHUB_OUTPUT", output.to_str().unwrap());

    let run = site.run(&env.clone().set("WEBHOOK_REQUIRED", "false")).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert_eq!(run.json()["notified"], false);
    assert!(run.stderr.contains("WEBHOOK_REQUIRED=false"), "a warning: {}", run.stderr);
    assert!(!run.all_output().contains("secret-path"));
    let outputs = parse_github_output(&std::fs::read_to_string(&output).unwrap());
    assert_eq!(outputs["notified"], "false");

    // The default: exit 3, and still notified=false in the outputs.
    std::fs::remove_file(&output).unwrap();
    let run = site.run(&env).await;
    run.assert_code(3);
    assert_eq!(run.json()["notified"], false);
    assert_eq!(parse_github_output(&std::fs::read_to_string(&output).unwrap())["notified"], "false");

    // Delivered: true; nothing due to be sent: null (empty in $GITHUB_OUTPUT).
    std::fs::remove_file(&output).unwrap();
    hook.fail_next(0, 500, None);
    let healthy = FakeWebhook::start().await;
    let run = site.run(&env.clone().set("WEBHOOK_URL", &healthy.url())).await;
    run.assert_code(0);
    assert_eq!(run.json()["notified"], true);
    assert_eq!(parse_github_output(&std::fs::read_to_string(&output).unwrap())["notified"], "true");
    std::fs::remove_file(&output).unwrap();
    let run = site.run(&env.clone().set("WEBHOOK_WHEN", "created")).await;
    run.assert_code(0);
    assert_eq!(run.json()["notified"], serde_json::Value::Null);
    assert_eq!(parse_github_output(&std::fs::read_to_string(&output).unwrap())["notified"], "");
}

/// Four reports, each copying the template page, run on GitLab (and Bitbucket).
async fn four_reports(extra: &[(&str, &str)]) -> (Site, Run) {
    let site = Site::start(Flavor::DataCenter).await;
    let template = site.fake.add_page("TEAM", None, "Template", "<p>template</p>");
    let reports: String = ["alpha", "bravo", "charlie", "delta"]
        .iter()
        .map(|name| format!("  - name: {name}\n    title_template: \"{{date}} {name}\"\n"))
        .collect();
    let yaml = format!(
        "defaults:\n  base_url: {}\n  root_page_id: \"{}\"\n  template_page_id: \"{template}\"\nreports:\n{reports}",
        site.fake.base_url(),
        site.root
    );
    std::fs::write(site.dir.path().join("reports.yml"), yaml).unwrap();
    let mut env = Env::default().set("CONFLUENCE_TOKEN", TOKEN).set("CONFLUENCE_DATE", TODAY);
    for (name, value) in extra {
        env = env.set(name, value);
    }
    let run = run_in(site.dir.path(), &env, &["--config", "reports.yml"]).await;
    (site, run)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_reports_on_gitlab_fit_in_twenty_dotenv_variables() {
    let (site, run) = four_reports(&[("GITLAB_CI", "true")]).await;
    run.assert_code(0);
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    let dotenv = std::fs::read_to_string(site.dir.path().join("confluence-weekly.env")).unwrap();
    let lines: Vec<&str> = dotenv.lines().collect();
    assert!(lines.len() <= 20, "{} variables:\n{dotenv}", lines.len());
    let reports = lines.iter().find_map(|l| l.strip_prefix("CONFLUENCE_REPORTS=")).expect("CONFLUENCE_REPORTS");
    let reports: serde_json::Value = serde_json::from_str(reports).unwrap();
    let names: Vec<&str> = reports.as_array().unwrap().iter().map(|r| r["report"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 4, "every report in CONFLUENCE_REPORTS: {names:?}");
    assert!(dotenv.contains("CONFLUENCE_ALPHA_PAGE_URL=http"), "the first reports' own variables: {dotenv}");
    let left_out: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| !dotenv.contains(&format!("CONFLUENCE_{}_", name.to_uppercase())))
        .collect();
    assert!(!left_out.is_empty(), "four reports cannot all fit: {dotenv}");
    let warning =
        run.stderr.lines().find(|l| l.contains("at most 20 variables")).unwrap_or_else(|| panic!("{}", run.stderr));
    for name in &left_out {
        assert!(warning.contains(name), "the warning names {name}: {warning}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bitbucket_s_variables_file_gets_the_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let variables = dir.path().join("pipelines_variables");
    std::fs::write(&variables, "EARLIER_STEP=kept\n").unwrap();
    let site = site_with_previous(Flavor::DataCenter).await;
    let run = site.run(&site.env().set("BITBUCKET_PIPELINES_VARIABLES_PATH", variables.to_str().unwrap())).await;
    run.assert_code(0);
    let out = run.json();
    let text = std::fs::read_to_string(&variables).unwrap();
    assert!(text.starts_with("EARLIER_STEP=kept\n"), "appended: {text}");
    assert!(text.contains(&format!("CONFLUENCE_PAGE_URL={}\n", out["page_url"].as_str().unwrap())), "{text}");
    assert!(text.contains(&format!("CONFLUENCE_PAGE_TITLE={THIS_TITLE}\n")), "{text}");
    assert!(text.contains("CONFLUENCE_PAGE_CREATED=true\n") && text.contains("CONFLUENCE_DUE=true\n"), "{text}");
    assert!(!site.dir.path().join("confluence-weekly.env").exists(), "no GitLab dotenv outside GitLab");

    // Several reports: the same capped pairs.
    let variables = dir.path().join("many");
    let (_site, run) = four_reports(&[("BITBUCKET_PIPELINES_VARIABLES_PATH", variables.to_str().unwrap())]).await;
    run.assert_code(0);
    let text = std::fs::read_to_string(&variables).unwrap();
    assert!(text.lines().count() <= 20 && text.contains("CONFLUENCE_REPORTS=["), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_in_an_error_are_hidden_from_the_failure_message() {
    // A title template that (foolishly) holds the token and the webhook's path: the "no source
    // page" error lists the titles it searched, so the secrets would be in the error line.
    let site = Site::start(Flavor::DataCenter).await;
    let hook = FakeWebhook::start().await;
    let template = format!("{{date}} {TOKEN} {}", fake_confluence::webhook::WEBHOOK_PATH);
    let env = site
        .env()
        .set("WEBHOOK_URL", &hook.url())
        .set("WEBHOOK_FORMAT", "json")
        .set("WEBHOOK_ON_FAILURE", "true")
        .set("CONFLUENCE_TITLE_TEMPLATE", &template);
    site.run(&env).await.assert_code(1);
    let received = hook.received();
    assert_eq!(received.len(), 1);
    let error = received[0]["error"].as_str().unwrap();
    assert!(error.starts_with("no source page to copy") && error.contains("*** ***"), "{error}");
    assert!(!error.contains(TOKEN) && !error.contains("secret-path"), "{error}");
}
