//! Keeps `action.yml` (the GitHub Action's inputs) and the binary's list of inputs
//! (`confluence_weekly::config::INPUTS`) in step.
//!
//! The contract (docs/github-actions.md and the README's "Inputs"):
//! - every `runs.env` value is exactly `${{ inputs.<name> }}` of a declared input, under the
//!   variable's name (never an alias);
//! - every input feeds exactly one input variable, and is named after it in kebab-case
//!   (`CONFLUENCE_ROOT_PAGE_ID` → `root-page-id`, `WEBHOOK_URL` → `webhook-url`);
//! - every input variable has an input, except the documented exclusions below;
//! - an input's non-empty default equals the binary's default, and a variable's default is quoted
//!   in the input's description (the action's own defaults are "" = unset, so that a `.env` file or
//!   a config file's `defaults:` still apply);
//! - outputs are exactly the README's outputs, and the action runs the prebuilt image.

use std::collections::{BTreeMap, BTreeSet};

use confluence_weekly::config::{INPUTS, Input};
use serde::Deserialize;

/// Input variables that deliberately have no action input, with the reason.
const EXCLUDED: &[(&str, &str)] = &[
    ("CONFLUENCE_DOTENV", "GitLab's dotenv report path; on GitHub the outputs go to $GITHUB_OUTPUT"),
    ("CONFLUENCE_API_TOKEN", "alias of CONFLUENCE_TOKEN kept for the Python script's .env; the input is `token`"),
    ("ROOT_PAGE_ID", "alias of CONFLUENCE_ROOT_PAGE_ID kept for the Python script's .env; the input is `root-page-id`"),
];

/// SPEC "Outputs": what `$GITHUB_OUTPUT` receives. `reports` only with a config file
/// (`<name>_page_url` outputs are per report and cannot be declared in advance).
const OUTPUTS: &[&str] = &[
    "page_url",
    "page_id",
    "page_title",
    "created",
    "report_date",
    "source_page_id",
    "due",
    "archived",
    "skipped",
    "notified",
    "reports",
    // A reminder's (CONFLUENCE_MODE=remind).
    "pending",
    "pending_count",
];

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Action {
    name: String,
    description: String,
    branding: Branding,
    inputs: BTreeMap<String, ActionInput>,
    outputs: BTreeMap<String, ActionOutput>,
    runs: Runs,
}

#[derive(Debug, Deserialize)]
struct Branding {
    icon: String,
    color: String,
}

#[derive(Debug, Deserialize)]
struct ActionInput {
    description: String,
    #[serde(default)]
    required: bool,
    default: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ActionOutput {
    description: String,
}

#[derive(Debug, Deserialize)]
struct Runs {
    using: String,
    image: String,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

fn action() -> Action {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml");
    let text = std::fs::read_to_string(path).expect("read action.yml");
    serde_norway::from_str(&text).expect("action.yml parses")
}

/// `CONFLUENCE_ROOT_PAGE_ID` → `root-page-id`; `WEBHOOK_URL` → `webhook-url`.
fn kebab(variable: &str) -> String {
    variable.strip_prefix("CONFLUENCE_").unwrap_or(variable).to_ascii_lowercase().replace('_', "-")
}

/// `${{ inputs.base-url }}` → `base-url` (whitespace inside the braces is optional).
fn input_ref(value: &str) -> Option<&str> {
    let inner = value.trim().strip_prefix("${{")?.strip_suffix("}}")?.trim();
    let name = inner.strip_prefix("inputs.")?;
    name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-').then_some(name)
}

fn row(name: &str) -> Option<&'static Input> {
    INPUTS.iter().find(|i| i.name == name)
}

fn is_alias(name: &str) -> bool {
    INPUTS.iter().any(|i| i.aliases.contains(&name))
}

fn excluded(name: &str) -> bool {
    EXCLUDED.iter().any(|(n, _)| *n == name)
}

#[test]
fn every_env_value_is_one_declared_input_under_a_spec_name() {
    let action = action();
    let mut problems = Vec::new();
    for (var, value) in &action.runs.env {
        let Some(input) = input_ref(value) else {
            problems.push(format!("runs.env.{var} = {value:?} is not exactly `${{{{ inputs.<name> }}}}`"));
            continue;
        };
        if !action.inputs.contains_key(input) {
            problems.push(format!("runs.env.{var} refers to undeclared input `{input}`"));
        }
        if row(var).is_none() {
            let why = if is_alias(var) {
                "an alias; map onto the input's name"
            } else {
                "not an input variable (config::INPUTS)"
            };
            problems.push(format!("runs.env.{var}: {why}"));
        }
        if kebab(var) != input {
            problems.push(format!("runs.env.{var} takes input `{input}`, expected `{}`", kebab(var)));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_input_feeds_exactly_one_spec_variable() {
    let action = action();
    let mut problems = Vec::new();
    for name in action.inputs.keys() {
        let feeds: Vec<&String> =
            action.runs.env.iter().filter(|(_, v)| input_ref(v) == Some(name.as_str())).map(|(k, _)| k).collect();
        match feeds.as_slice() {
            [] => problems.push(format!("input `{name}` has no input variable behind it (no runs.env entry uses it)")),
            [var] if row(var).is_none() => {
                problems.push(format!("input `{name}` feeds {var}, which is not in config::INPUTS"))
            }
            [_] => {}
            many => problems.push(format!("input `{name}` feeds several variables: {many:?}")),
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_spec_variable_has_an_input_unless_excluded() {
    let action = action();
    let mapped: BTreeSet<&str> = action.runs.env.keys().map(String::as_str).collect();
    let missing: Vec<String> = INPUTS
        .iter()
        .filter(|i| !excluded(i.name) && !mapped.contains(i.name))
        .map(|i| {
            format!(
                "{} has no action input (add `{}` to action.yml and runs.env, or list it in EXCLUDED with a reason)",
                i.name,
                kebab(i.name)
            )
        })
        .collect();
    assert!(missing.is_empty(), "\n{}\n", missing.join("\n"));

    let mapped_but_excluded: Vec<&str> = EXCLUDED.iter().map(|(n, _)| *n).filter(|n| mapped.contains(n)).collect();
    assert!(mapped_but_excluded.is_empty(), "excluded yet mapped in runs.env: {mapped_but_excluded:?}");
}

#[test]
fn exclusions_name_real_variables_or_aliases() {
    for (name, reason) in EXCLUDED {
        assert!(!reason.is_empty());
        assert!(
            row(name).is_some() || is_alias(name),
            "EXCLUDED lists {name}, which config::INPUTS knows neither as a variable nor an alias"
        );
    }
}

#[test]
fn defaults_agree_with_the_binary() {
    let action = action();
    let mut problems = Vec::new();
    for (var, value) in &action.runs.env {
        let (Some(input_name), Some(row)) = (input_ref(value), row(var)) else {
            continue; // reported by the test above
        };
        let Some(input) = action.inputs.get(input_name) else {
            continue;
        };
        let action_default = input.default.as_deref().unwrap_or("");
        match (action_default, row.default) {
            ("", _) => {}
            (given, Some(spec)) if given == spec => {}
            (given, spec) => problems.push(format!(
                "input `{input_name}` defaults to {given:?}, but {var} defaults to {spec:?} \
                 (use \"\" to let the binary decide)"
            )),
        }
        if let Some(spec) = row.default.filter(|d| !d.is_empty()) {
            let quoted = format!("Default: `{spec}`");
            if !input.description.contains(&quoted) {
                problems.push(format!("input `{input_name}`: the description should say {quoted}"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn required_inputs_are_required_variables() {
    let action = action();
    for (var, value) in &action.runs.env {
        let (Some(input_name), Some(row)) = (input_ref(value), row(var)) else {
            continue;
        };
        if action.inputs.get(input_name).is_some_and(|i| i.required) {
            assert!(row.required, "input `{input_name}` is required, but {var} is optional in config::INPUTS");
        }
    }
    // A run takes `token` or a service account's `client-id` + `client-secret`: neither is required.
    for either in ["token", "client-id", "client-secret"] {
        assert!(action.inputs.get(either).is_some_and(|i| !i.required), "`{either}` must not be required");
    }
}

#[test]
fn metadata_is_complete() {
    let action = action();
    assert!(!action.name.trim().is_empty() && !action.description.trim().is_empty());
    assert!(!action.branding.icon.is_empty() && !action.branding.color.is_empty());
    for (name, input) in &action.inputs {
        assert!(!input.description.trim().is_empty(), "input `{name}` needs a description");
        assert!(input.default.is_some(), "input `{name}` needs a default (\"\" = let the binary decide)");
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "input `{name}` is not kebab-case"
        );
    }
    let outputs: BTreeSet<&str> = action.outputs.keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = OUTPUTS.iter().copied().collect();
    assert_eq!(outputs, expected, "outputs differ from the README's $GITHUB_OUTPUT names");
    for (name, output) in &action.outputs {
        assert!(!output.description.trim().is_empty(), "output `{name}` needs a description");
    }
}

#[test]
fn runs_the_prebuilt_image() {
    let runs = action().runs;
    assert_eq!(runs.using, "docker");
    let image = runs
        .image
        .strip_prefix("docker://ghcr.io/")
        .unwrap_or_else(|| panic!("image {:?} is not a prebuilt ghcr.io image", runs.image));
    // Between releases the moving major tag; on a release's tag, the exact image the release
    // pushed (scripts/pin-release.sh): `X.Y.Z@sha256:<digest>` of Cargo.toml's version.
    let (image, digest) = match image.split_once("@sha256:") {
        Some((image, digest)) => (image, Some(digest)),
        None => (image, None),
    };
    let (repo, tag) = image.rsplit_once(':').expect("image has a tag");
    assert!(repo.ends_with("/confluence-weekly"), "image repository {repo:?}");
    match digest {
        None => assert!(
            !tag.is_empty() && tag.chars().all(|c| c.is_ascii_digit()),
            "image tag {tag:?} should be the major version"
        ),
        Some(digest) => {
            assert_eq!(tag, env!("CARGO_PKG_VERSION"), "a pinned image names Cargo.toml's version");
            assert!(
                digest.len() == 64 && digest.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')),
                "digest {digest:?}"
            );
        }
    }
}

#[test]
fn input_ref_parser() {
    assert_eq!(input_ref("${{ inputs.base-url }}"), Some("base-url"));
    assert_eq!(input_ref("${{inputs.token}}"), Some("token"));
    assert_eq!(input_ref("${{ inputs.token }}x"), None);
    assert_eq!(input_ref("${{ secrets.token }}"), None);
    assert_eq!(kebab("CONFLUENCE_ROOT_PAGE_ID"), "root-page-id");
    assert_eq!(kebab("WEBHOOK_URL"), "webhook-url");
    assert_eq!(kebab("LOG_FORMAT"), "log-format");
}
