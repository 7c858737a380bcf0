//! The environment contract, read once into a validated [`Config`].
//!
//! Everything is read through a lookup function, so tests pass a map instead of mutating the
//! process environment. Every problem is collected, so a user fixes them all in one go.
//!
//! Layout: `inputs` declares every input once; `parse` holds the small parsers; `validate`
//! turns raw strings into each module's settings; `file` reads `CONFLUENCE_CONFIG`.

mod file;
mod inputs;
mod parse;
mod validate;

use std::collections::BTreeMap;
use std::fmt;

pub use inputs::{INPUTS, Input, Scope};

use crate::outputs::{self, LogFormat};
use crate::run::{self, Job};
use inputs::{Raw, RawEnv, Runner};
use validate::Validator;

/// The validated configuration of one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// One job, or one per report of `CONFLUENCE_CONFIG`.
    pub jobs: Vec<Job>,
    /// Whether the jobs come from a config file (changes the shape of the CI outputs).
    pub from_file: bool,
    /// Run-wide settings: HTTP and dry run.
    pub run: run::Settings,
    /// `LOG_FORMAT`.
    pub log_format: LogFormat,
    /// Where the CI outputs go.
    pub outputs: outputs::Settings,
}

/// One invalid input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub variable: &'static str,
    /// The `CONFLUENCE_CONFIG` file it comes from, with line and column when known.
    pub file: Option<Place>,
    /// The report of `CONFLUENCE_CONFIG` it belongs to, if any.
    pub report: Option<String>,
    pub message: String,
}

/// A place in a config file, printed as compilers do: `path`, `path:line:column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub path: String,
    pub line_column: Option<(usize, usize)>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line_column {
            Some((line, column)) => write!(f, "{}:{line}:{column}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
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

type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The value of `name` (or of its first set alias), with empty values treated as unset.
fn lookup_input(lookup: Lookup<'_>, input: &Input) -> Option<String> {
    std::iter::once(input.name).chain(input.aliases.iter().copied()).filter_map(lookup).find(|value| !value.is_empty())
}

/// Every input `lookup` has, deserialized by `envy`; its errors become problems.
fn read_raw(v: &mut Validator, lookup: Lookup<'_>) -> Raw {
    let pairs = INPUTS.iter().filter_map(|input| Some((input.name.to_owned(), lookup_input(lookup, input)?)));
    match envy::from_iter::<_, RawEnv>(pairs) {
        Ok(env) => Raw::from(env),
        Err(err) => {
            v.problem("environment", format!("could not be read ({err})"));
            Raw::from(RawEnv::default())
        }
    }
}

/// The variables the CI runners set.
fn read_runner(v: &mut Validator, lookup: Lookup<'_>) -> Runner {
    let pairs = Runner::VARIABLES
        .iter()
        .filter_map(|&name| lookup(name).filter(|v| !v.is_empty()).map(|v| (name.to_owned(), v)));
    envy::from_iter(pairs).unwrap_or_else(|err| {
        v.problem("environment", format!("could not be read ({err})"));
        Runner::default()
    })
}

impl Config {
    /// Reads and validates every input. `lookup` returns a variable's value (real environment
    /// first, then `.env`, in `main`); command-line flags are applied by the caller's lookup.
    /// With `CONFLUENCE_CONFIG`, each report reads its own keys, then `defaults`, then `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let lookup: Lookup<'_> = &lookup;
        let mut v = Validator::default();
        let runner = read_runner(&mut v, lookup);
        let env = read_raw(&mut v, lookup);
        let config_file = env.confluence_config.get().map(str::to_owned);
        let (globals, jobs) = match &config_file {
            None => (v.globals(&env, &runner), vec![v.job("default", &env)]),
            Some(path) => match file::ReportsFile::read(path, lookup) {
                Err(err) => {
                    v.file = Some(Place { path: path.clone(), line_column: err.place() });
                    v.problem("CONFLUENCE_CONFIG", err.to_string());
                    (None, Vec::new())
                }
                Ok(file) => {
                    v.file = Some(Place { path: path.clone(), line_column: None });
                    for problem in &file.problems {
                        v.problem("CONFLUENCE_CONFIG", problem.clone());
                    }
                    let raw = read_raw(&mut v, &|name| file.default_value(name, lookup));
                    let globals = v.globals(&raw, &runner);
                    let jobs = file
                        .reports
                        .iter()
                        .map(|report| {
                            v.report = Some(report.name.clone());
                            for problem in &report.problems {
                                v.problem("CONFLUENCE_CONFIG", problem.clone());
                            }
                            let raw = read_raw(&mut v, &|name| file.value(report, name, lookup));
                            let job = v.job(&report.name, &raw);
                            v.report = None;
                            job
                        })
                        .collect();
                    (globals, jobs)
                }
            },
        };
        let jobs: Option<Vec<Job>> = jobs.into_iter().collect();
        match (globals, jobs) {
            (Some(globals), Some(jobs)) if v.problems.is_empty() => Ok(Config {
                jobs,
                from_file: config_file.is_some(),
                run: globals.run,
                log_format: globals.log_format,
                outputs: globals.outputs,
            }),
            _ => {
                // In the README's order (a config file's problems stay grouped by report).
                if config_file.is_none() {
                    v.problems.sort_by_key(|p| INPUTS.iter().position(|i| i.name == p.variable));
                }
                Err(ConfigError { problems: v.problems })
            }
        }
    }
}

/// A lookup over a fixed map, for tests and the demo.
pub fn map_lookup(map: BTreeMap<String, String>) -> impl Fn(&str) -> Option<String> {
    move |name| map.get(name).cloned()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use chrono::NaiveDate;
    use chrono_tz::Tz;

    use super::*;
    use crate::confluence::{ClientCredentials, Flavor, SignIn};
    use crate::run::Job;
    use crate::webhook::WebhookFormat;

    /// The report's token; panics for a service account.
    fn token(job: &Job) -> &str {
        match &job.site.sign_in {
            SignIn::Token { token, .. } => token.expose(),
            SignIn::ServiceAccount(_) => panic!("expected a token"),
        }
    }

    /// The report's client credentials; panics for a token.
    fn credentials_of(job: &Job) -> &ClientCredentials {
        match &job.site.sign_in {
            SignIn::ServiceAccount(credentials) => credentials,
            SignIn::Token { .. } => panic!("expected a service account"),
        }
    }

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
        assert_eq!(c.run.http.timeout, Duration::from_secs(30));
        assert_eq!(c.run.http.max_retries, 4);
        assert_eq!(c.run.http.concurrency, 8);
        assert_eq!(c.jobs[0].report.schedule, "weekly:thu".parse().unwrap());
        assert_eq!(c.jobs[0].timezone, Tz::UTC);
        assert_eq!(c.jobs[0].report.lookback, 4);
        assert_eq!(
            c.jobs[0].report.title.render(crate::period::Period::day(NaiveDate::from_ymd_opt(2025, 6, 5).unwrap())),
            "2025-06-05 Weekly Report"
        );
        assert!(c.jobs[0].report.carry.labels && c.jobs[0].report.carry.attachments);
        assert!(c.jobs[0].report.prepare.is_noop() && !c.run.options.dry_run);
        assert_eq!(c.jobs[0].report.replace_dates, crate::ensure::DateShift::Off);
        assert!(c.jobs[0].webhook.is_none());
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
        assert!(c.jobs[0].webhook.is_none());
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
        assert_eq!(token(&c.jobs[0]), "old-token");
        assert_eq!(c.jobs[0].report.root_page_id, "42");
        assert_eq!(c.jobs[0].webhook.as_ref().unwrap().format, WebhookFormat::SlackWorkflow);
    }

    #[test]
    fn the_new_name_wins_over_its_alias() {
        let c = config(&with(&[("CONFLUENCE_API_TOKEN", "old"), ("ROOT_PAGE_ID", "7")])).unwrap();
        assert_eq!(token(&c.jobs[0]), "pat-secret");
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
            ("CONFLUENCE_CONCURRENCY", "0"),
            ("CONFLUENCE_CONCURRENCY", "65"),
            ("WEBHOOK_PAYLOAD", "{not json"),
            ("CONFLUENCE_CA_CERT", "/nonexistent/ca.pem"),
            ("CONFLUENCE_SOURCE", "latest"),
            ("CONFLUENCE_DAYS_AHEAD", "-1"),
            ("CONFLUENCE_DAYS_AHEAD", "32"),
            ("CONFLUENCE_ARCHIVE", "{date:%Y-%m-%d}"),
            ("CONFLUENCE_ARCHIVE", "Archive"),
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

    const SERVICE_ACCOUNT: &[(&str, &str)] = &[
        ("CONFLUENCE_BASE_URL", "https://example.atlassian.net"),
        ("CONFLUENCE_CLIENT_ID", "client-1"),
        ("CONFLUENCE_CLIENT_SECRET", "client-SECRET"),
        ("CONFLUENCE_ROOT_PAGE_ID", "1"),
    ];

    fn service_account(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut vars = SERVICE_ACCOUNT.to_vec();
        vars.extend_from_slice(extra);
        vars
    }

    #[test]
    fn client_credentials_replace_the_token_and_the_user_on_both_flavours() {
        let c = config(SERVICE_ACCOUNT).unwrap();
        let job = &c.jobs[0];
        let credentials = credentials_of(job);
        assert_eq!(job.site.flavor, Flavor::Cloud);
        assert_eq!(credentials.client_id, "client-1");
        assert_eq!(credentials.client_secret.expose(), "client-SECRET");
        assert_eq!(credentials.token_url.as_str(), "https://auth.atlassian.com/oauth/token");
        assert_eq!(credentials.gateway.as_str(), "https://api.atlassian.com/");

        assert!(!format!("{c:?}").contains("client-SECRET"), "never in Debug output");

        let c = config(&service_account(&[("CONFLUENCE_USER", "me@example.com")])).unwrap();
        credentials_of(&c.jobs[0]);

        let dc =
            config(&service_account(&[("CONFLUENCE_BASE_URL", "https://intranet.example.com/confluence/")])).unwrap();
        let credentials = credentials_of(&dc.jobs[0]);
        assert_eq!(dc.jobs[0].site.flavor, Flavor::DataCenter);
        assert_eq!(credentials.token_url.as_str(), "https://intranet.example.com/confluence/rest/oauth2/latest/token");

        let proxied = config(&service_account(&[
            ("CONFLUENCE_OAUTH_TOKEN_URL", "http://127.0.0.1:9/oauth/token"),
            ("CONFLUENCE_GATEWAY_URL", "http://127.0.0.1:9"),
        ]))
        .unwrap();
        let credentials = credentials_of(&proxied.jobs[0]);
        assert_eq!(credentials.token_url.as_str(), "http://127.0.0.1:9/oauth/token");
        assert_eq!(credentials.gateway.as_str(), "http://127.0.0.1:9/");
        assert!(config(MINIMAL).unwrap().jobs[0].site.sign_in.client_id().is_none());
    }

    #[test]
    fn a_token_with_client_credentials_or_half_the_credentials_is_a_problem() {
        assert_eq!(problems(&service_account(&[("CONFLUENCE_TOKEN", "t")])), ["CONFLUENCE_TOKEN"]);
        let err = config(&service_account(&[("CONFLUENCE_TOKEN", "t")])).unwrap_err().to_string();
        assert!(err.contains("not both") && !err.contains("client-SECRET"), "{err}");
        let only_id: Vec<_> =
            SERVICE_ACCOUNT.iter().copied().filter(|(k, _)| *k != "CONFLUENCE_CLIENT_SECRET").collect();
        assert_eq!(problems(&only_id), ["CONFLUENCE_CLIENT_SECRET"]);
        let only_secret: Vec<_> =
            SERVICE_ACCOUNT.iter().copied().filter(|(k, _)| *k != "CONFLUENCE_CLIENT_ID").collect();
        assert_eq!(problems(&only_secret), ["CONFLUENCE_CLIENT_ID"]);
        assert_eq!(
            problems(&service_account(&[("CONFLUENCE_OAUTH_TOKEN_URL", "auth.example.com/token")])),
            ["CONFLUENCE_OAUTH_TOKEN_URL"]
        );
        assert_eq!(problems(&service_account(&[("CONFLUENCE_GATEWAY_URL", "gateway")])), ["CONFLUENCE_GATEWAY_URL"]);
    }

    #[test]
    fn days_ahead_and_archive() {
        let c = config(MINIMAL).unwrap();
        assert_eq!(c.jobs[0].days_ahead, 0);
        assert!(c.jobs[0].filing.is_none());
        let c = config(&with(&[
            ("CONFLUENCE_DAYS_AHEAD", "31"),
            ("CONFLUENCE_ARCHIVE", "주간보고 | {date:%Y} {date:%q}분기\n\n주간보고 | {date:%Y}\n"),
        ]))
        .unwrap();
        assert_eq!(c.jobs[0].days_ahead, 31);
        assert!(c.jobs[0].filing.is_some());
        assert!(config(&with(&[("CONFLUENCE_ARCHIVE", " \n ")])).unwrap().jobs[0].filing.is_none());
    }

    #[test]
    fn every_bad_archive_line_is_its_own_problem() {
        let err = config(&with(&[("CONFLUENCE_ARCHIVE", "Archive\n{date:%Y-%m}\nQ{date:%q")])).unwrap_err();
        let lines: Vec<String> = err.to_string().lines().map(str::to_owned).collect();
        assert_eq!(lines.len(), 2, "{err}");
        assert!(lines[0].starts_with("CONFLUENCE_ARCHIVE: line 1 `Archive`: the title template must"), "{err}");
        assert!(lines[1].starts_with("CONFLUENCE_ARCHIVE: line 3 `Q{date:%q`: unclosed"), "{err}");
        // Once every line parses, the lines are checked against the schedule.
        let err = config(&with(&[("CONFLUENCE_ARCHIVE", "{date:%Y}\n{date:%Y-%m}")])).unwrap_err();
        assert_eq!(err.problems.len(), 1, "{err}");
        assert!(err.to_string().starts_with("CONFLUENCE_ARCHIVE: line 1 `{date:%Y}` is not inside line 2"), "{err}");
        // A bad schedule is its own problem; the archive is not checked against it.
        assert_eq!(
            problems(&with(&[("CONFLUENCE_ARCHIVE", "{date:%Y}"), ("CONFLUENCE_SCHEDULE", "hourly")])),
            ["CONFLUENCE_SCHEDULE"]
        );
    }

    #[test]
    fn body_rules_and_task_modes() {
        use crate::ensure::DateShift;
        use crate::storage::TaskMode;
        let report = |extra| config(&with(extra)).unwrap().jobs.remove(0).report;
        let r = report(&[
            ("CONFLUENCE_CARRY", "Next week -> This week\n\n차주 예정 내역 -> 금주 진행 내역"),
            ("CONFLUENCE_CLEAR", "Notes"),
            ("CONFLUENCE_REPLACE_DATES", "period"),
        ]);
        assert_eq!((r.prepare.rules.carry.len(), r.prepare.rules.clear.len()), (2, 1));
        assert_eq!((r.prepare.tasks, r.replace_dates), (TaskMode::Keep, DateShift::Period));
        assert_eq!(report(&[("CONFLUENCE_RESET_TASKS", "yes")]).prepare.tasks, TaskMode::Reopen);
        let both = [("CONFLUENCE_RESET_TASKS", "true"), ("CONFLUENCE_TASKS", "reopen")];
        assert_eq!(report(&both).prepare.tasks, TaskMode::Reopen);
        let r = report(&[("CONFLUENCE_RESET_TASKS", "false"), ("CONFLUENCE_TASKS", "drop-done")]);
        assert_eq!(r.prepare.tasks, TaskMode::DropDone);
        assert_eq!(report(&[("CONFLUENCE_REPLACE_DATES", "1")]).replace_dates, DateShift::Title);

        let conflict = with(&[("CONFLUENCE_RESET_TASKS", "true"), ("CONFLUENCE_TASKS", "drop-done")]);
        assert_eq!(problems(&conflict), ["CONFLUENCE_RESET_TASKS"]);
        assert_eq!(problems(&with(&[("CONFLUENCE_TASKS", "drop")])), ["CONFLUENCE_TASKS"]);
        let err = config(&with(&[("CONFLUENCE_CARRY", "A -> B\nno arrow here"), ("CONFLUENCE_CLEAR", "x\n  \n")]))
            .unwrap_err();
        assert_eq!(err.problems.len(), 1, "{err}");
        assert!(
            err.to_string()
                .starts_with("CONFLUENCE_CARRY: line 2: carry rule `no arrow here` has no `->`; write `FROM -> TO`"),
            "{err}"
        );
        assert_eq!(
            problems(&with(&[("CONFLUENCE_CARRY", "Notes -> notes"), ("CONFLUENCE_CLEAR", "x")])),
            ["CONFLUENCE_CARRY"]
        );
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
        let err = config(&[
            ("CONFLUENCE_TOKEN", "pat-secret"),
            ("CONFLUENCE_BASE_URL", "https://confluence.example.com/?token=x"),
            ("CONFLUENCE_FLAVOR", "cloud"),
            ("CONFLUENCE_TIMEZONE", "Mars/Base"),
        ])
        .unwrap_err();
        assert!(err.problems.len() >= 3, "{err}");
        assert!(!err.to_string().contains("pat-secret"), "{err}");
        let c = config(MINIMAL).unwrap();
        assert!(!format!("{c:?}").contains("pat-secret"));
    }
}
