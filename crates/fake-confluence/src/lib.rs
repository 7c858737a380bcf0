//! A stateful fake Confluence server (Data Center and Cloud flavours) on 127.0.0.1, for
//! `confluence-weekly`'s integration tests and demo.
//!
//! It behaves like the real thing where a client could get it wrong: titles are unique per space
//! ignoring case, lookups by title are exact, lists are paginated (`_links.next`), auth is checked,
//! and errors come back in the shapes Confluence uses. Tests can inspect the state
//! ([`FakeConfluence::pages`]), every request received ([`FakeConfluence::requests`]) and inject
//! faults ([`FakeConfluence::inject`]).
//!
//! Module map: `state` (the data) and `shared` (config, lock, in-flight counters), `access`
//! (users, groups, restrictions, visibility), `auth` (credentials, users in JSON), `server`
//! (connections, request log, latency), `faults`, `datacenter` (DC v1 page endpoints), `content`
//! (the v1 page shape), `v1` (errors, paging, spaces, labels) and `attachments` — shared by DC and Cloud, `cloud`,
//! `v2` and `pages_v2` (Cloud), `restrictions`, `properties`, `copy`, `folders`, `multipart`,
//! `util`, `control` (the test API beyond the basics), `demo` (the seed), `stats` (the `/__fake/`
//! endpoints: request statistics and a webhook receiver, for benchmarks) and `webhook` (a fake chat
//! webhook).

mod access;
mod attachments;
mod auth;
mod cloud;
mod content;
mod control;
mod copy;
mod cql;
mod datacenter;
mod demo;
mod faults;
mod folders;
mod multipart;
mod pages_v2;
mod properties;
mod restrictions;
mod server;
mod shared;
mod state;
mod stats;
mod util;
mod v1;
mod v2;
pub mod webhook;

use std::sync::Arc;

pub use access::Restrictions;
pub use demo::CHART_PNG;
pub use webhook::FakeWebhook;

use state::{Config, Shared};

/// Which Confluence the fake pretends to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Data Center / Server: Bearer personal access token, v1 REST API under the context path.
    DataCenter,
    /// Cloud: Basic `user:token`, everything under `/wiki`, v2 API for pages.
    Cloud,
}

/// A running fake Confluence. Cheap to clone; all clones share the same server and state.
#[derive(Clone)]
pub struct FakeConfluence {
    shared: Arc<Shared>,
}

/// What [`FakeConfluence::seed_demo`] created.
#[derive(Debug, Clone)]
pub struct Seed {
    pub space_key: String,
    pub root_page_id: String,
}

/// A snapshot of a current page.
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
    /// (content type as for `Status`). [`FakeConfluence::reveal_late_commits`] ends the wait at once.
    LateCommit { status: u16, body: String, invisible_for: usize },
}

impl FakeConfluence {
    /// Data Center on a random port, serving at `http://127.0.0.1:{port}{context_path}`;
    /// requires `Authorization: Bearer {token}`.
    pub async fn start_datacenter(token: &str, context_path: &str) -> FakeConfluence {
        Self::start(Flavor::DataCenter, 0, None, token, context_path).await.expect("start fake Confluence Data Center")
    }

    /// Cloud on a random port, serving at `http://127.0.0.1:{port}/wiki`;
    /// requires `Authorization: Basic base64(user:token)`.
    pub async fn start_cloud(user: &str, token: &str) -> FakeConfluence {
        Self::start(Flavor::Cloud, 0, Some(user), token, "").await.expect("start fake Confluence Cloud")
    }

    /// Cloud behind the scoped-token gateway: serves at
    /// `http://127.0.0.1:{port}/ex/confluence/{cloud_id}/wiki/…` (Basic `user:token`), while
    /// every `_links.base` names the site, `https://example.atlassian.net/wiki`. v2 `_links.next`
    /// is relative to the gateway root ([`FakeConfluence::gateway_root`]); the web path
    /// `/download/attachments/…` is not served (404) — use the REST download route.
    /// [`FakeConfluence::base_url`] is `http://127.0.0.1:{port}/ex/confluence/{cloud_id}`.
    pub async fn start_cloud_gateway(user: &str, token: &str, cloud_id: &str) -> FakeConfluence {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.expect("bind fake Confluence gateway");
        let port = listener.local_addr().expect("local address").port();
        let shared = Arc::new(Shared::new(Config {
            flavor: Flavor::Cloud,
            token: token.to_string(),
            user: user.to_string(),
            prefix: format!("/ex/confluence/{}/wiki", cloud_id.trim_matches('/')),
            origin: format!("http://127.0.0.1:{port}"),
            site: Some(state::GATEWAY_SITE.to_string()),
        }));
        tokio::spawn(server::serve(listener, shared.clone()));
        FakeConfluence { shared }
    }

    /// Binds `127.0.0.1:{port}` (0 = random) and serves on the current tokio runtime.
    /// `user` is required for Cloud (ignored for Data Center); `context_path` is ignored for
    /// Cloud (always `/wiki`). For Data Center it is normalised to "" or "/something".
    pub async fn start(
        flavor: Flavor,
        port: u16,
        user: Option<&str>,
        token: &str,
        context_path: &str,
    ) -> std::io::Result<FakeConfluence> {
        let prefix = match flavor {
            Flavor::Cloud => "/wiki".to_string(),
            Flavor::DataCenter => normalise_context(context_path),
        };
        let user = match (flavor, user) {
            (Flavor::Cloud, None) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "the Cloud flavour needs a user (account email)",
                ));
            }
            (_, u) => u.unwrap_or_default().to_string(),
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(Config {
            flavor,
            token: token.to_string(),
            user,
            prefix,
            origin: format!("http://127.0.0.1:{}", addr.port()),
            site: None,
        }));
        tokio::spawn(server::serve(listener, shared.clone()));
        Ok(FakeConfluence { shared })
    }

    /// What a user puts in `CONFLUENCE_BASE_URL`: `http://127.0.0.1:{port}{context}`,
    /// `http://127.0.0.1:{port}/wiki`, or in gateway mode `http://127.0.0.1:{port}/ex/confluence/{cloudId}`
    /// (the client adds `/wiki`).
    pub fn base_url(&self) -> String {
        self.shared.cfg.user_base()
    }

    /// What responses' `_links.base` say: [`FakeConfluence::base_url`], except in gateway mode
    /// (`https://example.atlassian.net/wiki`).
    pub fn links_base(&self) -> String {
        self.shared.cfg.base()
    }

    /// Gateway mode: `http://127.0.0.1:{port}/ex/confluence/{cloudId}`, what v2 `_links.next`
    /// resolves against. `None` otherwise.
    pub fn gateway_root(&self) -> Option<String> {
        self.shared.cfg.site.as_ref().map(|_| self.shared.cfg.user_base())
    }

    /// `http://127.0.0.1:{port}` — what Cloud's site-root-relative `_links.next` resolves against.
    pub fn origin(&self) -> String {
        self.shared.cfg.origin.clone()
    }

    pub fn flavor(&self) -> Flavor {
        self.shared.cfg.flavor
    }

    /// Adds a space (name = key) and returns its numeric id. Panics if the key exists.
    pub fn add_space(&self, key: &str) -> String {
        self.add_space_named(key, key)
    }

    /// Adds a space with a display name and returns its numeric id. Panics if the key exists.
    pub fn add_space_named(&self, key: &str, name: &str) -> String {
        let mut st = self.shared.lock();
        assert!(st.space_by_key(key).is_none(), "fake-confluence: space {key} already exists");
        st.add_space(key, name)
    }

    /// Adds a page and returns its id. Panics if the space or parent is unknown, or the title
    /// clashes (ignoring case) with a page in the space — it's test setup.
    pub fn add_page(&self, space_key: &str, parent_id: Option<&str>, title: &str, storage_body: &str) -> String {
        let result = self.shared.lock().create_page(space_key, parent_id, title, storage_body);
        match result {
            Ok(id) => id,
            Err(e) => panic!("fake-confluence: add_page({space_key:?}, {title:?}): {e:?}"),
        }
    }

    /// Adds a label (lower-cased, as Confluence stores them). Panics if the page is unknown.
    pub fn add_label(&self, page_id: &str, label: &str) {
        let mut st = self.shared.lock();
        assert!(st.page(page_id).is_some(), "fake-confluence: add_label: no page {page_id}");
        st.add_label(page_id, label);
    }

    /// Adds an attachment. Panics if the page is unknown or the filename is already attached.
    pub fn add_attachment(&self, page_id: &str, filename: &str, media_type: &str, data: &[u8]) {
        let data = axum::body::Bytes::copy_from_slice(data);
        let result = self.shared.lock().add_attachment(page_id, filename, media_type, data, "");
        if let Err(e) = result {
            panic!("fake-confluence: add_attachment({page_id}, {filename:?}): {e:?}");
        }
    }

    pub fn page(&self, id: &str) -> Option<Page> {
        self.shared.lock().page(id).map(|p| p.snapshot())
    }

    /// Every stored page (current, archived, hidden or not yet visible), in creation order.
    pub fn pages(&self) -> Vec<Page> {
        self.shared.lock().pages.iter().map(|p| p.snapshot()).collect()
    }

    /// Pages of the space with exactly this title (case-sensitive).
    pub fn find_title(&self, space_key: &str, title: &str) -> Vec<Page> {
        self.shared
            .lock()
            .pages
            .iter()
            .filter(|p| p.space_key == space_key && p.title == title)
            .map(|p| p.snapshot())
            .collect()
    }

    /// Every request received, in order, including rejected ones.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.lock().requests.clone()
    }

    /// How many requests received had a method other than GET.
    pub fn writes(&self) -> usize {
        self.shared.lock().requests.iter().filter(|r| r.method != "GET").count()
    }

    /// Adds a fault; faults are matched in the order they were injected.
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    /// Space TEAM with root page "Weekly Reports" and two weekly report pages
    /// ("2025-05-22 Weekly Report", "2025-05-29 Weekly Report"); see the `demo` module.
    pub fn seed_demo(&self) -> Seed {
        demo::seed(self)
    }
}

fn normalise_context(context_path: &str) -> String {
    let trimmed = context_path.trim().trim_matches('/');
    if trimmed.is_empty() { String::new() } else { format!("/{trimmed}") }
}
