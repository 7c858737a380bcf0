//! Layer 1, the leaves: plain values and helpers that know nothing of the rest of the fake.
//!
//! - `values`: the public value types ([`Flavor`], [`Page`], [`Attachment`], [`Fault`],
//!   [`FaultAction`]);
//! - `request`: the parsed request the routes answer ([`Req`]), the logged [`Request`] and who a
//!   request is served as ([`Viewer`]);
//! - `multipart`: a small `multipart/form-data` parser for attachment uploads;
//! - `util`: responses, query strings, percent-encoding, timestamps, tiny links.

pub(crate) mod multipart;
mod request;
pub(crate) mod util;
mod values;

pub use request::Request;
pub(crate) use request::{Req, Viewer, is_write};
pub use values::{Attachment, Fault, FaultAction, Flavor, Page};
