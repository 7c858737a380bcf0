//! Configuration errors: every problem named by its variable, with what would be valid, and no
//! request sent. (Exact messages are in `tests/cmd/`.)

use crate::common::*;

both_flavors!(missing_required_inputs_send_nothing,);

async fn missing_required_inputs_send_nothing(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let env = site.env().unset("CONFLUENCE_TOKEN").unset("CONFLUENCE_ROOT_PAGE_ID");
    let run = site.run(&env).await;
    run.assert_code(2);
    assert!(run.stderr.contains("CONFLUENCE_TOKEN"), "{}", run.stderr);
    assert!(run.stderr.contains("CONFLUENCE_ROOT_PAGE_ID"), "{}", run.stderr);
    assert_eq!(site.fake.requests().len(), 0, "no request before the configuration is valid");

    let empty = run_in(site.dir.path(), &Env::default(), &[]).await;
    empty.assert_code(2);
    let lines: Vec<&str> = empty.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "one line per variable: {}", empty.stderr);
    for (line, var) in lines.iter().zip(["CONFLUENCE_BASE_URL", "CONFLUENCE_TOKEN", "CONFLUENCE_ROOT_PAGE_ID"]) {
        assert!(line.contains(var), "{line}");
    }
}

/// Bad input: each value is a configuration error naming its variable, and nothing is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_exit_2_without_a_request() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let not_pem = site.dir.path().join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let cases: &[(&str, &str)] = &[
        ("CONFLUENCE_ROOT_PAGE_ID", "twelve"),
        ("CONFLUENCE_TIMEZONE", "Europe/Berln"),
        ("CONFLUENCE_SCHEDULE", "weekly:funday"),
        ("CONFLUENCE_TITLE_TEMPLATE", "Weekly Report"),
        ("CONFLUENCE_TITLE_TEMPLATE", "{date:%Q}"),
        ("CONFLUENCE_RESET_TASKS", "sure"),
        ("CONFLUENCE_TASKS", "drop"),
        ("CONFLUENCE_REPLACE_DATES", "weekly"),
        ("CONFLUENCE_BASE_URL", "confluence.example.com"),
        ("CONFLUENCE_DATE", "05/06/2025"),
        ("WEBHOOK_FORMAT", "irc"),
        ("CONFLUENCE_LOOKBACK", "-2"),
        ("CONFLUENCE_FLAVOR", "server-ish"),
        ("WEBHOOK_WHEN", "weekly"),
        ("CONFLUENCE_TIMEOUT", "0"),
        ("WEBHOOK_PAYLOAD", "{\"text\": {{page_url}}"),
        ("CONFLUENCE_CA_CERT", not_pem.to_str().unwrap()),
    ];
    for &(var, value) in cases {
        let env = site.env().set(var, value).set("WEBHOOK_URL", "https://example.com/hook");
        let run = site.run(&env).await;
        run.assert_code(2);
        assert_eq!(run.stderr.lines().count(), 1, "{var}={value}: {}", run.stderr);
        assert!(run.stderr.contains(var), "{var}={value}: {}", run.stderr);
        assert!(
            run.stderr.contains("use ") || run.stderr.contains("must") || run.stderr.contains("expected"),
            "says what is valid: {}",
            run.stderr
        );
    }
    let all = cases.iter().fold(site.env(), |env, (var, value)| env.set(var, value));
    let run = site.run(&all.set("WEBHOOK_URL", "https://example.com/hook")).await;
    run.assert_code(2);
    // Each line names a different variable of the cases, and every case is named.
    let named: std::collections::BTreeSet<&str> =
        run.stderr.lines().map(|line| line.trim_start_matches("error: ").split(':').next().unwrap()).collect();
    assert_eq!(named.len(), run.stderr.lines().count(), "one line per variable: {}", run.stderr);
    assert!(named.iter().all(|var| cases.iter().any(|(case, _)| case == var)), "{named:?}");
    let variables: std::collections::BTreeSet<&str> = cases.iter().map(|(var, _)| *var).collect();
    assert_eq!(named, variables, "all problems at once: {}", run.stderr);
    assert_eq!(site.fake.requests().len(), 0, "no request was sent");
}
