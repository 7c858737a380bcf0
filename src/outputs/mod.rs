//! The reporter: the one place (besides `main.rs`) that prints. It turns a run's results into
//! the stdout lines, GitHub workflow commands (on stderr), log lines and the CI output files.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod files;
mod logging;

use std::path::{Path, PathBuf};

pub use crate::error_text::one_line;
pub use files::{parse_github_output, workflow_command};
pub use logging::{LogFormat, init_logging};

use crate::exit_codes::ExitCode;
use crate::outcome::{Outcome, Status};
use crate::run::{ReportRun, RunError};

/// Where the CI outputs go.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `GITHUB_ACTIONS=true`: failures become `::error::` and results `::notice::` annotations.
    pub github_actions: bool,
    /// `$GITHUB_OUTPUT`.
    pub github_output: Option<PathBuf>,
    /// `$GITHUB_STEP_SUMMARY`.
    pub github_step_summary: Option<PathBuf>,
    /// `CONFLUENCE_DOTENV` (default `confluence-weekly.env` on GitLab).
    pub dotenv: Option<PathBuf>,
    /// `$BITBUCKET_PIPELINES_VARIABLES_PATH`: Bitbucket's output variables receive the dotenv pairs.
    pub bitbucket_variables: Option<PathBuf>,
}

/// Prints and writes what a run came to.
#[derive(Debug, Clone)]
pub struct Reporter {
    settings: Settings,
    /// Reports from a config file: outputs per report, failures named by report.
    from_file: bool,
}

impl Reporter {
    pub fn new(settings: Settings, from_file: bool) -> Self {
        Self { settings, from_file }
    }

    /// Reports every run (stdout line, notice, failure) in order, then writes the output files.
    /// Returns the worst exit code.
    pub fn report(&self, runs: &[ReportRun]) -> ExitCode {
        for run in runs {
            if let Some(outcome) = &run.outcome {
                self.outcome(outcome);
            }
            for err in &run.errors {
                let prefix = match (self.from_file, err) {
                    (true, RunError::Ensure(_) | RunError::Filing(_)) => format!("report {}: ", run.name),
                    _ => String::new(),
                };
                self.fail(&format!("{prefix}{}", one_line(err)));
            }
        }
        let outcomes: Vec<&Outcome> = runs.iter().filter_map(|run| run.outcome.as_ref()).collect();
        let code = runs.iter().map(ReportRun::exit_code).max().unwrap_or(ExitCode::Success);
        match self.write_files(&outcomes) {
            Ok(()) => code,
            Err(err) => code.worst(self.error(&err)),
        }
    }

    /// Reports an error that ended the run, and returns its exit code.
    pub fn error(&self, err: &RunError) -> ExitCode {
        self.fail(&one_line(err));
        err.exit_code()
    }

    /// The stdout line and, in GitHub Actions, the notice.
    fn outcome(&self, outcome: &Outcome) {
        println!("{}", files::stdout_line(outcome));
        if !self.settings.github_actions || !outcome.due {
            return;
        }
        for warning in &outcome.warnings {
            eprintln!("{}", workflow_command("warning", warning));
        }
        let message = match outcome.describe() {
            Status::Created { title, url } => format!("Created {title}: {url}"),
            Status::Exists { title, url } => format!("{title} already exists: {url}"),
            Status::DryRun { title } => format!("Dry run: would create {title}"),
            Status::NotDue | Status::NoPage => "nothing to do".to_owned(),
        };
        eprintln!("{}", workflow_command("notice", &message));
    }

    /// One log line, and an annotation in GitHub Actions.
    fn fail(&self, message: &str) {
        tracing::error!("{message}");
        if self.settings.github_actions {
            eprintln!("{}", workflow_command("error", message));
        }
    }

    fn write_files(&self, outcomes: &[&Outcome]) -> Result<(), RunError> {
        let out = &self.settings;
        if let Some(path) = &out.github_output {
            let pairs = match (self.from_file, outcomes) {
                (false, [outcome]) => files::github_pairs(outcome),
                _ => files::github_report_pairs(outcomes),
            };
            files::append_github_output(path, &pairs).map_err(failed("GITHUB_OUTPUT", path))?;
        }
        if let Some(path) = &out.github_step_summary {
            for outcome in outcomes {
                files::append_step_summary(path, outcome).map_err(failed("GITHUB_STEP_SUMMARY", path))?;
            }
        }
        if out.dotenv.is_some() || out.bitbucket_variables.is_some() {
            let pairs = self.dotenv_pairs(outcomes);
            if let Some(path) = &out.dotenv {
                files::write_dotenv(path, &pairs).map_err(failed("the dotenv file (CONFLUENCE_DOTENV)", path))?;
            }
            if let Some(path) = &out.bitbucket_variables {
                files::append_bitbucket_variables(path, &pairs)
                    .map_err(failed("BITBUCKET_PIPELINES_VARIABLES_PATH", path))?;
            }
        }
        Ok(())
    }
}

impl Reporter {
    /// The dotenv pairs: one report's variables; with a config file `CONFLUENCE_REPORTS` and as
    /// many reports' variables as fit, with a warning naming the reports left out.
    fn dotenv_pairs(&self, outcomes: &[&Outcome]) -> Vec<(String, String)> {
        if !self.from_file {
            return outcomes.iter().flat_map(|outcome| files::dotenv_pairs(outcome, None)).collect();
        }
        let (pairs, left_out) = files::dotenv_report_pairs(outcomes);
        if !left_out.is_empty() {
            let message = format!(
                "the dotenv outputs hold at most {} variables (GitLab's limit): the variables of report(s) {} are left out; every report is in CONFLUENCE_REPORTS",
                files::DOTENV_LIMIT,
                left_out.join(", ")
            );
            tracing::warn!("{message}");
            if self.settings.github_actions {
                eprintln!("{}", workflow_command("warning", &message));
            }
        }
        pairs
    }
}

fn failed(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> RunError {
    let path = path.display().to_string();
    move |source| RunError::Output { what, path, source }
}
