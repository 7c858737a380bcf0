#!/usr/bin/env bash
# Installs the confluence-weekly release binary for this runner, checked against the release's
# SHA256SUMS, and puts it on PATH. The logic of setup/action.yml (bash on Linux, macOS and
# Windows runners), kept here so that tests/integration/setup_action.rs can run it against a
# release served on 127.0.0.1.
#
# Environment (setup/action.yml maps its inputs onto these):
#   CW_VERSION     X.Y.Z, vX.Y.Z or `latest`; empty = the contents of setup/VERSION next to this
#                  script (the release writes its own version there; `latest` on the main branch)
#   CW_BASE_URL    where the releases are: <CW_BASE_URL>/vX.Y.Z/<asset> and .../vX.Y.Z/SHA256SUMS;
#                  `latest` is resolved through <CW_BASE_URL without /download>/latest (GitHub's
#                  redirect to .../tag/vX.Y.Z). Empty = https://github.com/<repo>/releases/download
#                  with <repo> = CW_ACTION_REPOSITORY, else org/confluence-weekly
#   CW_INSTALL_DIR where to put the binary (default $RUNNER_TOOL_CACHE/confluence-weekly/X.Y.Z/TARGET)
#   RUNNER_OS, RUNNER_ARCH   Linux|macOS|Windows, X64|ARM64 (set by the runner)
#   GITHUB_PATH, GITHUB_OUTPUT   the runner's files (the directory; outputs version, path)
# Exit 1 with an ::error:: line on any failure, e.g. a checksum mismatch.
set -euo pipefail

error() {
  printf '::error title=confluence-weekly setup::%s\n' "$*" >&2
  exit 1
}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

version="${CW_VERSION:-}"
if [ -z "$version" ]; then
  [ -f "$here/VERSION" ] || error "no version given and no $here/VERSION"
  version="$(tr -d ' \r\n' < "$here/VERSION")"
fi
base="${CW_BASE_URL:-}"
base="${base%/}"
[ -n "$base" ] || base="https://github.com/${CW_ACTION_REPOSITORY:-org/confluence-weekly}/releases/download"

curl_() { curl --fail --silent --show-error --location --retry 3 --connect-timeout 20 "$@"; }

if [ "$version" = latest ]; then
  effective="$(curl_ --head --output /dev/null --write-out '%{url_effective}' "${base%/download}/latest")" ||
    error "could not resolve the latest release at ${base%/download}/latest (give \`version\`)"
  version="${effective##*/}"
fi
version="${version#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || error "version '$version' is not X.Y.Z (or latest)"

ext=""
case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  # Windows on Arm runs the x86_64 binary through its emulation.
  Windows/X64 | Windows/ARM64) target=x86_64-pc-windows-msvc ext=.exe ;;
  *) error "no release binary for RUNNER_OS='${RUNNER_OS:-}' RUNNER_ARCH='${RUNNER_ARCH:-}' (Linux, macOS: X64, ARM64; Windows: X64)" ;;
esac
asset="confluence-weekly-$version-$target$ext"

sha256() {
  if command -v sha256sum > /dev/null 2>&1; then
    sha256sum "$1" | awk '{ print $1 }'
  elif command -v shasum > /dev/null 2>&1; then
    shasum -a 256 "$1" | awk '{ print $1 }'
  else
    error "neither sha256sum nor shasum is installed"
  fi
}

work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/confluence-weekly-setup.XXXXXX")"
trap 'rm -rf "$work"' EXIT
url="$base/v$version"
echo "confluence-weekly $version for $RUNNER_OS $RUNNER_ARCH: $url/$asset"
curl_ --output "$work/SHA256SUMS" "$url/SHA256SUMS" || error "could not download $url/SHA256SUMS"
curl_ --output "$work/$asset" "$url/$asset" || error "could not download $url/$asset"

expected="$(tr -d '\r' < "$work/SHA256SUMS" | awk -v a="$asset" '$2 == a || $2 == "*" a { print tolower($1); exit }')"
[[ "$expected" =~ ^[0-9a-f]{64}$ ]] || error "SHA256SUMS of v$version has no checksum for $asset"
actual="$(sha256 "$work/$asset")"
if [ "$actual" != "$expected" ]; then
  error "checksum mismatch for $asset: SHA256SUMS says $expected, the download is $actual - not installed"
fi
echo "sha256 $actual  $asset (matches SHA256SUMS)"

dir="${CW_INSTALL_DIR:-${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}}/confluence-weekly/$version/$target}"
if command -v cygpath > /dev/null 2>&1; then dir="$(cygpath -u "$dir")"; fi
mkdir -p "$dir"
bin="$dir/confluence-weekly$ext"
mv -f "$work/$asset" "$bin"
chmod 0755 "$bin"
said="$("$bin" --version 2>&1)" || error "$bin --version failed: $said"
case "$said" in
  *"$version"*) echo "$said" ;;
  *) error "$asset says '$said', expected version $version" ;;
esac

path_dir="$dir"
if command -v cygpath > /dev/null 2>&1; then path_dir="$(cygpath -w "$dir")"; fi
if [ -n "${GITHUB_PATH:-}" ]; then echo "$path_dir" >> "$GITHUB_PATH"; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "version=$version"
    echo "path=$path_dir"
  } >> "$GITHUB_OUTPUT"
fi
echo "installed $bin"
