//! Authenticated requests to one Confluence site: URLs under its base, JSON in and out, uploads
//! and downloads, each through the run's one HTTP client (its limit and retries).

use std::sync::Arc;

use reqwest::header::{self, HeaderValue};
use reqwest::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::error::{ApiError, Auth, Refusal};
use super::oauth::Session;
use super::site::{Flavor, Site};
use crate::http::{self, Answer, Http, RetryPolicy, Spool, SpoolError};
use crate::secret::Secret;

/// What authenticates the requests.
#[derive(Debug, Clone)]
enum Credential {
    /// `CONFLUENCE_TOKEN` (with `CONFLUENCE_USER`: Basic), the same for the whole run.
    Token { header: HeaderValue, auth: Auth },
    /// A service account's access token, renewed when it is refused.
    ServiceAccount(Arc<Session>),
}

/// An authenticated connection to one Confluence site.
#[derive(Debug, Clone)]
pub struct Api {
    http: Http,
    /// The configured base URL, context path included, no trailing slash (with a service account
    /// on Cloud: the gateway's).
    base: String,
    credential: Credential,
    flavor: Flavor,
}

impl Api {
    /// Requests with `CONFLUENCE_TOKEN`: Basic with `CONFLUENCE_USER`, Bearer without.
    pub(super) fn new(http: Http, site: &Site, token: &Secret, user: Option<&str>) -> Self {
        use base64::Engine as _;
        let token = token.expose();
        let (auth, value) = match user {
            Some(user) => {
                let pair = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{token}"));
                (Auth::Basic, format!("Basic {pair}"))
            }
            None => (Auth::Bearer, format!("Bearer {token}")),
        };
        let mut header = HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("invalid"));
        header.set_sensitive(true);
        let base = site.base_url.as_str().trim_end_matches('/').to_owned();
        Self { http, base, credential: Credential::Token { header, auth }, flavor: site.flavor }
    }

    /// Requests with a service account's access token (see [`super::oauth::connect`]).
    pub(super) fn with_session(http: Http, base: &Url, flavor: Flavor, session: Session) -> Self {
        let base = base.as_str().trim_end_matches('/').to_owned();
        Self { http, base, credential: Credential::ServiceAccount(Arc::new(session)), flavor }
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

    fn request(&self, method: Method, url: Url, authorization: &HeaderValue) -> RequestBuilder {
        self.http
            .client()
            .request(method, url)
            .header(header::AUTHORIZATION, authorization.clone())
            .header(header::ACCEPT, "application/json")
    }

    /// One send (with the transport's retries) with this `Authorization`.
    async fn attempt(
        &self,
        method: &Method,
        url: &Url,
        policy: RetryPolicy,
        customize: &impl Fn(RequestBuilder) -> RequestBuilder,
        authorization: &HeaderValue,
        request: &str,
    ) -> Result<Answer, ApiError> {
        let build = || customize(self.request(method.clone(), url.clone(), authorization));
        self.http
            .send(build, policy, &request)
            .await
            .map_err(|err| ApiError::Transport { request: request.to_owned(), detail: http::describe_transport(&err) })
    }

    /// Sends with retries and turns a non-2xx answer into [`ApiError::Status`]. A service
    /// account's token refused with 401 (expired: they last an hour) is renewed, once for all the
    /// requests it was refused to, and the request sent once more: a 401 means it was not
    /// processed, so this is safe for a POST too.
    async fn send(
        &self,
        method: Method,
        url: Url,
        policy: RetryPolicy,
        customize: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<(String, Answer), ApiError> {
        let request = http::describe_request(&method, &url);
        let (header, auth, generation) = match &self.credential {
            Credential::Token { header, auth } => (header.clone(), *auth, None),
            Credential::ServiceAccount(session) => {
                let issued = session.current().await;
                (issued.header, Auth::ServiceAccount, Some((session, issued.generation)))
            }
        };
        let mut response = self.attempt(&method, &url, policy, &customize, &header, &request).await?;
        if let (Some((session, refused)), 401) = (generation, response.status().as_u16())
            && session.may_renew(refused).await
        {
            drop(response); // gives its place back before the exchange takes one
            let issued = session.renew(refused).await?;
            response = self.attempt(&method, &url, policy, &customize, &issued.header, &request).await?;
            if response.status().as_u16() == 401 {
                session.refused_when_new(issued.generation).await;
            }
        }
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
        Err(ApiError::refused(request, Refusal { status, body: &body, html, auth, flavor: self.flavor }))
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

    /// POST a JSON body that only reads (Cloud's `users-bulk`): retried like a GET.
    pub async fn post_read_json<T: DeserializeOwned>(
        &self,
        url: Url,
        body: &(impl Serialize + ?Sized),
    ) -> Result<T, ApiError> {
        let (request, response) = self.send(Method::POST, url, RetryPolicy::Idempotent, |r| r.json(body)).await?;
        decode(request, response).await
    }

    /// PUT a JSON body that replaces a resource (safe to repeat), ignoring the answer's body.
    pub async fn put_json(&self, url: Url, body: &serde_json::Value) -> Result<(), ApiError> {
        self.send(Method::PUT, url, RetryPolicy::Idempotent, |r| r.json(body)).await?;
        Ok(())
    }

    /// PUT without a body (an action such as Cloud's page move, safe to repeat), ignoring the answer.
    pub async fn put_empty(&self, url: Url) -> Result<(), ApiError> {
        self.send(Method::PUT, url, RetryPolicy::Idempotent, |r| r).await?;
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
