//! Layer 4, the server: accepting connections, reading, recording and dispatching requests to the
//! flavour's router, and acting out injected faults around them. Uses `routes`, `state` and
//! `model`.
//!
//! - `connection`: the accept loop, one task per connection, and the way from a request to its
//!   answer (request log, latency, faults, dispatch);
//! - `faults`: picking a request's fault and acting it out around the normal processing it is
//!   handed.

mod connection;
mod faults;

pub(crate) use connection::serve;
