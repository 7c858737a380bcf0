#!/bin/sh
# Prints the CHANGELOG.md section of one version: the lines under its `## [VERSION]` heading up to
# the next `## ` heading (or the link references at the end), without leading and trailing blank
# lines. The release workflows (.github/workflows/release.yml, .gitlab-ci.yml) use it as the
# release notes; scripts/lint-packaging.sh tests it.
#
# Usage:  sh scripts/changelog-section.sh VERSION [CHANGELOG]     (VERSION without the `v`)
# Exits 1 (with a message on stderr) when the section is missing or empty. POSIX sh and awk only,
# so it also runs in busybox images (GitLab's release-cli image).
set -eu

usage() {
  echo "usage: $0 VERSION [CHANGELOG.md]   e.g. $0 1.0.0" >&2
  exit 2
}
[ "$#" -ge 1 ] && [ "$#" -le 2 ] || usage
version="${1#v}"
file="${2:-$(dirname "$0")/../CHANGELOG.md}"
[ -n "$version" ] || usage
[ -r "$file" ] || {
  echo "changelog-section: cannot read $file" >&2
  exit 1
}

awk -v version="$version" -v file="$file" '
  BEGIN { found = 0; inside = 0; n = 0 }
  /^## / {
    if (inside) { inside = 0; exit }
    # "## [1.0.0] - 2026-11-29", "## [1.0.0]", "## 1.0.0 - ..."
    heading = $0
    sub(/^## +/, "", heading)
    sub(/[ \t].*$/, "", heading)
    gsub(/[\[\]]/, "", heading)
    if (heading == version) { found = 1; inside = 1 }
    next
  }
  inside && /^\[[^]]+\]: / { inside = 0; exit }   # link references below the last section
  inside { lines[++n] = $0 }
  END {
    if (!found) { printf "changelog-section: no \"## [%s]\" section in %s\n", version, file > "/dev/stderr"; exit 1 }
    first = 1; while (first <= n && lines[first] ~ /^[ \t]*$/) first++
    last = n; while (last >= first && lines[last] ~ /^[ \t]*$/) last--
    if (first > last) { printf "changelog-section: the section of %s in %s is empty\n", version, file > "/dev/stderr"; exit 1 }
    for (i = first; i <= last; i++) print lines[i]
  }
' "$file"
