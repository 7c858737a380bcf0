//! Which Confluence site a report talks to, and as whom.

use url::Url;

use crate::parse_error::ParseError;
use crate::secret::Secret;

/// Which Confluence API the run talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Data Center / Server: REST v1, personal access tokens or a service account (Bearer).
    DataCenter,
    /// Cloud: REST v2 for pages, email + API token (Basic) or a service account (Bearer).
    Cloud,
}

/// A Confluence site and the credentials to use there.
#[derive(Debug, Clone)]
pub struct Site {
    /// Normalised by [`parse_base_url`]: no trailing slash; `/wiki` added on Atlassian hosts.
    pub base_url: Url,
    pub flavor: Flavor,
    pub sign_in: SignIn,
}

/// How a run signs in.
#[derive(Debug, Clone)]
pub enum SignIn {
    /// `CONFLUENCE_TOKEN`: Basic auth with `user` (Cloud: account email + API token) when set,
    /// Bearer (a Data Center personal access token) otherwise.
    Token { token: Secret, user: Option<String> },
    /// `CONFLUENCE_CLIENT_ID`/`CONFLUENCE_CLIENT_SECRET`: a service account, with the access
    /// tokens they are exchanged for (Bearer).
    ServiceAccount(ClientCredentials),
}

impl SignIn {
    /// The service account's client id; `None` with a token.
    pub fn client_id(&self) -> Option<&str> {
        match self {
            Self::ServiceAccount(credentials) => Some(&credentials.client_id),
            Self::Token { .. } => None,
        }
    }
}

/// A service account's OAuth 2.0 client credentials and where to use them.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    /// `CONFLUENCE_CLIENT_ID`.
    pub client_id: String,
    /// `CONFLUENCE_CLIENT_SECRET`.
    pub client_secret: Secret,
    /// `CONFLUENCE_OAUTH_TOKEN_URL`, else the flavour's endpoint.
    pub token_url: Url,
    /// `CONFLUENCE_GATEWAY_URL`: Cloud's API gateway, used when the base URL is the site.
    pub gateway: Url,
}

/// Cloud when the host is an Atlassian site, Data Center otherwise.
pub fn detect_flavor(base_url: &Url) -> Flavor {
    if is_atlassian_site(base_url) { Flavor::Cloud } else { Flavor::DataCenter }
}

/// The cloudId of a Cloud API gateway URL (`…/ex/confluence/<cloudId>`, `/wiki` or not), on
/// whatever host it is served (`api.atlassian.com`, a proxy, a test's fake); `None` for a site URL.
pub fn gateway_cloud_id(url: &Url) -> Option<&str> {
    let mut segments = url.path_segments()?.filter(|s| !s.is_empty());
    match (segments.next(), segments.next(), segments.next(), segments.next(), segments.next()) {
        (Some("ex"), Some("confluence"), Some(id), None | Some("wiki"), None) => Some(id),
        _ => None,
    }
}

/// A Cloud site (`*.atlassian.net`) or the scoped-token gateway (`api.atlassian.com`).
fn is_atlassian_site(url: &Url) -> bool {
    url.host_str()
        .map(str::to_ascii_lowercase)
        .is_some_and(|h| h.ends_with(".atlassian.net") || h == "api.atlassian.com")
}

const EXAMPLE: &str = "e.g. https://confluence.example.com";

/// An absolute http(s) URL.
pub fn parse_http_url(s: &str) -> Result<Url, ParseError> {
    let url = Url::parse(s.trim())
        .map_err(|e| ParseError::Invalid { detail: format!("`{s}` is not a URL ({e})"), expected: EXAMPLE })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ParseError::malformed(s, "an http(s) URL", format!("expected {EXAMPLE}")));
    }
    Ok(url)
}

/// Parses the base URL: http(s) only, no query, no trailing slash, `/wiki` added on Atlassian
/// hosts and gateway URLs where it is missing (`https://api.atlassian.com/ex/confluence/<cloudId>`
/// gains it too, as does `…/ex/confluence/<cloudId>` behind a proxy).
pub fn parse_base_url(s: &str) -> Result<Url, ParseError> {
    let mut url = parse_http_url(s)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ParseError::Invalid {
            detail: format!("`{s}` must not have a query or fragment"),
            expected: "the site URL, e.g. https://confluence.example.com",
        });
    }
    let path = url.path().trim_end_matches('/').to_owned();
    let wants_wiki = is_atlassian_site(&url) || gateway_cloud_id(&url).is_some();
    let path = if wants_wiki && !path.ends_with("/wiki") { format!("{path}/wiki") } else { path };
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_keep_context_paths_and_gain_wiki_on_atlassian_sites() {
        let cases = [
            ("https://confluence.example.com", "https://confluence.example.com/"),
            ("https://intranet.example.com/confluence/", "https://intranet.example.com/confluence"),
            ("https://example.atlassian.net", "https://example.atlassian.net/wiki"),
            ("https://example.atlassian.net/", "https://example.atlassian.net/wiki"),
            ("https://example.atlassian.net/wiki/", "https://example.atlassian.net/wiki"),
            ("https://api.atlassian.com/ex/confluence/abc-123", "https://api.atlassian.com/ex/confluence/abc-123/wiki"),
            (
                "https://api.atlassian.com/ex/confluence/abc-123/wiki/",
                "https://api.atlassian.com/ex/confluence/abc-123/wiki",
            ),
        ];
        for (given, want) in cases {
            assert_eq!(parse_base_url(given).unwrap().as_str(), want, "{given}");
        }
        assert!(parse_base_url("ftp://confluence.example.com").is_err());
        let gateway = parse_base_url("https://api.atlassian.com/ex/confluence/abc-123").unwrap();
        assert_eq!(detect_flavor(&gateway), Flavor::Cloud);
        assert_eq!(detect_flavor(&parse_base_url("https://wiki.example.com").unwrap()), Flavor::DataCenter);
        assert!(parse_base_url("https://confluence.example.com/?x=1").is_err());
    }

    #[test]
    fn gateway_urls_name_their_cloud_id_on_any_host() {
        let id = |s: &str| gateway_cloud_id(&Url::parse(s).unwrap()).map(str::to_owned);
        assert_eq!(id("https://api.atlassian.com/ex/confluence/abc-123/wiki").as_deref(), Some("abc-123"));
        assert_eq!(id("http://127.0.0.1:8080/ex/confluence/abc-123").as_deref(), Some("abc-123"));
        assert_eq!(id("https://example.atlassian.net/wiki"), None);
        assert_eq!(id("https://api.atlassian.com/ex/confluence/abc-123/wiki/rest"), None);
        assert_eq!(id("https://confluence.example.com/ex/jira/abc"), None);
        let proxied = parse_base_url("http://127.0.0.1:8080/ex/confluence/abc-123").unwrap();
        assert_eq!(proxied.as_str(), "http://127.0.0.1:8080/ex/confluence/abc-123/wiki");
    }
}
