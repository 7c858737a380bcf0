//! The fake's own tests: one crate (one binary to build and link), a module per behaviour, the
//! HTTP helpers in `common`.

mod common;

mod binary;
mod cloud;
mod copy_restrictions;
mod datacenter;
mod endless;
mod faults;
mod listing_refused;
mod moves;
mod realism;
mod removed_v1;
mod scale;
mod service_accounts;
mod v2_content;
mod webhook;
