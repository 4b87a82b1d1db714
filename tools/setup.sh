#!/usr/bin/env bash
# One-shot, idempotent set-up so `npm test` and `npm run demo` work where their users work. It uses what is
# already there: a Docker engine reachable through DOCKER_HOST or the default socket, a registry answering on
# 127.0.0.1:5000, a Python with pytest, docker and requests. What is missing it starts or installs: a
# registry:2 container, else Debian's docker-registry; apt-get and dockerd only on Debian (as root). Anything
# it cannot provide is named, with how to provide it, and set-up exits 1. A few checks when all is in place.
set -euo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TMP_DIR="$ROOT_DIR/tmp"            # gitignored: logs, registry config and data
REG_DIR="$TMP_DIR/registry"
REG_ADDR=127.0.0.1:5000
REG_CONTAINER=datahub-registry
REG_IMAGE=registry:2              # the container fallback, when the image is here or can be pulled
BASE_IMAGE=datahub-example-base:busybox
PUSH_CHECK_REPO=datahub-setup/push-check   # tiny image pushed once to prove push works
PY_MODULES=(pytest docker requests)
mkdir -p "$TMP_DIR" "$REG_DIR/data"

say() { echo "setup: $*"; }

# missing WHAT HOW: how set-up gives up on what it cannot provide: names it and how to provide it.
missing() {
  echo "setup: missing: $1" >&2
  echo "setup: to provide it: $2" >&2
  exit 1
}

# Only on Debian, as root, may set-up install packages or start dockerd; elsewhere it asks the user.
is_debian() { [[ -f /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1; }
can_install() { is_debian && [[ $(id -u) -eq 0 ]]; }

apt_updated=0
apt_install() {
  if [[ $apt_updated -eq 0 ]]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  say "installed Debian packages: $*"
}

# provide WHAT HOW PKG...: installs the Debian packages PKG, or fails naming WHAT and HOW.
provide() {
  local what=$1 how=$2
  shift 2
  if ! can_install; then
    is_debian && how="sudo apt-get install $*${how:+  (or: $how)}"
    missing "$what" "$how"
  fi
  apt_install "$@"
}

# start_detached LOG CMD...: starts a server that outlives this script (setsid where there is one). 9>&- so
# it does not keep holding the set-up lock (later runs would block on flock forever).
start_detached() {
  local log=$1
  shift
  if command -v setsid >/dev/null 2>&1; then set -- setsid "$@"; fi
  nohup "$@" > "$log" 2>&1 < /dev/null 9>&- &
}

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

# Serialise concurrent runs (e.g. test.sh and demo.sh started together) so two dockerd/registry instances
# are never launched. flock is util-linux; without it (macOS) runs are not serialised.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TMP_DIR/setup.lock"
  flock -w 600 9 || missing "the set-up lock $TMP_DIR/setup.lock (held by another tools/setup.sh for 10 min)" \
    "wait for that run to finish, or stop it"
fi

# --- 1. Command-line tools ----------------------------------------------------
command -v node >/dev/null 2>&1 || missing "node (not on PATH)" "install Node.js 20 or later (https://nodejs.org)"
command -v npm >/dev/null 2>&1 || missing "npm (not on PATH)" "install Node.js 20 or later with npm (https://nodejs.org)"
for tool in curl git; do
  command -v "$tool" >/dev/null 2>&1 || provide "$tool (not on PATH)" "install $tool with your package manager" "$tool"
done

# --- 2. Docker engine: DOCKER_HOST or the default socket ----------------------
ensure_engine() {
  command -v docker >/dev/null 2>&1 || provide "the docker CLI (not on PATH)" \
    "install Docker: Docker Desktop (macOS, Windows) or Docker Engine (https://docs.docker.com/engine/install/)" docker.io
  if docker info >/dev/null 2>&1; then
    # The CLI also follows docker contexts; the pipeline's clients (dockerode, Python's docker) do not.
    [[ -n ${DOCKER_HOST:-} || -S /var/run/docker.sock ]] || missing "DOCKER_HOST (docker reaches its engine\
 through a context, and there is no /var/run/docker.sock for the pipeline's Docker clients)" \
      "export DOCKER_HOST=$(docker context inspect --format '{{.Endpoints.docker.Host}}')"
    say "docker engine reachable (${DOCKER_HOST:-default socket})"
    return
  fi
  local error
  error=$(docker info 2>&1 >/dev/null | grep -v '^ *$' | tail -n 1 || true)
  if [[ -n ${DOCKER_HOST:-} ]]; then
    missing "a Docker engine at DOCKER_HOST=$DOCKER_HOST ($error)" \
      "start the engine DOCKER_HOST names, or unset DOCKER_HOST to use the default socket"
  fi
  can_install || missing "a running Docker engine on the default socket ($error)" \
    "start Docker (Docker Desktop, or: sudo systemctl start docker), or set DOCKER_HOST to a running engine"
  command -v dockerd >/dev/null 2>&1 || provide "dockerd" "install docker.io" docker.io
  start_detached "$TMP_DIR/dockerd.log" dockerd
  echo $! > "$TMP_DIR/dockerd.pid"
  wait_for dockerd "$TMP_DIR/dockerd.log" docker info
  say "started docker engine (pid $(cat "$TMP_DIR/dockerd.pid"), log tmp/dockerd.log)"
}
ensure_engine

# --- 3. Registry on 127.0.0.1:5000 -------------------------------------------
# No blob descriptor cache on purpose: with deletes enabled an in-memory cache can report deleted blobs as
# present and break re-pushes. The registry:2 container reads the same file (its address and storage are
# overridden by environment variables).
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
registry_up() { curl -fsS -o /dev/null "http://$REG_ADDR/v2/" 2>/dev/null; }

# A registry container from REG_IMAGE, when that image is here or can be pulled (output in tmp/registry/container.log).
start_registry_container() {
  local log="$REG_DIR/container.log"
  docker rm -f "$REG_CONTAINER" > "$log" 2>&1 || true
  { docker image inspect "$REG_IMAGE" || docker pull "$REG_IMAGE"; } >> "$log" 2>&1 || return 1
  docker run -d --name "$REG_CONTAINER" --restart unless-stopped -p "$REG_ADDR:5000" \
    -v "$REG_DIR/config.yml:/etc/docker/registry/config.yml:ro" -v datahub-registry:/var/lib/registry \
    -e REGISTRY_HTTP_ADDR=0.0.0.0:5000 -e REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=/var/lib/registry \
    "$REG_IMAGE" >> "$log" 2>&1 || return 1
  wait_for "the registry container $REG_CONTAINER" "$log" registry_up
}

ensure_registry() {
  if registry_up; then
    say "registry answering on $REG_ADDR"
  elif start_registry_container; then
    say "started registry container $REG_CONTAINER ($REG_IMAGE) on $REG_ADDR"
  else
    say "no $REG_IMAGE image to be had (tmp/registry/container.log); using Docker's registry binary docker-registry"
    command -v docker-registry >/dev/null 2>&1 || provide \
      "a registry on $REG_ADDR (nothing answers there, the image registry:2 cannot be pulled, no docker-registry on PATH)" \
      "start one: docker run -d -p $REG_ADDR:5000 -e REGISTRY_STORAGE_DELETE_ENABLED=true registry:2" docker-registry
    start_detached "$REG_DIR/registry.log" docker-registry serve "$REG_DIR/config.yml"
    echo $! > "$REG_DIR/registry.pid"
    wait_for "the registry on $REG_ADDR" "$REG_DIR/registry.log" registry_up
    say "started registry on $REG_ADDR (pid $(cat "$REG_DIR/registry.pid"), data tmp/registry/data)"
  fi
  # A registry started elsewhere might have deletes off; tests need them. A DELETE of an unknown digest
  # gives 405 only when deletes are disabled.
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE \
    "http://$REG_ADDR/v2/$PUSH_CHECK_REPO/manifests/sha256:0000000000000000000000000000000000000000000000000000000000000000" || true)
  if [[ $code == 405 ]]; then
    echo "setup: warning: registry on $REG_ADDR has deletes disabled (tests that delete tags will fail)" >&2
  fi
}
ensure_registry

# --- 4. Python with pytest, docker and requests -------------------------------
# The pipeline runs the plugin's "python" option from nx.json (default python3 on PATH). On Debian the tests
# and the demo also run /usr/bin/python3, whose modules come from apt (python3-pytest, ...).
configured_python() {
  node -e 'const nx = require(process.argv[1]);
    const entry = (nx.plugins || []).find((p) => p.plugin === "@datahub/docker-stack");
    console.log((entry && entry.options && entry.options.python) || "python3");' "$ROOT_DIR/nx.json"
}

# lacking_modules PYTHON: prints the modules PYTHON cannot find (find_spec: no module is imported, ~20 ms).
lacking_modules() {
  "$1" -c 'import importlib.util, sys
print(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))' "${PY_MODULES[@]}"
}

# check_python PYTHON WHERE: PYTHON has the modules, or apt provides them (Debian's /usr/bin/python3 only).
check_python() {
  local python=$1 where=$2 lacking debs
  if [[ $python == /usr/bin/python3 ]] && is_debian; then
    lacking=${PY_MODULES[*]}   # what apt provides when there is no python3 yet
    [[ ! -x $python ]] || lacking=$(lacking_modules "$python")
    [[ -z $lacking ]] && return
    debs=$(printf 'python3-%s ' $lacking)
    provide "Python modules $lacking for $python ($where)" "" $debs
    return
  fi
  command -v "$python" >/dev/null 2>&1 || missing "the Python interpreter $python ($where): not found" \
    "install Python 3, or set \"python\" in the @datahub/docker-stack plugin options in nx.json"
  lacking=$(lacking_modules "$python") || missing "a working Python: $python ($where) failed to run" \
    "set \"python\" in the @datahub/docker-stack plugin options in nx.json to a Python 3 interpreter"
  [[ -z $lacking ]] || missing "Python modules $lacking for $python ($where)" "$python -m pip install $lacking, or\
 make a venv (python3 -m venv .venv && .venv/bin/pip install ${PY_MODULES[*]}) and set \"python\" in the\
 @datahub/docker-stack plugin options in nx.json to $ROOT_DIR/.venv/bin/python"
}

python=$(configured_python)
# Debian's first: apt may install python3 itself, which a bare "python3" option then finds.
if is_debian; then check_python /usr/bin/python3 "Debian's interpreter, used by the e2e tests and the demo"; fi
[[ $python == /usr/bin/python3 ]] || check_python "$python" "the plugin's \"python\" option in nx.json, default python3"
say "Python \"$python\" has ${PY_MODULES[*]}"

# --- 5. node_modules ----------------------------------------------------------
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

# --- 6. Local base image ------------------------------------------------------
if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  say "base image $BASE_IMAGE present"
else
  if can_install && ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; then
    apt_install busybox-static
  fi
  "$ROOT_DIR/tools/make-base-image.sh"
  say "built base image $BASE_IMAGE"
fi

# --- 7. Engine can push to the loopback registry -----------------------------
# dockerd treats 127.0.0.0/8 as insecure (plain HTTP) by default; prove it once.
# The pushed tag stays in the registry so later runs skip this with one HEAD.
if curl -fsS -o /dev/null -I \
     -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
     "http://$REG_ADDR/v2/$PUSH_CHECK_REPO/manifests/ok" 2>/dev/null; then
  say "push to $REG_ADDR verified earlier"
else
  ref="$REG_ADDR/$PUSH_CHECK_REPO:ok"
  docker tag "$BASE_IMAGE" "$ref"
  if ! docker push "$ref" > "$TMP_DIR/push-check.log" 2>&1; then
    docker rmi "$ref" >/dev/null 2>&1 || true
    missing "a registry on $REG_ADDR that the engine can push to:
$(cat "$TMP_DIR/push-check.log")" "let the engine push to $REG_ADDR over plain HTTP (add it to \"insecure-registries\")"
  fi
  docker rmi "$ref" >/dev/null   # untag only; the base image keeps its layers
  say "verified docker push to $REG_ADDR"
fi
# --- 8. Other platforms ------------------------------------------------------
# A stack that asks for `platforms` (images/spec.yml, or the example stack's two-platform variant the tests build)
# needs QEMU for those the engine's machine is not, and the two-platform variant its two-platform base.
platforms=()
for spec in "$ROOT_DIR/images/spec.yml" "$ROOT_DIR/tools/example-stack/two-platform/spec.yml"; do
  [[ -f $spec ]] || continue
  while IFS= read -r line; do
    [[ $line =~ ^\ *platforms:\ *\[(.*)\] ]] || continue
    IFS=', ' read -ra listed <<< "${BASH_REMATCH[1]}"
    for platform in "${listed[@]}"; do
      if [[ -n $platform && " ${platforms[*]} " != *" $platform "* ]]; then platforms+=("$platform"); fi
    done
  done < "$spec"
done
if [[ ${#platforms[@]} -gt 0 ]]; then
  if "$ROOT_DIR/tools/binfmt.sh" "${platforms[@]}"; then
    "$ROOT_DIR/tools/make-base-image.sh" --platforms "$(IFS=,; echo "${platforms[*]}")" "$REG_ADDR/datahub-example/base:busybox"
  else
    say "warning: no emulation for ${platforms[*]}: multi-platform builds (and their tests) fail until tools/binfmt.sh succeeds"
  fi
fi
say "ready"
