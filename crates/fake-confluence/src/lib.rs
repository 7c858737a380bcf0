//! A stateful fake Confluence server (Data Center and Cloud flavours) on 127.0.0.1, for
//! `confluence-weekly`'s integration tests and demo.
//!
//! It behaves like the real thing where a client could get it wrong: titles are unique per space
//! ignoring case, lookups by title are exact, lists are paginated (`_links.next`), auth is checked,
//! and errors come back in the shapes Confluence uses. Tests can inspect the state
//! ([`FakeConfluence::pages`]), every request received ([`FakeConfluence::requests`]) and inject
//! faults ([`FakeConfluence::inject`]).
//!
//! `src/` has a folder per layer, bottom to top; a module uses only modules in its own layer or
//! below, never above (each folder's `mod.rs` lists what it holds):
//!
//! 1. `model/`: the leaves — the public value types ([`Flavor`], [`Page`], [`Attachment`],
//!    [`Fault`], [`FaultAction`]), the parsed request the routes answer and the logged
//!    [`Request`], a multipart parser, small helpers (responses, query strings, timestamps).
//! 2. `state/`: users, groups and [`Restrictions`]; the per-site switches; service accounts'
//!    client credentials and issued tokens; the state store
//!    (spaces, pages, folders, the request log, pending faults); updates and moves; who sees which
//!    page; and what every request shares (configuration, the lock around the state, counters).
//! 3. `routes/`: the v1 and v2 plumbing both flavours share, the handlers, the flavour routers
//!    (`routes/datacenter/`, `routes/cloud/`: a `match` on path segments each) and the
//!    `/__fake/` endpoints.
//! 4. `server/`: connections, the request log, latency, dispatch to the flavour's router, and
//!    acting out injected faults.
//! 5. `testapi/`: [`FakeConfluence`], the handle tests hold, a file per concept — starting it and
//!    its URLs; pages and their content; users, groups and restrictions; the site's switches and
//!    request log; trees and versions; the demo seed ([`Seed`], [`CHART_PNG`]) and periodic pages.
//!
//! Two public modules stand apart: [`webhook`] (a fake chat webhook, [`FakeWebhook`]) and
//! [`weekly`] (the weekly fixture every test shares). This file only wires and re-exports.

pub mod calendar;
mod model;
mod routes;
mod server;
mod state;
mod testapi;
pub mod webhook;
pub mod weekly;

pub use calendar::FakeCalendar;
pub use model::{Attachment, Fault, FaultAction, Flavor, Page, Request};
pub use state::Restrictions;
pub use testapi::{CHART_PNG, FakeConfluence, Seed};
pub use webhook::FakeWebhook;
