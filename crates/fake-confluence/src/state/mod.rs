//! Layer 2, the state: what the fake knows and the rules it keeps, under one lock. Uses only
//! `model`.
//!
//! - `access`: the account, the users and groups the fake knows, page restrictions;
//! - `options`: the per-site switches a test changes while the server runs (latency, page-size
//!   cap, refusals, the CQL index lag, the Data Center move lag);
//! - `store`: spaces, pages, folders, labels, attachments, properties, the request log and pending
//!   faults, and the checked creates (unique titles, attachment names);
//! - `oauth`: service accounts' client credentials, the access tokens issued and their uses;
//! - `moves`: updates and re-parenting (versions, loops, watchers notified), children and
//!   ancestors — really, and as reads show them during a move lag;
//! - `visibility`: who sees which page (inherited read restrictions, anonymous access, late
//!   commits);
//! - `shared`: what every request shares: the fixed configuration, the lock around the state, the
//!   in-flight counters and answered-request spans.

mod access;
mod moves;
mod oauth;
pub(crate) mod options;
mod shared;
mod store;
mod visibility;

pub use access::Restrictions;
pub(crate) use access::{DC_ME, Op, PRIVATE_OWNER};
pub(crate) use moves::{MoveError, Update, UpdateError};
pub(crate) use oauth::{ExchangeError, TokenCheck};
pub(crate) use shared::{Config, GATEWAY_SITE, InFlight, SITE_CLOUD_ID, Shared, Span};
pub(crate) use store::{
    AttachError, AttachmentRec, CreateError, DUPLICATE_TITLE, LabelRec, PageRec, PropertyRec, SpaceRec, State, Status,
};
