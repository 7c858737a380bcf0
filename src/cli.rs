//! The command line: a few flags that override the environment (README "Inputs").

use crate::config::INPUTS;
use crate::exit_codes::ExitCode;

/// The command line's errors, in the words of this tool.
fn unexpected(err: lexopt::Error) -> ArgsError {
    match err {
        lexopt::Error::UnexpectedValue { option, value } => {
            ArgsError::UnexpectedValue { flag: option, value: value.to_string_lossy().into_owned() }
        }
        other => ArgsError::Unknown(other.to_string()),
    }
}

/// What the command line asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    pub dry_run: bool,
    pub date: Option<String>,
    pub config: Option<String>,
    /// `--remind`: `CONFLUENCE_MODE=remind`.
    pub remind: bool,
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
    #[error("{flag} takes no value, but got `{value}`; see --help")]
    UnexpectedValue { flag: String, value: String },
    #[error("{flag} `{value}` is not valid UTF-8; pass the value as UTF-8 text")]
    NotUtf8 { flag: &'static str, value: String },
}

impl Args {
    /// Parses the arguments after the program name, as the OS gives them (`std::env::args_os`):
    /// an argument that is not UTF-8 is an error, not a panic. Values come as `--date VALUE` or
    /// `--date=VALUE`.
    pub fn parse<I>(args: I) -> Result<Args, ArgsError>
    where
        I: IntoIterator,
        I::Item: Into<std::ffi::OsString>,
    {
        use lexopt::Arg::{Long, Short, Value};
        let mut parsed = Args::default();
        let mut parser = lexopt::Parser::from_args(args);
        let value = |parser: &mut lexopt::Parser, flag: &'static str| {
            let value = parser.value().map_err(|_| ArgsError::MissingValue(flag))?;
            value.into_string().map_err(|raw| ArgsError::NotUtf8 { flag, value: raw.to_string_lossy().into_owned() })
        };
        while let Some(arg) = parser.next().map_err(unexpected)? {
            match arg {
                Long("dry-run") => parsed.dry_run = true,
                Long("remind") => parsed.remind = true,
                Long("date") => parsed.date = Some(value(&mut parser, "--date")?),
                Long("config") => parsed.config = Some(value(&mut parser, "--config")?),
                Short('h') | Long("help") => parsed.help = true,
                Short('V') | Long("version") => parsed.version = true,
                Long(other) => return Err(ArgsError::Unknown(format!("--{other}"))),
                Short(other) => return Err(ArgsError::Unknown(format!("-{other}"))),
                Value(other) => return Err(ArgsError::Unknown(other.to_string_lossy().into_owned())),
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
            "CONFLUENCE_MODE" if self.remind => Some("remind".to_owned()),
            _ => None,
        }
    }
}

/// `--help`: usage, flags, and every input with its default.
pub fn help() -> String {
    let mut text = format!(
        "{name} {version}\n{description}\n\n\
         Usage: {name} [--dry-run] [--remind] [--date YYYY-MM-DD] [--config FILE]\n\n\
         Options:\n  \
         --dry-run          read only: print the plan, write nothing, send nothing\n  \
         --date YYYY-MM-DD  act as if today were that day\n  \
         --config FILE      YAML file with several reports\n  \
         --remind           say who has not written yet (CONFLUENCE_MODE=remind)\n  \
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
        assert_eq!(Args::parse(["--remind"]).unwrap().overrides("CONFLUENCE_MODE").as_deref(), Some("remind"));
        assert_eq!(args.overrides("CONFLUENCE_MODE"), None);
        assert_eq!(args.overrides("CONFLUENCE_TOKEN"), None);
    }

    #[test]
    fn values_come_separate_or_after_an_equals_sign() {
        let separate = parse(&["--date", "2025-06-05", "--config", "reports.yml", "-h", "-V"]).unwrap();
        let joined = parse(&["--date=2025-06-05", "--config=reports.yml", "--help", "--version"]).unwrap();
        assert_eq!(separate, joined);
        assert_eq!(joined.date.as_deref(), Some("2025-06-05"));
        assert_eq!(joined.config.as_deref(), Some("reports.yml"));
        assert!(joined.help && joined.version && !joined.dry_run);
        // A value is taken as it is, even when it looks like a flag or holds an equals sign.
        assert_eq!(parse(&["--config", "--dry-run"]).unwrap().config.as_deref(), Some("--dry-run"));
        assert_eq!(parse(&["--config=a=b.yml"]).unwrap().config.as_deref(), Some("a=b.yml"));
        assert_eq!(parse(&[]).unwrap(), Args::default());
    }

    #[test]
    fn mistakes_are_reported() {
        assert_eq!(parse(&["--date"]).unwrap_err(), "--date needs a value");
        assert_eq!(parse(&["--dry-run", "--config"]).unwrap_err(), "--config needs a value");
        assert_eq!(parse(&["--dryrun"]).unwrap_err(), "unknown argument `--dryrun`; see --help");
        assert_eq!(parse(&["-x"]).unwrap_err(), "unknown argument `-x`; see --help");
        assert_eq!(parse(&["report"]).unwrap_err(), "unknown argument `report`; see --help");
        assert_eq!(parse(&["--dry-run=false"]).unwrap_err(), "--dry-run takes no value, but got `false`; see --help");
    }

    #[cfg(unix)]
    #[test]
    fn arguments_that_are_not_utf8_are_errors() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let bad = OsStr::from_bytes(b"r\xffports.yml");
        let err = |args: Vec<&OsStr>| Args::parse(args).unwrap_err().to_string();
        assert_eq!(
            err(vec![OsStr::new("--config"), bad]),
            "--config `r\u{FFFD}ports.yml` is not valid UTF-8; pass the value as UTF-8 text"
        );
        let joined = [b"--date=".as_slice(), b"\xff"].concat();
        assert_eq!(
            err(vec![OsStr::from_bytes(&joined)]),
            "--date `\u{FFFD}` is not valid UTF-8; pass the value as UTF-8 text"
        );
        assert_eq!(err(vec![bad]), "unknown argument `r\u{FFFD}ports.yml`; see --help");
        assert_eq!(err(vec![OsStr::from_bytes(b"--dry\xff")]), "unknown argument `--dry\u{FFFD}`; see --help");
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
