//! Data Center can still show a moved page under its old parent for a few seconds after the move
//! (REAL-CONFLUENCE.md). A rerun of `CONFLUENCE_ARCHIVE` filing in that window sees the pages it
//! just filed back at the root: it still succeeds, makes no second group page, mails no watcher
//! and leaves the real tree as it was; once Data Center has caught up, a rerun writes nothing.

use std::time::Duration as Lag;

use chrono::{Datelike, NaiveDate};

use crate::common::weekly::{self, date, env as env_on, thursdays, weekly_title};
use crate::common::*;

const TODAY: &str = "2025-06-05";
/// Far longer than a run: the lag holds for the whole rerun, and no test waits for it.
const LAG: Lag = Lag::from_secs(600);

/// A Data Center root holding the weekly pages up to `until`, flat.
async fn flat_site(until: NaiveDate) -> Site {
    weekly::flat_site(Flavor::DataCenter, until).await
}

fn env(site: &Site) -> Env {
    env_on(site, TODAY)
}

/// The one page titled `title`.
fn only(site: &Site, title: &str) -> fake_confluence::Page {
    let pages = site.titled(title);
    assert_eq!(pages.len(), 1, "one page titled {title}: {pages:?}");
    pages.into_iter().next().unwrap()
}

/// Checks the real tree: 2024's weekly pages under their quarter page under "주간보고 | 2024",
/// Q1 2025's under their quarter page at the root, Q2 2025's at the root; one page per group.
fn assert_filed(site: &Site) {
    let year_2024 = only(site, "주간보고 | 2024");
    assert_eq!(year_2024.parent_id.as_deref(), Some(site.root.as_str()));
    for d in thursdays() {
        let page = only(site, &weekly_title(d));
        let quarter = d.month0() / 3 + 1;
        let expected = match (d.year(), quarter) {
            (2025, 2) => site.root.clone(),
            (year, q) => {
                let group = only(site, &format!("주간보고 | {year} {q}분기"));
                let above = if year == 2024 { &year_2024.id } else { &site.root };
                assert_eq!(group.parent_id.as_ref(), Some(above), "{} sits in the wrong place", group.title);
                group.id
            }
        };
        assert_eq!(page.parent_id.as_deref(), Some(expected.as_str()), "{} is filed in the wrong place", page.title);
    }
}

/// POSTs (page creates) the fake received.
fn posts(site: &Site) -> usize {
    site.fake.requests().iter().filter(|r| r.method == "POST").count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_while_data_center_still_shows_the_old_parents_succeeds_and_changes_nothing() {
    let site = flat_site(weekly::last()).await;
    site.fake.set_move_lag(LAG);

    let run = site.run(&env(&site)).await;
    run.assert_code(0);
    assert_eq!(run.json()["archived"], 52 + 13, "2024's and Q1 2025's weekly pages");
    assert_filed(&site);
    let tree = site.fake.tree(&site.root);
    let filed = only(&site, &weekly_title(thursdays()[0]));
    let url = format!("{}/rest/api/content/{}/child/page?limit=200", site.fake.base_url(), site.root);
    let http = reqwest::Client::new();
    let listing: serde_json::Value = http.get(&url).bearer_auth(TOKEN).send().await.unwrap().json().await.unwrap();
    let listed = listing["results"].as_array().unwrap().iter().any(|p| p["id"] == filed.id.as_str());
    assert!(listed, "the lag holds: Data Center still lists a filed page under the root");

    // The rerun sees the filed pages back at the root and files them again.
    let creates = posts(&site);
    let run = site.run(&env(&site)).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], false);
    assert_eq!(run.json()["archived"], 65, "the moves are sent again and counted (docs/archive.md says so)");
    assert_eq!(posts(&site), creates, "no second group page (nor anything else) is created");
    assert_filed(&site);
    assert_eq!(site.fake.tree(&site.root), tree, "the real tree is as the first run left it");
    assert!(site.fake.notified_updates().is_empty(), "every update was a minor edit: no watcher was mailed");
    assert_eq!(site.fake.page(&filed.id).unwrap().body, filed.body, "a re-sent move keeps the body");

    // Once Data Center has caught up, the tree is tidy: a rerun writes nothing.
    site.fake.set_move_lag(Lag::ZERO);
    let writes = site.fake.writes();
    let run = site.run(&env(&site)).await;
    run.assert_code(0);
    assert_eq!(run.json()["archived"], 0);
    assert_eq!(site.fake.writes(), writes, "a tidy tree costs no write");
    assert_eq!(site.fake.tree(&site.root), tree);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_while_moved_group_pages_still_show_at_the_root_succeeds_and_changes_nothing() {
    // During 2024 the quarters were filed under quarter pages at the root; with 2025 the year
    // closes and the quarter pages move under "주간보고 | 2024".
    let site = flat_site(date(2025, 1, 2)).await;
    site.run(&env_on(&site, "2024-12-26")).await.assert_code(0);
    let q1 = only(&site, "주간보고 | 2024 1분기");
    assert_eq!(q1.parent_id.as_deref(), Some(site.root.as_str()), "a quarter page at the root, for now");
    site.fake.set_move_lag(LAG);

    site.run(&env_on(&site, "2025-01-02")).await.assert_code(0);
    let year = only(&site, "주간보고 | 2024");
    let tree = site.fake.tree(&site.root);
    let shown = format!("{}/rest/api/content/{}?expand=ancestors", site.fake.base_url(), q1.id);
    let http = reqwest::Client::new();
    let page: serde_json::Value = http.get(&shown).bearer_auth(TOKEN).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["ancestors"][0]["id"], site.root.as_str(), "the lag holds: Q1's page still shows at the root");

    let creates = posts(&site);
    site.run(&env_on(&site, "2025-01-02")).await.assert_code(0);
    assert_eq!(posts(&site), creates, "no second group page");
    assert_eq!(site.fake.tree(&site.root), tree, "the real tree is as the first run left it");
    for q in 1..=4 {
        let quarter = only(&site, &format!("주간보고 | 2024 {q}분기"));
        assert_eq!(quarter.parent_id.as_ref(), Some(&year.id), "{} under the year's page", quarter.title);
        assert_eq!(site.fake.tree(&quarter.id).lines().count(), 1 + 13, "{} holds its 13 weeks", quarter.title);
    }
    assert!(site.fake.notified_updates().is_empty(), "no watcher was mailed");

    site.fake.set_move_lag(Lag::ZERO);
    let writes = site.fake.writes();
    site.run(&env_on(&site, "2025-01-02")).await.assert_code(0);
    assert_eq!(site.fake.writes(), writes, "a tidy tree costs no write");
}
