//! The request as the routes see it: [`Req`] (method, raw path split at the context path into
//! decoded segments, query, headers, body, who it is served as) and its helpers, the public
//! [`Request`] record kept in the request log, and [`Viewer`]. The bottom of the fake: it knows
//! nothing of the state, the routes or the server.

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::model::util;

/// Logged request bodies are cut to this many bytes.
const MAX_LOGGED_BODY: usize = 1024 * 1024;

/// One request as received (recorded before auth is checked, so rejected ones are included).
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Full path including the context path (or `/wiki`), as sent (still percent-encoded), no query.
    pub path: String,
    /// Raw query string, "" if none.
    pub query: String,
    /// The raw `Authorization` header.
    pub authorization: Option<String>,
    /// The body, lossy UTF-8 (only its first MiB for larger bodies, e.g. big uploads).
    pub body: String,
}

/// Whether a request changes anything: every method but GET, except Cloud's user lookup, a POST
/// that only reads.
pub(crate) fn is_write(method: &str, path: &str) -> bool {
    method != "GET" && !path.ends_with("/api/v2/users-bulk")
}

/// Who a request is served as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Viewer {
    /// The fake's account (the right token).
    Me,
    /// Data Center's anonymous user (a wrong token, when that is served as anonymous).
    Anonymous,
}

/// One received request, parsed for the routes.
pub(crate) struct Req {
    pub method: String,
    /// Full raw path (percent-encoded as sent), including the context path.
    pub path: String,
    /// Whether the path is under the context path (or `/wiki`).
    pub inside: bool,
    /// Raw path after the context path when `inside`, else the full path.
    pub rest: String,
    /// Percent-decoded segments of `rest` (without the leading empty one).
    pub segs: Vec<String>,
    pub raw_query: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Who the request is served as; `None` when its credentials are refused.
    pub viewer: Option<Viewer>,
    /// [`crate::FakeConfluence::set_max_limit`] at the time the request arrived.
    pub max_limit: Option<usize>,
    /// [`crate::FakeConfluence::set_endless_listings`] at the time the request arrived.
    pub endless_listings: bool,
    /// Its Bearer credential is an issued access token past its uses (answered 401).
    pub expired_token: bool,
}

impl Req {
    pub fn new(prefix: &str, parts: &Parts, body: Bytes) -> Req {
        let path = parts.uri.path().to_string();
        let (inside, rest) = if prefix.is_empty() {
            (true, path.clone())
        } else if path == prefix || path.starts_with(&format!("{prefix}/")) {
            (true, path[prefix.len()..].to_string())
        } else {
            (false, path.clone())
        };
        let segs = rest.trim_start_matches('/').split('/').map(util::decode_segment).collect();
        let raw_query = parts.uri.query().unwrap_or("").to_string();
        Req {
            method: parts.method.as_str().to_string(),
            query: util::parse_query(&raw_query),
            path,
            inside,
            rest,
            segs,
            raw_query,
            headers: parts.headers.clone(),
            body,
            viewer: None,
            max_limit: None,
            endless_listings: false,
            expired_token: false,
        }
    }

    /// A lookup by title (`title=`) or a page create or copy: what a late commit counts.
    pub fn names_a_title(&self) -> bool {
        match self.method.as_str() {
            "GET" => self.param("title").is_some(),
            "POST" => ["/rest/api/content", "/api/v2/pages", "/copy"].iter().any(|p| self.path.ends_with(p)),
            _ => false,
        }
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        util::param(&self.query, name)
    }

    pub fn segs(&self) -> Vec<&str> {
        self.segs.iter().map(String::as_str).collect()
    }

    pub fn authorization(&self) -> Option<&str> {
        util::header_str(&self.headers, "authorization")
    }

    /// The credentials of an `Authorization: Bearer …` header.
    pub fn bearer(&self) -> Option<&str> {
        let (scheme, credentials) = self.authorization()?.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| credentials.trim())
    }

    pub fn record(&self) -> Request {
        Request {
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.raw_query.clone(),
            authorization: self.authorization().map(str::to_string),
            body: String::from_utf8_lossy(&self.body[..self.body.len().min(MAX_LOGGED_BODY)]).into_owned(),
        }
    }
}
