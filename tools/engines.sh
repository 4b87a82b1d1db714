#!/usr/bin/env bash
# Private Docker engines newer than the host's, for the end-to-end matrix (README: "Engines the tests run on").
#
#   tools/engines.sh fetch                 download and unpack Debian sid's docker.io + containerd (cached)
#   tools/engines.sh start classic|containerd   start Docker 28 with that image store; prints its DOCKER_HOST
#   tools/engines.sh stop  classic|containerd   stop it and remove its data root, exec root and bridge
#
# Everything lives under .engines/ (git-ignored). apt runs with a sources list, lists and cache of its own, so the
# system's apt setup is never touched; the host's engine (/var/run/docker.sock, docker0) is never touched either.
# sid's runc needs a newer glibc than bookworm's, so these engines run the host's runc (bookworm's docker.io).
# Every command is idempotent: fetch reuses the cache, start on a running engine prints its DOCKER_HOST again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD/.engines"
BIN="$ROOT/root/usr/sbin:$ROOT/root/usr/bin"
DEBS=(docker.io containerd)

fail() { echo "tools/engines.sh: $*" >&2; exit 1; }

fetch() {
  [[ -x "$ROOT/root/usr/sbin/dockerd" && -x "$ROOT/root/usr/bin/containerd" ]] && return 0
  local apt="$ROOT/apt"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$ROOT/debs"
  echo 'deb http://deb.debian.org/debian sid main' >"$apt/sources.list"
  local options=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -qq)
  apt-get "${options[@]}" update >&2
  (cd "$ROOT/debs" && apt-get "${options[@]}" download "${DEBS[@]}" >&2)
  local deb
  for deb in "$ROOT"/debs/*.deb; do dpkg -x "$deb" "$ROOT/root"; done
  command -v runc >/dev/null || fail "no runc on PATH: install bookworm's runc (it comes with docker.io)"
}

# An engine's own folder; short, because containerd's sockets under the exec root are limited to 107 bytes.
engine_dir() { echo "/tmp/eng-$1"; }
bridge_name() { echo "eng$1" | cut -c1-15; }

store_config() {
  case "$1" in
    classic) echo '{}' ;;
    containerd) echo '{"features": {"containerd-snapshotter": true}}' ;;
    *) fail "unknown image store '$1' (classic or containerd)" ;;
  esac
}

create_bridge() {
  local name="$1" n
  ip link show "$name" >/dev/null 2>&1 && return 0
  ip link add "$name" type bridge
  for n in $(shuf -i 64-253); do
    ip -o -4 addr | grep -q "172\.30\.$n\." && continue
    ip addr add "172.30.$n.1/24" dev "$name" 2>/dev/null || continue
    ip link set "$name" up
    return 0
  done
  ip link del "$name"
  fail "no free 172.30.N.0/24 subnet for bridge $name"
}

start() {
  local store="$1" dir bridge
  store_config "$store" >/dev/null
  dir="$(engine_dir "$store")" bridge="$(bridge_name "$store")"
  if DOCKER_HOST="unix://$dir/docker.sock" docker version >/dev/null 2>&1; then
    echo "unix://$dir/docker.sock"
    return 0
  fi
  fetch
  mkdir -p "$dir"
  store_config "$store" >"$dir/daemon.json"
  create_bridge "$bridge"
  # containerd 2 comes up on its own socket; dockerd would otherwise use the host's containerd.
  PATH="$BIN:$PATH" setsid containerd --address "$dir/containerd.sock" --root "$dir/containerd" \
    --state "$dir/containerd-state" >"$dir/containerd.log" 2>&1 &
  echo $! >"$dir/containerd.pid"
  PATH="$BIN:$PATH" setsid dockerd --config-file="$dir/daemon.json" --host="unix://$dir/docker.sock" \
    --containerd="$dir/containerd.sock" --data-root="$dir/data" --exec-root="$dir/exec" \
    --pidfile="$dir/docker.pid" --iptables=false --bridge="$bridge" >"$dir/dockerd.log" 2>&1 &
  local tries
  for tries in $(seq 120); do
    DOCKER_HOST="unix://$dir/docker.sock" docker version >/dev/null 2>&1 && break
    sleep 1
  done
  DOCKER_HOST="unix://$dir/docker.sock" docker version >/dev/null 2>&1 ||
    { tail -30 "$dir/dockerd.log" >&2; stop "$store"; fail "Docker 28 ($store store) did not come up"; }
  echo "unix://$dir/docker.sock"
}

stop_pid() {
  local file="$1" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if kill "$pid" 2>/dev/null; then
    while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
  fi
  rm -f "$file"
}

stop() {
  local store="$1" dir bridge
  store_config "$store" >/dev/null
  dir="$(engine_dir "$store")" bridge="$(bridge_name "$store")"
  stop_pid "$dir/docker.pid"
  stop_pid "$dir/containerd.pid"
  if [[ -d "$dir" ]]; then
    grep -o " $dir/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$dir"
  fi
  ip link show "$bridge" >/dev/null 2>&1 && ip link del "$bridge"
  return 0
}

case "${1:-}" in
  fetch) fetch ;;
  start | stop) [[ -n "${2:-}" ]] || fail "usage: tools/engines.sh $1 classic|containerd"; "$1" "$2" ;;
  *) fail "usage: tools/engines.sh fetch | start classic|containerd | stop classic|containerd" ;;
esac
