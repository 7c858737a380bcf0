//! The packaging's promises that a test can keep (SPEC "Packaging", issue 24): a LICENSE, the
//! GitHub Marketplace's limits on action metadata (description under 125 characters, valid
//! branding) for both actions, and `scripts/pin-release.sh`, which the release runs to pin the
//! image references to the pushed digest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// GitHub Marketplace refuses a description of 125 characters or more.
const MAX_DESCRIPTION: usize = 124;

/// `branding.color` values GitHub accepts (the action metadata schema's enum).
const COLORS: &[&str] = &["white", "black", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"];

/// `branding.icon` values GitHub accepts (Feather icons, the action metadata schema's enum);
/// scripts/lint-packaging.sh checks the same files against the schema itself.
const ICONS: &str = "activity airplay alert-circle alert-octagon alert-triangle align-center align-justify \
align-left align-right anchor aperture archive arrow-down-circle arrow-down-left arrow-down-right arrow-down \
arrow-left-circle arrow-left arrow-right-circle arrow-right arrow-up-circle arrow-up-left arrow-up-right arrow-up \
at-sign award bar-chart-2 bar-chart battery-charging battery bell-off bell bluetooth bold book-open book bookmark \
box briefcase calendar camera-off camera cast check-circle check-square check chevron-down chevron-left \
chevron-right chevron-up chevrons-down chevrons-left chevrons-right chevrons-up circle clipboard clock \
cloud-drizzle cloud-lightning cloud-off cloud-rain cloud-snow cloud code command compass copy corner-down-left \
corner-down-right corner-left-down corner-left-up corner-right-down corner-right-up corner-up-left corner-up-right \
cpu credit-card crop crosshair database delete disc dollar-sign download-cloud download droplet edit-2 edit-3 edit \
external-link eye-off eye fast-forward feather file-minus file-plus file-text file film filter flag folder-minus \
folder-plus folder gift git-branch git-commit git-merge git-pull-request globe grid hard-drive hash headphones \
heart help-circle home image inbox info italic layers layout life-buoy link-2 link list loader lock log-in log-out \
mail map-pin map maximize-2 maximize menu message-circle message-square mic-off mic minimize-2 minimize \
minus-circle minus-square minus monitor moon more-horizontal more-vertical move music navigation-2 navigation \
octagon package paperclip pause-circle pause percent phone-call phone-forwarded phone-incoming phone-missed \
phone-off phone-outgoing phone pie-chart play-circle play plus-circle plus-square plus pocket power printer radio \
refresh-ccw refresh-cw repeat rewind rotate-ccw rotate-cw rss save scissors search send server settings share-2 \
share shield-off shield shopping-bag shopping-cart shuffle sidebar skip-back skip-forward slash sliders smartphone \
speaker square star stop-circle sun sunrise sunset table tablet tag target terminal thermometer thumbs-down \
thumbs-up toggle-left toggle-right trash-2 trash trending-down trending-up triangle truck tv type umbrella underline \
unlock upload-cloud upload user-check user-minus user-plus user-x user users video-off video voicemail volume-1 \
volume-2 volume-x volume watch wifi-off wifi wind x-circle x-square x zap-off zap zoom-in zoom-out";

#[derive(Debug, serde::Deserialize)]
struct Metadata {
    name: String,
    description: String,
    branding: BTreeMap<String, String>,
    runs: serde_norway::Value,
}

fn metadata(path: &str) -> Metadata {
    let text = std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn license_is_mit_as_cargo_toml_says() {
    let license = std::fs::read_to_string(Path::new(ROOT).join("LICENSE")).expect("LICENSE at the root");
    assert!(license.starts_with("MIT License\n"), "LICENSE is not the MIT license");
    assert!(license.contains("Copyright (c) 2026 confluence-weekly contributors"));
    assert!(license.contains("THE SOFTWARE IS PROVIDED \"AS IS\""));
    let cargo = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    assert!(cargo.lines().any(|l| l == "license = \"MIT\""), "Cargo.toml's license is not MIT");
}

#[test]
fn marketplace_metadata_fits_for_both_actions() {
    for path in ["action.yml", "setup/action.yml"] {
        let m = metadata(path);
        assert!(!m.name.trim().is_empty(), "{path}: name");
        let description = m.description.trim();
        assert!(
            !description.is_empty() && description.chars().count() <= MAX_DESCRIPTION,
            "{path}: the description has {} characters; GitHub Marketplace takes fewer than 125",
            description.chars().count()
        );
        let color = m.branding.get("color").map(String::as_str).unwrap_or_default();
        assert!(COLORS.contains(&color), "{path}: branding.color {color:?} is not one of {COLORS:?}");
        let icon = m.branding.get("icon").map(String::as_str).unwrap_or_default();
        assert!(
            ICONS.split_whitespace().any(|i| i == icon),
            "{path}: branding.icon {icon:?} is no Feather icon GitHub accepts"
        );
    }
}

#[test]
fn setup_action_is_a_bash_composite_running_install_sh() {
    let m = metadata("setup/action.yml");
    assert_eq!(m.runs["using"].as_str(), Some("composite"));
    let steps = m.runs["steps"].as_sequence().expect("steps");
    assert!(!steps.is_empty());
    for step in steps {
        if let Some(run) = step.get("run") {
            // bash on all three runner systems (Git Bash on Windows).
            assert_eq!(step["shell"].as_str(), Some("bash"), "a run step without shell: bash");
            let run = run.as_str().unwrap();
            // Inputs reach the script through env:, never spliced into the script's text.
            assert!(!run.contains("${{"), "expression in a run: script: {run}");
        }
    }
    let all = serde_norway::to_string(&m.runs).unwrap();
    assert!(all.contains("$GITHUB_ACTION_PATH/install.sh"), "the step should run setup/install.sh");
    let version = std::fs::read_to_string(Path::new(ROOT).join("setup/VERSION")).unwrap();
    let version = version.trim();
    let is_release = version.split('.').count() == 3 && version.split('.').all(|p| p.parse::<u32>().is_ok());
    assert!(version == "latest" || is_release, "setup/VERSION is {version:?}, not latest or X.Y.Z");
}

/// A copy of the files the release pins, in a scratch directory.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in ["action.yml", "templates/confluence-weekly.yml", "setup/VERSION"] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(Path::new(ROOT).join(file), to).unwrap();
    }
    dir
}

fn pin(dir: &Path, version: &str, digest: &str) -> Output {
    Command::new("bash")
        .arg(Path::new(ROOT).join("scripts/pin-release.sh"))
        .args(["-C".as_ref(), dir.as_os_str(), version.as_ref(), digest.as_ref()])
        .output()
        .expect("run scripts/pin-release.sh")
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

fn action_image(dir: &Path) -> String {
    let m: Metadata = serde_norway::from_str(&read(dir, "action.yml")).unwrap();
    m.runs["image"].as_str().unwrap().to_string()
}

fn template_default_image(dir: &Path) -> String {
    let text = read(dir, "templates/confluence-weekly.yml");
    let header: serde_norway::Value = serde_norway::Deserializer::from_str(&text)
        .next()
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .unwrap();
    header["spec"]["inputs"]["image"]["default"].as_str().unwrap().to_string()
}

#[test]
fn pin_release_writes_the_digest_into_action_template_and_setup() {
    let dir = scratch();
    let before: Vec<PathBuf> =
        ["action.yml", "templates/confluence-weekly.yml"].iter().map(|f| dir.path().join(f)).collect();
    let current = action_image(dir.path());
    // `…/confluence-weekly:1` on main, `…/confluence-weekly:X.Y.Z@sha256:…` on a release commit.
    let repo =
        current.split_once("/confluence-weekly:").map(|(owner, _)| format!("{owner}/confluence-weekly")).unwrap();
    assert!(repo.starts_with("docker://ghcr.io/"), "{current}");
    let major = env!("CARGO_PKG_VERSION_MAJOR");
    let version = format!("{major}.7.3");
    let digest = format!("sha256:{}", "0123456789abcdef".repeat(4));

    let out = pin(dir.path(), &version, &digest);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pinned = format!("{repo}:{version}@{digest}");
    assert_eq!(action_image(dir.path()), pinned);
    assert_eq!(template_default_image(dir.path()), pinned.trim_start_matches("docker://"));
    assert_eq!(read(dir.path(), "setup/VERSION"), format!("{version}\n"));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), pinned.trim_start_matches("docker://"));
    // Only the image lines changed.
    for (path, original) in before.iter().zip(["action.yml", "templates/confluence-weekly.yml"]) {
        let new = std::fs::read_to_string(path).unwrap();
        let old = read(Path::new(ROOT), original);
        let changed: Vec<_> = new.lines().zip(old.lines()).filter(|(a, b)| a != b).collect();
        assert_eq!(new.lines().count(), old.lines().count(), "{original}: lines added or removed");
        assert_eq!(changed.len(), 1, "{original}: expected one changed line, got {changed:?}");
    }

    // A re-run of the release (a new digest for the same or the next version) re-pins.
    let digest2 = format!("sha256:{}", "f".repeat(64));
    let next = format!("v{major}.7.4");
    let out = pin(dir.path(), &next, &digest2);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(action_image(dir.path()), format!("{repo}:{major}.7.4@{digest2}"));
    assert_eq!(
        template_default_image(dir.path()),
        format!("{}:{major}.7.4@{digest2}", repo.trim_start_matches("docker://"))
    );
}

#[test]
fn pin_release_refuses_malformed_digests_and_versions_and_writes_nothing() {
    let dir = scratch();
    let good = format!("sha256:{}", "a".repeat(64));
    let major = env!("CARGO_PKG_VERSION_MAJOR");
    let version = format!("{major}.0.1");
    let next_major = format!("{}.0.0", major.parse::<u32>().unwrap() + 1);
    let cases: Vec<(String, String, &str)> = vec![
        (version.clone(), "a".repeat(64), "digest"),
        (version.clone(), format!("sha256:{}", "a".repeat(63)), "digest"),
        (version.clone(), format!("sha256:{}", "A".repeat(64)), "digest"),
        (version.clone(), format!("sha512:{}", "a".repeat(64)), "digest"),
        (version.clone(), format!("sha256:{}\n", "a".repeat(64)), "digest"),
        (version.clone(), format!("{good}; rm -rf /"), "digest"),
        (version.clone(), String::new(), "digest"),
        (format!("{major}.0"), good.clone(), "version"),
        (format!("{major}.0.1-rc.1"), good.clone(), "version"),
        ("latest".to_string(), good.clone(), "version"),
        // The files name major N: a release of N+1 must bump them first.
        (next_major, good.clone(), "expected one line"),
    ];
    let files = ["action.yml", "templates/confluence-weekly.yml", "setup/VERSION"];
    let original: Vec<String> = files.iter().map(|f| read(dir.path(), f)).collect();
    for (version, digest, says) in cases {
        let out = pin(dir.path(), &version, &digest);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{version} {digest:?} was accepted: {stderr}");
        assert!(stderr.contains(says), "{version} {digest:?}: {stderr}");
        let now: Vec<String> = files.iter().map(|f| read(dir.path(), f)).collect();
        assert_eq!(now, original, "{version} {digest:?}: files were changed");
    }
}

/// The GitLab component's inputs are typed where GitLab can check them when the pipeline is made
/// (SPEC "Packaging"): booleans and numbers carry the tool's own defaults, enums list their values
/// (with "" = the tool's default), ids and dates have a regex, `rules` is an array.
#[test]
fn gitlab_component_inputs_are_typed() {
    use confluence_weekly::config::INPUTS;
    let text = std::fs::read_to_string(Path::new(ROOT).join("templates/confluence-weekly.yml")).unwrap();
    let mut docs = serde_norway::Deserializer::from_str(&text);
    let header: serde_norway::Value = serde::Deserialize::deserialize(docs.next().unwrap()).unwrap();
    let jobs: serde_norway::Value = serde::Deserialize::deserialize(docs.next().unwrap()).unwrap();
    let inputs = header["spec"]["inputs"].as_mapping().expect("spec: inputs:");
    let job = jobs.as_mapping().unwrap().values().next().unwrap();
    // input name -> the variable it feeds
    let mut feeds = BTreeMap::new();
    for (var, value) in job["variables"].as_mapping().unwrap() {
        let value = value.as_str().unwrap();
        if let Some(name) = value.strip_prefix("$[[ inputs.").and_then(|v| v.strip_suffix(" ]]")) {
            feeds.insert(name.to_string(), var.as_str().unwrap().to_string());
        }
    }
    let mut problems = Vec::new();
    let input = |name: &str| inputs.get(name).unwrap_or_else(|| panic!("no input {name}"));
    for (name, spec) in inputs {
        let name = name.as_str().unwrap();
        let kind = spec.get("type").and_then(|t| t.as_str()).unwrap_or("string");
        let Some(var) = feeds.get(name) else { continue };
        let Some(row) = INPUTS.iter().find(|i| i.name == var) else { continue };
        let default = row.default.unwrap_or("");
        let is_bool = default == "true" || default == "false";
        let is_number = !default.is_empty() && default.chars().all(|c| c.is_ascii_digit());
        match kind {
            "boolean" | "number" => {
                let given = match &spec["default"] {
                    serde_norway::Value::Bool(b) => b.to_string(),
                    serde_norway::Value::Number(n) => n.to_string(),
                    other => format!("{other:?}"),
                };
                if given != default {
                    problems.push(format!("{name}: default {given} but the tool's default for {var} is {default:?}"));
                }
            }
            _ if is_bool && var != "CONFLUENCE_REPLACE_DATES" => {
                problems.push(format!("{name} ({var}, default {default}) should be type: boolean"))
            }
            _ if is_number => problems.push(format!("{name} ({var}, default {default}) should be type: number")),
            _ => {}
        }
        if let Some(options) = spec.get("options").and_then(|o| o.as_sequence()) {
            if options.first().and_then(|o| o.as_str()) != Some("") {
                problems.push(format!("{name}: options should start with \"\" (the tool's default)"));
            }
            if !default.is_empty() && !options.iter().any(|o| o.as_str() == Some(default)) {
                problems.push(format!("{name}: options lack the tool's default {default:?}"));
            }
        }
    }
    for name in ["flavor", "source", "tasks", "webhook_format", "webhook_when", "log_format", "replace_dates"] {
        if input(name).get("options").is_none() {
            problems.push(format!("{name}: an enum without options:"));
        }
    }
    for name in ["root_page_id", "template_page_id", "date"] {
        let Some(regex) = input(name).get("regex").and_then(|r| r.as_str()) else {
            problems.push(format!("{name}: no regex"));
            continue;
        };
        if !regex.starts_with('^') || !regex.ends_with('$') {
            problems.push(format!("{name}: regex {regex:?} is not anchored"));
        }
    }
    let rules = input("rules");
    if rules.get("type").and_then(|t| t.as_str()) != Some("array") || !rules["default"].is_sequence() {
        problems.push("rules: should be type: array with a list default".into());
    }
    if job["rules"].as_str() != Some("$[[ inputs.rules ]]") {
        problems.push(format!("the job's rules should be $[[ inputs.rules ]], is {:?}", job["rules"]));
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// `pipe.yml`, the Bitbucket pipe's metadata: every variable it names is an input of the tool,
/// with the tool's own default; the secrets are marked secret; the image is the action's.
#[test]
fn bitbucket_pipe_names_real_inputs_with_their_defaults() {
    use confluence_weekly::config::INPUTS;
    let pipe: serde_norway::Value =
        serde_norway::from_str(&read(Path::new(ROOT), "pipe.yml")).expect("pipe.yml is YAML");
    for key in ["name", "image", "category", "description", "repository", "maintainer", "variables"] {
        assert!(pipe.get(key).is_some(), "pipe.yml lacks `{key}`");
    }
    let repository = |image: &str| {
        let image = image.trim_start_matches("docker://").split('@').next().unwrap_or_default();
        image.rsplit_once(':').map_or(image, |(repository, _)| repository).to_owned()
    };
    let action = action_image(Path::new(ROOT));
    assert_eq!(repository(pipe["image"].as_str().unwrap()), repository(&action), "the pipe runs the action's image");
    let mut problems = Vec::new();
    for var in pipe["variables"].as_sequence().expect("variables is a list") {
        let name = var["name"].as_str().expect("a variable has a name");
        let Some(input) = INPUTS.iter().find(|i| i.name == name) else {
            problems.push(format!("{name} is not an input of the tool"));
            continue;
        };
        if let Some(default) = var.get("default").and_then(|d| d.as_str())
            && Some(default) != input.default
        {
            problems.push(format!("{name}: default {default:?}, the tool's is {:?}", input.default));
        }
        let secret = var.get("secret").and_then(|s| s.as_bool()).unwrap_or(false);
        let is_secret =
            matches!(name, "CONFLUENCE_TOKEN" | "CONFLUENCE_CLIENT_SECRET" | "WEBHOOK_URL" | "CONFLUENCE_HOLIDAYS");
        if secret != is_secret {
            problems.push(format!("{name}: secret should be {is_secret}"));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}
