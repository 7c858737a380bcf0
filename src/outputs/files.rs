//! The formats of the CI outputs: the stdout line, `$GITHUB_OUTPUT`, `$GITHUB_STEP_SUMMARY`,
//! the GitLab dotenv report, and GitHub workflow commands.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

use rand::Rng;

use crate::outcome::{Outcome, Status};

/// The `name`/value pairs written to `$GITHUB_OUTPUT`: the text fields, then `notified`
/// (`true`, `false`, or empty when no message was due).
pub fn github_pairs(outcome: &Outcome) -> Vec<(String, String)> {
    let fields = outcome.text_fields().into_iter().chain(outcome.pending_fields());
    let mut pairs: Vec<(String, String)> = fields.map(|(name, value)| (name.to_owned(), value)).collect();
    pairs.push(("notified".to_owned(), outcome.notified.map(|n| n.to_string()).unwrap_or_default()));
    pairs
}

/// With a config file: `reports` (the JSON array of results) and `<name>_page_url` per report.
pub fn github_report_pairs(outcomes: &[&Outcome]) -> Vec<(String, String)> {
    let mut pairs = vec![("reports".to_owned(), serde_json::to_string(outcomes).expect("outcomes serialize"))];
    pairs.extend(outcomes.iter().map(|o| (format!("{}_page_url", o.report), o.page_url.clone().unwrap_or_default())));
    pairs
}

/// The most variables a dotenv report may hold: GitLab refuses more on a default self-managed
/// instance (and then drops the whole report).
pub const DOTENV_LIMIT: usize = 20;

/// A report's dotenv variables: the name after `CONFLUENCE_` (or `CONFLUENCE_<REPORT>_`), and the
/// text field it holds. One more here is all a new variable needs: [`dotenv_report_pairs`] fits
/// as many reports as the limit allows.
pub const DOTENV_FIELDS: &[(&str, &str)] = &[
    ("PAGE_URL", "page_url"),
    ("PAGE_ID", "page_id"),
    ("PAGE_TITLE", "page_title"),
    ("PAGE_CREATED", "created"),
    ("REPORT_DATE", "report_date"),
    ("DUE", "due"),
    ("ARCHIVED", "archived"),
    ("SKIPPED", "skipped"),
];

/// With a config file the dotenv always holds `CONFLUENCE_REPORTS`, and at least one report's
/// variables must fit beside it.
/// The most variables one report writes: [`DOTENV_FIELDS`] and, in a reminder, `PENDING`.
pub const DOTENV_WIDTH: usize = DOTENV_FIELDS.len() + 1;
const _: () = assert!(DOTENV_WIDTH < DOTENV_LIMIT, "one report's dotenv variables must fit");

/// The variables of the dotenv report; with a report name, `CONFLUENCE_<NAME>_PAGE_URL` etc.
pub fn dotenv_pairs(outcome: &Outcome, report: Option<&str>) -> Vec<(String, String)> {
    let prefix = match report {
        Some(name) => format!("CONFLUENCE_{}_", name.to_ascii_uppercase()),
        None => "CONFLUENCE_".to_owned(),
    };
    let fields = DOTENV_FIELDS.iter().map(|(suffix, name)| (format!("{prefix}{suffix}"), outcome.text_field(name)));
    // A reminder's pending people (CONFLUENCE_MODE=remind), counted in [`DOTENV_WIDTH`].
    let pending = outcome.pending.as_ref().map(|pending| (format!("{prefix}PENDING"), pending.join(",")));
    fields.chain(pending).collect()
}

/// With a config file: `CONFLUENCE_REPORTS` (every report's result, one JSON line), then each
/// report's variables for as many reports as fit in [`DOTENV_LIMIT`], in the file's order.
/// Returns the pairs and the names of the reports whose variables were left out.
pub fn dotenv_report_pairs(outcomes: &[&Outcome]) -> (Vec<(String, String)>, Vec<String>) {
    let fit = (DOTENV_LIMIT - 1) / DOTENV_WIDTH;
    let all = serde_json::to_string(outcomes).expect("outcomes serialize");
    let mut pairs = vec![("CONFLUENCE_REPORTS".to_owned(), all)];
    pairs.extend(outcomes.iter().take(fit).flat_map(|o| dotenv_pairs(o, Some(&o.report))));
    let left_out = outcomes.iter().skip(fit).map(|o| o.report.clone()).collect();
    (pairs, left_out)
}

/// The stdout line: one JSON object.
pub fn stdout_line(outcome: &Outcome) -> String {
    serde_json::to_string(outcome).expect("an outcome always serializes")
}

/// Appends `pairs` in the `name<<DELIMITER` form with a random delimiter that no value contains.
pub fn append_github_output(path: &Path, pairs: &[(String, String)]) -> io::Result<()> {
    let delimiter = loop {
        let candidate = format!("ghadelimiter_{:032x}", rand::rng().random::<u128>());
        if pairs.iter().all(|(_, v)| !v.contains(&candidate)) {
            break candidate;
        }
    };
    let mut text = String::new();
    for (name, value) in pairs {
        text.push_str(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"));
    }
    append(path, &text)
}

/// Reads the `name<<DELIMITER` form back, as the runner does: the inverse of
/// [`append_github_output`] (used by tests, and by anyone checking a file by hand).
pub fn parse_github_output(text: &str) -> Vec<(String, String)> {
    let mut lines = text.lines();
    let mut pairs = Vec::new();
    while let Some(line) = lines.next() {
        let Some((name, delimiter)) = line.split_once("<<") else { continue };
        let mut value = Vec::new();
        for l in lines.by_ref() {
            if l == delimiter {
                break;
            }
            value.push(l);
        }
        pairs.push((name.to_owned(), value.join("\n")));
    }
    pairs
}

/// Appends one Markdown line to the job summary.
pub fn append_step_summary(path: &Path, outcome: &Outcome) -> io::Result<()> {
    let reminded = outcome.pending.as_ref().zip(outcome.page_url.as_ref()).zip(outcome.page_title.as_ref());
    let line = match (reminded, outcome.describe()) {
        (Some(((pending, url), title)), _) if pending.is_empty() => {
            format!("- [{}]({url}): everyone has written\n", markdown_text(title))
        }
        (Some(((pending, url), title)), _) => {
            format!("- [{}]({url}): not written yet: {}\n", markdown_text(title), markdown_text(&pending.join(", ")))
        }
        (None, status) => match status {
            Status::NotDue => match &outcome.skipped {
                Some(why) => format!("- {}: no page is due ({})\n", outcome.report, markdown_text(why)),
                None => format!("- {}: nothing is due today\n", outcome.report),
            },
            Status::DryRun { title } => format!("- Dry run: would ensure **{}**\n", markdown_text(title)),
            Status::Created { title, url } => format!("- [{}]({url}) created\n", markdown_text(title)),
            Status::Exists { title, url } => format!("- [{}]({url}) already existed\n", markdown_text(title)),
            Status::NoPage => format!("- {}: no page\n", outcome.report),
        },
    };
    let mut text = line;
    if outcome.dry_run {
        for change in &outcome.changes {
            text.push_str(&format!("  - would {}\n", markdown_text(change)));
        }
    }
    for warning in &outcome.warnings {
        text.push_str(&format!("  - ⚠️ {}\n", markdown_text(warning)));
    }
    append(path, &text)
}

/// Writes the dotenv report (replacing the file): `NAME=value`, one line each.
pub fn write_dotenv(path: &Path, pairs: &[(String, String)]) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, dotenv_text(pairs))
}

/// Appends the dotenv pairs to Bitbucket's `$BITBUCKET_PIPELINES_VARIABLES_PATH`, where a step's
/// `output-variables` are read from.
pub fn append_bitbucket_variables(path: &Path, pairs: &[(String, String)]) -> io::Result<()> {
    append(path, &dotenv_text(pairs))
}

fn dotenv_text(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(name, value)| format!("{name}={}\n", single_line(value))).collect()
}

/// A GitHub workflow command (`::error::`, `::notice::`) with its message escaped.
pub fn workflow_command(command: &str, message: &str) -> String {
    let escaped = message.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    format!("::{command}::{escaped}")
}

fn single_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

fn markdown_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('[', "\\[").replace(']', "\\]")
}

fn append(path: &Path, text: &str) -> io::Result<()> {
    OpenOptions::new().create(true).append(true).open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome() -> Outcome {
        Outcome::new("default", false)
            .due(chrono::NaiveDate::from_ymd_opt(2025, 6, 5).unwrap(), "20250605 주간 보고 [draft]")
            .source("41".into())
            .page("42".into(), "https://confluence.example.com/pages/viewpage.action?pageId=42".into(), true)
    }

    #[test]
    fn github_output_parses_back_even_with_newlines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("output");
        let mut o = outcome();
        o.page_title = Some("two\nlines".into());
        append_github_output(&path, &github_pairs(&o)).unwrap();
        let parsed = parse_github_output(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(parsed.len(), 10);
        assert_eq!(parsed[9], ("notified".into(), String::new()));
        assert_eq!(parsed[6], ("due".into(), "true".into()));
        assert_eq!(parsed[7], ("archived".into(), "0".into()));
        assert_eq!(parsed[8], ("skipped".into(), String::new()));
        assert_eq!(parsed[0], ("page_url".into(), o.page_url.clone().unwrap()));
        assert_eq!(parsed[2], ("page_title".into(), "two\nlines".into()));
        assert_eq!(parsed[3], ("created".into(), "true".into()));
        assert_eq!(parsed[4], ("report_date".into(), "2025-06-05".into()));
    }

    #[test]
    fn dotenv_values_are_single_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/cw.env");
        let mut o = outcome();
        o.page_title = Some("a\r\nb".into());
        write_dotenv(&path, &dotenv_pairs(&o, None)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 8, "{text}");
        assert!(text.contains("CONFLUENCE_ARCHIVED=0\n"), "{text}");
        assert!(text.contains("CONFLUENCE_SKIPPED=\n"), "{text}");
        assert!(text.contains("CONFLUENCE_DUE=true\n"), "{text}");
        assert!(text.contains("CONFLUENCE_PAGE_TITLE=a  b\n"));
        assert!(text.contains("CONFLUENCE_PAGE_URL=https://confluence.example.com/pages/viewpage.action?pageId=42\n"));
        assert!(text.contains("CONFLUENCE_PAGE_CREATED=true\n"));
    }

    #[test]
    fn summary_links_the_title() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        append_step_summary(&path, &outcome()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "- [20250605 주간 보고 \\[draft\\]](https://confluence.example.com/pages/viewpage.action?pageId=42) created\n"
        );
        append_step_summary(&path, &Outcome::new("weekly", false).skipped("off day 2025-05-01: 근로자의 날".into()))
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("- weekly: no page is due (off day 2025-05-01: 근로자의 날)\n"), "{text}");
    }

    #[test]
    fn summary_lists_warnings_and_a_dry_run_s_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        let mut o = outcome();
        o.changes = vec!["clear Notes: 1 table, 3 rows, 0 sections".into()];
        o.warnings = vec!["clear [x]: changes nothing".into()];
        append_step_summary(&path, &o).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.ends_with(" created\n  - ⚠️ clear \\[x\\]: changes nothing\n"), "{text}");
        o.dry_run = true;
        append_step_summary(&path, &o).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\n  - would clear Notes: 1 table, 3 rows, 0 sections\n"), "{text}");
        assert!(!stdout_line(&o).contains("warnings") && !stdout_line(&o).contains("changes"));
    }

    #[test]
    fn stdout_line_has_the_spec_fields() {
        let line = stdout_line(&outcome());
        assert!(!line.contains('\n'));
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        for key in [
            "report",
            "page_url",
            "page_id",
            "page_title",
            "created",
            "report_date",
            "source_page_id",
            "due",
            "dry_run",
            "archived",
            "skipped",
            "notified",
        ] {
            assert!(value.get(key).is_some(), "{key} missing from {line}");
        }
        assert_eq!(value["report_date"], "2025-06-05");
        assert!(
            line.ends_with(r#""dry_run":false,"archived":0,"skipped":null,"notified":null}"#),
            "notified last: {line}"
        );
        let skipped = stdout_line(&Outcome::new("r", false).skipped("off day 2025-05-01: 근로자의 날".into()));
        assert!(
            skipped.contains(r#""due":false"#) && skipped.contains(r#""skipped":"off day 2025-05-01: 근로자의 날""#)
        );
    }

    #[test]
    fn notified_is_the_last_github_output() {
        let mut o = outcome();
        assert_eq!(github_pairs(&o).last().unwrap(), &("notified".to_owned(), String::new()));
        o.notified = Some(false);
        assert_eq!(github_pairs(&o).last().unwrap(), &("notified".to_owned(), "false".to_owned()));
    }

    #[test]
    fn the_dotenv_never_exceeds_the_limit_and_names_what_it_left_out() {
        let outcomes: Vec<Outcome> = (1..=4).map(|n| Outcome { report: format!("team_{n}"), ..outcome() }).collect();
        let refs: Vec<&Outcome> = outcomes.iter().collect();
        let (pairs, left_out) = dotenv_report_pairs(&refs);
        assert!(pairs.len() <= DOTENV_LIMIT, "{}", pairs.len());
        assert_eq!(pairs[0].0, "CONFLUENCE_REPORTS");
        let all: serde_json::Value = serde_json::from_str(&pairs[0].1).unwrap();
        assert_eq!(all.as_array().unwrap().len(), 4, "every report in CONFLUENCE_REPORTS");
        let fit = (DOTENV_LIMIT - 1) / DOTENV_WIDTH;
        assert_eq!(left_out, (fit + 1..=4).map(|n| format!("team_{n}")).collect::<Vec<_>>());
        assert!(pairs.iter().any(|(name, _)| name == "CONFLUENCE_TEAM_1_PAGE_URL"));
        let (pairs, left_out) = dotenv_report_pairs(&refs[..1]);
        assert_eq!((pairs.len(), left_out.len()), (1 + DOTENV_FIELDS.len(), 0));
    }

    #[test]
    fn bitbucket_variables_are_appended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("variables");
        std::fs::write(&path, "EARLIER=1\n").unwrap();
        append_bitbucket_variables(&path, &dotenv_pairs(&outcome(), None)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("EARLIER=1\nCONFLUENCE_PAGE_URL=https://"), "{text}");
        assert_eq!(text.lines().count(), 1 + DOTENV_FIELDS.len());
    }

    #[test]
    fn workflow_commands_escape_newlines() {
        assert_eq!(workflow_command("error", "a\nb 100%"), "::error::a%0Ab 100%25");
    }
}
