//! The environment contract (SPEC "Inputs"), read once into a validated [`Config`].
//!
//! Everything is read through a lookup function, so tests pass a map instead of mutating the
//! process environment. Every problem is collected, so a user fixes them all in one go.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use url::Url;

use crate::schedule::Schedule;
use crate::secret::Secret;
use crate::title::TitleTemplate;
use crate::webhook::{WebhookFormat, WebhookWhen};

/// One input of the environment contract. The README's input table is checked against this list.
#[derive(Debug)]
pub struct Input {
    pub name: &'static str,
    /// Older names (from the original Python script) read when `name` is unset.
    pub aliases: &'static [&'static str],
    pub default: Option<&'static str>,
    pub required: bool,
    pub help: &'static str,
}

const fn input(name: &'static str, default: Option<&'static str>, help: &'static str) -> Input {
    Input { name, aliases: &[], default, required: false, help }
}

/// Every input, in the order the README lists them.
pub const INPUTS: &[Input] = &[
    Input {
        required: true,
        ..input(
            "CONFLUENCE_BASE_URL",
            None,
            "Confluence URL including any context path, e.g. `https://confluence.example.com`, `https://intranet.example.com/confluence` or `https://example.atlassian.net/wiki` (`/wiki` is added for `*.atlassian.net`).",
        )
    },
    Input {
        aliases: &["CONFLUENCE_API_TOKEN"],
        required: true,
        ..input("CONFLUENCE_TOKEN", None, "Personal access token (Data Center) or API token (Cloud). Never printed.")
    },
    input("CONFLUENCE_USER", None, "Account email; when set, Basic auth is used. Required for Cloud."),
    input(
        "CONFLUENCE_FLAVOR",
        Some("auto"),
        "`auto`, `cloud` or `datacenter`; `auto` means Cloud when the host ends in `.atlassian.net`.",
    ),
    Input {
        aliases: &["ROOT_PAGE_ID"],
        required: true,
        ..input("CONFLUENCE_ROOT_PAGE_ID", None, "Numeric id of the parent page the period pages live under.")
    },
    input("CONFLUENCE_SPACE_KEY", None, "Space of the pages (default: the root page's space); saves one request."),
    input(
        "CONFLUENCE_TITLE_TEMPLATE",
        Some("{date} Weekly Report"),
        "`{date}` = `YYYY-MM-DD`, `{date:FMT}` = strftime `FMT`, `{{`/`}}` = literal braces. Must contain a `{date…}` placeholder.",
    ),
    input(
        "CONFLUENCE_SCHEDULE",
        Some("weekly:thu"),
        "`weekly:DAY`, `biweekly:DAY@YYYY-MM-DD`, `monthly:N`, `monthly:last`, `monthly:first-DAY`…`monthly:fourth-DAY`, `monthly:last-DAY`, `daily`, `weekdays`.",
    ),
    input(
        "CONFLUENCE_TIMEZONE",
        Some("UTC"),
        "IANA time zone name, e.g. `Asia/Seoul` (built in; no system tzdata needed).",
    ),
    input(
        "CONFLUENCE_DATE",
        None,
        "`YYYY-MM-DD`: act as if today were that day (backfills, tests). Default: today in the time zone.",
    ),
    input("CONFLUENCE_LOOKBACK", Some("4"), "How many periods before the previous one to search for a source page."),
    input("CONFLUENCE_TEMPLATE_PAGE_ID", None, "Page copied when no earlier period page exists."),
    input(
        "CONFLUENCE_SOURCE",
        Some("previous"),
        "`previous` (copy the last period's page) or `template` (always copy the template page).",
    ),
    input("CONFLUENCE_COPY_LABELS", Some("true"), "Copy the source page's labels."),
    input(
        "CONFLUENCE_COPY_ATTACHMENTS",
        Some("true"),
        "Copy the source page's attachments, so embedded images keep working.",
    ),
    input("CONFLUENCE_RESET_TASKS", Some("false"), "Turn every completed task in the copy back into an open one."),
    input(
        "CONFLUENCE_REPLACE_DATES",
        Some("false"),
        "Replace the source page's date (as in its title, and as `YYYY-MM-DD`) in the body with the new date.",
    ),
    input("CONFLUENCE_DRY_RUN", Some("false"), "Read only: print the plan, write nothing, send nothing."),
    input("CONFLUENCE_TIMEOUT", Some("30"), "Seconds per HTTP request."),
    input("CONFLUENCE_MAX_RETRIES", Some("4"), "Retries for 429/502/503/504 and connection errors."),
    input(
        "CONFLUENCE_CA_CERT",
        None,
        "Path to an extra PEM CA bundle (internal Data Center CAs), on top of the built-in public roots.",
    ),
    input("CONFLUENCE_CONFIG", None, "YAML file with several reports (see \"Many reports\")."),
    input(
        "CONFLUENCE_DOTENV",
        None,
        "Where to write the dotenv outputs. Default: `confluence-weekly.env` when `GITLAB_CI=true`, else none.",
    ),
    input("WEBHOOK_URL", None, "Where to notify (treated as a secret: only its host is logged)."),
    input(
        "WEBHOOK_FORMAT",
        Some("auto"),
        "`auto`, `slack-workflow`, `slack`, `teams`, `google-chat`, `discord` or `json`.",
    ),
    input(
        "WEBHOOK_PAYLOAD",
        None,
        "Custom JSON body; `{{page_url}}`, `{{page_title}}`, `{{page_id}}`, `{{created}}`, `{{report_date}}` are substituted, JSON-escaped.",
    ),
    input("WEBHOOK_WHEN", Some("always"), "`always`, `created` or `never`."),
    input("LOG_FORMAT", Some("text"), "`text` or `json` (one JSON object per line on stderr)."),
];

/// Which Confluence API the run talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    DataCenter,
    Cloud,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceMode {
    Previous,
    Template,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Which Confluence site a report talks to, and as whom.
#[derive(Debug, Clone)]
pub struct Site {
    /// Normalised: no trailing slash; `/wiki` added for `*.atlassian.net`.
    pub base_url: Url,
    pub flavor: Flavor,
    pub token: Secret,
    /// Basic auth with this user when set, Bearer otherwise.
    pub user: Option<String>,
}

/// Settings of the run's one HTTP client.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub timeout: Duration,
    pub max_retries: u32,
    /// Extra trusted roots, already checked to parse.
    pub ca_cert_pem: Option<Vec<u8>>,
}

/// Where and how to notify.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: Secret,
    pub format: WebhookFormat,
    pub payload: Option<String>,
    pub when: WebhookWhen,
}

/// What to copy, where, and when.
#[derive(Debug, Clone)]
pub struct Report {
    pub name: String,
    pub root_page_id: String,
    pub space_key: Option<String>,
    pub title: TitleTemplate,
    pub schedule: Schedule,
    pub timezone: Tz,
    pub date: Option<NaiveDate>,
    pub lookback: u32,
    pub template_page_id: Option<String>,
    pub source: SourceMode,
    pub copy_labels: bool,
    pub copy_attachments: bool,
    pub reset_tasks: bool,
    pub replace_dates: bool,
    pub webhook: Option<Webhook>,
}

/// One report and the site it lives on.
#[derive(Debug, Clone)]
pub struct Job {
    pub site: Site,
    pub report: Report,
}

/// Where the CI outputs go.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    pub github_actions: bool,
    pub github_output: Option<PathBuf>,
    pub github_step_summary: Option<PathBuf>,
    pub dotenv: Option<PathBuf>,
}

/// The validated configuration of one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// One job, or one per report of `CONFLUENCE_CONFIG`.
    pub jobs: Vec<Job>,
    /// Whether the jobs come from a config file (changes the shape of the CI outputs).
    pub from_file: bool,
    pub http: HttpSettings,
    pub dry_run: bool,
    pub log_format: LogFormat,
    pub outputs: Outputs,
}

/// One invalid input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub variable: &'static str,
    /// The report of `CONFLUENCE_CONFIG` it belongs to, if any.
    pub report: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.report {
            Some(report) => write!(f, "{} (report `{report}`): {}", self.variable, self.message),
            None => write!(f, "{}: {}", self.variable, self.message),
        }
    }
}

/// Every invalid input of a run, reported together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// The raw inputs as strings, deserialized by `envy` from the (name, value) pairs of the lookup.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Raw {
    confluence_base_url: Option<String>,
    confluence_token: Option<String>,
    confluence_user: Option<String>,
    confluence_flavor: Option<String>,
    confluence_root_page_id: Option<String>,
    confluence_space_key: Option<String>,
    confluence_title_template: Option<String>,
    confluence_schedule: Option<String>,
    confluence_timezone: Option<String>,
    confluence_date: Option<String>,
    confluence_lookback: Option<String>,
    confluence_template_page_id: Option<String>,
    confluence_source: Option<String>,
    confluence_copy_labels: Option<String>,
    confluence_copy_attachments: Option<String>,
    confluence_reset_tasks: Option<String>,
    confluence_replace_dates: Option<String>,
    confluence_dry_run: Option<String>,
    confluence_timeout: Option<String>,
    confluence_max_retries: Option<String>,
    confluence_ca_cert: Option<String>,
    confluence_dotenv: Option<String>,
    webhook_url: Option<String>,
    webhook_format: Option<String>,
    webhook_payload: Option<String>,
    webhook_when: Option<String>,
    log_format: Option<String>,
    // Set by the CI runners, not by users.
    github_actions: Option<String>,
    github_output: Option<String>,
    github_step_summary: Option<String>,
    gitlab_ci: Option<String>,
}

/// Variables the runners set; read with the inputs.
const RUNNER_VARIABLES: &[&str] = &["GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITLAB_CI"];

type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The value of `name` (or of its first set alias), with empty values treated as unset.
fn lookup_input(lookup: Lookup<'_>, input: &Input) -> Option<String> {
    std::iter::once(input.name).chain(input.aliases.iter().copied()).filter_map(lookup).find(|value| !value.is_empty())
}

/// Every input (and runner variable) `lookup` has, deserialized by `envy` into [`Raw`].
fn read_raw(lookup: Lookup<'_>) -> Raw {
    let pairs = INPUTS.iter().filter_map(|input| Some((input.name.to_owned(), lookup_input(lookup, input)?))).chain(
        RUNNER_VARIABLES
            .iter()
            .filter_map(|&name| lookup(name).filter(|v| !v.is_empty()).map(|v| (name.to_owned(), v))),
    );
    // Every field is an optional string, so deserializing cannot fail.
    envy::from_iter(pairs).unwrap_or_default()
}

impl Config {
    /// Reads and validates every input. `lookup` returns a variable's value (real environment
    /// first, then `.env`, in `main`); command-line flags are applied by the caller's lookup.
    /// With `CONFLUENCE_CONFIG`, each report reads its own keys, then `defaults`, then `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let lookup: Lookup<'_> = &lookup;
        let mut v = Validator::default();
        let config_file = lookup("CONFLUENCE_CONFIG").filter(|p| !p.is_empty());
        let (globals, jobs) = match &config_file {
            None => {
                let raw = read_raw(lookup);
                (v.globals(&raw), vec![v.job("default", &raw)])
            }
            Some(path) => match crate::reports::ReportsFile::read(path, lookup) {
                Err(message) => {
                    v.problem("CONFLUENCE_CONFIG", message);
                    (None, Vec::new())
                }
                Ok(file) => {
                    for problem in &file.problems {
                        v.problem("CONFLUENCE_CONFIG", problem.clone());
                    }
                    let globals = v.globals(&read_raw(&|name| file.default_value(name, lookup)));
                    let jobs = file
                        .reports
                        .iter()
                        .map(|report| {
                            v.report = Some(report.name.clone());
                            for problem in &report.problems {
                                v.problem("CONFLUENCE_CONFIG", problem.clone());
                            }
                            let job = v.job(&report.name, &read_raw(&|name| file.value(report, name, lookup)));
                            v.report = None;
                            job
                        })
                        .collect();
                    (globals, jobs)
                }
            },
        };
        if !v.problems.is_empty() {
            // In the README's order (a config file's problems stay grouped by report).
            if config_file.is_none() {
                v.problems.sort_by_key(|p| INPUTS.iter().position(|i| i.name == p.variable));
            }
            return Err(ConfigError { problems: v.problems });
        }
        let (Some((http, dry_run, log_format, outputs)), Some(jobs)) = (globals, jobs.into_iter().collect()) else {
            unreachable!("every missing value is recorded as a problem");
        };
        Ok(Config { jobs, from_file: config_file.is_some(), http, dry_run, log_format, outputs })
    }
}

/// Collects problems while turning raw strings into typed values.
#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
    /// The config-file report being validated, named in its problems.
    report: Option<String>,
}

impl Validator {
    fn problem(&mut self, variable: &'static str, message: impl Into<String>) {
        self.problems.push(Problem { variable, report: self.report.clone(), message: message.into() });
    }

    /// Parses an optional value, recording a problem when it is invalid.
    fn parse<T>(
        &mut self,
        variable: &'static str,
        value: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match parse(value?) {
            Ok(v) => Some(v),
            Err(message) => {
                self.problem(variable, message);
                None
            }
        }
    }

    /// Parses `value`, or the input's documented default when unset.
    fn parse_or_default<T>(
        &mut self,
        variable: &'static str,
        value: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let default = INPUTS.iter().find(|i| i.name == variable).and_then(|i| i.default);
        self.parse(variable, value.or(default), parse)
    }

    fn required<'a>(&mut self, variable: &'static str, value: Option<&'a str>, what: &str) -> Option<&'a str> {
        if value.is_none() {
            self.problem(variable, format!("is required: {what}"));
        }
        value
    }

    /// The settings of the whole run.
    fn globals(&mut self, raw: &Raw) -> Option<(HttpSettings, bool, LogFormat, Outputs)> {
        let dry_run = self.parse_or_default("CONFLUENCE_DRY_RUN", raw.confluence_dry_run.as_deref(), parse_bool);
        let timeout = self.parse_or_default("CONFLUENCE_TIMEOUT", raw.confluence_timeout.as_deref(), |s| {
            parse_count(s, 1, 3600).map(|n| Duration::from_secs(n.into()))
        });
        let max_retries = self.parse_or_default("CONFLUENCE_MAX_RETRIES", raw.confluence_max_retries.as_deref(), |s| {
            parse_count(s, 0, 20)
        });
        let ca_cert_pem = self.parse("CONFLUENCE_CA_CERT", raw.confluence_ca_cert.as_deref(), read_ca_cert);
        let log_format =
            self.parse_or_default("LOG_FORMAT", raw.log_format.as_deref(), |s| match s.to_ascii_lowercase().as_str() {
                "text" => Ok(LogFormat::Text),
                "json" => Ok(LogFormat::Json),
                _ => Err(format!("unknown log format `{s}`; use text or json")),
            });
        let gitlab_ci = raw.gitlab_ci.as_deref() == Some("true");
        let outputs = Outputs {
            github_actions: raw.github_actions.as_deref() == Some("true"),
            github_output: raw.github_output.as_ref().map(PathBuf::from),
            github_step_summary: raw.github_step_summary.as_ref().map(PathBuf::from),
            dotenv: raw
                .confluence_dotenv
                .as_ref()
                .map(PathBuf::from)
                .or_else(|| gitlab_ci.then(|| PathBuf::from("confluence-weekly.env"))),
        };
        let http = HttpSettings { timeout: timeout?, max_retries: max_retries?, ca_cert_pem };
        Some((http, dry_run?, log_format?, outputs))
    }

    /// One report and its site.
    fn job(&mut self, name: &str, raw: &Raw) -> Option<Job> {
        let site = self.site(raw);
        let root_page_id = self.required(
            "CONFLUENCE_ROOT_PAGE_ID",
            raw.confluence_root_page_id.as_deref(),
            "the numeric id of the parent page (the number in its URL, or Page information)",
        );
        let root_page_id = self.parse("CONFLUENCE_ROOT_PAGE_ID", root_page_id, parse_page_id);
        let template_page_id =
            self.parse("CONFLUENCE_TEMPLATE_PAGE_ID", raw.confluence_template_page_id.as_deref(), parse_page_id);
        let title = self.parse_or_default("CONFLUENCE_TITLE_TEMPLATE", raw.confluence_title_template.as_deref(), |s| {
            TitleTemplate::parse(s).map_err(|e| e.to_string())
        });
        let schedule = self.parse_or_default("CONFLUENCE_SCHEDULE", raw.confluence_schedule.as_deref(), |s| {
            s.parse::<Schedule>().map_err(|e| e.to_string())
        });
        let timezone = self.parse_or_default("CONFLUENCE_TIMEZONE", raw.confluence_timezone.as_deref(), |s| {
            s.trim().parse::<Tz>().map_err(|_| {
                format!("unknown time zone `{s}`; use an IANA name such as UTC, Europe/Berlin or Asia/Seoul")
            })
        });
        let date = self.parse("CONFLUENCE_DATE", raw.confluence_date.as_deref(), parse_date);
        let lookback = self
            .parse_or_default("CONFLUENCE_LOOKBACK", raw.confluence_lookback.as_deref(), |s| parse_count(s, 0, 520));
        let source = self.parse_or_default("CONFLUENCE_SOURCE", raw.confluence_source.as_deref(), |s| {
            match s.to_ascii_lowercase().as_str() {
                "previous" => Ok(SourceMode::Previous),
                "template" => Ok(SourceMode::Template),
                _ => Err(format!("unknown source `{s}`; use previous or template")),
            }
        });
        if source == Some(SourceMode::Template) && template_page_id.is_none() {
            self.problem(
                "CONFLUENCE_TEMPLATE_PAGE_ID",
                "is required when CONFLUENCE_SOURCE=template: the id of the page to copy",
            );
        }
        let copy_labels =
            self.parse_or_default("CONFLUENCE_COPY_LABELS", raw.confluence_copy_labels.as_deref(), parse_bool);
        let copy_attachments = self.parse_or_default(
            "CONFLUENCE_COPY_ATTACHMENTS",
            raw.confluence_copy_attachments.as_deref(),
            parse_bool,
        );
        let reset_tasks =
            self.parse_or_default("CONFLUENCE_RESET_TASKS", raw.confluence_reset_tasks.as_deref(), parse_bool);
        let replace_dates =
            self.parse_or_default("CONFLUENCE_REPLACE_DATES", raw.confluence_replace_dates.as_deref(), parse_bool);
        let webhook = self.webhook(raw);
        Some(Job {
            site: site?,
            report: Report {
                name: name.to_owned(),
                root_page_id: root_page_id?,
                space_key: raw.confluence_space_key.clone(),
                title: title?,
                schedule: schedule?,
                timezone: timezone?,
                date,
                lookback: lookback?,
                template_page_id,
                source: source?,
                copy_labels: copy_labels?,
                copy_attachments: copy_attachments?,
                reset_tasks: reset_tasks?,
                replace_dates: replace_dates?,
                webhook: webhook?,
            },
        })
    }

    fn site(&mut self, raw: &Raw) -> Option<Site> {
        let base_url = self.required(
            "CONFLUENCE_BASE_URL",
            raw.confluence_base_url.as_deref(),
            "the Confluence URL, e.g. https://confluence.example.com or https://example.atlassian.net/wiki",
        );
        let base_url = self.parse("CONFLUENCE_BASE_URL", base_url, parse_base_url);
        let token = self.required(
            "CONFLUENCE_TOKEN",
            raw.confluence_token.as_deref(),
            "a personal access token (Data Center) or an API token (Cloud)",
        );
        let flavor = self.parse_or_default("CONFLUENCE_FLAVOR", raw.confluence_flavor.as_deref(), |s| {
            match s.to_ascii_lowercase().as_str() {
                "auto" => Ok(None),
                "cloud" => Ok(Some(Flavor::Cloud)),
                "datacenter" | "data-center" | "server" => Ok(Some(Flavor::DataCenter)),
                _ => Err(format!("unknown flavour `{s}`; use auto, cloud or datacenter")),
            }
        });
        let flavor = match (&base_url, flavor) {
            (_, Some(Some(flavor))) => Some(flavor),
            (Some(url), Some(None)) => Some(detect_flavor(url)),
            _ => None,
        };
        let user = raw.confluence_user.clone();
        if flavor == Some(Flavor::Cloud) && user.is_none() {
            self.problem(
                "CONFLUENCE_USER",
                "is required for Confluence Cloud: the Atlassian account email that owns CONFLUENCE_TOKEN (Cloud API tokens are sent as Basic auth email:token)",
            );
        }
        Some(Site { base_url: base_url?, flavor: flavor?, token: Secret::new(token?), user })
    }

    /// The webhook, if `WEBHOOK_URL` is set: `Some(None)` when it is not, `None` on a problem.
    fn webhook(&mut self, raw: &Raw) -> Option<Option<Webhook>> {
        let url =
            self.parse("WEBHOOK_URL", raw.webhook_url.as_deref(), |s| parse_http_url(s).map(|_| Secret::new(s.trim())));
        let format = self.parse_or_default("WEBHOOK_FORMAT", raw.webhook_format.as_deref(), |s| {
            s.parse::<WebhookFormat>().map_err(|e| e.to_string())
        });
        let payload = self.parse("WEBHOOK_PAYLOAD", raw.webhook_payload.as_deref(), |s| {
            crate::webhook::check_custom_payload(s).map(|()| s.to_owned())
        });
        if raw.webhook_payload.is_some() && payload.is_none() {
            return None;
        }
        let when = self.parse_or_default("WEBHOOK_WHEN", raw.webhook_when.as_deref(), |s| {
            s.parse::<WebhookWhen>().map_err(|e| e.to_string())
        });
        let (format, when) = (format?, when?);
        match (raw.webhook_url.is_some(), url) {
            (false, _) => Some(None),
            (true, None) => None,
            (true, Some(url)) => Some(Some(Webhook { format: format.resolve(url.expose()), url, payload, when })),
        }
    }
}

/// Cloud when the host is an Atlassian site, Data Center otherwise.
pub fn detect_flavor(base_url: &Url) -> Flavor {
    if is_atlassian_site(base_url) { Flavor::Cloud } else { Flavor::DataCenter }
}

fn is_atlassian_site(url: &Url) -> bool {
    url.host_str().is_some_and(|h| h.to_ascii_lowercase().ends_with(".atlassian.net"))
}

fn parse_http_url(s: &str) -> Result<Url, String> {
    let url = Url::parse(s.trim())
        .map_err(|e| format!("`{s}` is not a URL ({e}); expected e.g. https://confluence.example.com"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("`{s}` is not an http(s) URL; expected e.g. https://confluence.example.com"));
    }
    Ok(url)
}

/// Parses the base URL: http(s) only, no query, no trailing slash, `/wiki` added on Atlassian sites.
pub fn parse_base_url(s: &str) -> Result<Url, String> {
    let mut url = parse_http_url(s)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "`{s}` must not have a query or fragment; give the site URL, e.g. https://confluence.example.com"
        ));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    let path = if is_atlassian_site(&url) && !(path == "/wiki" || path.starts_with("/wiki/")) {
        format!("/wiki{path}")
    } else {
        path
    };
    url.set_path(&path);
    Ok(url)
}

fn parse_page_id(s: &str) -> Result<String, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "`{s}` is not a page id; use the page's numeric id (e.g. 123456, from its URL or Page information)"
        ))
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date; use YYYY-MM-DD, e.g. 2025-06-05"))
}

/// `true/false/1/0/yes/no`, any case.
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("`{s}` is not a boolean; use true or false (also 1/0, yes/no)")),
    }
}

fn parse_count(s: &str, min: u32, max: u32) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("`{s}` is not valid; use a whole number from {min} to {max}")),
    }
}

fn read_ca_cert(path: &str) -> Result<Vec<u8>, String> {
    let pem =
        std::fs::read(path).map_err(|e| format!("cannot read `{path}` ({e}); use the path of a PEM CA bundle"))?;
    match reqwest::Certificate::from_pem_bundle(&pem) {
        Ok(certs) if !certs.is_empty() => Ok(pem),
        _ => Err(format!("`{path}` holds no PEM certificate; use a file with -----BEGIN CERTIFICATE----- blocks")),
    }
}

/// A lookup over a fixed map, for tests and the demo.
pub fn map_lookup(map: BTreeMap<String, String>) -> impl Fn(&str) -> Option<String> {
    move |name| map.get(name).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: BTreeMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(map_lookup(map))
    }

    const MINIMAL: &[(&str, &str)] = &[
        ("CONFLUENCE_BASE_URL", "https://confluence.example.com/"),
        ("CONFLUENCE_TOKEN", "pat-secret"),
        ("CONFLUENCE_ROOT_PAGE_ID", "123456"),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut vars = MINIMAL.to_vec();
        vars.extend_from_slice(extra);
        vars
    }

    fn problems(vars: &[(&str, &str)]) -> Vec<&'static str> {
        config(vars).unwrap_err().problems.iter().map(|p| p.variable).collect()
    }

    #[test]
    fn defaults_follow_the_spec() {
        let c = config(MINIMAL).unwrap();
        assert_eq!(c.jobs[0].site.base_url.as_str(), "https://confluence.example.com/");
        assert_eq!(c.jobs[0].site.flavor, Flavor::DataCenter);
        assert_eq!(c.http.timeout, Duration::from_secs(30));
        assert_eq!(c.http.max_retries, 4);
        assert_eq!(c.jobs[0].report.schedule, "weekly:thu".parse().unwrap());
        assert_eq!(c.jobs[0].report.timezone, Tz::UTC);
        assert_eq!(c.jobs[0].report.lookback, 4);
        assert_eq!(
            c.jobs[0].report.title.render(NaiveDate::from_ymd_opt(2025, 6, 5).unwrap()),
            "2025-06-05 Weekly Report"
        );
        assert!(c.jobs[0].report.copy_labels && c.jobs[0].report.copy_attachments);
        assert!(!c.jobs[0].report.reset_tasks && !c.jobs[0].report.replace_dates && !c.dry_run);
        assert!(c.jobs[0].report.webhook.is_none());
        assert!(c.outputs.dotenv.is_none());
    }

    #[test]
    fn empty_environment_names_every_required_variable() {
        assert_eq!(problems(&[]), ["CONFLUENCE_BASE_URL", "CONFLUENCE_TOKEN", "CONFLUENCE_ROOT_PAGE_ID"]);
    }

    #[test]
    fn empty_values_count_as_unset() {
        let vars = with(&[("CONFLUENCE_SCHEDULE", ""), ("WEBHOOK_URL", ""), ("CONFLUENCE_LOOKBACK", "")]);
        let c = config(&vars).unwrap();
        assert_eq!(c.jobs[0].report.lookback, 4);
        assert!(c.jobs[0].report.webhook.is_none());
    }

    #[test]
    fn aliases_from_the_python_script_are_accepted() {
        let c = config(&[
            ("CONFLUENCE_BASE_URL", "https://confluence.example.com"),
            ("CONFLUENCE_API_TOKEN", "old-token"),
            ("ROOT_PAGE_ID", "42"),
            ("WEBHOOK_URL", "https://hooks.slack.com/triggers/T/1/abc"),
        ])
        .unwrap();
        assert_eq!(c.jobs[0].site.token.expose(), "old-token");
        assert_eq!(c.jobs[0].report.root_page_id, "42");
        assert_eq!(c.jobs[0].report.webhook.as_ref().unwrap().format, WebhookFormat::SlackWorkflow);
    }

    #[test]
    fn the_new_name_wins_over_its_alias() {
        let c = config(&with(&[("CONFLUENCE_API_TOKEN", "old"), ("ROOT_PAGE_ID", "7")])).unwrap();
        assert_eq!(c.jobs[0].site.token.expose(), "pat-secret");
        assert_eq!(c.jobs[0].report.root_page_id, "123456");
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases: &[(&str, &str)] = &[
            ("CONFLUENCE_ROOT_PAGE_ID", "abc"),
            ("CONFLUENCE_TIMEZONE", "Asia/Seol"),
            ("CONFLUENCE_SCHEDULE", "hourly"),
            ("CONFLUENCE_TITLE_TEMPLATE", "Weekly Report"),
            ("CONFLUENCE_TITLE_TEMPLATE", "{date:%Q} Weekly"),
            ("CONFLUENCE_COPY_LABELS", "maybe"),
            ("CONFLUENCE_BASE_URL", "ftp://confluence.example.com"),
            ("CONFLUENCE_DATE", "2025-13-01"),
            ("WEBHOOK_FORMAT", "mattermost"),
            ("CONFLUENCE_LOOKBACK", "-1"),
            ("CONFLUENCE_FLAVOR", "onprem"),
            ("WEBHOOK_WHEN", "sometimes"),
            ("CONFLUENCE_TIMEOUT", "0"),
            ("CONFLUENCE_TIMEOUT", "soon"),
            ("WEBHOOK_PAYLOAD", "{not json"),
            ("CONFLUENCE_CA_CERT", "/nonexistent/ca.pem"),
            ("CONFLUENCE_SOURCE", "latest"),
            ("LOG_FORMAT", "xml"),
        ];
        for &(var, value) in cases {
            let err = config(&with(&[(var, value), ("WEBHOOK_URL", "https://example.com/hook")])).unwrap_err();
            assert_eq!(err.problems.len(), 1, "{var}={value}: {err}");
            assert_eq!(err.problems[0].variable, var, "{var}={value}: {err}");
            assert!(err.to_string().starts_with(&format!("{var}: ")), "{err}");
        }
    }

    #[test]
    fn several_bad_values_are_reported_together() {
        let vars = with(&[
            ("CONFLUENCE_TIMEZONE", "Mars/Base"),
            ("CONFLUENCE_DRY_RUN", "perhaps"),
            ("CONFLUENCE_LOOKBACK", "x"),
        ]);
        assert_eq!(problems(&vars), ["CONFLUENCE_TIMEZONE", "CONFLUENCE_LOOKBACK", "CONFLUENCE_DRY_RUN"]);
        let text = config(&vars).unwrap_err().to_string();
        assert_eq!(text.lines().count(), 3);
    }

    #[test]
    fn booleans_accept_the_documented_spellings() {
        for (s, b) in
            [("true", true), ("TRUE", true), ("1", true), ("Yes", true), ("false", false), ("0", false), ("NO", false)]
        {
            assert_eq!(parse_bool(s), Ok(b), "{s}");
        }
        assert!(parse_bool("on").is_err());
    }

    #[test]
    fn base_urls_keep_context_paths_and_gain_wiki_on_atlassian_sites() {
        let cases = [
            ("https://confluence.example.com", "https://confluence.example.com/"),
            ("https://intranet.example.com/confluence/", "https://intranet.example.com/confluence"),
            ("https://example.atlassian.net", "https://example.atlassian.net/wiki"),
            ("https://example.atlassian.net/", "https://example.atlassian.net/wiki"),
            ("https://example.atlassian.net/wiki/", "https://example.atlassian.net/wiki"),
        ];
        for (given, want) in cases {
            assert_eq!(parse_base_url(given).unwrap().as_str(), want, "{given}");
        }
    }

    #[test]
    fn flavor_is_detected_from_the_host_unless_set() {
        let cloud = config(&[
            ("CONFLUENCE_BASE_URL", "https://example.atlassian.net"),
            ("CONFLUENCE_TOKEN", "t"),
            ("CONFLUENCE_USER", "me@example.com"),
            ("CONFLUENCE_ROOT_PAGE_ID", "1"),
        ])
        .unwrap();
        assert_eq!(cloud.jobs[0].site.flavor, Flavor::Cloud);
        assert_eq!(cloud.jobs[0].site.base_url.as_str(), "https://example.atlassian.net/wiki");
        let forced = config(&with(&[("CONFLUENCE_FLAVOR", "cloud"), ("CONFLUENCE_USER", "me@example.com")])).unwrap();
        assert_eq!(forced.jobs[0].site.flavor, Flavor::Cloud);
        let dc = config(&[
            ("CONFLUENCE_BASE_URL", "https://example.atlassian.net"),
            ("CONFLUENCE_FLAVOR", "datacenter"),
            ("CONFLUENCE_TOKEN", "t"),
            ("CONFLUENCE_ROOT_PAGE_ID", "1"),
        ])
        .unwrap();
        assert_eq!(dc.jobs[0].site.flavor, Flavor::DataCenter);
    }

    #[test]
    fn cloud_without_user_asks_for_the_account_email() {
        let err = config(&[
            ("CONFLUENCE_BASE_URL", "https://example.atlassian.net/wiki"),
            ("CONFLUENCE_TOKEN", "t"),
            ("CONFLUENCE_ROOT_PAGE_ID", "1"),
        ])
        .unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert_eq!(err.problems[0].variable, "CONFLUENCE_USER");
        assert!(err.problems[0].message.contains("email"), "{err}");
    }

    #[test]
    fn template_source_needs_a_template_page() {
        assert_eq!(problems(&with(&[("CONFLUENCE_SOURCE", "template")])), ["CONFLUENCE_TEMPLATE_PAGE_ID"]);
    }

    #[test]
    fn dotenv_defaults_on_gitlab_only() {
        let gitlab = config(&with(&[("GITLAB_CI", "true")])).unwrap();
        assert_eq!(gitlab.outputs.dotenv, Some(PathBuf::from("confluence-weekly.env")));
        let custom = config(&with(&[("GITLAB_CI", "true"), ("CONFLUENCE_DOTENV", "out/cw.env")])).unwrap();
        assert_eq!(custom.outputs.dotenv, Some(PathBuf::from("out/cw.env")));
    }

    #[test]
    fn problems_never_echo_the_token() {
        let err = config(&[("CONFLUENCE_TOKEN", "pat-secret"), ("CONFLUENCE_TIMEZONE", "pat-secret")]).unwrap_err();
        // The timezone echo is the user's own bad value, not the token variable.
        assert!(!err.problems.iter().any(|p| p.variable == "CONFLUENCE_TOKEN"));
        let c = config(MINIMAL).unwrap();
        assert!(!format!("{c:?}").contains("pat-secret"));
    }

    #[test]
    fn every_input_has_a_raw_field() {
        // envy maps NAME to field `name`; a row without a field would be silently ignored.
        let fields = format!("{:?}", Raw::default());
        for input in INPUTS.iter().filter(|i| i.name != "CONFLUENCE_CONFIG") {
            assert!(fields.contains(&format!("{}:", input.name.to_ascii_lowercase())), "{}", input.name);
        }
    }
}
