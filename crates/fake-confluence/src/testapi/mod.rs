//! Layer 5, the test API: [`FakeConfluence`], the handle tests, the demo and the binary hold. It
//! starts the `server` and reads and changes the `state` directly. One file per concept, each an
//! `impl FakeConfluence` block:
//!
//! - `start`: starting a server (Data Center, Cloud, Cloud behind the gateway) and its URLs;
//! - `pages`: spaces, pages, labels, attachments, folders, properties; archive, restrict, purge;
//! - `access`: the account, users, groups and restrictions; anonymous access to public spaces;
//! - `site`: the site's switches (faults, latency, page-size cap, refusals, lags, late commits,
//!   Cloud's removed v1 operations, Data Center's endless listings),
//!   the request log and the in-flight counts;
//! - `service`: service accounts' client credentials, issued access tokens, Cloud's cloud id;
//! - `tree`: page trees as outlines, parents, versions, watchers notified;
//! - `seed`: the demo seed ([`Seed`], [`CHART_PNG`]) and runs of periodic pages.

mod access;
mod pages;
mod seed;
mod service;
mod site;
mod start;
mod tree;

pub use seed::{CHART_PNG, Seed};
pub use start::FakeConfluence;
