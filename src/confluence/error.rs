//! The one error type of Confluence requests, and how a non-2xx answer maps onto it: the
//! refusals the run logic acts on, the server's own words, and a hint for the user.

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
    /// Whether the token was sent as Basic auth (with `CONFLUENCE_USER`) rather than Bearer.
    pub basic_auth: bool,
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

    /// The error for a non-2xx answer to `request`: the server's words, sorted into a refusal
    /// the run logic acts on or [`ApiError::Status`] with a hint.
    pub(super) fn refused(request: String, answer: Refusal<'_>) -> Self {
        let message = error_message(answer.body, answer.html, answer.status);
        let hint = hint(answer.status, answer.basic_auth).map(str::to_owned);
        Self::from_answer(request, answer.status, message, hint)
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

/// What to do about a status, by how the token was sent.
fn hint(status: u16, basic_auth: bool) -> Option<&'static str> {
    Some(match (status, basic_auth) {
        (401, false) => {
            "Confluence rejected CONFLUENCE_TOKEN, sent as a Bearer personal access token (CONFLUENCE_USER is unset). \
             Check the token is valid and not expired; for Confluence Cloud set CONFLUENCE_USER to the account email so it is sent as Basic auth"
        }
        (401, true) => {
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
