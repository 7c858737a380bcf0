//! A whole run: every report concurrently, each ensuring its page, filing its closed periods and
//! notifying its webhook. Running is separate from reporting: this returns each report's result,
//! and the reporter in `outputs` prints and writes them.

use chrono::NaiveDate;
use chrono_tz::Tz;
use futures_util::future::{join, join_all};

use crate::confluence::SignIn;
use crate::confluence::{self, Cloud, Confluence, DataCenter, Flavor, Site};
use crate::ensure::{self, EnsureError, Ensured, Options, Report};
use crate::error_text::one_line;
use crate::exit_codes::ExitCode;
use crate::filing::{self, Filing, FilingError, Groups};
use crate::holidays::{self, HolidaysError, OffDaySettings};
use crate::http::{Http, HttpSettings};
use crate::offdays::OffDays;
use crate::outcome::Outcome;
use crate::remind::{self, Mode, Remind, RemindError};
use crate::secret::{self, Masker, Secret};
use crate::webhook::{self, Failure, Webhook, WebhookError};

/// One report and everything it needs besides the run-wide settings.
#[derive(Debug, Clone)]
pub struct Job {
    /// The Confluence site and how to sign in there.
    pub site: Site,
    /// What to ensure.
    pub report: Report,
    /// `CONFLUENCE_TIMEZONE`: where "today" is.
    pub timezone: Tz,
    /// `CONFLUENCE_DATE`: act as if today were this day.
    pub date: Option<NaiveDate>,
    /// `CONFLUENCE_DAYS_AHEAD`: act for the period that contains today + this many days.
    pub days_ahead: u32,
    /// `CONFLUENCE_ARCHIVE`: the group pages to file closed periods under.
    pub filing: Option<Groups>,
    /// `WEBHOOK_*`, when `WEBHOOK_URL` is set.
    pub webhook: Option<Webhook>,
    /// `CONFLUENCE_REMIND` and `CONFLUENCE_PEOPLE`: what a reminder looks for and whom it pings.
    pub remind: Remind,
    /// `CONFLUENCE_SKIP`, `CONFLUENCE_HOLIDAYS` and `CONFLUENCE_HOLIDAYS_MATCH`.
    pub off_days: OffDaySettings,
}

/// The run-wide settings of [`run`], built once from the configuration and borrowed by every
/// report.
#[derive(Debug, Clone)]
pub struct Settings {
    pub http: HttpSettings,
    /// How every report's page and filing write (`CONFLUENCE_DRY_RUN` among them).
    pub options: Options,
    /// Told every secret the run learns (service accounts' access tokens), so that the printing
    /// side can have the CI runner hide it; none by default.
    pub masker: Masker,
    /// The CI run's link (GitHub, GitLab or Bitbucket), for failure messages.
    pub run_url: Option<String>,
    /// `CONFLUENCE_MODE` (or `--remind`): ensure the pages, or remind people to write.
    pub mode: Mode,
}

/// Why (part of) a run failed; each maps to an exit code.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("could not set up the HTTP client (CONFLUENCE_CA_CERT?)")]
    Client(#[source] reqwest::Error),
    #[error(transparent)]
    Ensure(Box<EnsureError>),
    /// Filing closed periods (`CONFLUENCE_ARCHIVE`) failed; the page itself is fine.
    #[error(transparent)]
    Filing(Box<FilingError>),
    #[error(transparent)]
    Remind(Box<RemindError>),
    #[error(transparent)]
    Webhook(#[from] WebhookError),
    #[error("could not write {what} ({path})")]
    Output { what: &'static str, path: String, source: std::io::Error },
}

impl From<EnsureError> for RunError {
    fn from(err: EnsureError) -> Self {
        Self::Ensure(Box::new(err))
    }
}

impl From<RemindError> for RunError {
    fn from(err: RemindError) -> Self {
        Self::Remind(Box::new(err))
    }
}

impl From<FilingError> for RunError {
    fn from(err: FilingError) -> Self {
        Self::Filing(Box::new(err))
    }
}

impl RunError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::Webhook(_) => ExitCode::WebhookFailed,
            Self::Client(_) | Self::Ensure(_) | Self::Remind(_) | Self::Filing(_) | Self::Output { .. } => {
                ExitCode::Failure
            }
        }
    }
}

/// What one report's run came to.
#[derive(Debug)]
pub struct ReportRun {
    /// The report's name.
    pub name: String,
    /// The result, when the page part succeeded (also when filing or the webhook then failed).
    pub outcome: Option<Outcome>,
    /// What went wrong, in order: the page, or filing problems and then the webhook.
    pub errors: Vec<RunError>,
}

impl ReportRun {
    /// The worst of its errors' codes.
    pub fn exit_code(&self) -> ExitCode {
        self.errors.iter().map(RunError::exit_code).fold(ExitCode::Success, ExitCode::worst)
    }
}

/// Runs every job concurrently over one HTTP client, whose `CONFLUENCE_CONCURRENCY` limit holds
/// for all of them together; returns their results in job order.
pub async fn run(jobs: &[Job], settings: &Settings) -> Result<Vec<ReportRun>, RunError> {
    let http = Http::new(&settings.http).map_err(RunError::Client)?;
    Ok(join_all(jobs.iter().map(|job| run_job(&http, job, settings))).await)
}

/// One report: the page and the filing, then the notification. A filing failure keeps the
/// outcome: the page is reported and notified, and the run fails. A report that fails (exit 1)
/// then posts its failure message (`WEBHOOK_ON_FAILURE`).
async fn run_job(http: &Http, job: &Job, settings: &Settings) -> ReportRun {
    let name = job.report.name.clone();
    if settings.mode == Mode::Remind {
        return reminder(http, job, settings).await;
    }
    let (mut outcome, filing) = match page(http, job, settings).await {
        Ok(done) => done,
        Err(err) => {
            let mut errors = vec![RunError::from(err)];
            errors.extend(tell_failure(http, job, settings, &errors[0]).await);
            return ReportRun { name, outcome: None, errors };
        }
    };
    let mut errors: Vec<RunError> = filing.into_iter().map(Into::into).collect();
    if let Some(hook) = &job.webhook {
        let sent = webhook::notify(http, hook, &outcome).await;
        delivered(hook, sent, &mut outcome, &mut errors);
    }
    if let Some(failed) = errors.iter().find(|err| err.exit_code() == ExitCode::Failure) {
        let undelivered = tell_failure(http, job, settings, failed).await;
        errors.extend(undelivered);
    }
    ReportRun { name, outcome: Some(outcome), errors }
}

/// Records how the message went: `notified`, and a failed delivery as an error, or with
/// `WEBHOOK_REQUIRED=false` as a warning.
fn delivered(hook: &Webhook, sent: Result<bool, WebhookError>, outcome: &mut Outcome, errors: &mut Vec<RunError>) {
    match sent {
        Ok(sent) => outcome.notified = sent.then_some(true),
        Err(err) => {
            outcome.notified = Some(false);
            if hook.required {
                errors.push(err.into());
            } else {
                let warning = format!("{} (WEBHOOK_REQUIRED=false: the run goes on)", one_line(&err));
                tracing::warn!("{warning}");
                outcome.warnings.push(warning);
            }
        }
    }
}

/// Posts the failure message for `err` when the report's webhook asks for one and this is no dry
/// run; returns the delivery error when it must be reported as an error (`WEBHOOK_REQUIRED`).
async fn tell_failure(http: &Http, job: &Job, settings: &Settings, err: &RunError) -> Option<RunError> {
    let hook = job.webhook.as_ref().filter(|hook| hook.on_failure && !settings.options.dry_run)?;
    let error = failure_text(job, err);
    let failure = Failure { report: &job.report.name, error: &error, run_url: settings.run_url.as_deref() };
    match webhook::notify_failure(http, hook, &failure).await {
        Ok(()) => None,
        Err(err) if hook.required => Some(err.into()),
        Err(err) => {
            tracing::warn!("{} (WEBHOOK_REQUIRED=false)", one_line(&err));
            None
        }
    }
}

/// The error as the failure message tells it: the one-line chain, with the report's secrets (the
/// token, a client secret, the webhook URL) hidden should any ever appear in it.
fn failure_text(job: &Job, err: &RunError) -> String {
    let mut secrets: Vec<&Secret> = Vec::new();
    match &job.site.sign_in {
        SignIn::Token { token, .. } => secrets.push(token),
        SignIn::ServiceAccount(credentials) => secrets.push(&credentials.client_secret),
    }
    secrets.extend(job.webhook.as_ref().map(|hook| &hook.url));
    secret::redact(&one_line(err), &secrets)
}

/// A reminder: who has not written on this period's page, then the chat message. It writes
/// nothing to Confluence.
async fn reminder(http: &Http, job: &Job, settings: &Settings) -> ReportRun {
    let name = job.report.name.clone();
    let outcome = async {
        let (api, today) = signed_in(http, job, settings).await?;
        let (report, dry_run) = (&job.report, settings.options.dry_run);
        match job.site.flavor {
            Flavor::DataCenter => {
                let dc = DataCenter::new(api, &report.root_page_id);
                remind::remind(&dc, report, &job.remind, today, dry_run, off_days(http, job)).await
            }
            Flavor::Cloud => {
                remind::remind(&Cloud::new(api), report, &job.remind, today, dry_run, off_days(http, job)).await
            }
        }
    };
    let mut outcome = match outcome.await {
        Ok(outcome) => outcome,
        Err(err) => {
            let mut errors = vec![RunError::from(err)];
            errors.extend(tell_failure(http, job, settings, &errors[0]).await);
            return ReportRun { name, outcome: None, errors };
        }
    };
    let mut errors = Vec::new();
    if let Some(hook) = &job.webhook {
        let sent = remind::message::notify(http, hook, &outcome, &job.remind.people).await;
        delivered(hook, sent, &mut outcome, &mut errors);
    }
    ReportRun { name, outcome: Some(outcome), errors }
}

/// Signed in to the report's site, and the day the run acts for.
async fn signed_in(http: &Http, job: &Job, settings: &Settings) -> Result<(confluence::Api, NaiveDate), EnsureError> {
    let site = &job.site;
    if site.base_url.scheme() == "http" {
        tracing::warn!(
            "CONFLUENCE_BASE_URL uses plain http: the credentials travel unencrypted; use https outside of tests"
        );
    }
    // Only a service account's sign-in can fail (a token is used as it is).
    let api = confluence::connect(http, site, &settings.masker).await.map_err(|source| EnsureError::SignIn {
        client_id: site.sign_in.client_id().unwrap_or_default().to_owned(),
        source,
    })?;
    Ok((api, acting_date(job.date.unwrap_or_else(|| date_in(job.timezone, chrono::Utc::now())), job.days_ahead)))
}

/// The report's off days, fetched (or read) only when the run asks for them, beside its first
/// lookup.
fn off_days<'a>(http: &'a Http, job: &'a Job) -> impl Future<Output = Result<OffDays, HolidaysError>> + 'a {
    if job.off_days.holidays.as_ref().is_some_and(|source| source.is_plain_http()) {
        tracing::warn!("CONFLUENCE_HOLIDAYS uses plain http: the calendar's address travels unencrypted; use https");
    }
    holidays::load(http, &job.off_days)
}

/// The page and its filing, with the flavour picked once here.
async fn page(http: &Http, job: &Job, settings: &Settings) -> Result<(Outcome, Vec<FilingError>), EnsureError> {
    let (api, today) = signed_in(http, job, settings).await?;
    let (report, groups, options) = (&job.report, job.filing.as_ref(), &settings.options);
    let off_days = off_days(http, job);
    match job.site.flavor {
        Flavor::DataCenter => {
            let c = DataCenter::new(api, &report.root_page_id);
            page_and_filing(&c, report, groups, today, options, off_days).await
        }
        Flavor::Cloud => page_and_filing(&Cloud::new(api), report, groups, today, options, off_days).await,
    }
}

/// Ensures the page for `today`, then files closed periods. When the report files and a page is
/// due, the root's children are listed alongside the page's first lookups (a request, no round
/// trip of its own) and handed to filing.
async fn page_and_filing<C: Confluence>(
    c: &C,
    report: &Report,
    groups: Option<&Groups>,
    today: NaiveDate,
    options: &Options,
    off_days: impl Future<Output = Result<OffDays, HolidaysError>>,
) -> Result<(Outcome, Vec<FilingError>), EnsureError> {
    let due = report.schedule.period_date(today).is_some();
    let listing = async {
        match groups {
            Some(_) if due => Some(c.children(&report.root_page_id).await),
            _ => None,
        }
    };
    let (ensured, listing) = join(ensure::ensure(c, report, today, options, off_days), listing).await;
    let Ensured { outcome, period } = ensured?;
    match (groups, &period, listing) {
        (Some(groups), Some(period), Some(listing)) => {
            let filed = filing::file(c, &Filing { groups, report, period }, options, listing).await;
            Ok((outcome.filed(filed.pages), filed.errors))
        }
        _ => Ok((outcome, Vec::new())),
    }
}

/// The day the run acts for: `today` plus `CONFLUENCE_DAYS_AHEAD` (the period containing it is
/// made, reported and notified).
fn acting_date(today: NaiveDate, days_ahead: u32) -> NaiveDate {
    today.checked_add_days(chrono::Days::new(days_ahead.into())).unwrap_or(today)
}

/// The calendar date at `now` in `zone`.
fn date_in(zone: Tz, now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};
    use chrono_tz::Tz;

    use super::{ReportRun, RunError, acting_date, date_in, page_and_filing};
    use crate::confluence::memory::Memory;
    use crate::ensure::tests::no_off_days;
    use crate::ensure::{Options, Report};
    use crate::exit_codes::ExitCode;
    use crate::filing::{FilingError, Groups};
    use crate::outcome::Outcome;
    use crate::schedule::Schedule;
    use crate::webhook::WebhookError;

    #[test]
    fn a_filing_failure_keeps_the_outcome_and_fails_the_run_even_when_the_webhook_fails_too() {
        let foreign = || FilingError::Foreign { title: "G".into(), url: "https://c/pages/9".into() };
        let webhook = || WebhookError::Delivery { host: "hooks.example.com".into(), detail: "503".into() };
        let run =
            |errors: Vec<RunError>| ReportRun { name: "r".into(), outcome: Some(Outcome::new("r", false)), errors };
        assert_eq!(run(vec![]).exit_code(), ExitCode::Success);
        assert_eq!(run(vec![webhook().into()]).exit_code(), ExitCode::WebhookFailed);
        assert_eq!(run(vec![foreign().into()]).exit_code(), ExitCode::Failure);
        assert_eq!(run(vec![foreign().into(), webhook().into()]).exit_code(), ExitCode::Failure);
        assert_eq!(run(vec![webhook().into(), foreign().into()]).exit_code(), ExitCode::Failure);
    }

    /// The shared weekly fixture's flat root, with the report and its group lines.
    fn weekly_root(memory: &Memory) -> (Report, Groups) {
        let report = crate::ensure::tests::weekly_report(memory);
        (report, Groups::parse(fake_confluence::weekly::ARCHIVE).unwrap().unwrap())
    }

    #[tokio::test]
    async fn filing_lists_the_root_beside_the_first_lookups_and_reports_what_it_filed() {
        let memory = Memory::default();
        let (report, groups) = weekly_root(&memory);
        let options = Options { dry_run: false, lost_answer_retries: 4, concurrency: 4 };
        let today = fake_confluence::weekly::last();
        let (outcome, errors) =
            page_and_filing(&memory, &report, Some(&groups), today, &options, no_off_days()).await.unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!((outcome.filed, outcome.text_field("archived")), (65, "65".to_owned()));
        let calls = memory.calls();
        let listed = calls.iter().position(|c| *c == format!("children {}", report.root_page_id)).expect("listed");
        let first_write = calls.iter().position(|c| c.starts_with("create")).expect("a group page made");
        assert!(listed < first_write, "listed before any write: {calls:?}");
        assert_eq!(calls.iter().filter(|c| c.starts_with("children")).count(), 1, "listed once: {calls:?}");
    }

    #[tokio::test]
    async fn nothing_is_listed_when_nothing_is_due_or_nothing_is_filed() {
        let memory = Memory::default();
        let (report, groups) = weekly_root(&memory);
        let options = Options { dry_run: false, lost_answer_retries: 4, concurrency: 4 };
        let saturday = NaiveDate::from_ymd_opt(2025, 6, 7).unwrap();
        let weekdays = Report { schedule: "weekdays".parse().unwrap(), ..report.clone() };
        let (outcome, errors) =
            page_and_filing(&memory, &weekdays, Some(&groups), saturday, &options, no_off_days()).await.unwrap();
        assert!(!outcome.due && errors.is_empty());
        assert!(memory.calls().is_empty(), "not due: no request at all: {:?}", memory.calls());
        let today = fake_confluence::weekly::last();
        let (outcome, _) = page_and_filing(&memory, &report, None, today, &options, no_off_days()).await.unwrap();
        assert_eq!(outcome.filed, 0);
        assert!(!memory.calls().iter().any(|c| c.starts_with("children")), "no filing: no listing");
    }

    #[test]
    fn days_ahead_moves_the_day_the_run_acts_for() {
        let weekly: Schedule = "weekly:mon".parse().unwrap();
        let friday = NaiveDate::from_ymd_opt(2025, 6, 6).unwrap();
        assert_eq!(weekly.period_date(acting_date(friday, 0)), NaiveDate::from_ymd_opt(2025, 6, 2));
        assert_eq!(weekly.period_date(acting_date(friday, 2)), NaiveDate::from_ymd_opt(2025, 6, 2));
        assert_eq!(weekly.period_date(acting_date(friday, 3)), NaiveDate::from_ymd_opt(2025, 6, 9));
        assert_eq!(acting_date(NaiveDate::MAX, 31), NaiveDate::MAX, "no panic at the end of time");
    }

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
