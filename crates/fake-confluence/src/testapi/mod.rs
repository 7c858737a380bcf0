//! Layer 5, the test API: [`FakeConfluence`], the handle tests, the demo and the binary hold. It
//! starts the `server` and reads and changes the `state` directly.
//!
//! - `start`: starting a server (Data Center, Cloud, Cloud behind the gateway) and its URLs;
//! - `site`: the rest of the test API, for now;
//! - `tree`: page trees as outlines, parents, versions, watchers notified;
//! - `seed`: the demo seed ([`Seed`], [`CHART_PNG`]).

mod seed;
mod site;
mod start;
mod tree;

pub use seed::{CHART_PNG, Seed};
pub use start::FakeConfluence;
