//! The per-site switches a test can change while the server runs (latency, page-size cap,
//! anonymous access, refused property keys). Held in the state, behind its lock; set through
//! the test API in `control`.

use std::time::Duration;

/// Options a test can change while the server runs.
#[derive(Debug, Default)]
pub(crate) struct Options {
    /// Waited before every answer.
    pub latency: Duration,
    /// Caps every list's `limit` (v1 and v2) below what was asked.
    pub max_limit: Option<usize>,
    /// Data Center: a wrong or missing token is served as the anonymous user instead of 401.
    pub anonymous_for_wrong_token: bool,
    /// Content property keys starting with one of these are refused (403).
    pub refused_property_prefixes: Vec<String>,
}
