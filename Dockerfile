# confluence-weekly: a static (musl) binary on a busybox runtime (~1.5 MB + the binary).
#
# Targets, in file order (the legacy builder builds every stage above its target, BuildKit only
# what the target needs):
#   certs     CA bundle (Alpine's ca-certificates-bundle)
#   base      runtime without the binary: busybox (/bin/sh for GitLab's `script:`) + CA bundle
#   prebuilt  base + a static binary built outside Docker: dist/linux-$TARGETARCH/confluence-weekly
#             (release.yml, so the image holds the very binary attached to the GitHub release;
#             scripts/container-smoke.sh, offline, with BASE_IMAGE/CERTS_IMAGE made locally)
#   build     compiles the static binary from source
#   runtime   base + the binary from `build` (default: `docker build .`, the CI's local action)
#
# GitHub runs container actions as root with the workspace mounted and `--workdir
# /github/workspace`; GitLab's Docker executor runs `script:` through /bin/sh with
# `entrypoint: [""]`. So: no USER, no WORKDIR, the binary as ENTRYPOINT and on PATH.

ARG RUST_IMAGE=rust:1-alpine
ARG BASE_IMAGE=busybox:1.37-musl
ARG CERTS_IMAGE=alpine:3.22

FROM ${CERTS_IMAGE} AS certs

FROM ${BASE_IMAGE} AS base
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
LABEL org.opencontainers.image.title="confluence-weekly" \
      org.opencontainers.image.description="Make sure this period's Confluence report page exists, copying last period's page, from a scheduled CI job" \
      org.opencontainers.image.source="https://github.com/org/confluence-weekly" \
      org.opencontainers.image.documentation="https://github.com/org/confluence-weekly#readme" \
      org.opencontainers.image.licenses="MIT"
ENTRYPOINT ["/usr/local/bin/confluence-weekly"]

FROM base AS prebuilt
ARG TARGETARCH
COPY dist/linux-${TARGETARCH}/confluence-weekly /usr/local/bin/confluence-weekly

FROM ${RUST_IMAGE} AS build
# musl-dev: libc headers and crt objects for crates that compile C (ring). Its version follows
# the image's Alpine release, so it is not pinned here.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
# Alpine's Rust targets *-unknown-linux-musl, which links statically; fail if anything is dynamic.
RUN cargo build --release --locked --bin confluence-weekly \
 && readelf -d target/release/confluence-weekly > /tmp/dynamic \
 && if grep -q NEEDED /tmp/dynamic; then echo "confluence-weekly is dynamically linked" >&2; exit 1; fi \
 && install -D -m 0755 target/release/confluence-weekly /out/confluence-weekly

FROM base AS runtime
COPY --from=build /out/confluence-weekly /usr/local/bin/confluence-weekly
