//! Authenticated requests to one Confluence site, and the one error type for their failures.

use reqwest::header::{self, HeaderValue};
use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

use super::site::Site;
use crate::http::{self, Answer, Http, RetryPolicy, Spool, SpoolError};

/// A failed Confluence request: what was asked (as the user configured the site: scheme, host,
/// port, path), and what went wrong. Refusals the run logic acts on have their own variants.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A create was refused: the space already has a page with this title (compared ignoring
    /// case; archived pages and pages the account cannot see count too).
    #[error("{request}: HTTP 400: {message}")]
    TitleExists { request: String, message: String },
    /// An upload was refused: the page already has an attachment with this file name.
    #[error("{request}: HTTP 400: {message}")]
    AttachmentExists { request: String, message: String },
    /// A listing that repeats a `next` link or runs past [`MAX_LISTING_PAGES`] pages.
    #[error("{request}: {detail}")]
    Endless { request: String, detail: String },
    /// HTTP 404: no such content, or the account may not see it.
    #[error("{request}: HTTP 404: {message}")]
    NotFound { request: String, message: String },
    /// Confluence answered with another non-2xx status.
    #[error("{request}: HTTP {status}: {message}{}", hint.as_deref().map(|h| format!(". {h}")).unwrap_or_default())]
    Status { request: String, status: u16, message: String, hint: Option<String> },
    /// No (complete) answer: refused, timed out, dropped.
    #[error("{request}: {detail}")]
    Transport { request: String, detail: String },
    /// An answer whose body is not what the API describes.
    #[error("{request}: unexpected response: {detail}")]
    Decode { request: String, detail: String },
}

impl ApiError {
    /// The HTTP status Confluence answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::TitleExists { .. } | Self::AttachmentExists { .. } => Some(400),
            Self::NotFound { .. } => Some(404),
            Self::Status { status, .. } => Some(*status),
            Self::Transport { .. } | Self::Decode { .. } | Self::Endless { .. } => None,
        }
    }

    /// The request may or may not have been carried out (lost answer, timeout, 5xx).
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Status { status, .. } => *status >= 500,
            Self::Transport { .. } => true,
            _ => false,
        }
    }

    /// Sorts a non-2xx answer into the refusals the run logic acts on, or [`ApiError::Status`].
    /// Confluence words a duplicate title the same on Data Center (v1 `message`) and Cloud (v2
    /// `errors[].title`), and a duplicate attachment name as "same file name".
    fn from_answer(request: String, status: u16, message: String, hint: Option<String>) -> Self {
        let lower = message.to_ascii_lowercase();
        match status {
            400 if lower.contains("already exists") && lower.contains("title") => {
                Self::TitleExists { request, message }
            }
            400 if lower.contains("same file name") => Self::AttachmentExists { request, message },
            404 => Self::NotFound { request, message },
            _ => Self::Status { request, status, message, hint },
        }
    }
}

/// How the token is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Bearer,
    Basic,
}

/// An authenticated connection to one Confluence site.
#[derive(Debug, Clone)]
pub struct Api {
    http: Http,
    /// The configured base URL, context path included, no trailing slash.
    base: String,
    auth: HeaderValue,
    scheme: Scheme,
}

impl Api {
    pub fn new(http: Http, site: &Site) -> Self {
        use base64::Engine as _;
        let token = site.token.expose();
        let (scheme, value) = match &site.user {
            Some(user) => {
                let pair = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{token}"));
                (Scheme::Basic, format!("Basic {pair}"))
            }
            None => (Scheme::Bearer, format!("Bearer {token}")),
        };
        let mut auth = HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("invalid"));
        auth.set_sensitive(true);
        Self { http, base: site.base_url.as_str().trim_end_matches('/').to_owned(), auth, scheme }
    }

    /// `path` (starting with `/`) under the base URL, with `query` pairs encoded.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Url {
        let mut url = Url::parse(&format!("{}{path}", self.base)).expect("base URL was validated");
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// A link Confluence gave relative to the site root, such as Cloud's `_links.next`
    /// (`/wiki/api/v2/...`): the base URL without its `/wiki` — the site's origin, or the
    /// scoped-token gateway's `https://api.atlassian.com/ex/confluence/<cloudId>`.
    pub fn site_url(&self, link: &str) -> Url {
        let base = Url::parse(&self.base).expect("base URL was validated");
        match (self.base.strip_suffix("/wiki"), link.starts_with('/')) {
            (Some(root), true) => Url::parse(&format!("{root}{link}")).unwrap_or(base),
            _ => base.join(link).unwrap_or(base),
        }
    }

    /// A link Confluence gave relative to the base URL (context path included), such as
    /// attachment `_links.download`.
    pub fn base_relative_url(&self, link: &str) -> Url {
        Url::parse(&format!("{}{link}", self.base)).unwrap_or_else(|_| self.site_url(link))
    }

    /// The base URL, for page links when a response carries no `_links.base`.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        self.http
            .client()
            .request(method, url)
            .header(header::AUTHORIZATION, self.auth.clone())
            .header(header::ACCEPT, "application/json")
    }

    /// Sends with retries and turns a non-2xx answer into [`ApiError::Status`].
    async fn send(
        &self,
        method: Method,
        url: Url,
        policy: RetryPolicy,
        customize: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<(String, Answer), ApiError> {
        let request = http::describe_request(&method, &url);
        let response =
            self.http.send(|| customize(self.request(method.clone(), url.clone())), policy, &request).await.map_err(
                |err| ApiError::Transport { request: request.clone(), detail: http::describe_transport(&err) },
            )?;
        if response.status().is_success() {
            return Ok((request, response));
        }
        let status = response.status().as_u16();
        let html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.contains("html"));
        let body = response.text().await.unwrap_or_default();
        let message = error_message(&body, html, status);
        let hint = self.hint(status);
        Err(ApiError::from_answer(request, status, message, hint))
    }

    fn hint(&self, status: u16) -> Option<String> {
        let hint = match (status, self.scheme) {
            (401, Scheme::Bearer) => {
                "Confluence rejected CONFLUENCE_TOKEN, sent as a Bearer personal access token (CONFLUENCE_USER is unset). \
                 Check the token is valid and not expired; for Confluence Cloud set CONFLUENCE_USER to the account email so it is sent as Basic auth"
            }
            (401, Scheme::Basic) => {
                "Confluence rejected CONFLUENCE_USER + CONFLUENCE_TOKEN, sent as Basic auth (email:API token). \
                 Check the email owns the API token; a Data Center personal access token must be sent as Bearer: unset CONFLUENCE_USER"
            }
            (403, _) => {
                "The account behind CONFLUENCE_TOKEN lacks permission: it needs to view the space and add pages (and attachments) under the root page"
            }
            (410, _) => {
                "This API is gone on Confluence Cloud: set CONFLUENCE_FLAVOR=cloud (or use the https://SITE.atlassian.net URL) so the v2 API is used"
            }
            (429, _) => {
                "Still rate limited after CONFLUENCE_MAX_RETRIES retries; run again later or raise CONFLUENCE_MAX_RETRIES"
            }
            _ => return None,
        };
        Some(hint.to_owned())
    }

    /// GET `url` and decode the JSON answer into `T` (only the fields `T` declares).
    pub async fn get_json<T: DeserializeOwned>(&self, url: Url) -> Result<T, ApiError> {
        let (request, response) = self.send(Method::GET, url, RetryPolicy::Idempotent, |r| r).await?;
        decode(request, response).await
    }

    /// POST a JSON body, once (see [`RetryPolicy::NotIdempotent`]), and decode the answer.
    pub async fn post_json<T: DeserializeOwned>(
        &self,
        url: Url,
        body: &(impl Serialize + ?Sized),
    ) -> Result<T, ApiError> {
        let (request, response) = self.send(Method::POST, url, RetryPolicy::NotIdempotent, |r| r.json(body)).await?;
        decode(request, response).await
    }

    /// PUT a JSON body that replaces a resource (safe to repeat), ignoring the answer's body.
    pub async fn put_json(&self, url: Url, body: &serde_json::Value) -> Result<(), ApiError> {
        self.send(Method::PUT, url, RetryPolicy::Idempotent, |r| r.json(body)).await?;
        Ok(())
    }

    /// DELETE a resource (safe to repeat).
    pub async fn delete(&self, url: Url) -> Result<(), ApiError> {
        self.send(Method::DELETE, url, RetryPolicy::Idempotent, |r| r).await?;
        Ok(())
    }

    /// GET a body into a temporary file as it arrives (attachment downloads: never whole in memory).
    pub async fn download(&self, url: Url) -> Result<Spool, ApiError> {
        let (request, response) = self.send(Method::GET, url, RetryPolicy::Idempotent, |r| r).await?;
        Spool::fill(response).await.map_err(|err| {
            let detail = match err {
                SpoolError::Transfer(err) => http::describe_transport(&err),
                disk @ SpoolError::Disk { .. } => disk.to_string(),
            };
            ApiError::Transport { request, detail }
        })
    }

    /// POST a multipart form built fresh for each attempt (uploads), with the XSRF opt-out
    /// header Confluence requires for them.
    pub async fn post_multipart(&self, url: Url, form: impl Fn() -> reqwest::multipart::Form) -> Result<(), ApiError> {
        self.send(Method::POST, url, RetryPolicy::NotIdempotent, |r| {
            r.header("X-Atlassian-Token", "no-check").multipart(form())
        })
        .await?;
        Ok(())
    }
}

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

impl Api {
    /// Reads a listing page by page, following `_links.next`, until `visit` returns a value or
    /// the listing ends.
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
            let next = page.links.next.clone();
            if let Some(found) = visit(page) {
                return Ok(Some(found));
            }
            url = match (next, next_from) {
                (None, _) => return Ok(None),
                (Some(next), NextFrom::Base) => self.base_relative_url(&next),
                (Some(next), NextFrom::SiteRoot) => self.site_url(&next),
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

/// Decodes a JSON body; the error names the field that did not fit.
async fn decode<T: DeserializeOwned>(request: String, response: Answer) -> Result<T, ApiError> {
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(err) => return Err(ApiError::Transport { request, detail: http::describe_transport(&err) }),
    };
    let de = &mut serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let detail = if path == "." { err.inner().to_string() } else { format!("at `{path}`: {}", err.inner()) };
        ApiError::Decode { request, detail }
    })
}

/// The server's own words from an error body: JSON `message` (v1, Cloud auth), v2
/// `errors[].title`/`detail`, an HTML page's `<title>`, or the start of a text body.
fn error_message(body: &str, html: bool, status: u16) -> String {
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(body) {
        if let Some(m) = json.get("message").and_then(|m| m.as_str()) {
            return m.to_owned();
        }
        if let Some(errors) = json.get("errors").and_then(|e| e.as_array()) {
            let parts: Vec<String> = errors
                .iter()
                .filter_map(|e| {
                    let title = e.get("title").and_then(|t| t.as_str())?;
                    Some(match e.get("detail").and_then(|d| d.as_str()) {
                        Some(detail) if !detail.is_empty() => format!("{title} ({detail})"),
                        _ => title.to_owned(),
                    })
                })
                .collect();
            if !parts.is_empty() {
                return parts.join("; ");
            }
        }
    }
    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("error");
    if html {
        let title = body
            .split_once("<title>")
            .and_then(|(_, rest)| rest.split_once("</title>"))
            .map(|(title, _)| title.trim())
            .filter(|t| !t.is_empty());
        return match title {
            Some(title) => format!("{reason} (HTML page: {title})"),
            None => format!("{reason} (HTML page)"),
        };
    }
    let text: String = body.trim().chars().take(200).collect();
    if text.is_empty() { reason.to_owned() } else { format!("{reason}: {}", text.replace(['\n', '\r'], " ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_come_from_each_shape() {
        let dc = r#"{"statusCode":400,"data":{},"message":"A page with this title already exists: A page already exists with the same TITLE in this space","reason":"Bad Request"}"#;
        assert!(error_message(dc, false, 400).starts_with("A page with this title already exists"));
        let v2 = r#"{"errors":[{"status":400,"code":"BAD_REQUEST","title":"A page with this title already exists: x","detail":null}]}"#;
        assert_eq!(error_message(v2, false, 400), "A page with this title already exists: x");
        let html = "<html><head><title>Log in - Confluence</title></head><body>...</body></html>";
        assert_eq!(error_message(html, true, 401), "Unauthorized (HTML page: Log in - Confluence)");
        assert_eq!(error_message("", false, 502), "Bad Gateway");
    }

    #[test]
    fn duplicate_titles_are_recognised_on_both_flavours() {
        let err = |status: u16, message: &str| ApiError::from_answer("POST x".into(), status, message.into(), None);
        let dc = "A page with this title already exists: A page already exists with the same TITLE in this space";
        assert!(matches!(err(400, dc), ApiError::TitleExists { .. }));
        let v2 =
            "A page with this title already exists: A page already exists with the title X in the space with key Y";
        assert!(matches!(err(400, v2), ApiError::TitleExists { .. }));
        assert!(matches!(err(400, "Could not find ancestor"), ApiError::Status { status: 400, .. }));
        let same = "Cannot add a new attachment with same file name as an existing attachment: chart.png";
        assert!(matches!(err(400, same), ApiError::AttachmentExists { .. }));
        assert!(matches!(err(404, "No content found with id: 1"), ApiError::NotFound { .. }));
        assert_eq!(err(404, "x").to_string(), "POST x: HTTP 404: x");
    }
}
