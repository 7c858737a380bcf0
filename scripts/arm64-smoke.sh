#!/usr/bin/env bash
# arm64 smoke test: builds the static aarch64 (musl) binary exactly as the release does
# (scripts/build-static.sh: zig from PyPI, cargo-zigbuild, `cargo zigbuild --release`) and runs it
# under qemu user emulation:
#   1. `confluence-weekly --version` must print this crate's version;
#   2. against the fake Confluence (native x86_64, on 127.0.0.1), with CONFLUENCE_DATE set: the
#      first run must create the page (`"created":true` on stdout), the second must find it
#      (`"created":false`, same page_url).
# qemu comes from Debian (qemu-user-static, else qemu-user; apt-get update, then install). If no
# qemu can be installed, the script fails: the binary it would ship must run.
#
# Usage:  bash scripts/arm64-smoke.sh
# Environment (optional): ARM64_SMOKE_WORK (scratch dir, default /tmp/confluence-weekly-arm64),
#   FAKE_CONFLUENCE_BIN (use this fake-confluence binary instead of building one),
#   CONFLUENCE_WEEKLY_TOOLS (where build-static.sh keeps zig).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${ARM64_SMOKE_WORK:-/tmp/confluence-weekly-arm64}"
TARGET=aarch64-unknown-linux-musl
DATE=2025-06-05
EXPECTED_TITLE="$DATE Weekly Report"

started=$SECONDS
FAKE_PID=""
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo > /dev/null; then SUDO="sudo"; fi

log() { printf 'arm64-smoke: %s (%ss)\n' "$*" "$((SECONDS - started))"; }
die() {
  printf 'arm64-smoke: FAILED: %s\n' "$*" >&2
  exit 1
}
cleanup() {
  if [ -n "$FAKE_PID" ]; then
    kill -TERM "$FAKE_PID" 2> /dev/null || true
    wait "$FAKE_PID" 2> /dev/null || true
  fi
}
trap cleanup EXIT

rm -rf "$WORK"
mkdir -p "$WORK"
cd "$ROOT"

# --- 1. qemu (Debian) ----------------------------------------------------------------------------
find_qemu() { command -v qemu-aarch64-static || command -v qemu-aarch64 || true; }
QEMU="$(find_qemu)"
if [ -z "$QEMU" ]; then
  command -v apt-get > /dev/null || die "no qemu-aarch64 and no apt-get to install it"
  log "installing qemu user emulation (apt-get update; apt-get install qemu-user-static)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q > "$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; die "apt-get update failed"; }
  $SUDO apt-get install -y --no-install-recommends qemu-user-static >> "$WORK/apt.log" 2>&1 ||
    $SUDO apt-get install -y --no-install-recommends qemu-user >> "$WORK/apt.log" 2>&1 ||
    { tail -n 20 "$WORK/apt.log" >&2; die "neither qemu-user-static nor qemu-user could be installed"; }
  QEMU="$(find_qemu)"
  [ -n "$QEMU" ] || die "qemu was installed but no qemu-aarch64(-static) is on PATH"
fi
log "qemu: $QEMU ($("$QEMU" --version | head -n 1))"

# --- 2. the aarch64 binary, built as the release builds it ---------------------------------------
log "building the $TARGET binary (scripts/build-static.sh)"
BIN="$(bash "$ROOT/scripts/build-static.sh" "$TARGET")"
file_info="$(readelf -h "$BIN" | awk -F: '/Machine:/ { gsub(/^ +/, "", $2); print $2 }')"
[ "$file_info" = AArch64 ] || die "$BIN is for $file_info, not AArch64"
log "built $BIN"

# --- 3. --version under qemu ---------------------------------------------------------------------
crate_version="$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)"
version_line="$("$QEMU" "$BIN" --version)" || die "the aarch64 binary does not run --version under qemu"
[ "$version_line" = "confluence-weekly $crate_version" ] ||
  die "--version printed '$version_line', expected 'confluence-weekly $crate_version'"
log "under qemu: $version_line"

# --- 4. the fake Confluence (native) -------------------------------------------------------------
# shellcheck source=scripts/start-fake.sh
. "$(dirname "${BASH_SOURCE[0]}")/start-fake.sh"
start_fake
log "fake Confluence at $FAKE_BASE_URL"

# --- 5. create, then find, under qemu ------------------------------------------------------------
# run N: the aarch64 binary with only the variables it needs (no .env: the working dir is empty).
run() {
  local n="$1" status=0
  mkdir -p "$WORK/run"
  (
    cd "$WORK/run"
    env -i PATH=/usr/bin:/bin \
      CONFLUENCE_BASE_URL="$FAKE_BASE_URL" CONFLUENCE_TOKEN="$FAKE_TOKEN" \
      CONFLUENCE_ROOT_PAGE_ID="$FAKE_ROOT_PAGE_ID" CONFLUENCE_DATE="$DATE" \
      "$QEMU" "$BIN" > "$WORK/stdout.$n" 2> "$WORK/stderr.$n"
  ) || status=$?
  [ "$status" -eq 0 ] || { cat "$WORK/stderr.$n" >&2; die "run $n under qemu exited $status"; }
}
check() { # check N CREATED [PAGE_URL]: prints page_url
  python3 - "$WORK/stdout.$1" "$2" "${3:-}" "$EXPECTED_TITLE" "$DATE" << 'EOF'
import json, sys
path, created, url, title, date = sys.argv[1:]
lines = open(path, encoding="utf-8").read().splitlines()
if len(lines) != 1:
    sys.exit(f"  stdout has {len(lines)} lines, expected one JSON line: {lines!r}")
r = json.loads(lines[0])
problems = []
if r.get("created") is not (created == "true"):
    problems.append(f"created = {r.get('created')!r}, expected {created}")
if r.get("page_title") != title or r.get("report_date") != date:
    problems.append(f"page_title/report_date = {r.get('page_title')!r}/{r.get('report_date')!r}")
if not str(r.get("page_url") or "").startswith("http://127.0.0.1:"):
    problems.append(f"page_url = {r.get('page_url')!r}")
if url and r.get("page_url") != url:
    problems.append(f"page_url {r.get('page_url')!r} differs from the first run's {url!r}")
if problems:
    sys.exit("\n".join("  " + p for p in problems))
print(r["page_url"])
EOF
}
run 1
url="$(check 1 true)" || die "run 1 (create) under qemu: wrong result; stdout: $(cat "$WORK/stdout.1")"
log "run 1 under qemu created $url"
run 2
check 2 false "$url" > /dev/null || die "run 2 (find) under qemu: wrong result; stdout: $(cat "$WORK/stdout.2")"
log "run 2 under qemu found the same page (created: false)"

log "passed: the $TARGET release binary runs under qemu and creates a page"
