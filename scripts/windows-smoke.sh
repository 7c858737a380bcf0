#!/usr/bin/env bash
# Builds confluence-weekly for x86_64-pc-windows-gnu with Debian's mingw-w64 (the cross check that
# the code, rustls and ring build for Windows), and runs `--version` under wine when wine is
# installed. The release builds its Windows binary with MSVC on a Windows runner
# (.github/workflows/release.yml); this one is a compile-and-start check only.
#
# Usage:  bash scripts/windows-smoke.sh [--install]
#   --install   apt-get install gcc-mingw-w64-x86-64 (and wine64, if Debian has it) when missing,
#               and `rustup target add x86_64-pc-windows-gnu`.
# Profile: dev (no LTO; the release profile's LTO and opt-level=z take several times longer and
# test nothing more here). WINDOWS_SMOKE_PROFILE=release to override.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TARGET=x86_64-pc-windows-gnu
PROFILE="${WINDOWS_SMOKE_PROFILE:-dev}"
log() { printf 'windows-smoke: %s\n' "$*"; }
started=$SECONDS

if [ "${1:-}" = --install ]; then
  apt_install() {
    local sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@" > /dev/null
  }
  if ! command -v x86_64-w64-mingw32-gcc > /dev/null; then
    log "installing gcc-mingw-w64-x86-64"
    apt_install gcc-mingw-w64-x86-64 || { apt-get update -q > /dev/null 2>&1 || sudo apt-get update -q > /dev/null; apt_install gcc-mingw-w64-x86-64; }
  fi
  if ! command -v wine > /dev/null && ! command -v wine64 > /dev/null && [ ! -x /usr/lib/wine/wine64 ]; then
    log "installing wine64 (optional)"
    apt_install wine64 || log "wine64 did not install; --version will be skipped"
  fi
  rustup target add "$TARGET" > /dev/null 2>&1 || true
fi

command -v x86_64-w64-mingw32-gcc > /dev/null || {
  log "x86_64-w64-mingw32-gcc not found: apt-get install gcc-mingw-w64-x86-64 (or run with --install)"
  exit 1
}
rustup target list --installed 2> /dev/null | grep -qx "$TARGET" || {
  log "the Rust target $TARGET is missing: rustup target add $TARGET (or run with --install)"
  exit 1
}

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
# No debug info: the check needs none, and it halves the link (a 140 MB .exe with it).
export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-0}"
cargo build --locked --profile "$PROFILE" --target "$TARGET" --bin confluence-weekly
dir=$PROFILE
[ "$PROFILE" = dev ] && dir=debug
exe="target/$TARGET/$dir/confluence-weekly.exe"
log "built $exe ($(du -h "$exe" | cut -f1)) in $((SECONDS - started))s (profile $PROFILE)"
head -c 2 "$exe" | grep -q MZ || { log "$exe is not a PE executable"; exit 1; }

wine=""
for w in wine64 /usr/lib/wine/wine64 wine; do
  if command -v "$w" > /dev/null 2>&1; then wine=$(command -v "$w"); break; fi
done
if [ -z "$wine" ]; then
  log "SKIPPED running --version: no wine here (apt-get install wine64)"
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/windows-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$exe" "$work/"
# Rust's standard library (1.78+) takes its random bytes from bcryptprimitives.dll's ProcessPrng
# (Windows 10+); Debian 12's wine 8.0 lacks that DLL, so the program would not even load. A
# stand-in built here from RtlGenRandom, next to the copy of the .exe (the application directory
# comes first in the DLL search), only when this wine has none.
if ! find /usr/lib /usr/lib64 /opt -path '*wine*' -iname bcryptprimitives.dll 2> /dev/null | grep -q .; then
  log "this wine has no bcryptprimitives.dll: adding a ProcessPrng stand-in (RtlGenRandom) for the run"
  cat > "$work/bcryptprimitives.c" << 'C'
#include <windows.h>
#include <ntsecapi.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (!RtlGenRandom(data, chunk)) return FALSE;
    data += chunk;
    len -= chunk;
  }
  return TRUE;
}
C
  x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" "$work/bcryptprimitives.c" -ladvapi32
fi
# A throwaway 64-bit prefix, quiet (its first start prints a harmless syswow64 line).
out=$(WINEARCH=win64 WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
  timeout 300 "$wine" "$work/confluence-weekly.exe" --version 2> "$work/wine.err") || {
  cat "$work/wine.err" >&2
  log "$exe --version failed under wine"
  exit 1
}
out=$(printf '%s' "$out" | tr -d '\r')
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
case "$out" in
  *"$version"*) log "wine ($("$wine" --version 2> /dev/null || echo '?')): $out (ok); ${SECONDS}s in all" ;;
  *) log "wine: unexpected --version output: $out"; exit 1 ;;
esac
