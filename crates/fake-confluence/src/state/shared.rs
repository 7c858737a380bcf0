//! What every request handler shares: the fixed configuration, the state behind its mutex, and
//! the in-flight counters and answered-request spans behind `/__fake/stats`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use super::store::State;
use crate::model::Flavor;

/// Fixed per server.
#[derive(Debug)]
pub(crate) struct Config {
    pub flavor: Flavor,
    pub token: String,
    /// Cloud account email ("" for Data Center).
    pub user: String,
    /// Data Center context path ("" or "/confluence"), or "/wiki" for Cloud.
    pub prefix: String,
    /// `http://127.0.0.1:{port}`
    pub origin: String,
    /// Gateway mode (Cloud scoped tokens): the site's `…/wiki` URL that `_links.base` names.
    pub site: Option<String>,
    /// Cloud: what `GET {origin}/_edge/tenant_info` answers (the gateway's cloud id, or
    /// [`SITE_CLOUD_ID`]); "" for Data Center.
    pub cloud_id: String,
}

/// The cloud id a site-mode Cloud fake answers at `/_edge/tenant_info`.
pub(crate) const SITE_CLOUD_ID: &str = "f2b6c1e4-0000-4000-8000-fakec1oud000";

/// The site a gateway-mode fake pretends to front.
pub(crate) const GATEWAY_SITE: &str = "https://example.atlassian.net/wiki";

impl Config {
    /// `_links.base`: origin + context path, or the site in gateway mode.
    pub fn base(&self) -> String {
        match &self.site {
            Some(site) => site.clone(),
            None => format!("{}{}", self.origin, self.prefix),
        }
    }

    /// `_links.context`: the context path ("/wiki" on Cloud, also in gateway mode).
    pub fn context(&self) -> &str {
        if self.site.is_some() { "/wiki" } else { &self.prefix }
    }

    /// What a user puts in `CONFLUENCE_BASE_URL` (in gateway mode without the trailing `/wiki`).
    pub fn user_base(&self) -> String {
        match &self.site {
            Some(_) => format!("{}{}", self.origin, self.prefix.trim_end_matches("/wiki")),
            None => format!("{}{}", self.origin, self.prefix),
        }
    }
}

pub(crate) struct Shared {
    pub cfg: Config,
    state: Mutex<State>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// Every answered request since the start or the last reset, for `/__fake/stats`.
    spans: Mutex<Vec<Span>>,
}

impl Shared {
    pub fn new(cfg: Config) -> Shared {
        let state = Mutex::new(State::new(cfg.flavor));
        Shared {
            cfg,
            state,
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            spans: Mutex::new(Vec::new()),
        }
    }

    /// A panic while holding the lock (test setup asserting) must not wedge the server.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    pub fn spans(&self) -> Vec<Span> {
        self.spans.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn reset_spans(&self) {
        self.spans.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Restarts the high-water mark from the requests in flight now.
    pub fn reset_max_in_flight(&self) {
        self.max_in_flight.store(self.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

/// Counts one request as in flight until dropped (also when its connection is dropped mid-way),
/// then logs its [`Span`]. `write`: any method but GET.
pub(crate) struct InFlight {
    shared: Arc<Shared>,
    start: Instant,
    write: bool,
}

impl InFlight {
    pub fn enter(shared: &Arc<Shared>, write: bool) -> InFlight {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight { shared: shared.clone(), start: Instant::now(), write }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        let span = Span { start: self.start, end: Instant::now(), write: self.write };
        self.shared.spans.lock().unwrap_or_else(|e| e.into_inner()).push(span);
    }
}

/// One answered request: from receipt until its answer was produced (or sent, for a trickled
/// body).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    pub start: Instant,
    pub end: Instant,
    pub write: bool,
}
