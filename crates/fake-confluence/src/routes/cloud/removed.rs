//! The v1 operations Atlassian removed on Cloud (CHANGE-864, RFC-19): content get, create, list,
//! update and delete, child listings (pages, the attachment listing, …), label reads, content
//! properties and spaces. The gateway answers them 410 Gone since August 2026; the site URL did
//! not yet (it still served Basic auth) — [`crate::FakeConfluence::set_v1_removed`] switches.
//! Kept: copy, restrictions, adding labels, attachment upload and download, move, CQL search,
//! the current user.

use axum::response::Response;
use serde_json::json;

use crate::model::util;

/// Whether a removed operation answers 410.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Removal {
    /// Whatever the switch says: the page endpoints this fake never served on Cloud.
    Always,
    /// When [`crate::FakeConfluence::set_v1_removed`] is on (by default behind the gateway).
    Switched,
}

/// Whether `method` on `segs` (after `/wiki`) is a removed v1 operation.
pub(super) fn removal(method: &str, segs: &[&str]) -> Option<Removal> {
    match segs {
        ["rest", "api", "content", "search"] if method == "GET" => None,
        ["rest", "api", "content"] | ["rest", "api", "content", _] | ["rest", "api", "content", _, "child", "page"] => {
            Some(Removal::Always)
        }
        ["rest", "api", "content", _, "child"] | ["rest", "api", "content", _, "child", _] if method == "GET" => {
            Some(Removal::Switched)
        }
        ["rest", "api", "content", _, "label"] if method == "GET" => Some(Removal::Switched),
        ["rest", "api", "content", _, "property", ..] => Some(Removal::Switched),
        ["rest", "api", "space"] | ["rest", "api", "space", _] => Some(Removal::Switched),
        _ => None,
    }
}

/// Atlassian's answer to a removed operation: a v1 error body naming `GoneException`.
pub(super) fn gone() -> Response {
    util::json(
        410,
        &json!({
            "statusCode": 410,
            "data": {"authorized": false, "valid": true, "errors": [], "successful": false},
            "message": "com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.",
            "reason": "Gone",
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(path: &str) -> Vec<&str> {
        path.trim_start_matches('/').split('/').collect()
    }

    #[test]
    fn removed_and_kept_operations() {
        let cases = [
            ("GET", "/rest/api/content", Some(Removal::Always)),
            ("POST", "/rest/api/content", Some(Removal::Always)),
            ("DELETE", "/rest/api/content/1", Some(Removal::Always)),
            ("GET", "/rest/api/content/1/child/page", Some(Removal::Always)),
            ("GET", "/rest/api/content/1/child", Some(Removal::Switched)),
            ("GET", "/rest/api/content/1/child/attachment", Some(Removal::Switched)),
            ("POST", "/rest/api/content/1/child/attachment", None),
            ("GET", "/rest/api/content/1/child/attachment/att2/download", None),
            ("GET", "/rest/api/content/1/label", Some(Removal::Switched)),
            ("POST", "/rest/api/content/1/label", None),
            ("PUT", "/rest/api/content/1/property/k", Some(Removal::Switched)),
            ("GET", "/rest/api/space/TEAM", Some(Removal::Switched)),
            ("GET", "/rest/api/content/search", None),
            ("POST", "/rest/api/content/1/copy", None),
            ("PUT", "/rest/api/content/1/move/append/2", None),
            ("GET", "/rest/api/content/1/restriction/byOperation", None),
            ("GET", "/rest/api/user/current", None),
        ];
        for (method, path, expected) in cases {
            assert_eq!(removal(method, &segs(path)), expected, "{method} {path}");
        }
    }
}
