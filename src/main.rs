//! Wires the command line, the environment and `.env` into a run, and maps it to an exit code.

use std::collections::HashMap;
use std::process::ExitCode as ProcessExitCode;

use confluence_weekly::cli::{self, Args};
use confluence_weekly::config::Config;
use confluence_weekly::exit_codes::ExitCode;
use confluence_weekly::workflow_command;

fn main() -> ProcessExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::Config.into();
        }
    };
    if args.help {
        print!("{}", cli::help());
        return ExitCode::Success.into();
    }
    if args.version {
        println!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        return ExitCode::Success.into();
    }

    // Real variables win over `.env`; flags win over both.
    let dotenv: HashMap<String, String> = match dotenvy::from_path_iter(".env") {
        Ok(iter) => match iter.collect() {
            Ok(vars) => vars,
            Err(err) => {
                eprintln!("error: .env: {err}; fix the file or remove it");
                return ExitCode::Config.into();
            }
        },
        Err(_) => HashMap::new(),
    };
    let lookup = |name: &str| {
        args.overrides(name)
            .or_else(|| std::env::var(name).ok().filter(|v| !v.is_empty()))
            .or_else(|| dotenv.get(name).cloned())
    };

    let github_actions = lookup("GITHUB_ACTIONS").as_deref() == Some("true");
    if github_actions {
        // Before anything else is printed, so the runner hides these values everywhere.
        for name in ["CONFLUENCE_TOKEN", "CONFLUENCE_API_TOKEN", "WEBHOOK_URL"] {
            if let Some(secret) = lookup(name).filter(|s| !s.trim().is_empty()) {
                eprintln!("::add-mask::{}", secret.trim());
            }
        }
    }

    let config = match Config::from_lookup(lookup) {
        Ok(config) => config,
        Err(err) => {
            for problem in &err.problems {
                let line = problem.to_string();
                if github_actions {
                    eprintln!("{}", workflow_command("error", &line));
                } else {
                    eprintln!("error: {line}");
                }
            }
            return ExitCode::Config.into();
        }
    };
    confluence_weekly::init_logging(config.log_format, std::env::var("RUST_LOG").ok().as_deref());

    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: could not start the async runtime: {err}");
            return ExitCode::Failure.into();
        }
    };
    runtime.block_on(confluence_weekly::run(&config)).into()
}
