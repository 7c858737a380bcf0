//! Wires the command line, the environment and `.env` into a run, and maps it to an exit code.
//!
//! `anyhow` lives here only: each step says what it was doing, an error is printed as one line
//! (`{err:#}`, the whole chain), and the exit code comes from the library's typed error inside
//! it. A configuration error prints each of its problems on a line of its own.

use std::collections::HashMap;
use std::process::ExitCode as ProcessExitCode;

use anyhow::Context;
use confluence_weekly::cli::{self, Args, ArgsError};
use confluence_weekly::config::{Config, ConfigError};
use confluence_weekly::exit_codes::ExitCode;
use confluence_weekly::{Masker, workflow_command};

fn main() -> ProcessExitCode {
    let mut session = Session::default();
    match session.run() {
        Ok(code) => code.into(),
        Err(err) => session.fail(&err).into(),
    }
}

/// What is known about the invocation so far: whether errors become GitHub annotations.
#[derive(Default)]
struct Session {
    github_actions: bool,
}

impl Session {
    fn run(&mut self) -> anyhow::Result<ExitCode> {
        let args = Args::parse(std::env::args_os().skip(1))?;
        if args.help {
            print!("{}", cli::help());
            return Ok(ExitCode::Success);
        }
        if args.version {
            println!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::Success);
        }

        // Real variables win over `.env`; flags win over both. A missing `.env` is no `.env`.
        let dotenv: HashMap<String, String> = match dotenvy::from_path_iter(".env") {
            Ok(iter) => iter.collect::<Result<_, _>>().map_err(DotenvError::from).context(".env could not be read")?,
            Err(_) => HashMap::new(),
        };
        let lookup = |name: &str| {
            args.overrides(name)
                .or_else(|| std::env::var(name).ok().filter(|v| !v.is_empty()))
                .or_else(|| dotenv.get(name).cloned())
        };

        self.github_actions = lookup("GITHUB_ACTIONS").as_deref() == Some("true");
        if self.github_actions {
            // Before anything else is printed, so the runner hides these values everywhere.
            for name in [
                "CONFLUENCE_TOKEN",
                "CONFLUENCE_API_TOKEN",
                "CONFLUENCE_CLIENT_SECRET",
                "WEBHOOK_URL",
                "CONFLUENCE_HOLIDAYS",
            ] {
                // A holiday calendar is a secret when it is a URL (a path is not).
                let secret = lookup(name).filter(|s| name != "CONFLUENCE_HOLIDAYS" || s.contains("://"));
                if let Some(secret) = secret.filter(|s| !s.trim().is_empty()) {
                    eprintln!("::add-mask::{}", secret.trim());
                }
            }
        }

        // Its problems name their variables; `fail` prints them one a line.
        let mut config = Config::from_lookup(lookup)?;
        if self.github_actions {
            // Access tokens a service account's credentials are exchanged for, before any use.
            config.run.masker = Masker::new(|secret| eprintln!("::add-mask::{}", secret.trim()));
        }
        confluence_weekly::init_logging(config.log_format, std::env::var("RUST_LOG").ok().as_deref());

        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("could not start the async runtime")?;
        // The run reports its own results and errors (stdout, annotations, CI outputs).
        Ok(runtime.block_on(confluence_weekly::run(&config)))
    }

    /// Prints `err` (one line; a configuration error one line per problem) and picks the code.
    fn fail(&self, err: &anyhow::Error) -> ExitCode {
        let lines = match err.downcast_ref::<ConfigError>() {
            Some(config) => config.problems.iter().map(ToString::to_string).collect(),
            None => vec![format!("{err:#}").replace(['\r', '\n'], " ")],
        };
        for line in lines {
            if self.github_actions {
                eprintln!("{}", workflow_command("error", &line));
            } else {
                eprintln!("error: {line}");
            }
        }
        exit_code(err)
    }
}

/// Bad flags, `.env` or configuration: nothing was sent (2). Anything else failed the run (1).
fn exit_code(err: &anyhow::Error) -> ExitCode {
    let configuration = err.chain().any(|e| e.is::<ArgsError>() || e.is::<ConfigError>() || e.is::<DotenvError>());
    if configuration { ExitCode::Config } else { ExitCode::Failure }
}

/// A `.env` that cannot be read. Its lines hold secrets, so a line is named by its variable only.
#[derive(Debug, thiserror::Error)]
#[error("{0}; fix the file or remove it")]
struct DotenvError(String);

impl From<dotenvy::Error> for DotenvError {
    fn from(err: dotenvy::Error) -> Self {
        DotenvError(match err {
            dotenvy::Error::LineParse(line, _) => {
                let name = line.trim_start().trim_start_matches("export ").split('=').next().unwrap_or_default().trim();
                let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if is_name {
                    format!("the line setting {name} cannot be parsed (check its quotes)")
                } else {
                    "a line cannot be parsed: each line must be NAME=value".to_owned()
                }
            }
            other => other.to_string(),
        })
    }
}
