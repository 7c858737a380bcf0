//! Listings that do not end: a `next` link that repeats the page just read, or one that always
//! points one page further, is an error that names the lookup, not a loop.

use fake_confluence::{Fault, FaultAction};

use crate::common::*;

both_flavors!(listing_that_repeats_its_next_link_is_an_error, listing_that_never_ends_is_an_error,);

/// The title lookup that finds nothing (this period's) is the one that follows `next`.
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

/// A listing whose `next` is the page just read: an error after one repeat, not a loop.
async fn listing_that_repeats_its_next_link_is_an_error(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(bad_next(flavor, FaultAction::RepeatNext));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    assert!(run.stderr.contains("could not look up the page titled"), "{}", run.stderr);
    assert!(run.stderr.contains("already gave") && run.stderr.contains("instead of looping"), "{}", run.stderr);
    assert_eq!(
        this_title_lookups(&site),
        1,
        "the repeated link is not requested again: {:?}",
        sent_with_queries(&site)
    );
    assert_eq!(site.fake.writes(), 0);
}

/// A listing whose `next` always points one page further: an error after 1,000 pages.
async fn listing_that_never_ends_is_an_error(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(bad_next(flavor, FaultAction::EndlessNext));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    assert!(run.stderr.contains("did not end after 1000 pages"), "{}", run.stderr);
    assert_eq!(this_title_lookups(&site), 1000, "stops at the limit");
    assert_eq!(site.fake.writes(), 0);
}
