//! confluence-weekly: make sure this period's Confluence page exists, copying the previous
//! period's page when it does not, then notify a webhook and hand the link to later CI steps.
//!
//! Module map, leaves first: `secret`, `parse_error`, `error_text`, `exit_codes`, `outcome`,
//! `schedule` and `title` know nothing of the rest; `http` is the transport (one client, one limit on requests
//! in flight, retries, attachment spooling); `confluence` the interface to Confluence (Data
//! Center, Cloud, in memory); `ensure` makes one report's page; `filing` then files its closed
//! periods under group pages; `remind` names who has not written on this period's page; `webhook` the notification; `run` a whole run; `outputs` the reporter (the only printing besides
//! `main.rs`); `config` reads the environment into every module's settings; `cli` the flags.
//! The library itself never prints: running is separate from reporting.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod config;
mod confluence;
mod ensure;
mod error_text;
pub mod exit_codes;
mod filing;
mod holidays;
mod http;
mod offdays;
mod outcome;
mod outputs;
mod parse_error;
mod period;
mod remind;
mod run;
mod schedule;
mod secret;
pub mod storage;
mod title;
mod webhook;

pub use outcome::Outcome;
pub use outputs::{LogFormat, Reporter, init_logging, one_line, parse_github_output, workflow_command};
pub use run::{ReportRun, RunError};
pub use secret::Masker;

use config::Config;
use exit_codes::ExitCode;

/// Runs every configured report (concurrently) and reports the results: stdout lines, workflow
/// commands, log lines and CI output files. Returns the worst exit code.
pub async fn run(config: &Config) -> ExitCode {
    let reporter = Reporter::new(config.outputs.clone(), config.from_file);
    match run::run(&config.jobs, &config.run).await {
        Ok(runs) => reporter.report(&runs),
        Err(err) => reporter.error(&err),
    }
}
