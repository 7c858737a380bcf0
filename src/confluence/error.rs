//! The one error type of Confluence requests, and how a non-2xx answer maps onto it: the
//! refusals the run logic acts on, the server's own words, and a hint for the user.

use super::site::Flavor;

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
    /// A listing that repeats a `next` link or runs past
    /// [`MAX_LISTING_PAGES`](super::paging::MAX_LISTING_PAGES) pages.
    #[error("{request}: {detail}")]
    Endless { request: String, detail: String },
    /// HTTP 404: no such content, or the account may not see it.
    #[error("{request}: HTTP 404: {message}")]
    NotFound { request: String, message: String },
    /// Confluence answered with another non-2xx status.
    #[error("{request}: HTTP {status}: {message}{}", hint.as_deref().map(|h| format!(". {h}")).unwrap_or_default())]
    Status { request: String, status: u16, message: String, hint: Option<String> },
    /// The token endpoint would not exchange the client credentials for an access token: its
    /// answer (`invalid_client (Client authentication failed)`) and what to check.
    #[error("{request}: HTTP {status}: the client credentials were refused: {message}. {hint}")]
    TokenRefused { request: String, status: u16, message: String, hint: String },
    /// No (complete) answer: refused, timed out, dropped.
    #[error("{request}: {detail}")]
    Transport { request: String, detail: String },
    /// An answer whose body is not what the API describes.
    #[error("{request}: unexpected response: {detail}")]
    Decode { request: String, detail: String },
}

/// A non-2xx answer as the transport read it.
pub(super) struct Refusal<'a> {
    pub status: u16,
    /// The answer's body text.
    pub body: &'a str,
    /// Whether the body is an HTML page (a login page, a proxy's error page).
    pub html: bool,
    /// How the request was authenticated.
    pub auth: Auth,
    pub flavor: Flavor,
}

/// How a request was authenticated, for the hint of a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Auth {
    /// `CONFLUENCE_TOKEN` as a Bearer personal access token (no `CONFLUENCE_USER`).
    Bearer,
    /// `CONFLUENCE_USER:CONFLUENCE_TOKEN` as Basic auth.
    Basic,
    /// A service account's access token (client credentials), refused again right after renewal.
    ServiceAccount,
}

impl ApiError {
    /// The HTTP status Confluence answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::TitleExists { .. } | Self::AttachmentExists { .. } => Some(400),
            Self::NotFound { .. } => Some(404),
            Self::Status { status, .. } => Some(*status),
            // The token endpoint is not Confluence: its refusal is no answer about content.
            Self::TokenRefused { .. } | Self::Transport { .. } | Self::Decode { .. } | Self::Endless { .. } => None,
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

    /// The error for a non-2xx answer to `request`: the server's words, sorted into a refusal
    /// the run logic acts on or [`ApiError::Status`] with a hint.
    pub(super) fn refused(request: String, answer: Refusal<'_>) -> Self {
        let message = error_message(answer.body, answer.html, answer.status);
        let hint = hint(answer.status, answer.auth, answer.flavor).map(str::to_owned);
        Self::from_answer(request, answer.status, message, hint)
    }

    /// The error for a token endpoint's refusal (RFC 6749 §5.2: `error`, `error_description`),
    /// naming its answer and what to check, most likely first.
    pub(super) fn token_refused(request: String, status: u16, body: &str, html: bool) -> Self {
        #[derive(serde::Deserialize)]
        struct OAuthError {
            error: String,
            #[serde(default)]
            error_description: Option<String>,
        }
        let (code, message) = match serde_json::from_str::<OAuthError>(body) {
            Ok(OAuthError { error, error_description: Some(d) }) if !d.is_empty() => {
                (error.clone(), format!("{error} ({d})"))
            }
            Ok(OAuthError { error, .. }) => (error.clone(), error),
            Err(_) => (String::new(), error_message(body, html, status)),
        };
        let first = match (code.as_str(), status) {
            ("invalid_client", _) | ("", 401) => CHECK_CREDENTIALS,
            ("invalid_scope" | "unauthorized_client" | "access_denied", _) | ("", 403) => CHECK_ACCESS,
            _ => CHECK_TOKEN_URL,
        };
        let rest: Vec<&str> =
            [CHECK_CREDENTIALS, CHECK_ACCESS, CHECK_TOKEN_URL].into_iter().filter(|c| *c != first).collect();
        let hint = format!("Check {first}; then {} (docs/service-accounts.md#troubleshooting)", rest.join(", and "));
        Self::TokenRefused { request, status, message, hint }
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

/// What to check when the token endpoint refuses the client credentials.
const CHECK_CREDENTIALS: &str = "CONFLUENCE_CLIENT_ID and CONFLUENCE_CLIENT_SECRET: they must be the service account's OAuth 2.0 credential \
     (the secret is shown only once, when the credential is made; a revoked or expired credential needs a new one)";
const CHECK_ACCESS: &str =
    "that the service account has access to Confluence and its credential the scopes the run needs";
const CHECK_TOKEN_URL: &str = "CONFLUENCE_OAUTH_TOKEN_URL, if set: it must be the token endpoint \
     (Cloud: https://auth.atlassian.com/oauth/token; Data Center 10.x: <base URL>/rest/oauth2/latest/token)";

/// What to do about a status, by how the request was authenticated and where it went.
fn hint(status: u16, auth: Auth, flavor: Flavor) -> Option<&'static str> {
    Some(match (status, auth, flavor) {
        (401, Auth::ServiceAccount, _) => {
            "Confluence refused the service account's access token even right after it was renewed: \
             check that the service account may use Confluence and that its credential has the scopes the run needs \
             (docs/service-accounts.md) and access to the space"
        }
        (401, Auth::Basic, Flavor::Cloud) => {
            "Confluence Cloud rejected CONFLUENCE_USER + CONFLUENCE_TOKEN (Basic auth, email:API token). \
             Cloud API tokens expire (at most 365 days; tokens made before 15 Dec 2024 expired in March-May 2026): \
             make a new one and check the email owns it, or better run as a service account, whose credential no person's \
             token expiry breaks (CONFLUENCE_CLIENT_ID and CONFLUENCE_CLIENT_SECRET, see docs/service-accounts.md)"
        }
        (401, Auth::Bearer, _) => {
            "Confluence rejected CONFLUENCE_TOKEN, sent as a Bearer personal access token (CONFLUENCE_USER is unset). \
             Check the token is valid and not expired; for Confluence Cloud set CONFLUENCE_USER to the account email so it is sent as Basic auth"
        }
        (401, Auth::Basic, Flavor::DataCenter) => {
            "Confluence rejected CONFLUENCE_USER + CONFLUENCE_TOKEN, sent as Basic auth (email:API token). \
             Check the email owns the API token; a Data Center personal access token must be sent as Bearer: unset CONFLUENCE_USER"
        }
        (403, Auth::ServiceAccount, _) => {
            "The service account lacks permission: it needs to view the space and add pages (and attachments) under the root page"
        }
        (403, _, _) => {
            "The account behind CONFLUENCE_TOKEN lacks permission: it needs to view the space and add pages (and attachments) under the root page"
        }
        (410, _, Flavor::Cloud) => {
            "Confluence Cloud removed this v1 operation (CHANGE-864: the v1 calls that have a v2 replacement answer 410 Gone); \
             this version of confluence-weekly still sends it: upgrade confluence-weekly"
        }
        (410, _, Flavor::DataCenter) => {
            "This API is gone on Confluence Cloud: set CONFLUENCE_FLAVOR=cloud (or use the https://SITE.atlassian.net URL) so the v2 API is used"
        }
        (429, _, _) => {
            "Still rate limited after CONFLUENCE_MAX_RETRIES retries; run again later or raise CONFLUENCE_MAX_RETRIES"
        }
        _ => return None,
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

    fn refusal(status: u16, auth: Auth, flavor: Flavor) -> String {
        let answer = Refusal { status, body: r#"{"message":"no"}"#, html: false, auth, flavor };
        ApiError::refused("GET https://c/x".into(), answer).to_string()
    }

    #[test]
    fn a_cloud_401_says_api_tokens_expire_and_suggests_a_service_account() {
        let text = refusal(401, Auth::Basic, Flavor::Cloud);
        assert!(text.starts_with("GET https://c/x: HTTP 401: no. Confluence Cloud rejected"), "{text}");
        assert!(text.contains("expire (at most 365 days") && text.contains("15 Dec 2024"), "{text}");
        assert!(text.contains("CONFLUENCE_CLIENT_ID") && text.contains("docs/service-accounts.md"), "{text}");
        // Data Center keeps its own hints.
        assert!(refusal(401, Auth::Basic, Flavor::DataCenter).contains("unset CONFLUENCE_USER"));
        assert!(refusal(401, Auth::Bearer, Flavor::DataCenter).contains("Bearer personal access token"));
        let renewed = refusal(401, Auth::ServiceAccount, Flavor::Cloud);
        assert!(renewed.contains("right after it was renewed") && renewed.contains("scopes"), "{renewed}");
        assert!(refusal(403, Auth::ServiceAccount, Flavor::DataCenter).contains("The service account lacks"));
    }

    #[test]
    fn a_cloud_410_names_the_removal_and_says_to_upgrade() {
        let text = refusal(410, Auth::Basic, Flavor::Cloud);
        assert!(text.contains("removed this v1 operation (CHANGE-864") && text.contains("upgrade"), "{text}");
        assert!(refusal(410, Auth::Bearer, Flavor::DataCenter).contains("set CONFLUENCE_FLAVOR=cloud"));
    }

    #[test]
    fn a_refused_exchange_names_the_answer_and_what_to_check_first() {
        let body = r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#;
        let err = ApiError::token_refused("POST https://auth/oauth/token".into(), 401, body, false);
        let text = err.to_string();
        assert!(text.starts_with("POST https://auth/oauth/token: HTTP 401: the client credentials were refused: invalid_client (Client authentication failed). Check CONFLUENCE_CLIENT_ID and CONFLUENCE_CLIENT_SECRET"), "{text}");
        assert!(text.contains("scopes") && text.contains("CONFLUENCE_OAUTH_TOKEN_URL"), "all three are named: {text}");
        assert_eq!(err.status(), None, "not an answer about content");
        let scope = ApiError::token_refused("P".into(), 400, r#"{"error":"invalid_scope"}"#, false).to_string();
        assert!(scope.contains("invalid_scope. Check that the service account has access"), "{scope}");
        let html = ApiError::token_refused("P".into(), 404, "<html><title>Not here</title></html>", true).to_string();
        assert!(html.contains("Not Found (HTML page: Not here). Check CONFLUENCE_OAUTH_TOKEN_URL"), "{html}");
    }
}
