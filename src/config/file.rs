//! `CONFLUENCE_CONFIG`: a YAML file with several reports (docs/many-reports.md).
//!
//! The file only supplies values: each report's keys, then `defaults`, then the environment are
//! looked up by input name, and the validator checks them exactly as it does the environment.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_norway::Value;

use super::inputs::{INPUTS, Scope, file_key as key_of};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    defaults: BTreeMap<String, Value>,
    #[serde(default)]
    reports: Vec<BTreeMap<String, Value>>,
}

/// A reports file that cannot be used at all. The caller names the file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read it ({0}); check the path")]
    Read(std::io::Error),
    #[error("is not a valid reports file ({message}); expected `defaults:` and a `reports:` list")]
    Syntax {
        message: String,
        /// Line and column, from 1.
        place: Option<(usize, usize)>,
    },
    #[error("lists no reports; add at least one under `reports:` with a `name`")]
    Empty,
}

impl FileError {
    /// Where in the file, for YAML syntax errors.
    pub fn place(&self) -> Option<(usize, usize)> {
        match self {
            Self::Syntax { place, .. } => *place,
            _ => None,
        }
    }
}

/// One report of the file.
#[derive(Debug)]
pub struct FileReport {
    pub name: String,
    values: BTreeMap<String, String>,
    /// Problems with this report's keys, reported with the report's name.
    pub problems: Vec<String>,
}

/// A parsed config file.
#[derive(Debug)]
pub struct ReportsFile {
    defaults: BTreeMap<String, String>,
    pub reports: Vec<FileReport>,
    /// Problems with `defaults`.
    pub problems: Vec<String>,
}

impl ReportsFile {
    /// Reads and checks the file; `${VAR}` in values is read through `lookup`.
    pub fn read(path: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<ReportsFile, FileError> {
        let text = std::fs::read_to_string(path).map_err(FileError::Read)?;
        let raw: RawFile = serde_norway::from_str(&text).map_err(|e| {
            let place = e.location().map(|l| (l.line(), l.column()));
            // The place goes in front, as compilers print it; the message need not repeat it.
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or_default().to_owned();
            FileError::Syntax { message, place }
        })?;
        if raw.reports.is_empty() {
            return Err(FileError::Empty);
        }
        let mut problems = Vec::new();
        let defaults = values(&raw.defaults, Mapping::Defaults, lookup, &mut problems);
        let mut seen = std::collections::BTreeSet::new();
        let reports = raw
            .reports
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let mut problems = Vec::new();
                let mut values = values(entry, Mapping::Report, lookup, &mut problems);
                let name = values.remove("name").unwrap_or_default();
                let name = if name.is_empty() {
                    problems.push("has no `name`; give each report a unique name of letters, digits and _".to_owned());
                    format!("#{}", i + 1)
                } else {
                    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                        problems.push(format!("name `{name}` may only use letters, digits and _"));
                    }
                    if !seen.insert(name.clone()) {
                        problems.push(format!("name `{name}` is used twice; report names must be unique"));
                    }
                    name
                };
                FileReport { name, values, problems }
            })
            .collect();
        Ok(ReportsFile { defaults, reports, problems })
    }

    /// The value of input `name` for `report`: its key, then `defaults`, then `lookup`.
    /// `token_env` redirects the token, `client_secret_env` the client secret, to another
    /// environment variable. The credentials the report (else `defaults`) names are its only
    /// ones: a report with `client_id` does not inherit `CONFLUENCE_TOKEN` from the environment,
    /// and one with `token_env` no client credentials.
    pub fn value(&self, report: &FileReport, name: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        let setting = |key: &str| report.values.get(key).or_else(|| self.defaults.get(key));
        let picked = Credentials::named_in(&report.values).or_else(|| Credentials::named_in(&self.defaults));
        match (name, picked) {
            ("CONFLUENCE_TOKEN" | "CONFLUENCE_API_TOKEN", Some(Credentials::Client))
            | ("CONFLUENCE_CLIENT_ID" | "CONFLUENCE_CLIENT_SECRET", Some(Credentials::Token)) => return None,
            _ => {}
        }
        match (name, setting("token_env"), setting("client_secret_env")) {
            ("CONFLUENCE_TOKEN", Some(var), _) | ("CONFLUENCE_CLIENT_SECRET", _, Some(var)) => return lookup(var),
            ("CONFLUENCE_API_TOKEN", Some(_), _) => return None,
            _ => {}
        }
        let key = key_of(name);
        report.values.get(&key).cloned().or_else(|| self.default_value(name, lookup))
    }

    /// The value of input `name` from `defaults`, then `lookup`.
    pub fn default_value(&self, name: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        self.defaults.get(&key_of(name)).cloned().or_else(|| lookup(name))
    }
}

/// The kind of credentials a mapping of the file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Credentials {
    /// `token_env`.
    Token,
    /// `client_id` or `client_secret_env`.
    Client,
}

impl Credentials {
    /// `None` when the mapping names neither kind, or both (the validator then reports both).
    fn named_in(values: &BTreeMap<String, String>) -> Option<Self> {
        let token = values.contains_key("token_env");
        let client = values.contains_key("client_id") || values.contains_key("client_secret_env");
        match (token, client) {
            (true, false) => Some(Self::Token),
            (false, true) => Some(Self::Client),
            _ => None,
        }
    }
}

/// Keys that would put a secret in the file, and what to do instead.
const SECRET_KEYS: &[(&str, &str)] = &[
    ("token", "tokens never live in the file; set CONFLUENCE_TOKEN, or name another variable with `token_env`"),
    ("api_token", "tokens never live in the file; set CONFLUENCE_TOKEN, or name another variable with `token_env`"),
    (
        "client_secret",
        "client secrets never live in the file; set CONFLUENCE_CLIENT_SECRET, or name another variable with `client_secret_env`",
    ),
];

/// Which mapping of the file a key is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mapping {
    /// `defaults:`, which may also hold the run-wide keys.
    Defaults,
    /// One entry of `reports:`, which may also hold `name`.
    Report,
}

/// Checks the keys of one mapping and turns its scalars into strings, with `${VAR}` expanded.
fn values(
    entry: &BTreeMap<String, Value>,
    mapping: Mapping,
    lookup: &dyn Fn(&str) -> Option<String>,
    problems: &mut Vec<String>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (key, value) in entry {
        let input = INPUTS.iter().find(|i| i.file_key() == *key && i.scope != Scope::Environment);
        let scope = input.map(|i| i.scope);
        let known = scope.is_some()
            || matches!(key.as_str(), "token_env" | "client_secret_env")
            || (mapping == Mapping::Report && key == "name");
        if let Some((_, instead)) = SECRET_KEYS.iter().find(|(secret, _)| secret == key) {
            problems.push(format!("`{key}`: {instead}"));
            continue;
        }
        if !known {
            problems.push(format!("unknown key `{key}`; keys are the input names in snake_case without CONFLUENCE_, e.g. base_url, root_page_id, title_template"));
            continue;
        }
        if mapping == Mapping::Report && scope == Some(Scope::Run) {
            problems.push(format!("`{key}` applies to the whole run; put it under `defaults`"));
            continue;
        }
        let text = match value {
            Value::Null => continue,
            Value::Sequence(items) if input.is_some_and(|i| i.lines) => {
                match items.iter().map(scalar).collect::<Option<Vec<String>>>() {
                    Some(lines) => lines.join("\n"),
                    None => {
                        problems.push(format!("`{key}` must be a list of strings or a multi-line string"));
                        continue;
                    }
                }
            }
            // `people:` as a mapping: one `NAME = MENTION` line per entry.
            Value::Mapping(map) if input.is_some_and(|i| i.lines) && key == "people" => {
                match map
                    .iter()
                    .map(|(k, v)| Some(format!("{} = {}", scalar(k)?, scalar(v)?)))
                    .collect::<Option<Vec<_>>>()
                {
                    Some(lines) => lines.join("\n"),
                    None => {
                        problems.push(format!("`{key}` must map names to mentions (strings)"));
                        continue;
                    }
                }
            }
            value => match scalar(value) {
                Some(text) => text,
                None => {
                    problems.push(format!("`{key}` must be a single value, not a list or mapping"));
                    continue;
                }
            },
        };
        match expand(&text, lookup) {
            Ok(text) => {
                out.insert(key.clone(), text);
            }
            Err(var) => problems.push(format!("`{key}` uses ${{{var}}}, which is not set in the environment")),
        }
    }
    out
}

/// A string, boolean or number as text; `None` for anything else.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Replaces each `${VAR}` with the variable's value; the error names an unset variable.
fn expand(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else { break };
        let var = &rest[start + 2..start + end];
        match lookup(var).filter(|v| !v.is_empty()) {
            Some(value) => out.push_str(&value),
            None => return Err(var.to_owned()),
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "SLACK_PLATFORM_WEBHOOK" => Some("https://hooks.slack.com/triggers/T/1/x".into()),
            "CONFLUENCE_TOKEN" => Some("env-token".into()),
            "ALL_HANDS_TOKEN" => Some("other-token".into()),
            _ => None,
        }
    }

    fn file(yaml: &str) -> Result<ReportsFile, FileError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reports.yml");
        std::fs::write(&path, yaml).unwrap();
        ReportsFile::read(path.to_str().unwrap(), &env)
    }

    #[test]
    fn reports_override_defaults_which_override_the_environment() {
        let f = file(
            "defaults:\n  base_url: https://c.example.com\n  timezone: Asia/Seoul\nreports:\n  - name: platform_weekly\n    root_page_id: 123456\n    webhook_url: ${SLACK_PLATFORM_WEBHOOK}\n  - name: all_hands\n    root_page_id: \"654321\"\n    timezone: UTC\n    token_env: ALL_HANDS_TOKEN\n",
        )
        .unwrap();
        let [a, b] = &f.reports[..] else { panic!("two reports") };
        assert!(a.problems.is_empty() && b.problems.is_empty(), "{a:?} {b:?}");
        assert_eq!(f.value(a, "CONFLUENCE_ROOT_PAGE_ID", &env).as_deref(), Some("123456"));
        assert_eq!(f.value(a, "CONFLUENCE_TIMEZONE", &env).as_deref(), Some("Asia/Seoul"));
        assert_eq!(f.value(b, "CONFLUENCE_TIMEZONE", &env).as_deref(), Some("UTC"));
        assert_eq!(f.value(a, "WEBHOOK_URL", &env).as_deref(), Some("https://hooks.slack.com/triggers/T/1/x"));
        assert_eq!(f.value(a, "CONFLUENCE_TOKEN", &env).as_deref(), Some("env-token"));
        assert_eq!(f.value(b, "CONFLUENCE_TOKEN", &env).as_deref(), Some("other-token"));
        assert_eq!(f.value(a, "CONFLUENCE_BASE_URL", &env).as_deref(), Some("https://c.example.com"));
    }

    #[test]
    fn tokens_unknown_keys_and_bad_names_are_problems() {
        let f = file(
            "reports:\n  - name: a-b\n    token: secret\n    root_page: 1\n    timeout: 5\n  - name: x\n  - name: x\n  - root_page_id: 2\n    webhook_url: ${UNSET_HOOK}\n",
        )
        .unwrap();
        let problems: Vec<String> = f.reports.iter().flat_map(|r| r.problems.clone()).collect();
        let text = problems.join("\n");
        assert!(text.contains("`token`: tokens never live in the file; set CONFLUENCE_TOKEN"), "{text}");
        assert!(text.contains("unknown key `root_page`"), "{text}");
        assert!(text.contains("`timeout` applies to the whole run"), "{text}");
        assert!(text.contains("name `a-b`"), "{text}");
        assert!(text.contains("name `x` is used twice"), "{text}");
        assert!(text.contains("has no `name`"), "{text}");
        assert!(text.contains("${UNSET_HOOK}"), "{text}");
    }

    #[test]
    fn service_accounts_per_report_take_their_secret_from_the_environment() {
        let lookup = |name: &str| match name {
            "CONFLUENCE_TOKEN" => Some("env-token".to_owned()),
            "CONFLUENCE_CLIENT_ID" => Some("env-client".to_owned()),
            "CONFLUENCE_CLIENT_SECRET" => Some("env-secret".to_owned()),
            "OPS_SECRET" => Some("ops-secret".to_owned()),
            _ => None,
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reports.yml");
        let yaml = "reports:\n  - name: ops\n    client_id: ops-client\n    client_secret_env: OPS_SECRET\n  - name: plain\n  - name: pat\n    token_env: CONFLUENCE_TOKEN\n  - name: leak\n    client_secret: s3cret\n";
        std::fs::write(&path, yaml).unwrap();
        let f = ReportsFile::read(path.to_str().unwrap(), &lookup).unwrap();
        let [ops, plain, pat, leak] = &f.reports[..] else { panic!("four reports") };
        let value = |r: &FileReport, name: &str| f.value(r, name, &lookup);
        // A report naming client credentials does not inherit the environment's token.
        assert_eq!(value(ops, "CONFLUENCE_CLIENT_ID").as_deref(), Some("ops-client"));
        assert_eq!(value(ops, "CONFLUENCE_CLIENT_SECRET").as_deref(), Some("ops-secret"));
        assert_eq!(value(ops, "CONFLUENCE_TOKEN"), None);
        // One naming a token does not inherit the environment's client credentials.
        assert_eq!(value(pat, "CONFLUENCE_TOKEN").as_deref(), Some("env-token"));
        assert_eq!((value(pat, "CONFLUENCE_CLIENT_ID"), value(pat, "CONFLUENCE_CLIENT_SECRET")), (None, None));
        // One naming neither takes the environment as it is (both set there is the validator's problem).
        assert_eq!(value(plain, "CONFLUENCE_TOKEN").as_deref(), Some("env-token"));
        assert_eq!(value(plain, "CONFLUENCE_CLIENT_SECRET").as_deref(), Some("env-secret"));
        assert!(ops.problems.is_empty() && pat.problems.is_empty(), "{ops:?} {pat:?}");
        assert_eq!(leak.problems.len(), 1, "{leak:?}");
        assert!(leak.problems[0].contains("`client_secret`: client secrets never live in the file"), "{leak:?}");
        assert!(!leak.problems[0].contains("s3cret"));
    }

    #[test]
    fn archive_is_a_list_or_a_multi_line_string() {
        let f = file(
            "defaults:\n  archive:\n    - \"{date:%Y} Q{date:%q}\"\n    - \"{date:%Y}\"\nreports:\n  - name: a\n  - name: b\n    archive: |\n      {date:%Y-%m}\n      {date:%Y}\n  - name: c\n    archive: [[nested]]\n    schedule: [weekly:thu]\n",
        )
        .unwrap();
        let [a, b, c] = &f.reports[..] else { panic!("three reports") };
        assert_eq!(f.value(a, "CONFLUENCE_ARCHIVE", &env).as_deref(), Some("{date:%Y} Q{date:%q}\n{date:%Y}"));
        assert_eq!(f.value(b, "CONFLUENCE_ARCHIVE", &env).as_deref(), Some("{date:%Y-%m}\n{date:%Y}\n"));
        assert!(a.problems.is_empty() && b.problems.is_empty(), "{a:?} {b:?}");
        assert_eq!(
            c.problems,
            [
                "`archive` must be a list of strings or a multi-line string",
                "`schedule` must be a single value, not a list or mapping"
            ]
        );
    }

    #[test]
    fn body_rules_are_lists_or_multi_line_strings() {
        let f = file(
            "defaults:\n  tasks: drop-done\n  replace_dates: period\nreports:\n  - name: a\n    carry:\n      - 차주 예정 내역 -> 금주 진행 내역\n    clear: |\n      비고\n      Notes\n  - name: b\n    replace_dates: true\n",
        )
        .unwrap();
        let [a, b] = &f.reports[..] else { panic!("two reports") };
        assert!(a.problems.is_empty() && b.problems.is_empty(), "{a:?} {b:?}");
        assert_eq!(f.value(a, "CONFLUENCE_CARRY", &env).as_deref(), Some("차주 예정 내역 -> 금주 진행 내역"));
        assert_eq!(f.value(a, "CONFLUENCE_CLEAR", &env).as_deref(), Some("비고\nNotes\n"));
        assert_eq!(f.value(a, "CONFLUENCE_TASKS", &env).as_deref(), Some("drop-done"));
        assert_eq!(f.value(a, "CONFLUENCE_REPLACE_DATES", &env).as_deref(), Some("period"));
        assert_eq!(f.value(b, "CONFLUENCE_REPLACE_DATES", &env).as_deref(), Some("true"));
    }

    #[test]
    fn unreadable_or_empty_files_are_errors() {
        assert!(file("reports: []\n").unwrap_err().to_string().contains("no reports"));
        assert!(file("report:\n  - name: a\n").unwrap_err().to_string().contains("not a valid reports file"));
        assert!(ReportsFile::read("/nonexistent/reports.yml", &env).unwrap_err().to_string().contains("cannot read"));
        let syntax = file("reports:\n  - name: a\n    schedule: [weekly\n").unwrap_err();
        assert_eq!(syntax.place().map(|(line, _)| line), Some(4), "{syntax}");
        assert!(!syntax.to_string().contains(" at line "), "the place is not repeated: {syntax}");
    }
}
