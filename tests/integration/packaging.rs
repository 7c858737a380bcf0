//! The packaging's promises that a test can keep (SPEC "Packaging", issue 24): a LICENSE, the
//! GitHub Marketplace's limits on action metadata (description under 125 characters, valid
//! branding) for both actions, and `scripts/pin-release.sh`, which the release runs to pin the
//! image references to the pushed digest.

use std::collections::BTreeMap;
use std::path::Path;

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
