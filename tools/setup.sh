#!/usr/bin/env bash
# One-shot, idempotent set-up so the project's commands work on a fresh machine:
# Debian packages, Docker engine, local registry on 127.0.0.1:5000, node_modules,
# and the local busybox base image. Fast (a few checks) when all is in place.
set -euo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TMP_DIR="$ROOT_DIR/tmp"            # gitignored: logs, registry config and data
REG_DIR="$TMP_DIR/registry"
REG_ADDR=127.0.0.1:5000
PUSH_CHECK_REPO=datahub-setup/push-check   # tiny image pushed once to prove push works
mkdir -p "$TMP_DIR" "$REG_DIR/data"

say() { echo "setup: $*"; }

# wait_for WHAT LOG CHECK...: runs CHECK twice a second for up to 60 s; on time-out shows LOG's tail and fails.
wait_for() {
  local what=$1 log=$2
  shift 2
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "setup: $what did not come up within 60 s; tail of $log:" >&2
  tail -n 30 "$log" >&2 || true
  exit 1
}

# Serialise concurrent runs (e.g. test.sh and demo.sh started together) so two
# dockerd/registry instances are never launched.
exec 9>"$TMP_DIR/setup.lock"
if ! flock -w 600 9; then
  echo "setup: another tools/setup.sh held $TMP_DIR/setup.lock for 10 min; giving up" >&2
  exit 1
fi

# --- 1. Debian packages -------------------------------------------------------
PKGS=(docker.io docker-registry busybox-static python3-pytest python3-docker python3-requests git curl)
need_pkgs=0
for cmd in dockerd docker docker-registry git curl; do
  command -v "$cmd" >/dev/null 2>&1 || need_pkgs=1
done
# Tests run with Debian's /usr/bin/python3 (a pyenv python3 on PATH lacks these
# modules); asking dpkg is ~50x faster than importing docker in python.
installed=$(dpkg-query -W -f='${Status}\n' "${PKGS[@]}" 2>/dev/null | grep -c 'install ok installed' || true)
[[ $installed -eq ${#PKGS[@]} ]] || need_pkgs=1
[[ -x /usr/bin/python3 ]] || need_pkgs=1
if [[ $need_pkgs -eq 1 ]]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PKGS[@]}" >/dev/null
  say "installed Debian packages"
else
  say "Debian packages present"
fi

# --- 2. Docker engine ---------------------------------------------------------
if docker info >/dev/null 2>&1; then
  say "docker engine running"
else
  # setsid: detach so the engine outlives the script; 9>&- so it does not keep
  # holding the set-up lock (later runs would block on flock forever).
  setsid dockerd > "$TMP_DIR/dockerd.log" 2>&1 < /dev/null 9>&- &
  echo $! > "$TMP_DIR/dockerd.pid"
  wait_for dockerd "$TMP_DIR/dockerd.log" docker info
  say "started docker engine (pid $(cat "$TMP_DIR/dockerd.pid"), log tmp/dockerd.log)"
fi

# --- 3. Local registry on 127.0.0.1:5000 -------------------------------------
# No blob descriptor cache on purpose: with deletes enabled an in-memory cache
# can report deleted blobs as present and break re-pushes.
reg_config="version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $REG_DIR/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $REG_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
"
# Rewrite only on change so a running registry's config file stays stable.
if [[ ! -f $REG_DIR/config.yml ]] || [[ $(cat "$REG_DIR/config.yml") != "${reg_config%$'\n'}" ]]; then
  printf '%s' "$reg_config" > "$REG_DIR/config.yml"
fi
if curl -fsS -o /dev/null "http://$REG_ADDR/v2/" 2>/dev/null; then
  say "registry answering on $REG_ADDR"
else
  setsid /usr/bin/docker-registry serve "$REG_DIR/config.yml" > "$REG_DIR/registry.log" 2>&1 < /dev/null 9>&- &
  echo $! > "$REG_DIR/registry.pid"
  wait_for "the registry on $REG_ADDR" "$REG_DIR/registry.log" curl -fsS -o /dev/null "http://$REG_ADDR/v2/"
  say "started registry on $REG_ADDR (pid $(cat "$REG_DIR/registry.pid"), data tmp/registry/data)"
fi
# A registry started elsewhere might have deletes off; tests need them. A DELETE of
# an unknown digest gives 405 only when deletes are disabled.
del_code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE \
  "http://$REG_ADDR/v2/$PUSH_CHECK_REPO/manifests/sha256:0000000000000000000000000000000000000000000000000000000000000000" || true)
if [[ $del_code == 405 ]]; then
  echo "setup: warning: registry on $REG_ADDR has deletes disabled (tests that delete tags will fail)" >&2
fi

# --- 4. node_modules ----------------------------------------------------------
cd "$ROOT_DIR"
# npm writes node_modules/.package-lock.json on every install; compare with it.
nm_stamp=node_modules/.package-lock.json
[[ -f $nm_stamp ]] || nm_stamp=node_modules
if [[ ! -e $nm_stamp || package-lock.json -nt $nm_stamp ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
  say "ran npm ci"
else
  say "node_modules up to date"
fi

# --- 5. Local base image ------------------------------------------------------
if docker image inspect datahub-example-base:busybox >/dev/null 2>&1; then
  say "base image datahub-example-base:busybox present"
else
  "$ROOT_DIR/tools/make-base-image.sh"
  say "built base image datahub-example-base:busybox"
fi

# --- 6. Engine can push to the loopback registry -----------------------------
# dockerd treats 127.0.0.0/8 as insecure (plain HTTP) by default; prove it once.
# The pushed tag stays in the registry so later runs skip this with one HEAD.
if curl -fsS -o /dev/null -I \
     -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
     "http://$REG_ADDR/v2/$PUSH_CHECK_REPO/manifests/ok" 2>/dev/null; then
  say "push to $REG_ADDR verified earlier"
else
  ref="$REG_ADDR/$PUSH_CHECK_REPO:ok"
  docker tag datahub-example-base:busybox "$ref"
  if ! docker push "$ref" > "$TMP_DIR/push-check.log" 2>&1; then
    docker rmi "$ref" >/dev/null 2>&1 || true
    echo "setup: docker cannot push to $REG_ADDR:" >&2
    cat "$TMP_DIR/push-check.log" >&2
    exit 1
  fi
  docker rmi "$ref" >/dev/null   # untag only; the base image keeps its layers
  say "verified docker push to $REG_ADDR"
fi
say "ready"
