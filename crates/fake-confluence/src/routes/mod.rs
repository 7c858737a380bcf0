//! Layer 3, the routes: each answers a parsed [`crate::model::Req`] from the state. Uses only
//! `state` and `model`.
//!
//! - the plumbing both flavours share: `v1` (error bodies, `start`/`limit` paging, the list
//!   envelope, spaces, labels), `v2` (Cloud's error bodies and cursor paging), `auth`
//!   (credentials, users) and `content` (a page in v1 `Content` shape);
//! - the handlers both flavours serve: `attachments`, `properties`, `restrictions`, `cql`
//!   (search) and `update` (page updates and moves);
//! - the flavour routers, a `match` on path segments each: `datacenter` and `cloud` (with
//!   Cloud's own handlers: v2 `pages`, `folders`, `copy`);
//! - `stats`: the fake's own `/__fake/` endpoints.

mod attachments;
pub(crate) mod auth;
pub(crate) mod cloud;
mod content;
mod cql;
pub(crate) mod datacenter;
mod properties;
mod restrictions;
pub(crate) mod stats;
mod update;
mod v1;
pub(crate) mod v2;
