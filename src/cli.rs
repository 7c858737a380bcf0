//! The command line: a few flags that override the environment (README "Inputs").

use crate::config::INPUTS;
use crate::exit_codes::ExitCode;

/// What the command line asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    pub dry_run: bool,
    pub date: Option<String>,
    pub config: Option<String>,
    pub help: bool,
    pub version: bool,
}

/// A command line that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgsError {
    #[error("{0} needs a value")]
    MissingValue(&'static str),
    #[error("unknown argument `{0}`; see --help")]
    Unknown(String),
}

impl Args {
    /// Parses the arguments after the program name.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, ArgsError> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
                _ => (arg.clone(), None),
            };
            let mut value =
                |name: &'static str| inline.clone().or_else(|| args.next()).ok_or(ArgsError::MissingValue(name));
            match flag.as_str() {
                "--dry-run" => parsed.dry_run = true,
                "--date" => parsed.date = Some(value("--date")?),
                "--config" => parsed.config = Some(value("--config")?),
                "-h" | "--help" => parsed.help = true,
                "-V" | "--version" => parsed.version = true,
                _ => return Err(ArgsError::Unknown(arg)),
            }
        }
        Ok(parsed)
    }

    /// The value a flag gives an environment variable, if any: flags win over the environment.
    pub fn overrides(&self, name: &str) -> Option<String> {
        match name {
            "CONFLUENCE_DRY_RUN" if self.dry_run => Some("true".to_owned()),
            "CONFLUENCE_DATE" => self.date.clone(),
            "CONFLUENCE_CONFIG" => self.config.clone(),
            _ => None,
        }
    }
}

/// `--help`: usage, flags, and every input with its default.
pub fn help() -> String {
    let mut text = format!(
        "{name} {version}\n{description}\n\n\
         Usage: {name} [--dry-run] [--date YYYY-MM-DD] [--config FILE]\n\n\
         Options:\n  \
         --dry-run          read only: print the plan, write nothing, send nothing\n  \
         --date YYYY-MM-DD  act as if today were that day\n  \
         --config FILE      YAML file with several reports\n  \
         -h, --help         print this help\n  \
         -V, --version      print the version\n\n\
         Configuration is read from the environment (and ./.env; real variables win):\n",
        name = env!("CARGO_PKG_NAME"),
        version = env!("CARGO_PKG_VERSION"),
        description = env!("CARGO_PKG_DESCRIPTION"),
    );
    for input in INPUTS {
        let default = match (input.required, input.default) {
            (true, _) => " (required)".to_owned(),
            (false, Some(d)) => format!(" (default: {d})"),
            (false, None) => String::new(),
        };
        text.push_str(&format!("  {}{default}\n", input.name));
    }
    text.push_str("\nExit codes:\n");
    for code in ExitCode::ALL {
        text.push_str(&format!("  {}  {}\n", code.code(), code.meaning()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        Args::parse(args.iter().map(|s| s.to_string())).map_err(|e| e.to_string())
    }

    #[test]
    fn flags_parse_in_both_spellings() {
        let args = parse(&["--dry-run", "--date", "2025-06-05", "--config=reports.yml"]).unwrap();
        assert!(args.dry_run);
        assert_eq!(args.overrides("CONFLUENCE_DATE").as_deref(), Some("2025-06-05"));
        assert_eq!(args.overrides("CONFLUENCE_CONFIG").as_deref(), Some("reports.yml"));
        assert_eq!(args.overrides("CONFLUENCE_DRY_RUN").as_deref(), Some("true"));
        assert_eq!(args.overrides("CONFLUENCE_TOKEN"), None);
    }

    #[test]
    fn mistakes_are_reported() {
        assert!(parse(&["--date"]).unwrap_err().contains("--date needs a value"));
        assert!(parse(&["--dryrun"]).unwrap_err().contains("--dryrun"));
    }

    #[test]
    fn help_lists_every_input_and_exit_code() {
        let help = help();
        for input in INPUTS {
            assert!(help.contains(input.name), "{}", input.name);
        }
        for code in ExitCode::ALL {
            assert!(help.contains(&format!("  {}  {}\n", code.code(), code.meaning())), "{code:?}");
        }
    }
}
