#!/usr/bin/env bash
# Pins a release: rewrites the image references a consumer runs to the exact image the release
# pushed, so that `uses: <owner>/confluence-weekly@vX.Y.Z` (or the commit SHA the tag points to)
# and the GitLab component's version X.Y.Z run exactly that image, not whatever `:MAJOR` is today.
#
#   action.yml                     image: docker://ghcr.io/<owner>/confluence-weekly:MAJOR
#                               -> image: docker://ghcr.io/<owner>/confluence-weekly:X.Y.Z@sha256:DIGEST
#   templates/confluence-weekly.yml  the `image` input's default, likewise (without docker://)
#   setup/VERSION                  latest -> X.Y.Z (the binary setup/action.yml installs by default)
#
# Usage:  bash scripts/pin-release.sh [-C DIR] VERSION DIGEST
#   VERSION  X.Y.Z (a leading v is dropped); its major must be the one the files name
#   DIGEST   sha256:<64 lowercase hex digits> (docker/build-push-action's `digest` output)
#   -C DIR   the repository root to edit (default: this script's repository)
# Refuses (exit 2, nothing written) a malformed version or digest, or files that do not have
# exactly one image reference of the expected form. Run by .github/workflows/release.yml on the
# release tag; tests/integration/packaging.rs runs it on a copy of the files.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = -C ]; then
  root="${2:?-C needs a directory}"
  shift 2
fi
die() {
  printf 'pin-release: %s\n' "$*" >&2
  exit 2
}
[ $# -eq 2 ] || die "usage: pin-release.sh [-C DIR] VERSION DIGEST"
version="${1#v}"
digest="$2"
[[ "$version" =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]] ||
  die "version '$1' is not X.Y.Z"
major="${BASH_REMATCH[1]}"
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] ||
  die "digest '$digest' is not sha256:<64 lowercase hex digits>"

action="$root/action.yml"
template="$root/templates/confluence-weekly.yml"
setup_version="$root/setup/VERSION"
for f in "$action" "$template" "$setup_version"; do
  [ -f "$f" ] || die "$f is missing"
done

# The reference may already be pinned (a re-run of the release): its tag is then X.Y.Z@sha256:….
tag_re="($major|$major\\.[0-9]+\\.[0-9]+@sha256:[0-9a-f]{64})"
action_re="^  image: docker://(ghcr\\.io/[a-z0-9._-]+/confluence-weekly):$tag_re\$"
template_re="^      default: (ghcr\\.io/[a-z0-9._-]+/confluence-weekly):$tag_re\$"

# Exactly one line of the form in each file (the template: the one right after `    image:`).
count() { grep -cE "$1" "$2" || true; }
[ "$(count "$action_re" "$action")" = 1 ] ||
  die "action.yml: expected one line '  image: docker://ghcr.io/<owner>/confluence-weekly:$major'"
image_default=$(awk '/^    image:$/ { getline; print; exit }' "$template")
[[ "$image_default" =~ $template_re ]] ||
  die "templates/confluence-weekly.yml: the image input's default is not ghcr.io/<owner>/confluence-weekly:$major"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -E "s#$action_re#  image: docker://\\1:$version@$digest#" "$action" > "$tmp/action.yml"
awk -v ref="$version@$digest" '
  prev == "    image:" && /^      default: ghcr\.io\// { sub(/\/confluence-weekly:.*$/, "/confluence-weekly:" ref) }
  { prev = $0; print }
' "$template" > "$tmp/template.yml"
printf '%s\n' "$version" > "$tmp/VERSION"

# Check before writing anything.
pinned_action=$(grep -E '^  image: docker://' "$tmp/action.yml")
pinned_default=$(awk '/^    image:$/ { getline; print; exit }' "$tmp/template.yml")
case "$pinned_action" in *":$version@$digest") ;; *) die "action.yml was not rewritten: $pinned_action" ;; esac
case "$pinned_default" in *":$version@$digest") ;; *) die "the template was not rewritten: $pinned_default" ;; esac
[ "${pinned_action#  image: docker://}" = "${pinned_default#      default: }" ] ||
  die "action.yml and the template would name different images"

cat "$tmp/action.yml" > "$action"
cat "$tmp/template.yml" > "$template"
cat "$tmp/VERSION" > "$setup_version"
printf '%s\n' "${pinned_action#  image: docker://}"
