//! Layer 3, the routes: each answers a parsed [`crate::model::Req`] from the state. Uses only
//! `state` and `model`.
//!
//! - the plumbing both flavours share: `v1` (error bodies, `start`/`limit` paging, the list
//!   envelope, spaces), `v2` (Cloud's error bodies and cursor paging), `auth` (credentials,
//!   users), `content` (a page in v1 `Content` shape) and `writes` (what page creates, updates
//!   and moves share);
//! - the handlers both flavours serve: `labels`, `attachments`, `properties`, `restrictions` and
//!   `cql` (search);
//! - the flavour routers, a `match` on path segments each, with the flavour's own handlers:
//!   `datacenter/` (v1 pages, the whole-page update) and `cloud/` (v2 spaces and pages, updates
//!   and moves, folders, copy, media downloads);
//! - `users`: people by id (Data Center's user lookup, Cloud's `users-bulk`);
//! - `oauth`: service accounts' token endpoint (both flavours) and Cloud's `/_edge/tenant_info`;
//! - `stats`: the fake's own `/__fake/` endpoints.

mod attachments;
pub(crate) mod auth;
pub(crate) mod cloud;
mod content;
mod cql;
pub(crate) mod datacenter;
mod labels;
mod oauth;
mod properties;
mod restrictions;
pub(crate) mod stats;
mod users;
mod v1;
pub(crate) mod v2;
mod writes;
