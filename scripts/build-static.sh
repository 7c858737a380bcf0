#!/usr/bin/env bash
# Builds the static (musl) release binary of confluence-weekly for one Linux target with
# cargo-zigbuild, zig being the C compiler and linker (ring has C parts). This is how
# .github/workflows/release.yml builds the binaries attached to a release (and put in the image),
# and how scripts/arm64-smoke.sh (run by .ci/run) builds the aarch64 one.
#
#   - zig: the PyPI package `ziglang`, in a venv under $CONFLUENCE_WEEKLY_TOOLS
#     (default ~/.cache/confluence-weekly-tools);
#   - cargo-zigbuild: `cargo install --locked cargo-zigbuild` (skipped when that version is on PATH);
#   - the target's standard library: `rustup target add TARGET`;
#   - fails if the result is dynamically linked.
#
# Usage:  bash scripts/build-static.sh TARGET [OUT]
#   TARGET  x86_64-unknown-linux-musl or aarch64-unknown-linux-musl
#   OUT     copy the binary there (mode 0755); the binary's path is printed on stdout either way.
# Progress goes to stderr. Needs python3 (with venv), cargo, rustup and readelf (binutils).
set -euo pipefail

ZIGLANG_VERSION=0.15.2
CARGO_ZIGBUILD_VERSION=0.24.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${CONFLUENCE_WEEKLY_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/confluence-weekly-tools}"

log() { printf 'build-static: %s\n' "$*" >&2; }
die() {
  printf 'build-static: FAILED: %s\n' "$*" >&2
  exit 1
}

[ "$#" -ge 1 ] && [ "$#" -le 2 ] || die "usage: $0 TARGET [OUT]"
TARGET="$1"
OUT="${2:-}"
case "$TARGET" in
  x86_64-unknown-linux-musl | aarch64-unknown-linux-musl) ;;
  *) die "unsupported target $TARGET (x86_64-unknown-linux-musl or aarch64-unknown-linux-musl)" ;;
esac

# --- zig (PyPI) --------------------------------------------------------------------------------
ZIG_VENV="$TOOLS/ziglang-$ZIGLANG_VERSION"
if [ ! -e "$ZIG_VENV/.installed" ]; then
  log "installing ziglang $ZIGLANG_VERSION (pip) into $ZIG_VENV"
  rm -rf "$ZIG_VENV"
  python3 -m venv "$ZIG_VENV"
  "$ZIG_VENV/bin/pip" install --quiet --disable-pip-version-check "ziglang==$ZIGLANG_VERSION" >&2
  touch "$ZIG_VENV/.installed"
fi
# cargo-zigbuild runs `zig` from PATH, else `python3 -m ziglang`: put a `zig` on PATH.
mkdir -p "$ZIG_VENV/shim"
cat > "$ZIG_VENV/shim/zig" << EOF
#!/bin/sh
exec "$ZIG_VENV/bin/python" -m ziglang "\$@"
EOF
chmod 0755 "$ZIG_VENV/shim/zig"
export PATH="$ZIG_VENV/shim:$PATH"

# --- cargo-zigbuild (crates.io) ------------------------------------------------------------------
if ! cargo install --list | grep -qx "cargo-zigbuild v$CARGO_ZIGBUILD_VERSION:"; then
  log "cargo install --locked cargo-zigbuild $CARGO_ZIGBUILD_VERSION"
  cargo install --quiet --locked --version "$CARGO_ZIGBUILD_VERSION" cargo-zigbuild >&2
fi

# --- the target's standard library -------------------------------------------------------------
if ! rustup target list --installed | grep -qx "$TARGET"; then
  log "rustup target add $TARGET"
  rustup target add "$TARGET" >&2
fi

# --- build -------------------------------------------------------------------------------------
cd "$ROOT"
log "cargo zigbuild --release --locked --target $TARGET (zig $(zig version))"
cargo zigbuild --quiet --release --locked --target "$TARGET" --bin confluence-weekly >&2
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$TARGET/release/confluence-weekly"
[ -x "$BIN" ] || die "no executable at $BIN"
if readelf -d "$BIN" 2> /dev/null | grep -q NEEDED; then
  die "$BIN is dynamically linked: $(readelf -d "$BIN" | grep NEEDED | tr -s ' ' | tr '\n' ';')"
fi
machine="$(readelf -h "$BIN" | awk -F: '/Machine:/ { gsub(/^ +/, "", $2); print $2 }')"
log "static binary for $machine: $BIN ($(stat -c %s "$BIN") bytes)"
if [ -n "$OUT" ]; then
  mkdir -p "$(dirname "$OUT")"
  install -m 0755 "$BIN" "$OUT"
  BIN="$OUT"
fi
printf '%s\n' "$BIN"
