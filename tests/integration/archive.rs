//! `CONFLUENCE_ARCHIVE`: pages of closed periods are filed under year/quarter group pages, the
//! tree stays tidy week after week, and a rerun writes nothing. Once per flavour, against the fake.

use chrono::{Datelike, NaiveDate};
use fake_confluence::Restrictions;

use crate::common::weekly::{self, NOTES, date, env, weekly_title};
use crate::common::*;

both_flavors!(
    a_flat_root_of_75_weekly_pages_becomes_the_teams_tree_and_stays_so,
    a_dry_run_reports_the_filing_and_writes_nothing,
    a_group_title_held_outside_the_root_fails_by_name_while_the_rest_is_filed,
    three_racing_runs_make_one_of_each_group_page,
    a_filed_page_keeps_its_id_body_labels_attachments_and_restrictions
);

/// The flat root of 75 weekly pages, 2024-01-04 … 2025-06-05.
async fn flat_site(flavor: Flavor) -> Site {
    weekly::flat_site(flavor, weekly::last()).await
}

/// The tree under `id`, that page's own title left out: one title per line, two spaces per level
/// below the first, children in Confluence's (alphabetical) order.
fn tree(site: &Site, id: &str) -> String {
    site.fake.tree(id).lines().skip(1).map(|line| format!("{line}\n")).collect()
}

/// The weekly pages from the first Thursday to `until`, of one quarter (1-4) of `year`.
fn quarter(year: i32, q: u32, until: NaiveDate) -> Vec<NaiveDate> {
    weekly::thursdays_until(until).into_iter().filter(|d| d.year() == year && d.month0() / 3 + 1 == q).collect()
}

/// The tree the team keeps by hand: `open` at the root, then the notes, 2024 by quarter, and a
/// page for each closed quarter of 2025, holding the weekly pages made up to `until`.
fn expected_tree(open: &[NaiveDate], closed_2025: &[u32], until: NaiveDate) -> String {
    let mut out = String::new();
    let mut line = |depth: usize, title: &str| out.push_str(&format!("{}{title}\n", "  ".repeat(depth)));
    for d in open {
        line(1, &weekly_title(*d));
    }
    line(1, NOTES);
    line(1, "주간보고 | 2024");
    for q in 1..=4 {
        line(2, &format!("주간보고 | 2024 {q}분기"));
        for d in quarter(2024, q, until) {
            line(3, &weekly_title(d));
        }
    }
    for q in closed_2025 {
        line(1, &format!("주간보고 | 2025 {q}분기"));
        for d in quarter(2025, *q, until) {
            line(2, &weekly_title(d));
        }
    }
    out
}

async fn a_flat_root_of_75_weekly_pages_becomes_the_teams_tree_and_stays_so(flavor: Flavor) {
    let site = flat_site(flavor).await;
    let this_week = site.titled(&weekly_title(date(2025, 6, 5)))[0].id.clone();

    let run = site.run(&env(&site, "2025-06-05")).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], false, "this week's page was there");
    assert_eq!(out["page_id"], this_week.as_str());
    assert_eq!(out["archived"], 52 + 13, "2024's and Q1 2025's weekly pages");
    let june_5 = date(2025, 6, 5);
    assert_eq!(tree(&site, &site.root), expected_tree(&quarter(2025, 2, june_5), &[1], june_5));
    assert_eq!(site.titled(&weekly_title(date(2025, 6, 5)))[0].id, this_week, "filed pages keep their ids");

    // A rerun finds a tidy tree: nothing is written.
    let writes = site.fake.writes();
    let run = site.run(&env(&site, "2025-06-05")).await;
    run.assert_code(0);
    assert_eq!(run.json()["archived"], 0);
    assert_eq!(site.fake.writes(), writes, "a tidy tree costs no write");

    // Next week: the new page, copied from the last, and nothing to file (Q2 is still open).
    let run = site.run(&env(&site, "2025-06-12")).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert_eq!(run.json()["archived"], 0);
    let june_12 = date(2025, 6, 12);
    assert_eq!(tree(&site, &site.root), expected_tree(&quarter(2025, 2, june_12), &[1], june_12));

    // The first week of Q3: Q2's eleven pages go into a new quarter page at the root.
    let run = site.run(&env(&site, "2025-07-03")).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true, "copied from 2025-06-12's page (lookback), filed or not");
    assert_eq!(out["archived"], 11);
    let july_3 = date(2025, 7, 3);
    assert_eq!(tree(&site, &site.root), expected_tree(&[july_3], &[1, 2], date(2025, 6, 12)));
}

async fn a_dry_run_reports_the_filing_and_writes_nothing(flavor: Flavor) {
    let site = flat_site(flavor).await;
    let before = tree(&site, &site.root);
    let run = site.run(&env(&site, "2025-06-05").set("CONFLUENCE_DRY_RUN", "true")).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["archived"], 65, "the pages it would file");
    assert_eq!(out["dry_run"], true);
    assert_eq!(site.fake.writes(), 0, "a dry run writes nothing");
    assert_eq!(tree(&site, &site.root), before);
    for line in ["주간보고 | 2024", "주간보고 | 2024 1분기", "주간보고 | 2025 1분기", &weekly_title(weekly::first())]
    {
        assert!(run.stderr.contains(line), "the dry run names {line}:\n{}", run.stderr);
    }
}

async fn a_group_title_held_outside_the_root_fails_by_name_while_the_rest_is_filed(flavor: Flavor) {
    let site = flat_site(flavor).await;
    let elsewhere = site.fake.add_page(&site.space, None, "Old reports", "<p>other tree</p>");
    let foreign = site.fake.add_page(&site.space, Some(&elsewhere), "주간보고 | 2024", "<p>someone else's</p>");

    let run = site.run(&env(&site, "2025-06-05")).await;
    run.assert_code(1);
    assert!(run.stderr.contains("주간보고 | 2024"), "names the title:\n{}", run.stderr);
    assert!(run.stderr.contains(&foreign), "names the page holding it:\n{}", run.stderr);
    let out = run.json();
    assert_eq!(out["created"], false, "the outputs are still written");
    assert_eq!(tree(&site, &foreign), "", "nothing is moved into a foreign group page");
    // The other groups are filed: Q1 2025 under its quarter page.
    let q1 = site.titled("주간보고 | 2025 1분기");
    assert_eq!(q1.len(), 1);
    assert_eq!(q1[0].parent_id.as_deref(), Some(site.root.as_str()));
    assert_eq!(tree(&site, &q1[0].id).lines().count(), 13);
    assert_eq!(site.titled("주간보고 | 2024").len(), 1, "no second page with the foreign title");
}

async fn three_racing_runs_make_one_of_each_group_page(flavor: Flavor) {
    let site = flat_site(flavor).await;
    let env = env(&site, "2025-06-05");
    let (a, b, c) = tokio::join!(site.run(&env), site.run(&env), site.run(&env));
    for run in [&a, &b, &c] {
        run.assert_code(0);
    }
    for group in ["주간보고 | 2024", "주간보고 | 2024 1분기", "주간보고 | 2024 4분기", "주간보고 | 2025 1분기"]
    {
        assert_eq!(site.titled(group).len(), 1, "one page titled {group}");
    }
    let june_5 = date(2025, 6, 5);
    assert_eq!(tree(&site, &site.root), expected_tree(&quarter(2025, 2, june_5), &[1], june_5));
}

async fn a_filed_page_keeps_its_id_body_labels_attachments_and_restrictions(flavor: Flavor) {
    let site = flat_site(flavor).await;
    let old = site.titled(&weekly_title(date(2024, 5, 2)))[0].clone();
    let restrictions = Restrictions {
        read_users: vec![user(site.flavor, "alice")],
        read_groups: vec!["confluence-users".into()],
        update_users: vec![user(site.flavor, "bob")],
        update_groups: vec![],
    };
    site.fake.set_restrictions(&old.id, restrictions.clone());
    site.fake.add_label(&old.id, "weekly");
    site.fake.add_attachment(&old.id, "chart.png", "image/png", b"\x89PNG chart");

    site.run(&env(&site, "2025-06-05")).await.assert_code(0);
    let filed = site.fake.page(&old.id).expect("the same page, by its id");
    assert_eq!(filed.title, old.title);
    assert_eq!(filed.body, old.body, "the body is unchanged");
    assert_eq!(filed.labels, vec!["weekly".to_owned()]);
    assert_eq!(filed.attachments.iter().map(|a| a.filename.as_str()).collect::<Vec<_>>(), ["chart.png"]);
    assert_eq!(site.fake.restrictions(&old.id), restrictions);
    let group = site.titled("주간보고 | 2024 2분기");
    assert_eq!(filed.parent_id.as_deref(), Some(group[0].id.as_str()));
    assert!(site.fake.notified_updates().is_empty(), "a move mails no watcher");
}

/// On Cloud the root may be a folder: its children come from the folder's listing, the group
/// pages are made under the folder, the tree comes out as under a page root, and a rerun on the
/// tidy tree writes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloud_folder_root_gets_its_tidy_tree_and_a_rerun_writes_nothing() {
    let site = Site::start(Flavor::Cloud).await;
    let folder = site.fake.add_folder(&site.space, Some(&site.root), "Weekly reports folder");
    let site = Site { root: folder.clone(), ..site };
    weekly::add_pages(&site, weekly::last());
    site.add(NOTES, "<p>notes</p>");

    let run = site.run(&env(&site, "2025-06-05")).await;
    run.assert_code(0);
    assert_eq!(run.json()["archived"], 52 + 13, "{}", run.stderr);
    let june_5 = date(2025, 6, 5);
    assert_eq!(tree(&site, &folder), expected_tree(&quarter(2025, 2, june_5), &[1], june_5));
    for group in ["주간보고 | 2024", "주간보고 | 2025 1분기"] {
        assert_eq!(site.titled(group)[0].parent_id.as_deref(), Some(folder.as_str()), "{group} under the folder");
    }
    let listed = |kind: &str| {
        site.fake.requests().iter().any(|r| r.path.ends_with(&format!("/{kind}/{folder}/direct-children")))
    };
    assert!(listed("folders"), "the folder's children listed: {:?}", sent_with_queries(&site));

    let writes = site.fake.writes();
    let run = site.run(&env(&site, "2025-06-05")).await;
    run.assert_code(0);
    assert_eq!(run.json()["archived"], 0);
    assert_eq!(site.fake.writes(), writes, "a tidy tree costs no write");
}
