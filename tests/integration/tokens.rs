//! Tokens and other secrets: a wrong token is named as the cause (also when Data Center serves it
//! as anonymous), and no token or webhook path is ever printed, masked first in GitHub Actions,
//! with a warning when it would travel over plain http.

use crate::common::*;

both_flavors!(bad_token_fails_clearly_without_printing_it,);

/// A rejected token (401) names CONFLUENCE_TOKEN and how it was sent, and is never printed.
async fn bad_token_fails_clearly_without_printing_it(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    let wrong = "wrong-SECRET-token-77";
    let run = site.run(&site.env().set("CONFLUENCE_TOKEN", wrong).set("RUST_LOG", "trace")).await;
    run.assert_code(1);
    assert!(run.stderr.contains("401"), "{}", run.stderr);
    assert!(run.stderr.contains("CONFLUENCE_TOKEN"), "names the variable: {}", run.stderr);
    let scheme = if flavor == Flavor::Cloud { "Basic" } else { "Bearer" };
    assert!(run.stderr.contains(scheme), "says how the token was sent: {}", run.stderr);
    assert!(!run.all_output().contains(wrong), "the token is never printed");
    assert!(!run.all_output().contains(TOKEN));
    assert_eq!(site.fake.writes(), 0);
}

/// Asserts the run (whose requests start at the `from`-th) failed because Confluence served the
/// token as anonymous, and says so.
#[track_caller]
fn assert_anonymous(site: &Site, from: usize, run: &Run, wrong: &str, what_failed: &str) {
    run.assert_code(1);
    let err = &run.stderr;
    assert!(err.contains("treated CONFLUENCE_TOKEN as anonymous"), "{err}");
    assert!(err.contains("new token"), "says what to do: {err}");
    assert!(err.contains(what_failed), "then what failed as anonymous ({what_failed}): {err}");
    assert!(!run.all_output().contains(wrong), "the token is never printed");
    let asked = site.fake.requests()[from..].iter().filter(|r| r.path == "/rest/api/user/current").count();
    assert_eq!(asked, 1, "this run asked once who it is: {:?}", sent(site, from));
    assert_eq!(run.stdout, "");
}

/// A wrong personal access token that Data Center serves as the anonymous user (404, 403 or empty
/// lookups instead of 401) is reported as such — not as a missing root page, a missing permission
/// or a missing source page; a right token whose root page is really missing is still "not found".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_token_served_as_anonymous_is_named() {
    let site = site_with_previous(Flavor::DataCenter).await;
    site.fake.set_anonymous_for_wrong_token(true);
    let wrong = "wrong-SECRET-pat-31";
    let env = site.env().set("CONFLUENCE_TOKEN", wrong);

    // A private space: the root page is 404 to anonymous.
    let from = site.fake.requests().len();
    let run = site.run(&env).await;
    assert_anonymous(
        &site,
        from,
        &run,
        wrong,
        &format!("root page {} (CONFLUENCE_ROOT_PAGE_ID) was not found", site.root),
    );
    // CONFLUENCE_SPACE_KEY skips the root page: anonymous finds no page at all.
    let from = site.fake.requests().len();
    let run = site.run(&env.clone().set("CONFLUENCE_SPACE_KEY", "TEAM")).await;
    assert_anonymous(&site, from, &run, wrong, "no source page to copy");
    // A public space: anonymous reads everything, and its create is refused (403).
    site.fake.set_space_public("TEAM", true);
    let from = site.fake.requests().len();
    let run = site.run(&env).await;
    assert_anonymous(&site, from, &run, wrong, "could not create the page");
    assert!(run.stderr.contains("HTTP 403"), "{}", run.stderr);
    assert_eq!(site.fake.writes(), 1, "only that refused create");
    assert!(site.titled(THIS_TITLE).is_empty());
    site.fake.set_space_public("TEAM", false);

    let run = site.run(&site.env().set("CONFLUENCE_ROOT_PAGE_ID", "999999")).await;
    run.assert_code(1);
    assert!(run.stderr.contains("999999") && run.stderr.contains("not found"), "{}", run.stderr);
    assert!(!run.stderr.contains("anonymous"), "the right token is not called anonymous: {}", run.stderr);
}

/// Every failure path at trace level: the token and the webhook's path never show up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_appear_in_output_at_trace_level() {
    let hook = FakeWebhook::start().await;
    hook.fail_always(500);
    let secret_path = hook.url().split("127.0.0.1").nth(1).unwrap().split_once('/').unwrap().1.to_owned();
    let wrong = format!("{TOKEN}-wrong");
    let mut runs = Vec::new();
    for flavor in [Flavor::DataCenter, Flavor::Cloud] {
        let site = site_with_previous(flavor).await;
        let env = site
            .env()
            .set("RUST_LOG", "trace")
            .set("GITHUB_ACTIONS", "true")
            .set("WEBHOOK_URL", &hook.url())
            .set("CONFLUENCE_MAX_RETRIES", "1");
        // Webhook failure (exit 3), then a wrong token, a bad config value and a server fault.
        runs.push(site.run(&env).await);
        runs.push(site.run(&env.clone().set("CONFLUENCE_TOKEN", &wrong)).await);
        runs.push(site.run(&env.clone().set("CONFLUENCE_TIMEOUT", "0")).await);
        site.fake.inject(status("GET", lookup_path(flavor), 10, 500, None));
        runs.push(site.run(&env.clone().set("CONFLUENCE_DATE", "2025-06-12")).await);
        runs.push(site.run(&env.clone().set("LOG_FORMAT", "json")).await);
    }
    let codes: Vec<i32> = runs.iter().map(|r| r.code).collect();
    assert_eq!(codes, [3, 1, 2, 1, 1, 3, 1, 2, 1, 1]);
    for (run, token) in runs.iter().zip([TOKEN, &wrong, TOKEN, TOKEN, TOKEN].iter().cycle()) {
        let output = run.all_output();
        let without_masks: String =
            output.lines().filter(|l| !l.starts_with("::add-mask::")).collect::<Vec<_>>().join("\n");
        assert!(!without_masks.contains(TOKEN), "token leaked:\n{output}");
        assert!(!without_masks.contains(&secret_path), "webhook path leaked:\n{output}");
        let masks = format!("::add-mask::{token}\n::add-mask::{}\n", hook.url());
        assert!(run.stderr.starts_with(&masks), "the masks come first:\n{}", run.stderr);
    }
}

/// A token sent over plain http is warned about.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_with_a_token_warns() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert!(run.stderr.contains("plain http") && run.stderr.contains("unencrypted"), "{}", run.stderr);
}
