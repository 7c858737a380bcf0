//! Titles as Confluence keeps them: outer spaces trimmed, ISO weeks with their ISO year, and the
//! pages that hold a title without being found by its lookup (archived, hidden, another letter
//! case): the create is refused, and the run names the page that holds the title. And titles of a
//! period's first and last day (`{start}`, `{end}`, day offsets), made and found week after week.

use crate::common::*;

both_flavors!(
    titles_with_outer_spaces_are_trimmed,
    iso_week_titles_need_the_iso_year,
    archived_page_holding_the_title_is_named,
    hidden_page_holding_the_title_is_reported_as_such,
    case_variant_holding_the_title_is_named,
    monday_to_friday_titles_are_made_and_found_week_after_week,
    monday_to_friday_titles_are_filed_by_their_week,
    bad_offsets_and_placeholders_are_configuration_errors,
);

/// Confluence stores `" 2025-06-05 Weekly Report "` as `"2025-06-05 Weekly Report"`: the template's
/// outer spaces must not make lookups miss (the source, then this period's page on a rerun).
async fn titles_with_outer_spaces_are_trimmed(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let env = site.env().set("CONFLUENCE_TITLE_TEMPLATE", "  {date} Weekly Report ");
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true);
    assert_eq!(out["page_title"], THIS_TITLE, "the rendered title is trimmed");
    assert_eq!(out["source_page_id"], site.titled(PREVIOUS_TITLE)[0].id.as_str(), "the source is found");
    assert_eq!(site.titled(THIS_TITLE).len(), 1);

    let writes = site.fake.writes();
    let rerun = site.run(&env).await;
    rerun.assert_code(0);
    assert_eq!(rerun.json()["created"], false, "the rerun finds the page it made");
    assert_eq!(rerun.json()["page_id"], out["page_id"]);
    assert_eq!(site.fake.writes(), writes, "and writes nothing");
}

/// `%V` is the ISO week, whose year is `%G`: `%Y-W%V` names 2024-12-30 "2024-W01" (last January's
/// page). Such a template is a configuration error; `%G-W%V` names that week "2025-W01".
async fn iso_week_titles_need_the_iso_year(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add("2024-W52 Weekly", SOURCE_BODY);
    let env = site
        .env()
        .set("CONFLUENCE_DATE", "2024-12-30")
        .set("CONFLUENCE_SCHEDULE", "weekly:mon")
        .set("LOG_FORMAT", "text");

    for template in ["{date:%Y-W%V} Weekly", "{date:%y}/{date:%V} Weekly"] {
        let run = site.run(&env.clone().set("CONFLUENCE_TITLE_TEMPLATE", template)).await;
        run.assert_code(2);
        assert_eq!(run.stderr.lines().count(), 1, "{template}: {}", run.stderr);
        assert!(run.stderr.contains("CONFLUENCE_TITLE_TEMPLATE"), "{template}: {}", run.stderr);
        assert!(run.stderr.contains("%G"), "suggests the ISO year: {}", run.stderr);
        assert_eq!(run.stdout, "");
    }
    assert_eq!(site.fake.requests().len(), 0, "no request before the configuration is valid");

    let run = site.run(&env.set("CONFLUENCE_TITLE_TEMPLATE", "{date:%G-W%V} Weekly")).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["page_title"], "2025-W01 Weekly");
    assert_eq!(out["report_date"], "2024-12-30");
    assert_eq!(out["source_page_id"], site.titled("2024-W52 Weekly")[0].id.as_str());
    assert_eq!(site.titled("2025-W01 Weekly").len(), 1);
}

/// An archived page keeps its title: the lookup (current pages) misses it, the create is refused.
/// The run names the archived page and says to restore or rename it; nothing is created.
async fn archived_page_holding_the_title_is_named(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let archived = site.add(THIS_TITLE, "<p>archived</p>");
    site.fake.archive(&archived);
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    let err = &run.stderr;
    assert!(err.contains("archived"), "{err}");
    let link = page_link(&site, &archived, "2025-06-05+Weekly+Report");
    assert!(err.contains(&link), "names the archived page's link {link}: {err}");
    assert!(err.contains("Restore") && err.contains("rename"), "says what to do: {err}");
    assert!(!err.contains("letter case") && !err.contains("may not view"), "no other explanation: {err}");
    assert_eq!(run.stdout, "");
    assert_eq!(creates(&site), 1, "the refused create is not repeated");
    assert_eq!(site.fake.pages().len(), 3, "nothing created");
    assert_eq!(site.fake.page(&archived).unwrap().status, "archived", "the archived page is left alone");
}

/// A page the account cannot see (read-restricted) holds the title: no current, archived or
/// case-variant page is visible, so the run says exactly that, and guesses nothing else.
async fn hidden_page_holding_the_title_is_reported_as_such(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let hidden = site.fake.add_page(&site.space, Some(&site.root), THIS_TITLE, "<p>private</p>");
    site.fake.restrict(&hidden);
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    let err = &run.stderr;
    assert!(err.contains(THIS_TITLE), "{err}");
    assert!(err.contains("can see no page with that title") && err.contains("may not view"), "{err}");
    assert!(!err.contains("letter case") && !err.contains("is archived"), "no false explanation: {err}");
    assert!(!err.contains(&hidden), "the hidden page's id is unknown to the run: {err}");
    assert_eq!(creates(&site), 1);
    assert_eq!(site.fake.pages().len(), 3, "nothing created");
}

/// Titles are unique ignoring case while lookups are exact: the page in another case is named,
/// with its link.
async fn case_variant_holding_the_title_is_named(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let variant_title = "2025-06-05 WEEKLY report";
    let variant = site.add(variant_title, "<p>shouting</p>");
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    let err = &run.stderr;
    assert!(err.contains("letter case"), "{err}");
    assert!(err.contains(&format!("\"{variant_title}\"")), "names the page: {err}");
    let link = page_link(&site, &variant, "2025-06-05+WEEKLY+report");
    assert!(err.contains(&link), "with its link {link}: {err}");
    assert!(!err.contains("is archived") && !err.contains("may not view"), "{err}");
    assert_eq!(creates(&site), 1);
    assert_eq!(site.fake.pages().len(), 3, "nothing created");
}

/// `{start:%Y.%m.%d} ~ {start+4:%Y.%m.%d}` on `weekly:mon`.
const MON_FRI: &str = "{start:%Y.%m.%d} ~ {start+4:%Y.%m.%d}";

fn mon_fri_env(site: &Site, today: &str) -> Env {
    site.env()
        .set("CONFLUENCE_TITLE_TEMPLATE", MON_FRI)
        .set("CONFLUENCE_SCHEDULE", "weekly:mon")
        .set("CONFLUENCE_DATE", today)
}

/// Each week's page is titled Monday to Friday, copied from last week's (found by its rendered
/// title, its dates replaced); a rerun later in the week finds it and writes nothing.
async fn monday_to_friday_titles_are_made_and_found_week_after_week(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let first = site.add("2026.02.09 ~ 2026.02.13", "<p>2026.02.09 ~ 2026.02.13 (from 2026-02-09)</p>");
    let mut source = first;
    for (monday, friday, title) in [
        ("2026-02-16", "2026-02-20", "2026.02.16 ~ 2026.02.20"),
        ("2026-02-23", "2026-02-27", "2026.02.23 ~ 2026.02.27"),
        ("2026-03-02", "2026-03-06", "2026.03.02 ~ 2026.03.06"),
    ] {
        let env = mon_fri_env(&site, monday).set("CONFLUENCE_REPLACE_DATES", "true");
        let run = site.run(&env).await;
        run.assert_code(0);
        let out = run.json();
        assert_eq!(out["created"], true, "{monday}: {out}");
        assert_eq!(out["page_title"], title);
        assert_eq!(out["report_date"], monday);
        assert_eq!(out["source_page_id"], source.as_str(), "{monday}: last week's page is the source");
        let [page] = &site.titled(title)[..] else { panic!("{monday}: one page titled {title}") };
        let (from, to) = (&title[..10], &title[13..]);
        assert_eq!(page.body, format!("<p>{from} ~ {to} (from {monday})</p>"), "{monday}: dates replaced");
        assert_eq!(page.parent_id.as_deref(), Some(site.root.as_str()));

        let writes = site.fake.writes();
        let rerun = site.run(&env.set("CONFLUENCE_DATE", friday)).await;
        rerun.assert_code(0);
        assert_eq!(rerun.json()["created"], false, "{friday}: the rerun finds this week's page");
        assert_eq!(rerun.json()["page_id"], out["page_id"]);
        assert_eq!(site.fake.writes(), writes, "{friday}: and writes nothing");
        source = page.id.clone();
    }
}

/// With `CONFLUENCE_ARCHIVE`, Monday–Friday pages of closed months are recognised by their titles
/// and filed by their week's date (the week of Monday 2025-12-29 is December's).
async fn monday_to_friday_titles_are_filed_by_their_week(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let mut last = String::new();
    for title in [
        "2025.12.29 ~ 2026.01.02",
        "2026.01.05 ~ 2026.01.09",
        "2026.01.12 ~ 2026.01.16",
        "2026.01.19 ~ 2026.01.23",
        "2026.01.26 ~ 2026.01.30",
        "2026.02.02 ~ 2026.02.06",
    ] {
        last = site.add(title, "<p>week</p>");
    }
    site.add("Team notes", "<p>notes</p>");
    let env = mon_fri_env(&site, "2026-02-09").set("CONFLUENCE_ARCHIVE", "{date:%Y-%m}\n{date:%Y}");
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["created"], true);
    assert_eq!(out["page_title"], "2026.02.09 ~ 2026.02.13");
    assert_eq!(out["source_page_id"], last.as_str());
    assert_eq!(out["archived"], 5, "{out}");
    let expected = [
        "2025",
        "  2025-12",
        "    2025.12.29 ~ 2026.01.02",
        "2026-01",
        "  2026.01.05 ~ 2026.01.09",
        "  2026.01.12 ~ 2026.01.16",
        "  2026.01.19 ~ 2026.01.23",
        "  2026.01.26 ~ 2026.01.30",
        "2026.02.02 ~ 2026.02.06",
        "2026.02.09 ~ 2026.02.13",
        "Team notes",
    ];
    let tree: String = site.fake.tree(&site.root).lines().skip(1).map(|l| format!("{l}\n")).collect();
    let expected: String = expected.iter().map(|l| format!("  {l}\n")).collect();
    assert_eq!(tree, expected);

    let writes = site.fake.writes();
    let rerun = site.run(&env).await;
    rerun.assert_code(0);
    assert_eq!((rerun.json()["created"].clone(), rerun.json()["archived"].clone()), (false.into(), 0.into()));
    assert_eq!(site.fake.writes(), writes, "a tidy tree costs no write");
}

/// A bad offset or an unknown placeholder stops the run before any request, saying what to write.
async fn bad_offsets_and_placeholders_are_configuration_errors(flavor: Flavor) {
    let site = Site::start(flavor).await;
    for (template, says) in [
        ("{start+x:%m.%d} ~ {end}", "`{start+x}`"),
        ("{date+} Weekly", "+N or -N"),
        ("{start+400} Weekly", "366"),
        ("{begin} ~ {end}", "{date}, {start} or {end}"),
    ] {
        let env = mon_fri_env(&site, "2026-02-16").set("CONFLUENCE_TITLE_TEMPLATE", template).set("LOG_FORMAT", "text");
        let run = site.run(&env).await;
        run.assert_code(2);
        assert!(
            run.stderr.contains("CONFLUENCE_TITLE_TEMPLATE") && run.stderr.contains(says),
            "{template}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "");
    }
    assert_eq!(site.fake.requests().len(), 0, "no request before the configuration is valid");
}
