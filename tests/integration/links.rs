//! Relative links in `README.md`, `CONTRIBUTING.md`, `docs/*.md` and the fake's README lead somewhere: the file
//! exists, and a `#heading` is a heading of that file under GitHub's anchor rules. Absolute
//! `http(s)` links are not checked (no network in tests).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The documents whose links are checked, relative to the repository root.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut docs = ["README.md", "CONTRIBUTING.md", "crates/fake-confluence/README.md"].map(PathBuf::from).to_vec();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .map(|path| path.strip_prefix(root).unwrap().to_path_buf())
        .collect();
    pages.sort();
    docs.extend(pages);
    docs
}

/// Lines outside fenced code blocks, with their line numbers (from 1).
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut fence: Option<&str> = None;
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m)) if open == m => fence = None,
            (None, None) => lines.push((i + 1, line)),
            _ => {}
        }
    }
    lines
}

/// A line without its inline code spans (`` `[x](y)` `` is no link).
fn without_code(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + ticks..];
        match after.find(&"`".repeat(ticks)) {
            Some(end) => rest = &after[end + ticks..],
            None => {
                out.push_str(&rest[start..]);
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The targets of inline links `[text](target "title")` and reference definitions `[x]: target`.
fn link_targets(line: &str) -> Vec<String> {
    let line = without_code(line);
    let mut targets = Vec::new();
    if let Some(rest) = line.trim_start().strip_prefix('[')
        && let Some(target) = rest.find(']').and_then(|end| rest[end..].strip_prefix("]: "))
    {
        targets.push(target.split_whitespace().next().unwrap_or_default().to_owned());
    }
    let mut rest = line.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let Some(end) = after.find(')') else { break };
        let target = after[..end].split_whitespace().next().unwrap_or_default();
        targets.push(target.trim_start_matches('<').trim_end_matches('>').to_owned());
        rest = &after[end..];
    }
    targets
}

/// GitHub's anchor for a heading's text: lower case, inline markup and punctuation dropped
/// (except `-` and `_`), spaces to `-`; letters of any script are kept.
fn slug(heading: &str) -> String {
    // A link in a heading counts with its text only.
    let mut text = String::new();
    let mut rest = heading;
    while let Some(open) = rest.find('[') {
        match rest[open..].find("](").zip(rest[open..].find(')')) {
            Some((mid, close)) if mid < close => {
                text.push_str(&rest[..open]);
                text.push_str(&rest[open + 1..open + mid]);
                rest = &rest[open + close + 1..];
            }
            _ => break,
        }
    }
    text.push_str(rest);
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Every anchor of a Markdown file: its ATX headings' slugs, a repeated slug with `-1`, `-2` ….
fn anchors(text: &str) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut anchors = Vec::new();
    for (_, line) in prose(text) {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(line[hashes..].trim().trim_end_matches('#'));
        let count = seen.entry(base.clone()).or_default();
        anchors.push(if *count == 0 { base.clone() } else { format!("{base}-{count}") });
        *count += 1;
    }
    anchors
}

/// Problems with the relative links of `docs` (paths relative to `root`), one line each.
fn broken_links(root: &Path, docs: &[PathBuf]) -> Vec<String> {
    let mut problems = Vec::new();
    for doc in docs {
        let text = std::fs::read_to_string(root.join(doc)).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        let dir = doc.parent().unwrap_or(Path::new(""));
        for (number, line) in prose(&text) {
            for target in link_targets(line) {
                if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let (path, anchor) = match target.split_once('#') {
                    Some((path, anchor)) => (path, Some(anchor)),
                    None => (target.as_str(), None),
                };
                let file = if path.is_empty() { doc.clone() } else { normalize(&dir.join(path)) };
                let at = format!("{}:{number}: `{target}`", doc.display());
                if !root.join(&file).exists() {
                    problems.push(format!("{at}: no file {}", file.display()));
                    continue;
                }
                let Some(anchor) = anchor else { continue };
                if file.extension().is_none_or(|ext| ext != "md") {
                    continue;
                }
                let linked = std::fs::read_to_string(root.join(&file)).unwrap();
                if !anchors(&linked).iter().any(|a| a == anchor) {
                    problems.push(format!("{at}: {} has no heading with the anchor #{anchor}", file.display()));
                }
            }
        }
    }
    problems
}

/// `docs/../README.md` → `README.md`.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn relative_links_in_the_documentation_lead_to_a_file_and_heading() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = documents(root);
    assert!(docs.len() > 3, "docs/ holds the guides: {docs:?}");
    let problems = broken_links(root, &docs);
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));
}

#[test]
fn anchors_follow_github_rules() {
    assert_eq!(slug("Network: proxies, internal CAs, retries"), "network-proxies-internal-cas-retries");
    assert_eq!(slug("GitLab CI/CD in depth"), "gitlab-cicd-in-depth");
    assert_eq!(slug("`CONFLUENCE_TOKEN` and the_user"), "confluence_token-and-the_user");
    assert_eq!(slug("주간 보고 (Korean)"), "주간-보고-korean");
    assert_eq!(slug("See [the docs](docs/x.md) now"), "see-the-docs-now");
    let text = "# Setup\n## Setup\n```sh\n# Setup\n```\n### Setup #\n#nospace\n";
    assert_eq!(anchors(text), ["setup", "setup-1", "setup-2"]);
}

#[test]
fn a_missing_file_or_heading_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/a.md"), "# A\n\n## Only heading\n").unwrap();
    let readme = "# R\n\n[ok](docs/a.md#only-heading) [ok](#r) [web](https://example.com/missing) \
                  `[code](nowhere.md)`\n[gone](docs/b.md) [typo](docs/a.md#only-headings)\n\
                  ```md\n[fenced](nowhere.md)\n```\n[ref]: docs/c.md\n";
    std::fs::write(dir.path().join("README.md"), readme).unwrap();
    std::fs::write(dir.path().join("docs/back.md"), "[up](../README.md#r) [self](#nothing)\n").unwrap();
    let docs = [PathBuf::from("README.md"), PathBuf::from("docs/back.md")];
    let problems = broken_links(dir.path(), &docs);
    assert_eq!(
        problems,
        [
            "README.md:4: `docs/b.md`: no file docs/b.md",
            "README.md:4: `docs/a.md#only-headings`: docs/a.md has no heading with the anchor #only-headings",
            "README.md:8: `docs/c.md`: no file docs/c.md",
            "docs/back.md:1: `#nothing`: docs/back.md has no heading with the anchor #nothing",
        ]
    );
}
