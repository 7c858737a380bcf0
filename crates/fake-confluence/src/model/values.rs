//! The fake's public value types: which Confluence it pretends to be ([`Flavor`]), snapshots of
//! pages and attachments ([`Page`], [`Attachment`]) and faults to inject ([`Fault`],
//! [`FaultAction`]). A leaf: plain data, no behaviour.

/// Which Confluence the fake pretends to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Data Center / Server: Bearer personal access token, v1 REST API under the context path.
    DataCenter,
    /// Cloud: Basic `user:token`, everything under `/wiki`, v2 API for pages.
    Cloud,
}

/// A snapshot of a stored page (current or archived; see `status`).
#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub space_key: String,
    pub parent_id: Option<String>,
    /// Stored trimmed, as Confluence does.
    pub title: String,
    /// `"current"` or `"archived"`.
    pub status: String,
    /// Storage-format body, byte for byte as it was sent.
    pub body: String,
    pub labels: Vec<String>,
    pub attachments: Vec<Attachment>,
}

/// A snapshot of an attachment.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// `att{number}`, as Confluence's v1 API reports it.
    pub id: String,
    pub filename: String,
    pub media_type: String,
    pub data: Vec<u8>,
}

/// A fault to inject into matching requests.
#[derive(Debug, Clone)]
pub struct Fault {
    /// HTTP method, e.g. "POST" (compared ignoring case).
    pub method: &'static str,
    /// Matches when the request path (including the context path, as sent) ends with this.
    pub path: String,
    /// How many matching requests it applies to; then it is gone.
    pub times: usize,
    /// true: process the request normally first (state changes happen), then answer with
    /// `action` instead of the normal response.
    pub commit: bool,
    pub action: FaultAction,
}

/// What a [`Fault`] does.
#[derive(Debug, Clone)]
pub enum FaultAction {
    /// Answer with this status, an optional `Retry-After` header and this body (content type
    /// `application/json` when the body starts with `{` or `[`, `text/html` when it starts with
    /// `<`, else `text/plain`).
    Status { status: u16, retry_after: Option<String>, body: String },
    /// Wait, then send the normal response (with `commit` the state change happens before the
    /// wait; without it, after).
    Delay(std::time::Duration),
    /// Close the connection without any response.
    Drop,
    /// Send the normal response, but its body `chunk` bytes at a time with `every` between
    /// chunks (the first at once): the whole transfer can take far longer than a client's
    /// per-request timeout while no gap exceeds `every`. `Content-Length` is sent.
    Trickle { chunk: usize, every: std::time::Duration },
    /// Process normally, then point the JSON listing's `_links.next` (and, on v2, the `Link`
    /// header) at the request's own URL — a client following `next` blindly never ends
    /// (use a large `times`). v1 links stay relative to the base URL, v2 to the site root.
    RepeatNext,
    /// Process normally, then give the listing a `next` one page further (v1 `start`+`limit`,
    /// v2 a new cursor), even past the end: pages go empty but `next` never stops.
    EndlessNext,
    /// A create whose answer is lost and whose page shows up only later: the request is
    /// processed (always, whatever `commit` says), every page it created stays invisible (404,
    /// missing from lookups and listings — while its title still blocks creates) for the next
    /// `invisible_for` requests that name a title (lookups with `title=`, creates, copies; reads
    /// of other things sent alongside do not count), and the answer is `status` with `body`
    /// (content type as for `Status`). [`crate::FakeConfluence::reveal_late_commits`] ends the wait at once.
    LateCommit { status: u16, body: String, invisible_for: usize },
}
