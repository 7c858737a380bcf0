//! Turns raw input strings into the typed settings of each module, collecting every problem.

use std::fmt::Display;
use std::path::PathBuf;
use std::time::Duration;

use super::inputs::{Raw, Runner, Value};
use super::{Place, Problem, parse};
use crate::confluence::Carry;
use crate::confluence::{self, ClientCredentials, Flavor, SignIn, Site};
use crate::ensure::{Options, Report, SourceMode};
use crate::filing::Groups;
use crate::holidays::{HolidaysSource, OffDaySettings};
use crate::http::{CaBundle, HttpSettings};
use crate::offdays::{OffDayRule, SkipList};
use crate::outputs::{self, LogFormat};
use crate::remind::{Mode, People, Remind};
use crate::run::{self, Job};
use crate::schedule::Schedule;
use crate::secret::{Masker, Secret};
use crate::storage::{CarryRule, ClearRule, Prepare, RuleError, Rules, TaskMode};
use crate::title::TitleTemplate;
use crate::webhook::{self, Webhook, WebhookFormat, WebhookWhen};

/// `CONFLUENCE_DAYS_AHEAD` at most: a month, enough to make a monthly page a whole period early.
const MAX_DAYS_AHEAD: u32 = 31;

/// The run-wide settings.
pub(super) struct Globals {
    pub run: run::Settings,
    pub log_format: LogFormat,
    pub outputs: outputs::Settings,
}

/// Which credentials a report gives.
enum Auth<'a> {
    /// `CONFLUENCE_TOKEN`.
    Token(&'a str),
    /// `CONFLUENCE_CLIENT_ID`, `CONFLUENCE_CLIENT_SECRET`.
    Client(&'a str, &'a str),
}

/// Collects problems while turning raw strings into typed values.
#[derive(Default)]
pub(super) struct Validator {
    pub problems: Vec<Problem>,
    /// The config file being validated, named in its problems.
    pub file: Option<Place>,
    /// The config-file report being validated, named in its problems.
    pub report: Option<String>,
    /// `CONFLUENCE_MODE`, once the run-wide settings are read: what a report must give.
    pub mode: Mode,
}

impl Validator {
    pub fn problem(&mut self, variable: &'static str, message: impl Into<String>) {
        let (file, report) = (self.file.clone(), self.report.clone());
        self.problems.push(Problem { variable, file, report, message: message.into() });
    }

    /// Parses a value (or its default), recording a problem when it is invalid.
    fn parse<T, E: Display>(&mut self, value: &Value, parse: impl FnOnce(&str) -> Result<T, E>) -> Option<T> {
        match parse(value.get()?) {
            Ok(v) => Some(v),
            Err(err) => {
                self.problem(value.input.name, err.to_string());
                None
            }
        }
    }

    /// The value, recording a problem when it is missing: `what` says what to give.
    fn required<'a>(&mut self, value: &'a Value, what: &str) -> Option<&'a str> {
        if value.get().is_none() {
            self.problem(value.input.name, format!("is required: {what}"));
        }
        value.get()
    }

    /// The settings of the whole run.
    pub fn globals(&mut self, raw: &Raw, runner: &Runner) -> Option<Globals> {
        let dry_run = self.parse(&raw.confluence_dry_run, parse::boolean);
        let timeout =
            self.parse(&raw.confluence_timeout, |s| parse::count(s, 1, 3600).map(|n| Duration::from_secs(n.into())));
        let max_retries = self.parse(&raw.confluence_max_retries, |s| parse::count(s, 0, 20));
        let concurrency = self.parse(&raw.confluence_concurrency, |s| parse::count(s, 1, 64));
        let ca = self.parse(&raw.confluence_ca_cert, CaBundle::read);
        let log_format = self.parse(&raw.log_format, parse::log_format);
        let mode = self.parse(&raw.confluence_mode, str::parse::<Mode>);
        self.mode = mode.unwrap_or_default();
        let gitlab_ci = runner.gitlab_ci.as_deref() == Some("true");
        let outputs = outputs::Settings {
            github_actions: runner.github_actions.as_deref() == Some("true"),
            github_output: runner.github_output.as_ref().map(PathBuf::from),
            github_step_summary: runner.github_step_summary.as_ref().map(PathBuf::from),
            dotenv: raw
                .confluence_dotenv
                .get()
                .map(PathBuf::from)
                .or_else(|| gitlab_ci.then(|| PathBuf::from("confluence-weekly.env"))),
            bitbucket_variables: runner.bitbucket_pipelines_variables_path.as_ref().map(PathBuf::from),
        };
        let (max_retries, concurrency) = (max_retries?, concurrency? as usize);
        let http = HttpSettings { timeout: timeout?, max_retries, concurrency, ca };
        // A lost create answer gets the retry budget of any other failed request.
        let options = Options { dry_run: dry_run?, lost_answer_retries: max_retries, concurrency };
        let run_url = runner.run_url();
        let run = run::Settings { http, options, masker: Masker::default(), run_url, mode: mode? };
        Some(Globals { run, log_format: log_format?, outputs })
    }

    /// One report and its site.
    pub fn job(&mut self, name: &str, raw: &Raw) -> Option<Job> {
        let site = self.site(raw);
        let root_page_id = self.required(
            &raw.confluence_root_page_id,
            "the numeric id of the parent page (the number in its URL, or Page information)",
        );
        let root_page_id = root_page_id.and_then(|_| self.parse(&raw.confluence_root_page_id, parse::page_id));
        let template_page_id = self.parse(&raw.confluence_template_page_id, parse::page_id);
        let title = self.parse(&raw.confluence_title_template, TitleTemplate::parse);
        let schedule = self.parse(&raw.confluence_schedule, str::parse::<Schedule>);
        let timezone = self.parse(&raw.confluence_timezone, parse::timezone);
        let date = self.parse(&raw.confluence_date, parse::date);
        let lookback = self.parse(&raw.confluence_lookback, |s| parse::count(s, 0, 520));
        let source = self.parse(&raw.confluence_source, parse::source);
        let days_ahead = self.parse(&raw.confluence_days_ahead, |s| parse::count(s, 0, MAX_DAYS_AHEAD));
        let filing = self.filing(&raw.confluence_archive, title.as_ref(), schedule.as_ref());
        if source == Some(SourceMode::Template) && template_page_id.is_none() {
            self.problem(
                raw.confluence_template_page_id.input.name,
                "is required when CONFLUENCE_SOURCE=template: the id of the page to copy",
            );
        }
        let copy_labels = self.parse(&raw.confluence_copy_labels, parse::boolean);
        let copy_attachments = self.parse(&raw.confluence_copy_attachments, parse::boolean);
        let prepare = self.prepare(raw);
        let replace_dates = self.parse(&raw.confluence_replace_dates, parse::date_shift);
        let webhook = self.webhook(raw);
        let remind = self.remind(raw);
        let off_day = self.parse(&raw.confluence_off_day, str::parse::<OffDayRule>);
        let off_days = self.off_days(raw);
        Some(Job {
            site: site?,
            report: Report {
                name: name.to_owned(),
                root_page_id: root_page_id?,
                space_key: raw.confluence_space_key.get().map(str::to_owned),
                title: title?,
                schedule: schedule?,
                lookback: lookback?,
                template_page_id,
                source: source?,
                carry: Carry { labels: copy_labels?, attachments: copy_attachments? },
                prepare: prepare?,
                replace_dates: replace_dates?,
                off_day: off_day?,
            },
            timezone: timezone?,
            date,
            days_ahead: days_ahead?,
            filing: filing?,
            webhook: webhook?,
            remind: remind?,
            off_days: off_days?,
        })
    }

    /// `CONFLUENCE_SKIP`, `CONFLUENCE_HOLIDAYS` (never quoted: it may be a private address) and
    /// `CONFLUENCE_HOLIDAYS_MATCH`.
    fn off_days(&mut self, raw: &Raw) -> Option<OffDaySettings> {
        let skip = self.parse(&raw.confluence_skip, str::parse::<SkipList>);
        let holidays = self.parse(&raw.confluence_holidays, HolidaysSource::parse);
        let only = self.parse(&raw.confluence_holidays_match, |s| {
            regex::Regex::new(s).map_err(|err| {
                // The regex crate's message spans lines (the pattern, a caret, the error): keep the error.
                let text = err.to_string();
                let last = text.lines().rfind(|l| !l.trim().is_empty()).unwrap_or_default().to_owned();
                format!("is not a regular expression: {}", last.trim().trim_start_matches("error: "))
            })
        });
        let skip = if raw.confluence_skip.is_set() { skip? } else { SkipList::default() };
        if raw.confluence_holidays.is_set() && holidays.is_none()
            || raw.confluence_holidays_match.is_set() && only.is_none()
        {
            return None;
        }
        Some(OffDaySettings { skip, holidays, only })
    }

    /// `CONFLUENCE_CARRY`, `CONFLUENCE_CLEAR`, `CONFLUENCE_TASKS` and `CONFLUENCE_RESET_TASKS`:
    /// every bad rule line is a problem naming its line.
    fn prepare(&mut self, raw: &Raw) -> Option<Prepare> {
        let carry = self.rule_lines(&raw.confluence_carry, CarryRule::parse);
        let clear = self.rule_lines(&raw.confluence_clear, ClearRule::parse);
        let tasks = self.parse(&raw.confluence_tasks, str::parse::<TaskMode>);
        let reset = self.parse(&raw.confluence_reset_tasks, parse::boolean);
        let (tasks, reset) = (tasks?, reset?);
        let tasks = match (tasks, reset) {
            (TaskMode::Keep, true) if !raw.confluence_tasks.is_set() => TaskMode::Reopen,
            (TaskMode::Reopen, _) | (_, false) => tasks,
            (other, true) => {
                self.problem(
                    raw.confluence_reset_tasks.input.name,
                    format!(
                        "is true (reopen completed tasks) but CONFLUENCE_TASKS is `{other}`; drop CONFLUENCE_RESET_TASKS, or set CONFLUENCE_TASKS=reopen"
                    ),
                );
                return None;
            }
        };
        Some(Prepare::new(Rules { carry: carry?, clear: clear? }, tasks))
    }

    /// One rule a line (blank lines skipped); each bad line is a problem that names it.
    fn rule_lines<T>(&mut self, value: &Value, parse: impl Fn(&str) -> Result<T, RuleError>) -> Option<Vec<T>> {
        let Some(text) = value.get() else { return Some(Vec::new()) };
        let (mut rules, mut ok) = (Vec::new(), true);
        for (n, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
            match parse(line) {
                Ok(rule) => rules.push(rule),
                Err(err) => {
                    self.problem(value.input.name, format!("line {}: {err}", n + 1));
                    ok = false;
                }
            }
        }
        ok.then_some(rules)
    }

    /// `CONFLUENCE_REMIND` (required in `remind` mode) and `CONFLUENCE_PEOPLE`.
    fn remind(&mut self, raw: &Raw) -> Option<Remind> {
        let names: Vec<String> = raw
            .confluence_remind
            .get()
            .map(|text| text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default();
        if self.mode == Mode::Remind && names.is_empty() {
            self.problem(
                raw.confluence_remind.input.name,
                "is required with CONFLUENCE_MODE=remind (or --remind): the columns or sections each person fills, one name per line",
            );
            return None;
        }
        let people = match raw.confluence_people.get() {
            Some(_) => self.parse(&raw.confluence_people, People::parse)?,
            None => People::default(),
        };
        Some(Remind { names, people })
    }

    /// `CONFLUENCE_ARCHIVE`: `Some(None)` when unset, `None` on a problem (one per bad line).
    /// The lines are checked against the title template and schedule when those are valid.
    fn filing(
        &mut self,
        value: &Value,
        title: Option<&TitleTemplate>,
        schedule: Option<&Schedule>,
    ) -> Option<Option<Groups>> {
        let Some(text) = value.get() else { return Some(None) };
        let checked = Groups::parse(text).and_then(|groups| match (&groups, title, schedule) {
            (Some(lines), Some(title), Some(schedule)) => lines.check(title, schedule).map(|()| groups),
            _ => Ok(groups),
        });
        match checked {
            Ok(groups) => Some(groups),
            Err(errors) => {
                for err in errors {
                    self.problem(value.input.name, err.to_string());
                }
                None
            }
        }
    }

    /// The site and how to sign in there.
    fn site(&mut self, raw: &Raw) -> Option<Site> {
        let base_url = self.required(
            &raw.confluence_base_url,
            "the Confluence URL, e.g. https://confluence.example.com or https://example.atlassian.net/wiki",
        );
        let base_url = base_url.and_then(|_| self.parse(&raw.confluence_base_url, confluence::parse_base_url));
        let flavor = match (&base_url, self.parse(&raw.confluence_flavor, parse::flavor)) {
            (_, Some(Some(flavor))) => Some(flavor),
            (Some(url), Some(None)) => Some(confluence::detect_flavor(url)),
            _ => None,
        };
        let token_url = self.parse(&raw.confluence_oauth_token_url, confluence::parse_http_url);
        let gateway = self.parse(&raw.confluence_gateway_url, confluence::parse_http_url);
        let (token, id, secret) =
            (raw.confluence_token.get(), raw.confluence_client_id.get(), raw.confluence_client_secret.get());
        let credentials = match (token, id, secret) {
            (Some(token), None, None) => Auth::Token(token),
            (None, Some(id), Some(secret)) => Auth::Client(id, secret),
            (Some(_), _, _) => {
                self.problem(
                    raw.confluence_token.input.name,
                    "is set together with CONFLUENCE_CLIENT_ID/CONFLUENCE_CLIENT_SECRET: give either a token or a service account's client credentials, not both",
                );
                return None;
            }
            (None, Some(_), None) => {
                self.problem(
                    raw.confluence_client_secret.input.name,
                    "is required with CONFLUENCE_CLIENT_ID: the service account's OAuth 2.0 client secret",
                );
                return None;
            }
            (None, None, Some(_)) => {
                self.problem(
                    raw.confluence_client_id.input.name,
                    "is required with CONFLUENCE_CLIENT_SECRET: the service account's OAuth 2.0 client id",
                );
                return None;
            }
            (None, None, None) => {
                self.problem(
                    raw.confluence_token.input.name,
                    "is required: a personal access token (Data Center) or an API token (Cloud); or give a service account's CONFLUENCE_CLIENT_ID and CONFLUENCE_CLIENT_SECRET instead",
                );
                return None;
            }
        };
        let user = raw.confluence_user.get().map(str::to_owned);
        match credentials {
            Auth::Token(token) => {
                if flavor == Some(Flavor::Cloud) && user.is_none() {
                    self.problem(
                        raw.confluence_user.input.name,
                        "is required for Confluence Cloud: the Atlassian account email that owns CONFLUENCE_TOKEN (Cloud API tokens are sent as Basic auth email:token); or run as a service account with CONFLUENCE_CLIENT_ID and CONFLUENCE_CLIENT_SECRET",
                    );
                }
                let sign_in = SignIn::Token { token: Secret::new(token), user };
                Some(Site { base_url: base_url?, flavor: flavor?, sign_in })
            }
            Auth::Client(id, secret) => {
                let (base_url, flavor) = (base_url?, flavor?);
                let token_url = match token_url {
                    Some(url) => url,
                    None if raw.confluence_oauth_token_url.is_set() => return None,
                    None => confluence::default_token_url(flavor, &base_url),
                };
                let credentials = ClientCredentials {
                    client_id: id.trim().to_owned(),
                    client_secret: Secret::new(secret.trim()),
                    token_url,
                    gateway: gateway?,
                };
                // The access token is sent as Bearer: CONFLUENCE_USER is not used.
                Some(Site { base_url, flavor, sign_in: SignIn::ServiceAccount(credentials) })
            }
        }
    }

    /// The webhook, if `WEBHOOK_URL` is set: `Some(None)` when it is not, `None` on a problem.
    fn webhook(&mut self, raw: &Raw) -> Option<Option<Webhook>> {
        let url = self.parse(&raw.webhook_url, |s| confluence::parse_http_url(s).map(|_| Secret::new(s.trim())));
        let format = self.parse(&raw.webhook_format, str::parse::<WebhookFormat>);
        let payload = self.parse(&raw.webhook_payload, |s| webhook::check_custom_payload(s).map(|()| s.to_owned()));
        let when = self.parse(&raw.webhook_when, str::parse::<WebhookWhen>);
        let on_failure = self.parse(&raw.webhook_on_failure, parse::boolean);
        let required = self.parse(&raw.webhook_required, parse::boolean);
        if raw.webhook_payload.is_set() && payload.is_none() {
            return None;
        }
        let (format, when, on_failure, required) = (format?, when?, on_failure?, required?);
        match (raw.webhook_url.is_set(), url) {
            (false, _) => Some(None),
            (true, None) => None,
            (true, Some(url)) => {
                let format = format.resolve(url.expose());
                Some(Some(Webhook { format, url, payload, when, on_failure, required }))
            }
        }
    }
}
