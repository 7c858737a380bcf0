//! Layer 4, the server: accepting connections, reading, recording and dispatching requests to the
//! flavour's router, and acting out injected faults around them. Uses `routes`, `state` and
//! `model`.
//!
//! - `connection`: the accept loop and one task per connection (hyper directly, so that a fault
//!   can drop a connection without an answer);
//! - `dispatch`: from a request to its answer (the `/__fake/` endpoints, the request log,
//!   latency, faults, the flavour's router);
//! - `faults`: picking a request's fault and acting it out around the normal processing it is
//!   handed.

mod connection;
mod dispatch;
mod faults;

pub(crate) use connection::serve;
