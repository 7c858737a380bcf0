//! confluence-weekly: make sure this period's Confluence page exists, copying the previous
//! period's page when it does not, then notify a webhook and hand the link to later CI steps.
//!
//! `main.rs` only wires [`cli`], [`config`] and [`run`] together.

pub mod cli;
pub mod clone;
pub mod config;
pub mod confluence;
pub mod exit_codes;
pub mod http;
pub mod outputs;
pub mod schedule;
pub mod secret;
pub mod title;
pub mod webhook;

use anyhow::Context as _;
use chrono::NaiveDate;

use crate::clone::Outcome;
use crate::config::{Config, Flavor, Report};
use crate::confluence::{Api, Cloud, DataCenter};
use crate::exit_codes::ExitCode;

/// Runs the configured report: ensures the page, prints the stdout line, writes the CI outputs,
/// notifies the webhook. Logs and annotations go to stderr. Returns the exit code.
pub async fn run(config: &Config) -> ExitCode {
    let result = ensure(config).await;
    match result {
        Ok(outcome) => finish(config, &outcome).await,
        Err(err) => {
            fail(config, &err);
            ExitCode::Failure
        }
    }
}

/// The clone itself, with the flavour picked once here.
async fn ensure(config: &Config) -> anyhow::Result<Outcome> {
    let connection = &config.connection;
    if connection.base_url.scheme() == "http" {
        tracing::warn!(
            "CONFLUENCE_BASE_URL uses plain http: the token travels unencrypted; use https outside of tests"
        );
    }
    let client = http::client(connection).context("could not set up the HTTP client (CONFLUENCE_CA_CERT?)")?;
    let api = Api::new(client, connection);
    let report = &config.report;
    let today = today(report);
    let attempts = connection.max_retries;
    let outcome = match connection.flavor {
        Flavor::DataCenter => clone::ensure(&DataCenter::new(api), report, today, config.dry_run, attempts).await,
        Flavor::Cloud => clone::ensure(&Cloud::new(api), report, today, config.dry_run, attempts).await,
    };
    // With several reports, each message says which one failed.
    match report.name.as_str() {
        "default" => Ok(outcome?),
        name => outcome.with_context(|| format!("report {name}")),
    }
}

/// `CONFLUENCE_DATE`, or today in the report's time zone.
fn today(report: &Report) -> NaiveDate {
    report.date.unwrap_or_else(|| chrono::Utc::now().with_timezone(&report.timezone).date_naive())
}

/// Prints the result, writes the outputs, and notifies.
async fn finish(config: &Config, outcome: &Outcome) -> ExitCode {
    println!("{}", outputs::stdout_line(outcome));
    if let Err(err) = write_outputs(config, outcome) {
        fail(config, &err);
        return ExitCode::Failure;
    }
    if config.outputs.github_actions && outcome.due {
        let message = match (&outcome.page_title, &outcome.page_url, outcome.created) {
            (Some(title), Some(url), true) => format!("Created {title}: {url}"),
            (Some(title), Some(url), false) => format!("{title} already exists: {url}"),
            (Some(title), None, _) => format!("Dry run: would create {title}"),
            _ => "nothing to do".to_owned(),
        };
        eprintln!("{}", outputs::workflow_command("notice", &message));
    }
    let Some(webhook) = &config.report.webhook else { return ExitCode::Success };
    if !webhook.when.applies(outcome) {
        return ExitCode::Success;
    }
    let notified = async {
        let body = webhook::payload(webhook.format, webhook.payload.as_deref(), outcome)
            .map_err(|detail| anyhow::anyhow!("WEBHOOK_PAYLOAD could not be filled in: {detail}"))?;
        let client = http::client(&config.connection).context("could not set up the HTTP client")?;
        webhook::send(&client, &webhook.url, &body, config.connection.max_retries).await?;
        anyhow::Ok(())
    };
    match notified.await {
        Ok(()) => {
            tracing::info!("notified {}", webhook::host_of(&webhook.url));
            ExitCode::Success
        }
        Err(err) => {
            fail(config, &err);
            ExitCode::WebhookFailed
        }
    }
}

fn write_outputs(config: &Config, outcome: &Outcome) -> anyhow::Result<()> {
    let out = &config.outputs;
    if let Some(path) = &out.github_output {
        outputs::append_github_output(path, &outputs::github_pairs(outcome))
            .with_context(|| format!("could not write GITHUB_OUTPUT ({})", path.display()))?;
    }
    if let Some(path) = &out.github_step_summary {
        outputs::append_step_summary(path, outcome)
            .with_context(|| format!("could not write GITHUB_STEP_SUMMARY ({})", path.display()))?;
    }
    if let Some(path) = &out.dotenv {
        outputs::write_dotenv(path, &outputs::dotenv_pairs(outcome))
            .with_context(|| format!("could not write the dotenv file {} (CONFLUENCE_DOTENV)", path.display()))?;
    }
    Ok(())
}

/// Reports a failure: one log line, and an annotation in GitHub Actions.
fn fail(config: &Config, err: &anyhow::Error) {
    tracing::error!("{err:#}");
    if config.outputs.github_actions {
        eprintln!("{}", outputs::workflow_command("error", &format!("{err:#}")));
    }
}

/// Sets up logging on stderr: `text` or `json`, level from `RUST_LOG` (default `info`).
/// HTTP crates are capped at `warn`: their debug output includes request URLs, and webhook
/// URLs are secrets.
pub fn init_logging(format: config::LogFormat, rust_log: Option<&str>) {
    use tracing_subscriber::EnvFilter;
    let directives = format!(
        "{},hyper=warn,hyper_util=warn,reqwest=warn,rustls=warn,h2=warn",
        rust_log.filter(|s| !s.is_empty()).unwrap_or("info")
    );
    let filter = EnvFilter::try_new(&directives).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(filter).with_target(false);
    match format {
        config::LogFormat::Text => builder.without_time().with_ansi(false).init(),
        config::LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}
