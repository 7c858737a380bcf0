//! Off days (`CONFLUENCE_SKIP`, `CONFLUENCE_HOLIDAYS`, `CONFLUENCE_OFF_DAY`) on the weekly tree
//! the tool was first written for, which has no page for Thursday 2025-05-01 (Korea's Labor Day).
//! The holiday calendar is Google's export, served at a private-looking path by a local server.

use fake_confluence::FakeCalendar;
use fake_confluence::calendar::{CALENDAR_KEY, CALENDAR_PATH};

use crate::common::weekly::{TEMPLATE, date, flat_site, weekly_title};
use crate::common::*;

both_flavors!(
    labor_day_week_is_skipped_with_no_page_no_webhook_and_no_trace_of_the_private_address,
    before_makes_wednesdays_page_which_a_rerun_finds_and_the_next_week_copies,
    the_week_after_a_skipped_one_copies_the_page_before_it_even_without_lookback,
    an_unreachable_calendar_is_exit_1_with_nothing_written,
);

/// Google Calendar's export of Korea's holidays (CRLF, folded lines, `VALUE=DATE`).
const GOOGLE: &str = include_str!("../../src/offdays/calendar/google.ics");

/// The weekly report without filing, on `today`.
fn env(site: &Site, today: &str) -> Env {
    site.env()
        .set("CONFLUENCE_TITLE_TEMPLATE", TEMPLATE)
        .set("CONFLUENCE_SCHEDULE", "weekly:thu")
        .set("CONFLUENCE_DATE", today)
}

/// The tree up to 2025-04-24, and the calendar.
async fn april(flavor: Flavor) -> (Site, FakeCalendar) {
    (flat_site(flavor, date(2025, 4, 24)).await, FakeCalendar::start(GOOGLE).await)
}

async fn labor_day_week_is_skipped_with_no_page_no_webhook_and_no_trace_of_the_private_address(flavor: Flavor) {
    let (site, calendar) = april(flavor).await;
    let hook = FakeWebhook::start().await;
    let (output, summary, dotenv) =
        (site.dir.path().join("out"), site.dir.path().join("summary.md"), site.dir.path().join("cw.env"));
    let writes = site.fake.writes();
    let run = site
        .run(
            &env(&site, "2025-04-28")
                .set("CONFLUENCE_HOLIDAYS", &calendar.url())
                .set("WEBHOOK_URL", &hook.url())
                .set("GITHUB_ACTIONS", "true")
                .set("GITHUB_OUTPUT", output.to_str().unwrap())
                .set("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())
                .set("CONFLUENCE_DOTENV", dotenv.to_str().unwrap()),
        )
        .await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["due"], false);
    assert_eq!(out["skipped"], "off day 2025-05-01: 근로자의 날");
    assert_eq!((out["page_title"].is_null(), out["page_id"].is_null()), (true, true));
    assert_eq!(site.fake.writes(), writes, "nothing was written");
    assert!(site.titled(&weekly_title(date(2025, 5, 1))).is_empty());
    assert_eq!(hook.attempts(), 0, "no webhook");
    assert_eq!(calendar.requests(), 1, "fetched once");

    let [output, summary, dotenv] = [output, summary, dotenv].map(|p| std::fs::read_to_string(p).unwrap());
    assert_eq!(parse_github_output(&output)["skipped"], "off day 2025-05-01: 근로자의 날");
    assert_eq!(parse_github_output(&output)["due"], "false");
    assert!(summary.contains("off day 2025-05-01: 근로자의 날"), "{summary}");
    assert!(dotenv.contains("CONFLUENCE_SKIPPED=off day 2025-05-01: 근로자의 날\n"), "{dotenv}");
    // The runner is told to mask the address before anything else; nothing else shows it.
    let first = run.stderr.lines().find(|l| l.contains(CALENDAR_KEY)).unwrap_or_default();
    assert_eq!(first, format!("::add-mask::{}", calendar.url()));
    let masked: String = run.all_output().lines().filter(|l| !l.starts_with("::add-mask::")).collect();
    for text in [&masked, &output, &summary, &dotenv] {
        assert!(!text.contains(CALENDAR_KEY) && !text.contains(CALENDAR_PATH), "the private path leaked: {text}");
    }
}

async fn before_makes_wednesdays_page_which_a_rerun_finds_and_the_next_week_copies(flavor: Flavor) {
    let (site, calendar) = april(flavor).await;
    let env =
        |today: &str| env(&site, today).set("CONFLUENCE_HOLIDAYS", &calendar.url()).set("CONFLUENCE_OFF_DAY", "before");
    let made = site.run(&env("2025-05-01")).await;
    made.assert_code(0);
    let made = made.json();
    assert_eq!(made["page_title"], weekly_title(date(2025, 4, 30)).as_str());
    assert_eq!((made["report_date"].as_str(), made["created"].as_bool()), (Some("2025-04-30"), Some(true)));
    assert_eq!(made["skipped"], serde_json::Value::Null);
    let april = site.titled(&weekly_title(date(2025, 4, 24)));
    assert_eq!(made["source_page_id"], april[0].id.as_str());

    let again = site.run(&env("2025-05-02")).await;
    again.assert_code(0);
    assert_eq!(
        (again.json()["page_id"].clone(), again.json()["created"].clone()),
        (made["page_id"].clone(), false.into())
    );

    let next = site.run(&env("2025-05-08")).await;
    next.assert_code(0);
    let next = next.json();
    assert_eq!(next["page_title"], weekly_title(date(2025, 5, 8)).as_str());
    assert_eq!(next["source_page_id"], made["page_id"], "copied from Wednesday's page");
}

async fn the_week_after_a_skipped_one_copies_the_page_before_it_even_without_lookback(flavor: Flavor) {
    let (site, calendar) = april(flavor).await;
    let april = site.titled(&weekly_title(date(2025, 4, 24)));
    let run = site
        .run(&env(&site, "2025-05-08").set("CONFLUENCE_HOLIDAYS", &calendar.url()).set("CONFLUENCE_LOOKBACK", "0"))
        .await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!((out["created"].as_bool(), out["due"].as_bool()), (Some(true), Some(true)));
    assert_eq!(out["source_page_id"], april[0].id.as_str());
    // The same from the skip list, without a calendar.
    let (site, _) = april_site_only(flavor).await;
    let run =
        site.run(&env(&site, "2025-05-08").set("CONFLUENCE_SKIP", "2025-05-01").set("CONFLUENCE_LOOKBACK", "0")).await;
    run.assert_code(0);
    assert_eq!(run.json()["source_page_id"], site.titled(&weekly_title(date(2025, 4, 24)))[0].id.as_str());
}

async fn april_site_only(flavor: Flavor) -> (Site, ()) {
    (flat_site(flavor, date(2025, 4, 24)).await, ())
}

async fn an_unreachable_calendar_is_exit_1_with_nothing_written(flavor: Flavor) {
    let (site, _) = april(flavor).await;
    // Nothing listens on port 1.
    let url = format!("http://127.0.0.1:1{CALENDAR_PATH}");
    let writes = site.fake.writes();
    let run =
        site.run(&env(&site, "2025-05-08").set("CONFLUENCE_HOLIDAYS", &url).set("CONFLUENCE_MAX_RETRIES", "0")).await;
    run.assert_code(1);
    assert_eq!(site.fake.writes(), writes, "nothing was written");
    assert!(site.titled(&weekly_title(date(2025, 5, 8))).is_empty());
    assert!(run.stderr.contains("could not fetch the holiday calendar from 127.0.0.1"), "{}", run.stderr);
    assert!(!run.all_output().contains(CALENDAR_KEY), "{}", run.all_output());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calendar_is_fetched_while_the_first_confluence_lookups_are_under_way() {
    let (site, calendar) = april(Flavor::DataCenter).await;
    // The calendar answers only once Confluence has been asked something: a run that fetched it
    // first and looked up pages after would hold it for five seconds and see the gate closed.
    let fake = site.fake.clone();
    calendar.hold_until(move || !fake.requests().is_empty());
    let run = site.run(&env(&site, "2025-05-08").set("CONFLUENCE_HOLIDAYS", &calendar.url())).await;
    run.assert_code(0);
    assert_eq!(calendar.gate_was_open(), Some(true), "the calendar was fetched beside the first lookup");
    assert_eq!(calendar.requests(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_calendar_file_and_bad_off_day_inputs() {
    let site = flat_site(Flavor::DataCenter, date(2025, 4, 24)).await;
    let path = site.dir.path().join("holidays.ics");
    std::fs::write(&path, GOOGLE).unwrap();
    let run = site
        .run(
            &env(&site, "2025-04-29")
                .set("CONFLUENCE_HOLIDAYS", "holidays.ics")
                .set("CONFLUENCE_HOLIDAYS_MATCH", "근로자"),
        )
        .await;
    run.assert_code(0);
    assert_eq!(run.json()["skipped"], "off day 2025-05-01: 근로자의 날");
    let run = site.run(&env(&site, "2025-04-29").set("CONFLUENCE_HOLIDAYS", "missing.ics")).await;
    run.assert_code(1);
    assert!(run.stderr.contains("could not read the holiday calendar missing.ics"), "{}", run.stderr);

    let before = site.fake.requests().len();
    let run = site
        .run(
            &env(&site, "2025-04-29")
                .set("CONFLUENCE_SKIP", "2025-05-01 5/5")
                .set("CONFLUENCE_HOLIDAYS", "ftp://host/private-0123456789abcdef/x.ics")
                .set("CONFLUENCE_HOLIDAYS_MATCH", "(")
                .set("CONFLUENCE_OFF_DAY", "nearest"),
        )
        .await;
    run.assert_code(2);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 4, "{}", run.stderr);
    for name in ["CONFLUENCE_SKIP", "CONFLUENCE_HOLIDAYS:", "CONFLUENCE_HOLIDAYS_MATCH", "CONFLUENCE_OFF_DAY"] {
        assert!(errors.iter().any(|e| e.contains(name)), "{name}: {errors:?}");
    }
    assert!(!run.stderr.contains(CALENDAR_KEY), "{}", run.stderr);
    assert_eq!(site.fake.requests().len(), before, "no request was sent");
}
