#!/usr/bin/env bash
# Makes the Debian stack's base image, datahub-debian-base:bookworm, from Debian's archive with mmdebstrap
# (nothing can be pulled from a public registry here). Idempotent: an engine that has the image keeps it, and the
# root file system is cached as tmp/debian-base/bookworm.tar, so another engine (a CI runner's, a private one) only
# imports it again. --force makes it anew from the archive.
# Usage: tools/debian-stack/make-base.sh [--force]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

IMAGE=datahub-debian-base:bookworm
CACHE=tmp/debian-base/bookworm.tar
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h | --help) echo "usage: $0 [--force]"; exit 0 ;;
    *) echo "make-base: unknown argument: $arg" >&2; exit 2 ;;
  esac
done
say() { echo "make-base: $*"; }

if [[ $FORCE -eq 0 ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "$IMAGE already present (use --force to make it anew)"
  exit 0
fi
if [[ $FORCE -eq 1 || ! -s $CACHE ]]; then
  if ! command -v mmdebstrap >/dev/null 2>&1; then
    [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1 ||
      { echo "make-base: missing: mmdebstrap; to provide it: sudo apt-get install mmdebstrap" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
    say "installed Debian's mmdebstrap"
  fi
  mkdir -p "$(dirname "$CACHE")"
  # minbase + what every image needs to fetch over https and to run as a user. apt keeps what it downloads
  # (the images' RUN steps mount /var/cache/apt as a BuildKit cache), and the lists are not shipped.
  mmdebstrap --quiet --format=tar --variant=minbase --include=ca-certificates,tini,procps \
    --customize-hook='rm -f "$1"/etc/apt/apt.conf.d/docker-clean' \
    --customize-hook='echo "APT::Keep-Downloaded-Packages \"true\";" > "$1"/etc/apt/apt.conf.d/99keep-downloads' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/archives/*.deb' \
    bookworm "$CACHE.partial" http://deb.debian.org/debian
  mv "$CACHE.partial" "$CACHE"
  say "made the root file system $CACHE ($(du -h "$CACHE" | cut -f1)) from Debian bookworm"
fi
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  "$CACHE" "$IMAGE" >/dev/null
say "imported $IMAGE"
