#!/usr/bin/env bash
# Benchmark (not a test, not run in CI): the release binary against the fake Confluence with
# injected latency, per flavour. Prints, as a Markdown table for docs/how-a-run-works.md:
#   - the create and the existing-page paths: sequential round trips (requests sent together
#     count once; the webhook included), requests sent, wall time, peak RSS;
#   - the create path with a holiday calendar (CONFLUENCE_HOLIDAYS, served by the fake with the
#     same latency and counted like any request), and the Labor Day week skipped by it;
#   - a team table (src/storage/fixtures/korean_team.xml) copied without and with carry/clear
#     rules, then a reminder on it (CONFLUENCE_MODE=remind) after one cell was edited;
#   - a service account (CONFLUENCE_CLIENT_ID/SECRET): Data Center, and Cloud behind the API
#     gateway beside the same runs with a token there;
#   - peak RSS copying a page with a 5 MB body, and a page with a 40 MB attachment;
#   - 30 reports in one config file: wall time and the most requests in flight at once;
#   - filing a flat root of 500 weekly pages under year/quarter group pages (CONFLUENCE_ARCHIVE),
#     then the same run on the tidy tree, beside the run without filing;
#   - preparing a ~2 MB storage-format body with four carry/clear rules and drop-done (the
#     storage module's example, `examples/storage_prepare.rs`, release build): time, peak RSS;
#   - the binary's size, and the container image's (n/a when no Docker engine can run here).
#
# Usage:  bash scripts/bench.sh
# Environment (all optional): BENCH_LATENCY_MS (default 100), BENCH_WORK (scratch dir, default
#   /tmp/confluence-weekly-bench), CONFLUENCE_WEEKLY_BIN (a static release binary to use instead
#   of building one), BENCH_IMAGE=0 (skip the image; it runs scripts/container-smoke.sh).
#
# Builds once: the static musl release binary the image ships (LTO: a few minutes on two cores)
# and the fake in the dev profile. Needs /usr/bin/time (Debian package `time`), python3, curl.
# Round trips and requests are counted by the fake (GET /__fake/stats), RSS by /usr/bin/time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_WORK:-/tmp/confluence-weekly-bench}"
LATENCY_MS="${BENCH_LATENCY_MS:-100}"
TARGET=x86_64-unknown-linux-musl
DATE=2025-06-05
BODY_BYTES=5000000
ATTACHMENT_BYTES=40000000
TEAMS=30
WEEKS=500
CLIENT_ID=bench-client
CLIENT_SECRET=bench-SECRET-5a9e

started=$SECONDS
FAKE_PID=""
log() { printf 'bench: %s\n' "$*" >&2; }
die() {
  printf 'bench: FAILED: %s\n' "$*" >&2
  exit 1
}
cleanup() { if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2> /dev/null || true; fi; }
trap cleanup EXIT

mkdir -p "$WORK"
cd "$ROOT"
[ -x /usr/bin/time ] || { apt-get install -y -qq time > /dev/null 2>&1 || die "/usr/bin/time is needed (apt-get install time)"; }

# --- build -------------------------------------------------------------------------------------
if [ -n "${CONFLUENCE_WEEKLY_BIN:-}" ]; then
  BIN="$CONFLUENCE_WEEKLY_BIN"
else
  command -v musl-gcc > /dev/null || apt-get install -y -qq musl-tools > /dev/null 2>&1 || die "musl-tools is needed"
  rustup target list --installed 2> /dev/null | grep -qx "$TARGET" || rustup target add "$TARGET"
  log "cargo build --release --target $TARGET (once; LTO takes a few minutes)"
  CC_x86_64_unknown_linux_musl=musl-gcc cargo build --quiet --release --locked --target "$TARGET" --bin confluence-weekly
  BIN="${CARGO_TARGET_DIR:-target}/$TARGET/release/confluence-weekly"
fi
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
log "cargo build -p fake-confluence"
cargo build --quiet --locked -p fake-confluence --bin fake-confluence
FAKE="${CARGO_TARGET_DIR:-target}/debug/fake-confluence"

# --- helpers -----------------------------------------------------------------------------------
field() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print("" if v is None else v)' "$1" "$2"; }

start_fake() { # start_fake FLAVOUR [FAKE ARGS...]: a fresh fake with the benchmark's extra reports
  cleanup
  local flavour="$1"
  shift
  "$FAKE" --flavor "$flavour" --latency-ms "$LATENCY_MS" --big-body "$BODY_BYTES" \
    --big-attachment "$ATTACHMENT_BYTES" --teams "$TEAMS" --weekly-pages "$WEEKS" \
    --calendar src/offdays/calendar/google.ics --team-table src/storage/fixtures/korean_team.xml \
    --client-credentials "$CLIENT_ID:$CLIENT_SECRET" "$@" > "$WORK/fake.json" 2> "$WORK/fake.log" &
  FAKE_PID=$!
  for _ in $(seq 200); do
    [ "$(wc -l < "$WORK/fake.json")" -ge 1 ] && break
    kill -0 "$FAKE_PID" 2> /dev/null || break
    sleep 0.1
  done
  [ "$(wc -l < "$WORK/fake.json")" -ge 1 ] || { cat "$WORK/fake.log" >&2; die "fake-confluence did not start"; }
  CONTROL="$(field "$WORK/fake.json" control_url)"
  CALENDAR_URL="$(field "$WORK/fake.json" calendar_url)"
  # A service account instead of the token (and no user).
  SA_ENV=(
    "CONFLUENCE_BASE_URL=$(field "$WORK/fake.json" base_url)"
    "CONFLUENCE_CLIENT_ID=$CLIENT_ID"
    "CONFLUENCE_CLIENT_SECRET=$CLIENT_SECRET"
    "CONFLUENCE_OAUTH_TOKEN_URL=$(field "$WORK/fake.json" oauth_token_url)"
    "CONFLUENCE_ROOT_PAGE_ID=$(field "$WORK/fake.json" root_page_id)"
    "CONFLUENCE_DATE=$DATE"
    "WEBHOOK_URL=$CONTROL/hook"
  )
  BASE_ENV=(
    "CONFLUENCE_BASE_URL=$(field "$WORK/fake.json" base_url)"
    "CONFLUENCE_TOKEN=$(field "$WORK/fake.json" token)"
    "CONFLUENCE_ROOT_PAGE_ID=$(field "$WORK/fake.json" root_page_id)"
    "CONFLUENCE_DATE=$DATE"
    "WEBHOOK_URL=$CONTROL/hook"
  )
  if [ "$flavour" = cloud ]; then
    BASE_ENV+=("CONFLUENCE_USER=$(field "$WORK/fake.json" user)" "CONFLUENCE_FLAVOR=cloud")
    SA_ENV+=("CONFLUENCE_FLAVOR=cloud")
  fi
}

# measure NAME VAR=VALUE...: runs the binary once (environment: the fake's plus these), prints
# one table row: round trips, requests, wall time, peak RSS, most in flight. MEASURE_ENV names
# the array of the fake's environment (default BASE_ENV; SA_ENV: the service account's).
measure() {
  local name="$1"
  local -n base="${MEASURE_ENV:-BASE_ENV}"
  shift
  curl -fsS -X POST "$CONTROL/reset" > /dev/null
  # In an empty directory: no .env file, no outputs left behind.
  rm -rf "$WORK/run" && mkdir -p "$WORK/run"
  if ! (cd "$WORK/run" && env -i PATH="$PATH" "${base[@]}" "$@" /usr/bin/time -f '%e %M' -o "$WORK/time" \
    "$BIN" > "$WORK/stdout" 2> "$WORK/stderr"); then
    cat "$WORK/stderr" >&2
    die "$name: the run failed"
  fi
  curl -fsS "$CONTROL/stats" > "$WORK/stats.json"
  read -r wall rss_kb < "$WORK/time"
  python3 - "$FLAVOUR" "$name" "$wall" "$rss_kb" "$WORK/stats.json" "$WORK/stdout" << 'EOF'
import json, sys
flavour, name, wall, rss_kb, stats_path, stdout_path = sys.argv[1:]
s = json.load(open(stats_path))
lines = open(stdout_path).read().splitlines()
created = sum(bool(json.loads(line).get("created")) for line in lines)
archived = sum(json.loads(line).get("archived") or 0 for line in lines)
print(f"| {flavour} | {name} | {s['round_trips']} | {s['requests']} | {float(wall):.2f} s "
      f"| {int(rss_kb) / 1024:.1f} MiB | {s['max_in_flight']} | {created}/{len(lines)} | {archived} |")
EOF
}

reports_file() { # a config file with $TEAMS reports under the demo root
  local file="$WORK/reports.yml"
  {
    printf 'reports:\n'
    for i in $(seq 0 $((TEAMS - 1))); do
      printf '  - name: team_%02d\n    title_template: "{date} Team %02d Report"\n' "$i" "$i"
    done
  } > "$file"
  printf '%s' "$file"
}

# edit_team_table: saves the next version of the page the last run made, with its first body
# row's `금주 진행 내역` cell added to, as the editor does (Data Center
# `PUT /rest/api/content/{id}`, Cloud `PUT /api/v2/pages/{id}`); not measured.
edit_team_table() {
  python3 - "$FLAVOUR" "$WORK/stdout" "${BASE_ENV[@]}" << 'EOF'
import base64, json, sys, urllib.request
flavour, stdout = sys.argv[1:3]
env = dict(a.split("=", 1) for a in sys.argv[3:])
page_id = json.loads(open(stdout).read().splitlines()[-1])["page_id"]
base = env["CONFLUENCE_BASE_URL"]
if flavour == "cloud":
    auth = "Basic " + base64.b64encode(f"{env['CONFLUENCE_USER']}:{env['CONFLUENCE_TOKEN']}".encode()).decode()
    url, query = f"{base}/api/v2/pages/{page_id}", "?body-format=storage"
else:
    auth = "Bearer " + env["CONFLUENCE_TOKEN"]
    url, query = f"{base}/rest/api/content/{page_id}", "?expand=body.storage,version,ancestors"
def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": auth, "Content-Type": "application/json"}
    return json.load(urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method)))
page = call("GET", url + query)
old = "배포 자동화 &ndash; 1단계"
body = page["body"]["storage"]["value"]
assert old in body, body
body = body.replace(old, old + " 완료", 1)
version = {"number": page["version"]["number"] + 1}
if flavour == "cloud":
    call("PUT", url, {"id": page_id, "status": "current", "title": page["title"], "version": version,
                      "body": {"representation": "storage", "value": body}})
else:
    call("PUT", url, {"id": page_id, "type": "page", "title": page["title"], "version": version,
                      "ancestors": [{"id": page["ancestors"][-1]["id"]}],
                      "body": {"storage": {"value": body, "representation": "storage"}}})
EOF
}

# --- runs --------------------------------------------------------------------------------------
rows="$WORK/rows.md"
: > "$rows"
NO_COPIES=(CONFLUENCE_COPY_LABELS=false CONFLUENCE_COPY_ATTACHMENTS=false)
TEAM_TABLE=("CONFLUENCE_TITLE_TEMPLATE={date} Team Table Report" "${NO_COPIES[@]}")
RULES=("CONFLUENCE_CARRY=차주 예정 내역 -> 금주 진행 내역" "CONFLUENCE_CLEAR=비고")
for FLAVOUR in datacenter cloud; do
  log "$FLAVOUR: fake with ${LATENCY_MS} ms latency"
  start_fake "$FLAVOUR"
  {
    # The demo's last page has a label and a 67-byte attachment; the body-only rows leave them.
    measure "create + label + attachment"
    measure "existing"
    measure "create (body only)" CONFLUENCE_DATE=2025-06-12 "${NO_COPIES[@]}"
    measure "create (body only), holiday calendar" CONFLUENCE_DATE=2025-06-19 "CONFLUENCE_HOLIDAYS=$CALENDAR_URL" "${NO_COPIES[@]}"
    if [ "$FLAVOUR" = datacenter ]; then
      measure "create (body only), space key" CONFLUENCE_DATE=2025-06-26 CONFLUENCE_SPACE_KEY=TEAM "${NO_COPIES[@]}"
      measure "existing, space key" CONFLUENCE_DATE=2025-06-26 CONFLUENCE_SPACE_KEY=TEAM
      MEASURE_ENV=SA_ENV measure "create (body only), service account" CONFLUENCE_DATE=2025-07-03 "${NO_COPIES[@]}"
      MEASURE_ENV=SA_ENV measure "existing, service account" CONFLUENCE_DATE=2025-07-03
    fi
    measure "5 MB body" "CONFLUENCE_TITLE_TEMPLATE={date} Big Body Report"
    if [ "$FLAVOUR" = datacenter ]; then
      measure "40 MB attachment" "CONFLUENCE_TITLE_TEMPLATE={date} Big Attachment Report"
    else
      measure "40 MB attachment (copied server-side)" "CONFLUENCE_TITLE_TEMPLATE={date} Big Attachment Report"
    fi
    measure "$TEAMS reports, one file" "CONFLUENCE_CONFIG=$(reports_file)"
    # The fake's --weekly-pages: a flat root of $WEEKS weekly pages ending on $DATE.
    WEEKLY=("CONFLUENCE_TITLE_TEMPLATE={date:%Y%m%d}_MY팀 주간 보고" CONFLUENCE_SCHEDULE=weekly:thu)
    FILING=("CONFLUENCE_ARCHIVE=주간보고 | {date:%Y} {date:%q}분기
주간보고 | {date:%Y}")
    measure "existing, filing off ($WEEKS children)" "${WEEKLY[@]}"
    measure "filing $WEEKS pages" "${WEEKLY[@]}" "${FILING[@]}"
    measure "existing, filing on (tidy tree)" "${WEEKLY[@]}" "${FILING[@]}"
    measure "Labor Day week skipped (holiday calendar)" "${WEEKLY[@]}" CONFLUENCE_DATE=2025-04-28 "CONFLUENCE_HOLIDAYS=$CALENDAR_URL"
    # The fake's --team-table: korean_team.xml as `2025-05-29 Team Table Report`.
    measure "create (body only), team table" "${TEAM_TABLE[@]}"
    measure "create (body only), team table, carry + clear" "${TEAM_TABLE[@]}" CONFLUENCE_DATE=2025-06-12 "${RULES[@]}"
    edit_team_table
    measure "reminder (team table, one cell edited)" "${TEAM_TABLE[@]}" CONFLUENCE_DATE=2025-06-12 \
      CONFLUENCE_MODE=remind "CONFLUENCE_REMIND=금주 진행 내역"
    cp "$WORK/stdout" "$WORK/reminder-$FLAVOUR.json" # who is pending, for a look
  } >> "$rows"
done
# Cloud behind the API gateway (where a service account's requests go): the same runs with the
# token there, then with client credentials (the gateway URL as the base URL: no cloudId lookup).
FLAVOUR=cloud
log "cloud behind the gateway: fake with ${LATENCY_MS} ms latency"
start_fake cloud --gateway 5e1f0a9b-2c3d-4e5f-8a7b-6c5d4e3f2a1b
{
  measure "create (body only), gateway" "${NO_COPIES[@]}"
  measure "existing, gateway"
  MEASURE_ENV=SA_ENV measure "create (body only), gateway, service account" CONFLUENCE_DATE=2025-06-12 "${NO_COPIES[@]}"
  MEASURE_ENV=SA_ENV measure "existing, gateway, service account" CONFLUENCE_DATE=2025-06-12
} >> "$rows"
cleanup
FAKE_PID=""

log "cargo build --release --example storage_prepare"
cargo build --quiet --release --locked --example storage_prepare
/usr/bin/time -f '%e %M' -o "$WORK/time" "${CARGO_TARGET_DIR:-target}/release/examples/storage_prepare" > "$WORK/prepare.txt"
read -r _ prepare_rss_kb < "$WORK/time"
prepare="$(head -n 1 "$WORK/prepare.txt"), peak RSS $(awk -v k="$prepare_rss_kb" 'BEGIN { printf "%.1f MiB", k / 1024 }')"

binary_bytes="$(stat -c %s "$BIN")"
binary="$(awk -v b="$binary_bytes" 'BEGIN { printf "%.1f MiB (%d bytes)", b / 1048576, b }')"
image="n/a"
if [ "${BENCH_IMAGE:-1}" != 0 ]; then
  log "image: scripts/container-smoke.sh with this binary (log: $WORK/smoke.log)"
  if CONFLUENCE_WEEKLY_BIN="$BIN" FAKE_CONFLUENCE_BIN="$FAKE" bash scripts/container-smoke.sh > "$WORK/smoke.log" 2>&1; then
    bytes="$(sed -n 's/.*size: .*(\([0-9]*\) bytes.*/\1/p' "$WORK/smoke.log" | tail -n 1)"
    [ -n "$bytes" ] && image="$(awk -v b="$bytes" 'BEGIN { printf "%.1f MB (%d bytes, uncompressed)", b / 1000000, b }')"
    grep -q SKIPPED "$WORK/smoke.log" && image="n/a (no Docker engine here)"
  else
    image="n/a (container-smoke failed, see $WORK/smoke.log)"
  fi
fi

cat << EOF
$(date -u +%Y-%m-%d), fake latency ${LATENCY_MS} ms per request, $(nproc) CPUs; \`bash scripts/bench.sh\`

| flavour | run | round trips | requests | wall | peak RSS | most in flight | created | archived |
|---|---|---|---|---|---|---|---|---|
$(cat "$rows")

preparing a body with four rules and drop-done (\`examples/storage_prepare.rs\`): $prepare

binary ($TARGET, static, stripped): $binary; image: $image
EOF
log "done in $((SECONDS - started))s"
