//! A stateful fake Confluence server (Data Center and Cloud flavours) on 127.0.0.1, for
//! `confluence-weekly`'s integration tests and demo.
//!
//! It behaves like the real thing where a client could get it wrong: titles are unique per space
//! ignoring case, lookups by title are exact, lists are paginated (`_links.next`), auth is checked,
//! and errors come back in the shapes Confluence uses. Tests can inspect the state
//! ([`FakeConfluence::pages`]), every request received ([`FakeConfluence::requests`]) and inject
//! faults ([`FakeConfluence::inject`]).
//!
//! Layers, bottom to top; a module uses only modules in its own layer or below, never above:
//!
//! 1. Leaves: `util` (responses, query strings, encodings, timestamps), `multipart`, `model` (the
//!    public value types: `Flavor`, `Page`, `Attachment`, `Fault`, `FaultAction`) and `req` (the
//!    parsed request `Req`, the logged `Request`, `Viewer`).
//! 2. State: `access` (users, groups, restrictions), `options` (per-site switches), `state` (spaces,
//!    pages, folders, request log, pending faults), `moves` (updates and re-parenting: versions,
//!    loops, watchers notified; children and ancestors, as reads show them during a move lag), `visibility` (who sees which page), `shared` (config, the lock
//!    around the state, in-flight counters and spans).
//! 3. Routes, each answering a parsed `Req` from the state: the shared plumbing `v1` (errors,
//!    paging, spaces, labels), `v2` (Cloud errors, cursors), `auth` (credentials, users) and
//!    `content` (the v1 page shape); the handlers `attachments`, `properties`, `restrictions`,
//!    `cql`, `copy`, `folders`, `pages_v2`, `update` (page updates and moves); the flavour routers
//!    `datacenter` and `cloud` (slice patterns on path segments); `stats` (the `/__fake/` endpoints).
//! 4. Server: `faults` (acting out a fault around the normal processing it is handed) and `server`
//!    (connections, request log, latency, and dispatch to the flavour's router).
//! 5. Test API: `fake` (`FakeConfluence`: start, URLs, basic setup and inspection), `control` (the
//!    rest of the test API), `outline` (trees, versions, weekly pages) and `demo` (the seed).
//!
//! `webhook` (a fake chat webhook) stands apart. This file only wires and re-exports.

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
mod fake;
mod faults;
mod folders;
mod model;
mod moves;
mod multipart;
mod options;
mod outline;
mod pages_v2;
mod properties;
mod req;
mod restrictions;
mod server;
mod shared;
mod state;
mod stats;
mod update;
mod util;
mod v1;
mod v2;
mod visibility;
pub mod webhook;
pub mod weekly;

pub use access::Restrictions;
pub use demo::{CHART_PNG, Seed};
pub use fake::FakeConfluence;
pub use model::{Attachment, Fault, FaultAction, Flavor, Page};
pub use req::Request;
pub use webhook::FakeWebhook;
