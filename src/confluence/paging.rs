//! Listings read page by page: `_links.next` followed from where each API makes it relative,
//! a page with no results taken as the end whatever its `next` says (Data Center 7.19–8.9 hand
//! out `next` links past the end of listings over 200 items: CONFSERVER-95396), and the guard
//! that stops a listing which never ends.

use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::error::ApiError;
use super::transport::Api;
use crate::http;

/// The most pages a listing may take before it is treated as endless.
pub const MAX_LISTING_PAGES: usize = 1000;

/// One page of a listing (v1 and v2 share the shape).
#[derive(Deserialize)]
pub struct Listing<T> {
    pub results: Vec<T>,
    #[serde(rename = "_links", default)]
    pub links: ListingLinks,
}

#[derive(Deserialize, Default)]
pub struct ListingLinks {
    pub next: Option<String>,
    /// The site's base URL, for page links (`_links.base` + `_links.webui`).
    pub base: Option<String>,
}

/// What a listing's `_links.next` is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextFrom {
    /// v1: the base URL (context path included).
    Base,
    /// v2: the site root (`/wiki/api/v2/...`).
    SiteRoot,
}

impl NextFrom {
    fn resolve(self, api: &Api, next: &str) -> Url {
        match self {
            Self::Base => api.base_relative_url(next),
            Self::SiteRoot => api.site_url(next),
        }
    }
}

impl Api {
    /// Reads a listing page by page, following `_links.next`, until `visit` returns a value or
    /// the listing ends: no `next`, or a page with no results (whatever its `next`).
    pub async fn scan<T: DeserializeOwned, R>(
        &self,
        first: Url,
        next_from: NextFrom,
        mut visit: impl FnMut(Listing<T>) -> Option<R>,
    ) -> Result<Option<R>, ApiError> {
        let request = http::describe_request(&Method::GET, &first);
        let mut seen = std::collections::HashSet::new();
        let mut url = first;
        for _ in 0..MAX_LISTING_PAGES {
            let page: Listing<T> = self.get_json(url.clone()).await?;
            seen.insert(url.to_string());
            let next = page.links.next.clone().filter(|_| !page.results.is_empty());
            if let Some(found) = visit(page) {
                return Ok(Some(found));
            }
            url = match next {
                None => return Ok(None),
                Some(next) => next_from.resolve(self, &next),
            };
            if seen.contains(url.as_str()) {
                let detail = format!(
                    "Confluence handed back a `next` link it already gave ({url}); stopped instead of looping. Report this to your Confluence administrator"
                );
                return Err(ApiError::Endless { request, detail });
            }
        }
        let detail = format!("the listing did not end after {MAX_LISTING_PAGES} pages; stopped instead of looping");
        Err(ApiError::Endless { request, detail })
    }

    /// Every item of a listing.
    pub async fn all<T: DeserializeOwned>(&self, first: Url, next_from: NextFrom) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        self.scan(first, next_from, |page: Listing<T>| {
            items.extend(page.results);
            None::<()>
        })
        .await?;
        Ok(items)
    }
}
