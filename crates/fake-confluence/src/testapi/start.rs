//! [`FakeConfluence`], the handle tests hold: starting a server (Data Center, Cloud, Cloud behind
//! the gateway) and its URLs. The top of the fake: it starts the `server`.

use std::sync::Arc;

use crate::model::Flavor;
use crate::server;
use crate::state::{Config, GATEWAY_SITE, SITE_CLOUD_ID, Shared};

/// A running fake Confluence. Cheap to clone; all clones share the same server and state.
#[derive(Clone)]
pub struct FakeConfluence {
    pub(crate) shared: Arc<Shared>,
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
    /// The v1 operations Atlassian removed answer 410 here ([`FakeConfluence::set_v1_removed`]).
    pub async fn start_cloud_gateway(user: &str, token: &str, cloud_id: &str) -> FakeConfluence {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.expect("bind fake Confluence gateway");
        let port = listener.local_addr().expect("local address").port();
        let cloud_id = cloud_id.trim_matches('/');
        let shared = Arc::new(Shared::new(Config {
            flavor: Flavor::Cloud,
            token: token.to_string(),
            user: user.to_string(),
            prefix: format!("/ex/confluence/{cloud_id}/wiki"),
            origin: format!("http://127.0.0.1:{port}"),
            site: Some(GATEWAY_SITE.to_string()),
            cloud_id: cloud_id.to_string(),
        }));
        shared.lock().opts.v1_removed = true;
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
            cloud_id: if flavor == Flavor::Cloud { SITE_CLOUD_ID.to_string() } else { String::new() },
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
}

fn normalise_context(context_path: &str) -> String {
    let trimmed = context_path.trim().trim_matches('/');
    if trimmed.is_empty() { String::new() } else { format!("/{trimmed}") }
}
