//! Listings that do not end: a `next` link that repeats the page just read is an error that
//! names the lookup, not a loop; a `next` link past the end (a page with no results) ends the
//! listing, as Data Center 7.19–8.9 need for listings over 200 items (CONFSERVER-95396). A listing
//! that keeps giving results past 1,000 pages is stopped too (unit-tested in
//! `src/confluence/tests.rs`: the fake has no such listing short of 1,001 items).

use chrono::Datelike;
use fake_confluence::{Fault, FaultAction};

use crate::common::weekly::{self, date, env};
use crate::common::*;

both_flavors!(listing_that_repeats_its_next_link_is_an_error, listing_whose_next_runs_past_its_end_ends,);

/// A fault on the title lookups (the one that finds nothing, this period's, is the one that
/// follows `next`).
fn bad_next(flavor: Flavor, action: FaultAction) -> Fault {
    Fault { method: "GET", path: lookup_path(flavor).to_owned(), times: 5000, commit: false, action }
}

/// Lookups of this period's title.
fn this_title_lookups(site: &Site) -> usize {
    let encoded = ["2025-06-05+Weekly+Report", "2025-06-05%20Weekly%20Report"];
    site.fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(lookup_path(site.flavor)))
        .filter(|r| encoded.iter().any(|e| r.query.contains(e)))
        .count()
}

/// A listing whose `next` is the page just read (results and all): an error after one repeat, not
/// a loop. The root's child listing (`CONFLUENCE_ARCHIVE`) is the listing: the page is made, the
/// filing fails naming the listing.
async fn listing_that_repeats_its_next_link_is_an_error(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let children = match flavor {
        Flavor::DataCenter => "/child/page",
        Flavor::Cloud => "/direct-children",
    };
    site.fake.inject(Fault { path: children.into(), ..bad_next(flavor, FaultAction::RepeatNext) });
    let env = site.env().set("CONFLUENCE_SCHEDULE", "weekly:thu").set("CONFLUENCE_ARCHIVE", "Reports {date:%Y}");
    let run = site.run(&env).await;
    run.assert_code(1);
    assert_eq!(run.json()["created"], true, "the page is made all the same");
    assert!(run.stderr.contains("could not list the pages under the root page"), "{}", run.stderr);
    assert!(run.stderr.contains("already gave") && run.stderr.contains("instead of looping"), "{}", run.stderr);
    let listings = site.fake.requests().iter().filter(|r| r.method == "GET" && r.path.ends_with(children)).count();
    assert_eq!(listings, 1, "the repeated link is not requested again: {:?}", sent_with_queries(&site));
}

/// A listing whose `next` always points one page further, past its end: the first page with no
/// results ends it.
async fn listing_whose_next_runs_past_its_end_ends(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(bad_next(flavor, FaultAction::EndlessNext));
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true, "{}", run.stderr);
    assert_eq!(this_title_lookups(&site), 1, "this period's lookup found nothing on its one page");
}

/// Data Center 7.19–8.9 (CONFSERVER-95396): a root of 211 pages, whose child listing hands out
/// `next` past its end, is filed; the listing stops at its first empty page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_center_listing_that_never_ends_stops_at_its_first_empty_page() {
    let today = date(2028, 1, 6);
    let site = weekly::flat_site(Flavor::DataCenter, today).await;
    let pages = weekly::thursdays_until(today);
    assert!(pages.len() + 1 > 200, "a listing over 200 items");
    site.fake.set_endless_listings(true);

    let run = site.run(&env(&site, &today.to_string())).await;
    run.assert_code(0);
    let closed = pages.iter().filter(|d| d.year() < 2028).count();
    assert_eq!(run.json()["archived"], closed, "{}", run.stderr);
    let listings: Vec<String> = site
        .fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(&format!("/rest/api/content/{}/child/page", site.root)))
        .map(|r| r.query.clone())
        .collect();
    let full_pages = (pages.len() + 1).div_ceil(100);
    assert_eq!(listings.len(), full_pages + 1, "the full pages, then one empty page: {listings:?}");
}
