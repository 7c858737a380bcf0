//! The integration tests: one crate (one binary to build and link), a module per behaviour.
//! Most run the real binary against a fake Confluence (`common`); `readme`, `links` and
//! `action_inputs` check the repository's documents against the code. The command line's
//! data-file cases are the other test crate, `tests/cli.rs`.

mod common;

mod action_inputs;
mod archive;
mod body_rules;
mod chat;
mod cloud_sites;
mod configuration;
mod copy;
mod days_ahead;
mod links;
mod listing_refused;
mod lost_answers;
mod move_lag;
mod off_days;
mod packaging;
mod paging;
mod readme;
mod reminders;
mod reports;
mod retries;
mod run;
mod scale;
mod scopes;
mod service_accounts;
mod setup_action;
mod titles;
mod tls_and_proxies;
mod tokens;
mod v1_removed;
