//! Service accounts: OAuth 2.0 client credentials exchanged for a Bearer access token (an hour's
//! worth), the Cloud gateway a site's requests then go to, and one shared renewal when a token
//! is refused after it was issued.

use reqwest::Method;
use reqwest::header::{self, HeaderValue};
use serde::Deserialize;
use url::Url;

use super::error::ApiError;
use super::site::{ClientCredentials, Flavor, SignIn, Site, gateway_cloud_id};
use super::transport::Api;
use crate::http::{self, Http, RetryPolicy};
use crate::secret::{Masker, Secret};

/// Atlassian's token endpoint for Cloud service accounts.
pub const CLOUD_TOKEN_URL: &str = "https://auth.atlassian.com/oauth/token";
/// The Data Center token endpoint, under the base URL.
const DATACENTER_TOKEN_PATH: &str = "/rest/oauth2/latest/token";

/// The flavour's token endpoint: Atlassian's for Cloud, the site's own for Data Center.
pub fn default_token_url(flavor: Flavor, base_url: &Url) -> Url {
    match flavor {
        Flavor::Cloud => Url::parse(CLOUD_TOKEN_URL).expect("a valid URL"),
        Flavor::DataCenter => {
            let base = base_url.as_str().trim_end_matches('/');
            Url::parse(&format!("{base}{DATACENTER_TOKEN_PATH}")).expect("the base URL was validated")
        }
    }
}

/// The access token in use, and which one it is: a request refused with generation `n` renews
/// only if no other request already replaced `n`.
#[derive(Debug, Clone)]
pub(super) struct Issued {
    pub generation: u64,
    pub header: HeaderValue,
    /// This token was refused right after it was issued: renewing again would not help.
    pub refused_when_new: bool,
}

/// Exchanges the credentials, once at the start and again when a token is refused.
#[derive(Debug)]
pub(super) struct Session {
    http: Http,
    credentials: ClientCredentials,
    flavor: Flavor,
    masker: Masker,
    /// Held across a renewal, so the requests refused meanwhile wait for its token and share it.
    issued: tokio::sync::Mutex<Issued>,
}

impl Session {
    /// The token to send now (waits while a renewal is under way).
    pub async fn current(&self) -> Issued {
        self.issued.lock().await.clone()
    }

    /// Whether a request refused with `generation` should renew: not when that token was
    /// already refused right after it was issued (the service account itself is refused).
    pub async fn may_renew(&self, generation: u64) -> bool {
        let issued = self.issued.lock().await;
        !(issued.generation == generation && issued.refused_when_new)
    }

    /// A new token after `refused` was refused: one exchange, whichever of the requests refused
    /// with that generation gets here first; the others take its token.
    pub async fn renew(&self, refused: u64) -> Result<Issued, ApiError> {
        let mut issued = self.issued.lock().await;
        if issued.generation == refused {
            let token = exchange(&self.http, &self.credentials, self.flavor, &self.masker).await?;
            tracing::info!(
                "the service account's access token was refused; exchanged the client credentials for a new one"
            );
            *issued = Issued { generation: refused + 1, header: bearer(&token), refused_when_new: false };
        }
        Ok(issued.clone())
    }

    /// The token of `generation` was refused on the retry right after the renewal.
    pub async fn refused_when_new(&self, generation: u64) {
        let mut issued = self.issued.lock().await;
        if issued.generation == generation {
            issued.refused_when_new = true;
        }
    }
}

/// The connection to `site`, signed in as its [`SignIn`] says: with a token at once; as a service
/// account after exchanging its credentials for an access token (on Cloud given the site URL,
/// reading the site's cloudId in the same round, so requests go to the gateway).
pub async fn connect(http: &Http, site: &Site, masker: &Masker) -> Result<Api, ApiError> {
    let credentials = match &site.sign_in {
        SignIn::Token { token, user } => return Ok(Api::new(http.clone(), site, token, user.as_deref())),
        SignIn::ServiceAccount(credentials) => credentials,
    };
    // Main masks CONFLUENCE_CLIENT_SECRET at start; a config file's `client_secret_env` too.
    masker.mask(&credentials.client_secret);
    let token = exchange(http, credentials, site.flavor, masker);
    let (base, token) = match site.flavor {
        Flavor::Cloud if gateway_cloud_id(&site.base_url).is_none() => {
            let (cloud_id, token) = futures_util::future::join(cloud_id(http, &site.base_url), token).await;
            (gateway_base(&credentials.gateway, &cloud_id?), token?)
        }
        _ => (site.base_url.clone(), token.await?),
    };
    let issued = tokio::sync::Mutex::new(Issued { generation: 1, header: bearer(&token), refused_when_new: false });
    let session = Session {
        http: http.clone(),
        credentials: credentials.clone(),
        flavor: site.flavor,
        masker: masker.clone(),
        issued,
    };
    Ok(Api::with_session(http.clone(), &base, site.flavor, session))
}

/// `<gateway>/ex/confluence/<cloudId>/wiki`.
fn gateway_base(gateway: &Url, cloud_id: &str) -> Url {
    let root = gateway.as_str().trim_end_matches('/');
    Url::parse(&format!("{root}/ex/confluence/{cloud_id}/wiki")).expect("the gateway URL was validated")
}

fn bearer(token: &Secret) -> HeaderValue {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .unwrap_or_else(|_| HeaderValue::from_static("invalid"));
    value.set_sensitive(true);
    value
}

#[derive(Deserialize)]
struct TenantInfo {
    #[serde(rename = "cloudId")]
    cloud_id: String,
}

/// The site's cloudId from `<origin>/_edge/tenant_info` (no auth).
async fn cloud_id(http: &Http, site: &Url) -> Result<String, ApiError> {
    const WHAT: &str = "; give CONFLUENCE_BASE_URL as the gateway URL https://api.atlassian.com/ex/confluence/<cloudId> instead (the cloudId is in https://<site>.atlassian.net/_edge/tenant_info)";
    let url = site.join("/_edge/tenant_info").expect("a path on a valid URL");
    let request = http::describe_request(&Method::GET, &url);
    let build = || http.client().get(url.clone()).header(header::ACCEPT, "application/json");
    let answer = http.send(build, RetryPolicy::Idempotent, &request).await.map_err(|err| ApiError::Transport {
        request: request.clone(),
        detail: format!("{}{WHAT}", http::describe_transport(&err)),
    })?;
    let status = answer.status();
    let body = answer
        .bytes()
        .await
        .map_err(|err| ApiError::Transport { request: request.clone(), detail: http::describe_transport(&err) })?;
    if !status.is_success() {
        let message = format!("the site's cloudId could not be read{WHAT}");
        return Err(ApiError::Status { request, status: status.as_u16(), message, hint: None });
    }
    match serde_json::from_slice::<TenantInfo>(&body) {
        Ok(info) if !info.cloud_id.trim().is_empty() && !info.cloud_id.contains('/') => Ok(info.cloud_id),
        _ => Err(ApiError::Decode { request, detail: format!("no cloudId in the answer{WHAT}") }),
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
}

/// One exchange of the client credentials (`grant_type=client_credentials`): a JSON body on
/// Cloud, a form with `scope=WRITE` on Data Center. The token is masked before it is used.
async fn exchange(
    http: &Http,
    credentials: &ClientCredentials,
    flavor: Flavor,
    masker: &Masker,
) -> Result<Secret, ApiError> {
    let url = &credentials.token_url;
    let request = http::describe_request(&Method::POST, url);
    let (id, secret) = (credentials.client_id.as_str(), credentials.client_secret.expose());
    let build = || {
        let post = http.client().post(url.clone()).header(header::ACCEPT, "application/json");
        match flavor {
            Flavor::Cloud => post.json(&serde_json::json!({
                "grant_type": "client_credentials",
                "client_id": id,
                "client_secret": secret,
            })),
            Flavor::DataCenter => post.form(&[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret),
                ("scope", "WRITE"),
            ]),
        }
    };
    // Asking again for a token is harmless: retried like a read.
    let answer = http
        .send(build, RetryPolicy::Idempotent, &request)
        .await
        .map_err(|err| ApiError::Transport { request: request.clone(), detail: http::describe_transport(&err) })?;
    let status = answer.status();
    let html =
        answer.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.contains("html"));
    let body = answer
        .text()
        .await
        .map_err(|err| ApiError::Transport { request: request.clone(), detail: http::describe_transport(&err) })?;
    if !status.is_success() {
        return Err(ApiError::token_refused(request, status.as_u16(), &body, html));
    }
    match serde_json::from_str::<TokenAnswer>(&body) {
        Ok(TokenAnswer { access_token }) if !access_token.is_empty() => {
            let token = Secret::new(access_token);
            masker.mask(&token);
            Ok(token)
        }
        // Never echo the body: it may hold a token in another shape.
        _ => Err(ApiError::Decode { request, detail: "no `access_token` in the token endpoint's answer".into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_endpoints_and_the_gateway_follow_the_flavour() {
        let dc = Url::parse("https://intranet.example.com/confluence").unwrap();
        assert_eq!(
            default_token_url(Flavor::DataCenter, &dc).as_str(),
            "https://intranet.example.com/confluence/rest/oauth2/latest/token"
        );
        let root = Url::parse("https://confluence.example.com/").unwrap();
        assert_eq!(
            default_token_url(Flavor::DataCenter, &root).as_str(),
            "https://confluence.example.com/rest/oauth2/latest/token"
        );
        assert_eq!(default_token_url(Flavor::Cloud, &dc).as_str(), CLOUD_TOKEN_URL);
        let gateway = Url::parse("https://api.atlassian.com").unwrap();
        assert_eq!(gateway_base(&gateway, "abc").as_str(), "https://api.atlassian.com/ex/confluence/abc/wiki");
        let proxy = Url::parse("http://127.0.0.1:9/").unwrap();
        assert_eq!(gateway_base(&proxy, "abc").as_str(), "http://127.0.0.1:9/ex/confluence/abc/wiki");
    }

    #[test]
    fn the_bearer_header_is_sensitive() {
        let header = bearer(&Secret::new("access-1"));
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Bearer access-1");
    }
}
