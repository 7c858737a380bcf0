//! The inputs, each declared once: name, aliases, default, scope and meaning. The README's input
//! table, `--help`, the `action.yml` check and the raw values the validator reads all follow
//! from this one list.

use serde::Deserialize;

/// One input of the environment contract.
#[derive(Debug, Clone, Copy)]
pub struct Input {
    /// The environment variable, e.g. `CONFLUENCE_BASE_URL`.
    pub name: &'static str,
    /// Older names (from the original Python script) read when `name` is unset.
    pub aliases: &'static [&'static str],
    /// The value used when it is unset, as the user would write it.
    pub default: Option<&'static str>,
    pub required: bool,
    /// Where it may be given.
    pub scope: Scope,
    /// One line for the README table and `--help`.
    pub help: &'static str,
    /// Several lines: a config file may give it as a YAML list (one item a line).
    pub lines: bool,
}

/// Where an input may be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Per report: the environment, or a config file's `defaults:` or report.
    Report,
    /// The whole run: the environment, or a config file's `defaults:` only.
    Run,
    /// Only the environment (or the command line).
    Environment,
}

const fn input(name: &'static str, default: Option<&'static str>, help: &'static str) -> Input {
    Input { name, aliases: &[], default, required: false, scope: Scope::Report, help, lines: false }
}

impl Input {
    const fn required(self) -> Self {
        Input { required: true, ..self }
    }

    const fn aliases(self, aliases: &'static [&'static str]) -> Self {
        Input { aliases, ..self }
    }

    const fn run_wide(self) -> Self {
        Input { scope: Scope::Run, ..self }
    }

    const fn lines(self) -> Self {
        Input { lines: true, ..self }
    }

    const fn environment_only(self) -> Self {
        Input { scope: Scope::Environment, ..self }
    }

    /// The key in a config file.
    pub fn file_key(&self) -> String {
        file_key(self.name)
    }
}

/// The config-file key of a variable: `CONFLUENCE_BASE_URL` → `base_url`, `WEBHOOK_URL` → `webhook_url`.
pub fn file_key(name: &str) -> String {
    name.strip_prefix("CONFLUENCE_").unwrap_or(name).to_ascii_lowercase()
}

/// One input's value as given (empty counts as unset), with the input it belongs to.
#[derive(Debug, Clone)]
pub struct Value {
    pub input: &'static Input,
    pub given: Option<String>,
}

impl Value {
    /// The given value, else the default.
    pub fn get(&self) -> Option<&str> {
        self.given.as_deref().or(self.input.default)
    }

    pub fn is_set(&self) -> bool {
        self.given.is_some()
    }
}

/// Declares the inputs once: `field: declaration;`, in README order. The field is the name in
/// lower case (envy's mapping; a unit test checks it), so a misspelling fails a test.
macro_rules! inputs {
    ($($field:ident: $input:expr;)*) => {
        /// Every input, in the order the README lists them.
        pub const INPUTS: &[Input] = &[$($input),*];

        /// The raw inputs as envy deserializes them from (name, value) pairs.
        #[derive(Debug, Default, Deserialize)]
        #[serde(default)]
        pub(super) struct RawEnv {
            $($field: Option<String>,)*
        }

        /// Every input's [`Value`], by field.
        #[derive(Debug, Clone)]
        pub(super) struct Raw {
            $(pub $field: Value,)*
        }

        impl From<RawEnv> for Raw {
            fn from(env: RawEnv) -> Raw {
                Raw { $($field: Value { input: { const INPUT: Input = $input; &INPUT }, given: env.$field },)* }
            }
        }

        /// (field, input name) pairs, for the test that keeps them in step.
        #[cfg(test)]
        const FIELDS: &[(&str, &str)] = &[$((stringify!($field), $input.name)),*];
    };
}

inputs! {
    confluence_base_url: input(
        "CONFLUENCE_BASE_URL",
        None,
        "Confluence URL including any context path, e.g. `https://confluence.example.com`, `https://intranet.example.com/confluence` or `https://example.atlassian.net/wiki` (`/wiki` is added for `*.atlassian.net`).",
    )
    .required();
    confluence_token: input(
        "CONFLUENCE_TOKEN",
        None,
        "Personal access token (Data Center) or API token (Cloud). Required unless `CONFLUENCE_CLIENT_ID` and `CONFLUENCE_CLIENT_SECRET` are given. Never printed.",
    )
    .aliases(&["CONFLUENCE_API_TOKEN"]);
    confluence_client_id: input(
        "CONFLUENCE_CLIENT_ID",
        None,
        "A service account's OAuth 2.0 client id (Cloud, or Data Center 10.x), with `CONFLUENCE_CLIENT_SECRET`, instead of `CONFLUENCE_TOKEN`: the run exchanges them for an hour's access token (see docs/service-accounts.md).",
    );
    confluence_client_secret: input(
        "CONFLUENCE_CLIENT_SECRET",
        None,
        "The service account's OAuth 2.0 client secret. Never printed; neither are the access tokens it is exchanged for.",
    );
    confluence_oauth_token_url: input(
        "CONFLUENCE_OAUTH_TOKEN_URL",
        None,
        "Where client credentials are exchanged (proxies, tests). Default: `https://auth.atlassian.com/oauth/token` on Cloud, `<base URL>/rest/oauth2/latest/token` on Data Center.",
    );
    confluence_gateway_url: input(
        "CONFLUENCE_GATEWAY_URL",
        Some("https://api.atlassian.com"),
        "Cloud with client credentials and a site URL: where Atlassian's API gateway is; requests go to `<gateway>/ex/confluence/<cloudId>/wiki` (proxies, tests).",
    );
    confluence_user: input(
        "CONFLUENCE_USER",
        None,
        "Account email; when set, Basic auth is used. Required for Cloud with `CONFLUENCE_TOKEN`; not used with client credentials.",
    );
    confluence_flavor: input(
        "CONFLUENCE_FLAVOR",
        Some("auto"),
        "`auto`, `cloud` or `datacenter`; `auto` means Cloud when the host ends in `.atlassian.net` or is `api.atlassian.com` (scoped tokens).",
    );
    confluence_root_page_id: input("CONFLUENCE_ROOT_PAGE_ID", None, "Numeric id of the parent page the period pages live under.")
        .aliases(&["ROOT_PAGE_ID"])
        .required();
    confluence_space_key: input(
        "CONFLUENCE_SPACE_KEY",
        None,
        "Space of the pages (default: the root page's space); saves one request.",
    );
    confluence_title_template: input(
        "CONFLUENCE_TITLE_TEMPLATE",
        Some("{date} Weekly Report"),
        "`{date}` = `YYYY-MM-DD`, `{date:FMT}` = strftime `FMT` (e.g. `{date:%Y%m%d} 주간 보고`); `{start}` and `{end}` = the period's first and last day; each takes a day offset, e.g. `{date+1}`, `{end-2}`, `{start:%m.%d} ~ {start+4:%m.%d}` (Monday–Friday); `{{`/`}}` = literal braces. Must contain a `{date…}`, `{start…}` or `{end…}` placeholder.",
    );
    confluence_schedule: input(
        "CONFLUENCE_SCHEDULE",
        Some("weekly:thu"),
        "`weekly:DAY`, `biweekly:DAY@YYYY-MM-DD`, `monthly:N`, `monthly:last`, `monthly:first-DAY`…`monthly:fourth-DAY`, `monthly:last-DAY`, `daily`, `weekdays`.",
    );
    confluence_timezone: input(
        "CONFLUENCE_TIMEZONE",
        Some("UTC"),
        "IANA time zone name, e.g. `Asia/Seoul` (built in; no system tzdata needed).",
    );
    confluence_date: input(
        "CONFLUENCE_DATE",
        None,
        "`YYYY-MM-DD`: act as if today were that day (backfills, tests). Default: today in the time zone.",
    );
    confluence_lookback: input(
        "CONFLUENCE_LOOKBACK",
        Some("4"),
        "How many periods before the previous one to search for a source page.",
    );
    confluence_template_page_id: input("CONFLUENCE_TEMPLATE_PAGE_ID", None, "Page copied when no earlier period page exists.");
    confluence_source: input(
        "CONFLUENCE_SOURCE",
        Some("previous"),
        "`previous` (copy the last period's page) or `template` (always copy the template page).",
    );
    confluence_days_ahead: input(
        "CONFLUENCE_DAYS_AHEAD",
        Some("0"),
        "Make the page up to this many days before its period begins: the run acts for the period that contains today + N days (e.g. `weekly:mon` with `3` makes next Monday's page on Friday). 0–31.",
    );
    confluence_archive: input(
        "CONFLUENCE_ARCHIVE",
        None,
        "Group title templates, one per line, finest first, e.g. `Reports {date:%Y} Q{date:%q}` then `Reports {date:%Y}` (`%q` = quarter): pages of closed periods are filed under their group pages. In a config file: a list or a multi-line string. Empty: no filing.",
    )
    .lines();
    confluence_copy_labels: input("CONFLUENCE_COPY_LABELS", Some("true"), "Copy the source page's labels.");
    confluence_copy_attachments: input(
        "CONFLUENCE_COPY_ATTACHMENTS",
        Some("true"),
        "Copy the source page's attachments, so embedded images keep working.",
    );
    confluence_tasks: input(
        "CONFLUENCE_TASKS",
        Some("keep"),
        "`keep`, `reopen` (every completed task becomes open again) or `drop-done` (completed tasks are removed, open ones carried over). Tasks quoted in code blocks are left alone.",
    );
    confluence_reset_tasks: input(
        "CONFLUENCE_RESET_TASKS",
        Some("false"),
        "`true` is `CONFLUENCE_TASKS=reopen` (kept for existing workflows; `true` with another `CONFLUENCE_TASKS` is a configuration error).",
    );
    confluence_carry: input(
        "CONFLUENCE_CARRY",
        None,
        "Carry-over rules, one per line, `FROM -> TO` (e.g. `Next week -> This week`): in each table with both columns, each row's TO cell takes the FROM cell's content and FROM is emptied; likewise for sections (see docs/ready-to-fill.md). In a config file: a list or a multi-line string.",
    )
    .lines();
    confluence_clear: input(
        "CONFLUENCE_CLEAR",
        None,
        "Names of columns or sections to empty, one per line (e.g. `Notes`). In a config file: a list or a multi-line string.",
    )
    .lines();
    confluence_replace_dates: input(
        "CONFLUENCE_REPLACE_DATES",
        Some("false"),
        "`true`: the source page's date (as in its title, and as `YYYY-MM-DD`) in the body becomes the new date; `period`: every day of the source's period moves to the day at the same position in the new period; `false`: dates are kept.",
    );
    confluence_skip: input(
        "CONFLUENCE_SKIP",
        None,
        "Off days: `YYYY-MM-DD` and `YYYY-MM-DD..YYYY-MM-DD` (inclusive), separated by commas, spaces or new lines (see docs/off-days.md).",
    );
    confluence_holidays: input(
        "CONFLUENCE_HOLIDAYS",
        None,
        "An iCalendar (`.ics`) file whose all-day events are off days: a path or an `https://` URL (`http://` is accepted with a warning, `webcal://` is read as `https://`); at most 5 MB. The URL is a secret (private calendar addresses carry a key): only its host is printed.",
    );
    confluence_holidays_match: input(
        "CONFLUENCE_HOLIDAYS_MATCH",
        None,
        "A regular expression searched in each calendar event's `SUMMARY` (unanchored, e.g. `Labor|Chuseok`): only matching events are off days.",
    );
    confluence_off_day: input(
        "CONFLUENCE_OFF_DAY",
        Some("skip"),
        "When the date that names this period's page is an off day: `skip` (no page, `skipped` says why), `before` or `after` (the nearest earlier or later weekday of the same period that is not off). `daily` and `weekdays` are never due on an off day.",
    );
    confluence_dry_run: input("CONFLUENCE_DRY_RUN", Some("false"), "Read only: print the plan, write nothing, send nothing.")
        .run_wide();
    confluence_timeout: input(
        "CONFLUENCE_TIMEOUT",
        Some("30"),
        "Seconds to connect, and seconds a request may go without progress (no limit on a transfer that keeps moving).",
    ).run_wide();
    confluence_concurrency: input(
        "CONFLUENCE_CONCURRENCY",
        Some("8"),
        "Most HTTP requests in flight at once, over every report, lookup, copy and webhook of the run (1–64).",
    )
    .run_wide();
    confluence_max_retries: input(
        "CONFLUENCE_MAX_RETRIES",
        Some("4"),
        "Retries for 429/502/503/504 and connection errors.",
    )
    .run_wide();
    confluence_ca_cert: input(
        "CONFLUENCE_CA_CERT",
        None,
        "Path to an extra PEM CA bundle (internal Data Center CAs), on top of the built-in public roots.",
    )
    .run_wide();
    confluence_config: input("CONFLUENCE_CONFIG", None, "YAML file with several reports (see docs/many-reports.md).")
        .environment_only();
    confluence_dotenv: input(
        "CONFLUENCE_DOTENV",
        None,
        "Where to write the dotenv outputs. Default: `confluence-weekly.env` when `GITLAB_CI=true`, else none.",
    )
    .run_wide();
    confluence_mode: input(
        "CONFLUENCE_MODE",
        Some("ensure"),
        "`ensure` (make sure this period's page exists) or `remind` (say who has not written yet; see docs/reminders.md); also `--remind`. For the whole run.",
    )
    .run_wide();
    confluence_remind: input(
        "CONFLUENCE_REMIND",
        None,
        "In `remind` mode (required there): the columns or sections each person fills, one name per line (e.g. `금주 진행 내역`). In a config file: a list or a multi-line string.",
    )
    .lines();
    confluence_people: input(
        "CONFLUENCE_PEOPLE",
        None,
        "Chat mentions for names in reminders, one per line: `NAME = MENTION` (e.g. `김철수 = <@U024BE7LH>`). In a config file: a mapping or lines.",
    )
    .lines();
    webhook_url: input("WEBHOOK_URL", None, "Where to notify (treated as a secret: only its host is logged).");
    webhook_format: input(
        "WEBHOOK_FORMAT",
        Some("auto"),
        "`auto`, `slack-workflow`, `slack`, `teams`, `google-chat`, `discord` or `json`.",
    );
    webhook_payload: input(
        "WEBHOOK_PAYLOAD",
        None,
        "Custom JSON body; `{{page_url}}`, `{{page_title}}`, `{{page_id}}`, `{{created}}`, `{{report_date}}` are substituted, JSON-escaped.",
    );
    webhook_when: input("WEBHOOK_WHEN", Some("always"), "`always`, `created` or `never`.");
    webhook_on_failure: input(
        "WEBHOOK_ON_FAILURE",
        Some("false"),
        "`true`: a report that fails (exit 1) also posts a failure message in `WEBHOOK_FORMAT`: the report, what failed and what to do, and the CI run's link (never a secret). `WEBHOOK_WHEN` applies only to the success message.",
    );
    webhook_required: input(
        "WEBHOOK_REQUIRED",
        Some("true"),
        "`true`: a webhook that cannot be delivered makes the run exit 3; `false`: a warning, `notified` is `false` and the exit code stays.",
    );
    log_format: input("LOG_FORMAT", Some("text"), "`text` or `json` (one JSON object per line on stderr).").run_wide();
}

/// Variables the CI runners set, read with the inputs.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Runner {
    pub github_actions: Option<String>,
    pub github_output: Option<String>,
    pub github_step_summary: Option<String>,
    pub gitlab_ci: Option<String>,
    /// The CI run's link (failure messages) and Bitbucket's output variables.
    pub github_server_url: Option<String>,
    pub github_repository: Option<String>,
    pub github_run_id: Option<String>,
    pub ci_job_url: Option<String>,
    pub bitbucket_git_http_origin: Option<String>,
    pub bitbucket_build_number: Option<String>,
    pub bitbucket_pipelines_variables_path: Option<String>,
}

impl Runner {
    pub const VARIABLES: &[&str] = &[
        "GITHUB_ACTIONS",
        "GITHUB_OUTPUT",
        "GITHUB_STEP_SUMMARY",
        "GITLAB_CI",
        "GITHUB_SERVER_URL",
        "GITHUB_REPOSITORY",
        "GITHUB_RUN_ID",
        "CI_JOB_URL",
        "BITBUCKET_GIT_HTTP_ORIGIN",
        "BITBUCKET_BUILD_NUMBER",
        "BITBUCKET_PIPELINES_VARIABLES_PATH",
    ];

    /// The CI run's link: GitHub Actions' run, GitLab's job, or Bitbucket's pipeline; `None`
    /// outside CI (or when a variable it needs is missing).
    pub fn run_url(&self) -> Option<String> {
        let trim = |s: &Option<String>| s.as_deref().map(|s| s.trim().trim_end_matches('/').to_owned());
        if let (Some(server), Some(repository), Some(id)) =
            (trim(&self.github_server_url), trim(&self.github_repository), trim(&self.github_run_id))
        {
            return Some(format!("{server}/{repository}/actions/runs/{id}"));
        }
        if let Some(job) = trim(&self.ci_job_url) {
            return Some(job);
        }
        let (origin, build) = (trim(&self.bitbucket_git_http_origin)?, trim(&self.bitbucket_build_number)?);
        Some(format!("{origin}/pipelines/results/{build}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_its_input_name_in_lower_case() {
        // envy maps NAME to field `name`; a field that does not match would silently stay unset.
        assert_eq!(FIELDS.len(), INPUTS.len());
        for (field, name) in FIELDS {
            assert_eq!(*field, name.to_ascii_lowercase(), "{name}");
        }
        let raw = Raw::from(RawEnv::default());
        assert_eq!(raw.confluence_lookback.get(), Some("4"));
        assert_eq!(raw.confluence_lookback.input.name, "CONFLUENCE_LOOKBACK");
    }

    #[test]
    fn the_run_url_is_github_s_run_gitlab_s_job_or_bitbucket_s_pipeline() {
        let some = |s: &str| Some(s.to_owned());
        let github = Runner {
            github_server_url: some("https://github.com"),
            github_repository: some("acme/reports"),
            github_run_id: some("42"),
            ..Runner::default()
        };
        assert_eq!(github.run_url().as_deref(), Some("https://github.com/acme/reports/actions/runs/42"));
        let gitlab = Runner { ci_job_url: some("https://gitlab.example.com/g/p/-/jobs/7"), ..Runner::default() };
        assert_eq!(gitlab.run_url().as_deref(), Some("https://gitlab.example.com/g/p/-/jobs/7"));
        let bitbucket = Runner {
            bitbucket_git_http_origin: some("http://bitbucket.org/acme/reports"),
            bitbucket_build_number: some("15"),
            ..Runner::default()
        };
        assert_eq!(bitbucket.run_url().as_deref(), Some("http://bitbucket.org/acme/reports/pipelines/results/15"));
        let partial = Runner { github_server_url: some("https://github.com"), ..Runner::default() };
        assert_eq!(partial.run_url(), None);
        assert_eq!(Runner::default().run_url(), None);
    }

    #[test]
    fn names_are_unique_and_file_keys_drop_the_prefix() {
        let mut names: Vec<&str> =
            INPUTS.iter().flat_map(|i| std::iter::once(i.name).chain(i.aliases.iter().copied())).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "a name or alias is declared twice");
        assert_eq!(INPUTS[0].file_key(), "base_url");
        assert!(INPUTS.iter().any(|i| i.file_key() == "webhook_url"));
    }
}
