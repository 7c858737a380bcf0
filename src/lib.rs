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
pub mod reports;
pub mod schedule;
pub mod secret;
pub mod title;
pub mod webhook;

use anyhow::Context as _;
use chrono::NaiveDate;

use crate::clone::Outcome;
use futures_util::future::join_all;

use crate::config::{Config, Flavor, Job, Report};
use crate::confluence::{Api, Cloud, DataCenter};
use crate::exit_codes::ExitCode;

/// Runs every configured report concurrently: ensures its page, prints its stdout line,
/// notifies its webhook; then writes the CI outputs. Logs and annotations go to stderr.
/// Returns the worst exit code of the reports.
pub async fn run(config: &Config) -> ExitCode {
    let client = match http::client(&config.http) {
        Ok(client) => client,
        Err(err) => {
            fail(config, &anyhow::Error::new(err).context("could not set up the HTTP client (CONFLUENCE_CA_CERT?)"));
            return ExitCode::Failure;
        }
    };
    let results = join_all(config.jobs.iter().map(|job| run_job(config, &client, job))).await;
    let mut code = results.iter().fold(ExitCode::Success, |code, (_, c)| code.worst(*c));
    let outcomes: Vec<&Outcome> = results.iter().filter_map(|(outcome, _)| outcome.as_ref()).collect();
    if let Err(err) = write_outputs(config, &outcomes) {
        fail(config, &err);
        code = code.worst(ExitCode::Failure);
    }
    code
}

/// One report: the page, the stdout line, the notification.
async fn run_job(config: &Config, client: &reqwest::Client, job: &Job) -> (Option<Outcome>, ExitCode) {
    let outcome = match ensure(config, client, job).await {
        Ok(outcome) => outcome,
        Err(err) => {
            fail(config, &err);
            return (None, ExitCode::Failure);
        }
    };
    println!("{}", outputs::stdout_line(&outcome));
    if config.outputs.github_actions && outcome.due {
        let message = match (&outcome.page_title, &outcome.page_url, outcome.created) {
            (Some(title), Some(url), true) => format!("Created {title}: {url}"),
            (Some(title), Some(url), false) => format!("{title} already exists: {url}"),
            (Some(title), None, _) => format!("Dry run: would create {title}"),
            _ => "nothing to do".to_owned(),
        };
        eprintln!("{}", outputs::workflow_command("notice", &message));
    }
    let code = match notify(config, client, &job.report, &outcome).await {
        Ok(()) => ExitCode::Success,
        Err(err) => {
            fail(config, &err);
            ExitCode::WebhookFailed
        }
    };
    (Some(outcome), code)
}

/// The clone itself, with the flavour picked once here.
async fn ensure(config: &Config, client: &reqwest::Client, job: &Job) -> anyhow::Result<Outcome> {
    let (site, report) = (&job.site, &job.report);
    if site.base_url.scheme() == "http" {
        tracing::warn!(
            "CONFLUENCE_BASE_URL uses plain http: the token travels unencrypted; use https outside of tests"
        );
    }
    let api = Api::new(client.clone(), site, config.http.max_retries);
    let today = today(report);
    let attempts = config.http.max_retries;
    let outcome = match site.flavor {
        Flavor::DataCenter => clone::ensure(&DataCenter::new(api), report, today, config.dry_run, attempts).await,
        Flavor::Cloud => clone::ensure(&Cloud::new(api), report, today, config.dry_run, attempts).await,
    };
    // With several reports, each message says which one failed.
    match config.from_file {
        false => Ok(outcome?),
        true => outcome.with_context(|| format!("report {}", report.name)),
    }
}

/// `CONFLUENCE_DATE`, or today in the report's time zone.
fn today(report: &Report) -> NaiveDate {
    report.date.unwrap_or_else(|| date_in(report.timezone, chrono::Utc::now()))
}

/// The calendar date at `now` in `zone`.
fn date_in(zone: chrono_tz::Tz, now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// Sends the report's webhook, if it has one and `WEBHOOK_WHEN` says so.
async fn notify(config: &Config, client: &reqwest::Client, report: &Report, outcome: &Outcome) -> anyhow::Result<()> {
    let Some(webhook) = &report.webhook else { return Ok(()) };
    if !webhook.when.applies(outcome) {
        return Ok(());
    }
    let body = webhook::payload(webhook.format, webhook.payload.as_deref(), outcome)
        .map_err(|detail| anyhow::anyhow!("WEBHOOK_PAYLOAD could not be filled in: {detail}"))?;
    webhook::send(client, &webhook.url, &body, config.http.max_retries).await?;
    tracing::info!("notified {}", webhook::host_of(&webhook.url));
    Ok(())
}

fn write_outputs(config: &Config, outcomes: &[&Outcome]) -> anyhow::Result<()> {
    let out = &config.outputs;
    if let Some(path) = &out.github_output {
        let pairs = match (config.from_file, outcomes) {
            (false, [outcome]) => outputs::github_pairs(outcome),
            _ => outputs::github_report_pairs(outcomes),
        };
        outputs::append_github_output(path, &pairs)
            .with_context(|| format!("could not write GITHUB_OUTPUT ({})", path.display()))?;
    }
    if let Some(path) = &out.github_step_summary {
        for outcome in outcomes {
            outputs::append_step_summary(path, outcome)
                .with_context(|| format!("could not write GITHUB_STEP_SUMMARY ({})", path.display()))?;
        }
    }
    if let Some(path) = &out.dotenv {
        let pairs: Vec<_> = outcomes
            .iter()
            .flat_map(|outcome| outputs::dotenv_pairs(outcome, config.from_file.then_some(outcome.report.as_str())))
            .collect();
        outputs::write_dotenv(path, &pairs)
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

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};
    use chrono_tz::Tz;

    use super::date_in;
    use crate::schedule::Schedule;

    #[test]
    fn the_period_follows_the_configured_zone_not_utc() {
        let weekly: Schedule = "weekly:mon".parse().unwrap();
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // Sunday 2025-06-08 20:00 UTC is already Monday morning in Seoul: a new week there.
        let now = Utc.with_ymd_and_hms(2025, 6, 8, 20, 0, 0).unwrap();
        assert_eq!(weekly.period_date(date_in(Tz::UTC, now)), Some(date(2025, 6, 2)));
        assert_eq!(weekly.period_date(date_in(Tz::Asia__Seoul, now)), Some(date(2025, 6, 9)));
        // Monday 2025-06-09 03:00 UTC is still Sunday evening in Los Angeles: last week there.
        let now = Utc.with_ymd_and_hms(2025, 6, 9, 3, 0, 0).unwrap();
        assert_eq!(weekly.period_date(date_in(Tz::America__Los_Angeles, now)), Some(date(2025, 6, 2)));
        assert_eq!(weekly.period_date(date_in(Tz::Europe__Berlin, now)), Some(date(2025, 6, 9)));
        // New Year's Eve in UTC is New Year's Day in Auckland: another ISO week and month.
        let now = Utc.with_ymd_and_hms(2025, 12, 31, 12, 0, 0).unwrap();
        let monthly: Schedule = "monthly:first-mon".parse().unwrap();
        assert_eq!(monthly.period_date(date_in(Tz::UTC, now)), Some(date(2025, 12, 1)));
        assert_eq!(monthly.period_date(date_in(Tz::Pacific__Auckland, now)), Some(date(2026, 1, 5)));
    }
}
