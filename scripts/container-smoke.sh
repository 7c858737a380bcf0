#!/usr/bin/env bash
# Container smoke test: builds the runtime image offline and runs it the way GitHub and GitLab do,
# against the fake Confluence on 127.0.0.1.
#
#  1. a Docker engine: uses a running one; else installs Debian's docker.io if needed and starts
#     dockerd (logs in $SMOKE_WORK/dockerd.log; stopped again at the end). If no engine can run
#     here, prints a loud SKIPPED line and exits 0.
#  2. the static binary, on the host: cargo build --release --target x86_64-unknown-linux-musl
#     (adds the rustup target and musl-tools when missing); fails if it is dynamically linked.
#  3. the image, without pulling anything: a base made locally from Debian's busybox-static and
#     CA bundle (`docker import`), then the Dockerfile's `prebuilt` target with the legacy builder
#     (BASE_IMAGE/CERTS_IMAGE pointed at that base; the compile stage lies after the target).
#  4. the fake Confluence (cargo build -p fake-confluence; port announced on its stdout).
#  5. run as GitHub does (env derived from action.yml: inputs with defaults applied, INPUT_*,
#     GITHUB_OUTPUT/GITHUB_STEP_SUMMARY under a mounted /github/file_commands, workdir
#     /github/workspace): page created, outputs file holds page_url.
#  6. run as a GitLab job does (`--entrypoint /bin/sh -c …`, variables from the component
#     template with its defaults applied, GITLAB_CI=true): the dotenv report holds the same
#     CONFLUENCE_PAGE_URL, and the page was found, not created again.
#  7. prints the image size last; fails above 15 MB.
# All containers use `--network host`; every request stays on 127.0.0.1.
#
# Usage:  bash scripts/container-smoke.sh
# Environment (all optional): SMOKE_WORK (scratch dir, default /tmp/confluence-weekly-smoke),
#   SMOKE_IMAGE (tag, default confluence-weekly:smoke), CONFLUENCE_WEEKLY_BIN (use this static
#   binary instead of building one), FAKE_CONFLUENCE_BIN (use this fake-confluence binary).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${SMOKE_WORK:-/tmp/confluence-weekly-smoke}"
IMAGE="${SMOKE_IMAGE:-confluence-weekly:smoke}"
BASE_IMAGE="confluence-weekly-smoke/busybox-base:1"
TARGET=x86_64-unknown-linux-musl
DATE=2025-06-05
EXPECTED_TITLE="$DATE Weekly Report"
MAX_BYTES=$((15 * 1000 * 1000))

started=$SECONDS
DOCKERD_PID=""
FAKE_PID=""
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo > /dev/null; then SUDO="sudo"; fi

log() { printf 'container-smoke: %s\n' "$*"; }
die() {
  printf 'container-smoke: FAILED: %s\n' "$*" >&2
  exit 1
}
skip() {
  printf '\n%s\n' "################################################################################" >&2
  printf 'container-smoke: SKIPPED: %s\n' "$*" >&2
  printf '%s\n\n' "################################################################################" >&2
  exit 0
}
cleanup() {
  if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2> /dev/null || true; fi
  if [ -n "$DOCKERD_PID" ]; then
    log "stopping the dockerd this script started (pid $DOCKERD_PID)"
    $SUDO kill "$DOCKERD_PID" 2> /dev/null || true
    for _ in $(seq 50); do kill -0 "$DOCKERD_PID" 2> /dev/null || break; sleep 0.2; done
  fi
}
trap cleanup EXIT

apt_install() { # apt_install package...: installs what is missing (Debian/Ubuntu only)
  local missing=()
  for p in "$@"; do dpkg -s "$p" > /dev/null 2>&1 || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get > /dev/null || return 1
  log "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}" > "$WORK/apt.log" 2>&1 ||
    { $SUDO apt-get update > /dev/null 2>&1 &&
      $SUDO apt-get install -y --no-install-recommends "${missing[@]}" > "$WORK/apt.log" 2>&1; }
}

mkdir -p "$WORK"
cd "$ROOT"

# --- 1. Docker engine ------------------------------------------------------------------------
if ! docker info > /dev/null 2>&1; then
  if ! command -v dockerd > /dev/null; then
    apt_install docker.io || skip "no Docker engine, and docker.io could not be installed (see $WORK/apt.log)"
  fi
  command -v dockerd > /dev/null || skip "no dockerd binary after installing docker.io"
  [ -S /var/run/docker.sock ] && log "note: /var/run/docker.sock exists but no engine answers"
  log "starting dockerd (log: $WORK/dockerd.log)"
  # No default bridge and no iptables: the smoke containers use the host's network (loopback).
  $SUDO dockerd --bridge=none --iptables=false > "$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 60); do
    docker info > /dev/null 2>&1 && break
    kill -0 "$DOCKERD_PID" 2> /dev/null || break
    sleep 0.5
  done
  if ! docker info > /dev/null 2>&1; then
    tail -n 15 "$WORK/dockerd.log" >&2 || true
    DOCKERD_PID="" # nothing of ours left to stop, or it failed on its own
    skip "dockerd does not start on this machine (last lines of $WORK/dockerd.log above); the container smoke test did not run"
  fi
fi
log "docker engine $(docker version --format '{{.Server.Version}}' 2> /dev/null || echo '?')"

# --- 2. static binary ------------------------------------------------------------------------
if [ -n "${CONFLUENCE_WEEKLY_BIN:-}" ]; then
  BIN="$CONFLUENCE_WEEKLY_BIN"
else
  if ! rustup target list --installed 2> /dev/null | grep -qx "$TARGET"; then
    log "rustup target add $TARGET"
    rustup target add "$TARGET"
  fi
  command -v musl-gcc > /dev/null || apt_install musl-tools || die "musl-tools (musl-gcc) is needed to build for $TARGET"
  log "cargo build --release --locked --target $TARGET --bin confluence-weekly"
  CC_x86_64_unknown_linux_musl=musl-gcc \
    cargo build --quiet --release --locked --target "$TARGET" --bin confluence-weekly
  BIN="${CARGO_TARGET_DIR:-target}/$TARGET/release/confluence-weekly"
fi
[ -x "$BIN" ] || die "no executable at $BIN"
if readelf -d "$BIN" 2> /dev/null | grep -q NEEDED; then
  die "$BIN is dynamically linked: $(readelf -d "$BIN" | grep NEEDED | tr -s ' ' | tr '\n' ';')"
fi
log "static binary: $BIN ($(stat -c %s "$BIN") bytes)"

# --- 3. image --------------------------------------------------------------------------------
if ! docker image inspect "$BASE_IMAGE" > /dev/null 2>&1; then
  apt_install busybox-static ca-certificates || die "busybox-static and ca-certificates are needed for the local base image"
  busybox=/bin/busybox
  readelf -d "$busybox" 2> /dev/null | grep -q NEEDED && die "$busybox is not the static busybox (busybox-static)"
  [ -s /etc/ssl/certs/ca-certificates.crt ] || die "no /etc/ssl/certs/ca-certificates.crt on the host"
  log "making $BASE_IMAGE from $busybox and the host's CA bundle"
  rootfs="$WORK/rootfs"
  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{bin,etc/ssl/certs,tmp,root,usr/local/bin}
  chmod 1777 "$rootfs/tmp"
  cp "$busybox" "$rootfs/bin/busybox"
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' > "$rootfs/etc/group"
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . |
    docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "$BASE_IMAGE" > /dev/null
fi
context="$WORK/context"
rm -rf "$context"
mkdir -p "$context/dist/linux-amd64"
cp "$BIN" "$context/dist/linux-amd64/confluence-weekly"
chmod 0755 "$context/dist/linux-amd64/confluence-weekly"
log "docker build --target prebuilt (legacy builder, nothing pulled) -> $IMAGE"
DOCKER_BUILDKIT=0 docker build --quiet --target prebuilt \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "CERTS_IMAGE=$BASE_IMAGE" \
  --build-arg TARGETARCH=amd64 -f "$ROOT/Dockerfile" -t "$IMAGE" "$context" > "$WORK/build.log" 2>&1 ||
  { cat "$WORK/build.log" >&2; die "docker build failed"; }
[ "$(docker image inspect -f '{{json .Config.Entrypoint}}' "$IMAGE")" = '["/usr/local/bin/confluence-weekly"]' ] ||
  die "the image's entrypoint is not the binary"
docker run --rm --network host "$IMAGE" --version > "$WORK/version.txt" 2>&1 ||
  { cat "$WORK/version.txt" >&2; die "the image does not run --version"; }
log "image runs: $(head -n 1 "$WORK/version.txt")"

# --- 4. fake Confluence ----------------------------------------------------------------------
# shellcheck source=scripts/start-fake.sh
. "$(dirname "${BASH_SOURCE[0]}")/start-fake.sh"
start_fake
log "fake Confluence at $FAKE_BASE_URL (root page $FAKE_ROOT_PAGE_ID)"

# Environment files derived from action.yml and the GitLab template (defaults applied).
# render_env github|gitlab key=value...: prints docker --env-file lines.
render_env() {
  python3 - "$ROOT" "$@" <<'EOF'
import re, sys
root, platform, *pairs = sys.argv[1:]
given = dict(p.split("=", 1) for p in pairs)
try:
    import yaml
except ImportError:
    yaml = None
out = []
if platform == "github":
    text = open(f"{root}/action.yml", encoding="utf-8").read()
    if yaml:
        action = yaml.safe_load(text)
        defaults = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
        env = action["runs"]["env"]
    else:  # the layout action.yml keeps (tests/integration/action_inputs.rs checks its content)
        inputs_block = text.split("\ninputs:\n", 1)[1].split("\noutputs:\n", 1)[0]
        defaults = {}
        for name, body in re.findall(r"^  ([a-z0-9-]+):\n((?:    .*\n)*)", inputs_block, re.M):
            m = re.search(r'^    default: "(.*)"$', body, re.M)
            defaults[name] = m.group(1) if m else ""
        env = dict(re.findall(r"^    ([A-Z_]+): (\$\{\{ inputs\.[a-z0-9-]+ \}\})$", text, re.M))
    unknown = set(given) - set(defaults)
    if unknown:
        sys.exit(f"not inputs of action.yml: {sorted(unknown)}")
    values = {k: given.get(k, v) for k, v in defaults.items()}
    # The runner sets INPUT_<NAME> (upper-cased, '-' kept) for every input...
    for name, value in values.items():
        out.append(f"INPUT_{name.upper()}={value}")
    # ...and evaluates runs.env, with the inputs context holding the values above.
    for var, expr in env.items():
        m = re.fullmatch(r"\$\{\{\s*inputs\.([a-z0-9-]+)\s*\}\}", expr)
        if not m:
            sys.exit(f"runs.env.{var}: cannot evaluate {expr!r}")
        out.append(f"{var}={values[m.group(1)]}")
else:
    text = open(f"{root}/templates/confluence-weekly.yml", encoding="utf-8").read()
    header, job_text = text.split("\n---\n", 1)
    if yaml:
        inputs = yaml.safe_load(header)["spec"]["inputs"]
        defaults = {k: (None if "default" not in v else str(v["default"])) for k, v in inputs.items()}
        variables = next(iter(yaml.safe_load(job_text).values()))["variables"]
    else:
        defaults = {}
        for name, body in re.findall(r"^    ([a-z_]+):\n((?:      .*\n)*)", header, re.M):
            m = re.search(r'^      default: (.*)$', body, re.M)
            defaults[name] = None if not m else m.group(1).strip('"')
        variables = dict(re.findall(r'^    ([A-Z_]+): "(\$\[\[ inputs\.[a-z_]+ \]\])"$', job_text, re.M))
    values = {**defaults, **given}
    missing = [k for k, v in values.items() if v is None]
    if missing:
        sys.exit(f"mandatory template inputs not given: {missing}")
    for var, expr in variables.items():
        value = re.sub(r"\$\[\[\s*inputs\.([a-z_]+)\s*\]\]", lambda m: values[m.group(1)], str(expr))
        out.append(f"{var}={value}")
for line in out:
    if "\n" in line:
        sys.exit(f"multi-line value: {line!r}")
    print(line)
EOF
}

# --- 5. as GitHub runs the action ------------------------------------------------------------
gh="$WORK/github"
rm -rf "$gh"
mkdir -p "$gh"/{workspace,file_commands,home,workflow}
suffix="$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
output_file="set_output_$suffix"
summary_file="step_summary_$suffix"
: > "$gh/file_commands/$output_file"
: > "$gh/file_commands/$summary_file"
{
  render_env github "base-url=$FAKE_BASE_URL" "token=$FAKE_TOKEN" \
    "root-page-id=$FAKE_ROOT_PAGE_ID" "date=$DATE"
  cat << EOF
CI=true
GITHUB_ACTIONS=true
GITHUB_WORKSPACE=/github/workspace
GITHUB_OUTPUT=/github/file_commands/$output_file
GITHUB_STEP_SUMMARY=/github/file_commands/$summary_file
GITHUB_EVENT_NAME=schedule
GITHUB_REPOSITORY=example/consumer
HOME=/github/home
RUNNER_OS=Linux
RUNNER_TEMP=/home/runner/work/_temp
EOF
} > "$gh/env"
log "run 1, as a GitHub container action (workdir /github/workspace, env from action.yml)"
set +e
docker run --rm --network host --workdir /github/workspace \
  -v "$gh/workspace:/github/workspace" -v "$gh/file_commands:/github/file_commands" \
  -v "$gh/home:/github/home" -v "$gh/workflow:/github/workflow" \
  --env-file "$gh/env" "$IMAGE" > "$gh/stdout" 2> "$gh/stderr"
status=$?
set -e
if [ "$status" -ne 0 ]; then
  cat "$gh/stderr" >&2
  die "the GitHub-style run exited $status"
fi
python3 - "$gh/file_commands/$output_file" "$gh/stdout" "$gh/stderr" "$gh/file_commands/$summary_file" \
  "$EXPECTED_TITLE" "$DATE" "$FAKE_TOKEN" "$WORK/page_url" << 'EOF' || die "GitHub-style run: wrong outputs (files in $gh)"
import json, re, sys
outputs_path, stdout_path, stderr_path, summary_path, title, date, token, url_path = sys.argv[1:]
text = open(outputs_path, encoding="utf-8").read()
outputs, lines = {}, text.split("\n")
i = 0
while i < len(lines):
    line = lines[i]
    if "<<" in line:
        name, delim = line.split("<<", 1)
        j = lines.index(delim, i + 1)
        outputs[name] = "\n".join(lines[i + 1:j])
        i = j + 1
    elif "=" in line:
        name, value = line.split("=", 1)
        outputs[name] = value
        i += 1
    else:
        i += 1
problems = []
for key in ("page_url", "page_id", "page_title", "created", "report_date", "source_page_id"):
    if key not in outputs:
        problems.append(f"$GITHUB_OUTPUT lacks {key}")
if not re.match(r"^[a-z_]+<<\S+$", text.split("\n", 1)[0]):
    problems.append("$GITHUB_OUTPUT is not in the name<<DELIMITER form")
if not outputs.get("page_url", "").startswith("http://127.0.0.1:"):
    problems.append(f"page_url = {outputs.get('page_url')!r}")
if outputs.get("page_title") != title:
    problems.append(f"page_title = {outputs.get('page_title')!r}, expected {title!r}")
if outputs.get("created") != "true":
    problems.append(f"created = {outputs.get('created')!r}, expected 'true' on a fresh fake")
if outputs.get("report_date") != date:
    problems.append(f"report_date = {outputs.get('report_date')!r}")
stdout = open(stdout_path, encoding="utf-8").read().splitlines()
if len(stdout) != 1:
    problems.append(f"stdout has {len(stdout)} lines, expected one JSON line")
else:
    result = json.loads(stdout[0])
    if result.get("page_url") != outputs.get("page_url"):
        problems.append("stdout's page_url differs from $GITHUB_OUTPUT's")
if not open(summary_path, encoding="utf-8").read().strip():
    problems.append("$GITHUB_STEP_SUMMARY is empty")
for n, line in enumerate(open(stderr_path, encoding="utf-8").read().splitlines()):
    if token in line and not line.startswith("::add-mask::"):
        problems.append(f"the token appears on stderr line {n + 1} outside ::add-mask::")
if token in "\n".join(stdout) or token in text:
    problems.append("the token appears on stdout or in the outputs")
for p in problems:
    print("  " + p, file=sys.stderr)
if problems:
    sys.exit(1)
open(url_path, "w").write(outputs["page_url"])
print(f"  outputs: page_url={outputs['page_url']} created={outputs['created']} page_title={outputs['page_title']!r}")
EOF
PAGE_URL="$(cat "$WORK/page_url")"

# --- 6. as a GitLab job runs the component ---------------------------------------------------
gl="$WORK/gitlab"
rm -rf "$gl"
mkdir -p "$gl/project"
{
  render_env gitlab "base_url=$FAKE_BASE_URL" "root_page_id=$FAKE_ROOT_PAGE_ID" "date=$DATE"
  cat << EOF
CONFLUENCE_TOKEN=$FAKE_TOKEN
CI=true
GITLAB_CI=true
CI_PIPELINE_SOURCE=schedule
CI_PROJECT_DIR=/builds/example/consumer
CI_JOB_NAME=confluence-weekly
EOF
} > "$gl/env"
log "run 2, as a GitLab job (entrypoint /bin/sh, variables from templates/confluence-weekly.yml)"
set +e
docker run --rm --network host --entrypoint /bin/sh --workdir /builds/example/consumer \
  -v "$gl/project:/builds/example/consumer" --env-file "$gl/env" "$IMAGE" \
  -c 'set -e; command -v confluence-weekly; confluence-weekly; ls -l confluence-weekly.env' \
  > "$gl/stdout" 2> "$gl/stderr"
status=$?
set -e
if [ "$status" -ne 0 ]; then
  cat "$gl/stdout" "$gl/stderr" >&2
  die "the GitLab-style job exited $status"
fi
dotenv="$gl/project/confluence-weekly.env"
[ -s "$dotenv" ] || die "no dotenv report at $dotenv"
python3 - "$dotenv" "$PAGE_URL" "$EXPECTED_TITLE" "$DATE" << 'EOF' || die "GitLab-style run: wrong dotenv report ($dotenv)"
import sys
path, page_url, title, date = sys.argv[1:]
values = {}
for line in open(path, encoding="utf-8").read().splitlines():
    if line.strip():
        name, _, value = line.partition("=")
        values[name] = value
want = {"CONFLUENCE_PAGE_URL": page_url, "CONFLUENCE_PAGE_CREATED": "false",
        "CONFLUENCE_REPORT_DATE": date}
problems = [f"{k} = {values.get(k)!r}, expected {v!r}" for k, v in want.items() if values.get(k) != v]
for k in ("CONFLUENCE_PAGE_ID", "CONFLUENCE_PAGE_TITLE"):
    if not values.get(k):
        problems.append(f"{k} missing")
if values.get("CONFLUENCE_PAGE_TITLE", "").strip("'\"") != title:
    problems.append(f"CONFLUENCE_PAGE_TITLE = {values.get('CONFLUENCE_PAGE_TITLE')!r}")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
log "  dotenv: $(tr '\n' ' ' < "$dotenv")"

# --- 7. size ---------------------------------------------------------------------------------
bytes="$(docker image inspect -f '{{.Size}}' "$IMAGE")"
log "passed in $((SECONDS - started))s: GitHub-style run created the page, GitLab-style run found it"
size_mb="$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1000000 }')"
if [ "$bytes" -gt "$MAX_BYTES" ]; then
  die "image $IMAGE is $size_mb MB uncompressed, over the 15 MB limit"
fi
log "image $IMAGE size: $size_mb MB uncompressed ($bytes bytes; limit 15 MB)"
