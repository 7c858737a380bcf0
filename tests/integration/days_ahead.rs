//! `CONFLUENCE_DAYS_AHEAD`: the run acts for the period that contains today + N days; the page,
//! `report_date` and `due` follow that period. Once per flavour, against the fake.

use crate::common::*;

both_flavors!(three_days_ahead_makes_next_mondays_page_on_friday, without_days_ahead_friday_is_this_weeks_page);

const FRIDAY: &str = "2025-06-06";

fn env(site: &Site, days_ahead: &str) -> Env {
    site.env()
        .set("CONFLUENCE_SCHEDULE", "weekly:mon")
        .set("CONFLUENCE_DATE", FRIDAY)
        .set("CONFLUENCE_DAYS_AHEAD", days_ahead)
}

async fn three_days_ahead_makes_next_mondays_page_on_friday(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let this_week = site.add("2025-06-02 Weekly Report", SOURCE_BODY);

    let run = site.run(&env(&site, "3")).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["report_date"], "2025-06-09");
    assert_eq!(out["page_title"], "2025-06-09 Weekly Report");
    assert_eq!(out["due"], true);
    assert_eq!(out["created"], true);
    assert_eq!(out["source_page_id"], this_week.as_str(), "copied from this week's page");
    let made = site.titled("2025-06-09 Weekly Report");
    assert_eq!(made.len(), 1);
    assert_eq!(out["page_id"], made[0].id.as_str());
    assert_eq!(made[0].parent_id.as_deref(), Some(site.root.as_str()));
}

async fn without_days_ahead_friday_is_this_weeks_page(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let this_week = site.add("2025-06-02 Weekly Report", SOURCE_BODY);
    let writes = site.fake.writes();

    for days_ahead in ["0", "2", ""] {
        let run = site.run(&env(&site, days_ahead)).await;
        run.assert_code(0);
        let out = run.json();
        assert_eq!(out["report_date"], "2025-06-02", "days ahead {days_ahead:?}");
        assert_eq!(out["page_id"], this_week.as_str());
        assert_eq!(out["created"], false);
    }
    assert_eq!(site.fake.writes(), writes, "nothing was written");
    assert!(site.titled("2025-06-09 Weekly Report").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_days_ahead_and_archive_are_config_errors_before_any_request() {
    let site = Site::start(Flavor::DataCenter).await;
    let before = site.fake.requests().len();
    let run = site
        .run(
            &env(&site, "32").set(
                "CONFLUENCE_ARCHIVE",
                "주간보고 | {date:%Y}\n주간보고 | {date:%Y} {date:%q}분기\n주간보고 | {date",
            ),
        )
        .await;
    run.assert_code(2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors[0].starts_with("error: CONFLUENCE_DAYS_AHEAD: `32` is not valid; use a whole number from 0 to 31"));
    assert!(errors[1].starts_with("error: CONFLUENCE_ARCHIVE: line 3 `주간보고 | {date`: unclosed"), "{}", errors[1]);
    assert_eq!(site.fake.requests().len(), before, "no request was sent");
}
