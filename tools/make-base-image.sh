#!/usr/bin/env bash
# Builds the example stack's base from Debian's static busybox, with no registry access (nothing can be pulled
# on this machine):
#   tools/make-base-image.sh [--force]
#     the local image datahub-example-base:busybox, of this machine's platform;
#   tools/make-base-image.sh --platforms linux/amd64,linux/arm64 [--force] REFERENCE
#     one multi-platform base in a registry: each platform's image as REFERENCE-<os>-<arch> (another platform's
#     busybox comes from Debian's busybox-static:<arch>, downloaded with an apt state of its own), then a manifest
#     list under REFERENCE. Running another platform's busybox to list its applets needs tools/binfmt.sh.
set -euo pipefail

IMAGE="datahub-example-base:busybox"
FORCE=0
PLATFORMS=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) FORCE=1 ;;
    --platforms) PLATFORMS=${2:?--platforms takes a list such as linux/amd64,linux/arm64}; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "make-base-image: unknown argument: $1" >&2; exit 2 ;;
    *) IMAGE=$1 ;;
  esac
  shift
done
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ $FORCE -eq 0 && -z $PLATFORMS ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "make-base-image: $IMAGE already present (use --force to rebuild)"
  exit 0
fi
if [[ $FORCE -eq 0 && -n $PLATFORMS ]] && docker manifest inspect --insecure "$IMAGE" >/dev/null 2>&1; then
  echo "make-base-image: $IMAGE already in its registry (use --force to make it anew)"
  exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# busybox_for ARCH: a static busybox of Debian's architecture ARCH (amd64, arm64, ...): the host's for its own.
busybox_for() {
  local arch=$1 apt="$ROOT_DIR/tmp/busybox-$1"
  if [[ $arch == "$(dpkg --print-architecture 2>/dev/null || echo amd64)" ]]; then
    echo /bin/busybox
    return
  fi
  if [[ ! -x $apt/root/bin/busybox ]]; then
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
    echo 'deb http://deb.debian.org/debian bookworm main' > "$apt/sources.list"
    local options=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null" -o "Dir::State::Lists=$apt/lists"
      -o "Dir::Cache=$apt/cache" -o "APT::Architecture=$arch" -o "APT::Architectures=$arch" -o APT::Sandbox::User=root -qq)
    apt-get "${options[@]}" update >&2
    (cd "$apt/debs" && apt-get "${options[@]}" download "busybox-static:$arch" >&2)
    dpkg -x "$apt"/debs/busybox-static_*.deb "$apt/root"
  fi
  echo "$apt/root/bin/busybox"
}

# make_rootfs ROOT BUSYBOX: the base's file system, with one link per applet and the Jupyter images' users.
make_rootfs() {
local ROOT=$1 BUSYBOX=$2
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/tmp,home/jovyan,proc,sys,dev}
cp "$BUSYBOX" "$ROOT/bin/busybox"
chmod 0755 "$ROOT/bin/busybox"

# One absolute symlink per applet (bin/sh, usr/bin/wget, ...). Done by hand rather
# than `busybox --install -s DIR`, which would point links at the host's path.
while read -r applet; do
  [[ -z $applet || $applet == bin/busybox ]] && continue
  mkdir -p "$ROOT/$(dirname "$applet")"
  [[ -e $ROOT/$applet || -L $ROOT/$applet ]] || ln -s /bin/busybox "$ROOT/$applet"
done < <("$ROOT/bin/busybox" --list-full)

# Users: root plus jovyan (uid 1000, gid 100 "users"), like the Jupyter images.
cat > "$ROOT/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
jovyan:x:1000:100:jovyan:/home/jovyan:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat > "$ROOT/etc/group" <<'G'
root:x:0:
users:x:100:jovyan
jovyan:x:1000:
nogroup:x:65534:
G
cat > "$ROOT/etc/os-release" <<'O'
NAME="DataHub example base (busybox)"
ID=busybox
PRETTY_NAME="DataHub example base (busybox)"
O
chmod 1777 "$ROOT/tmp" "$ROOT/var/tmp"
chmod 0700 "$ROOT/root"
chown -R 0:0 "$ROOT"
chown 1000:100 "$ROOT/home/jovyan"

}

if [[ -n $PLATFORMS ]]; then
  refs=()
  for platform in ${PLATFORMS//,/ }; do
    arch=${platform#*/}; arch=${arch%%/*}
    dir="$WORK/$arch"; mkdir -p "$dir/rootfs"
    make_rootfs "$dir/rootfs" "$(busybox_for "$arch")"
    tar -C "$dir/rootfs" --numeric-owner -cf "$dir/rootfs.tar" .
    # ADD of a local tar keeps its owners (jovyan's home); FROM scratch needs no emulation to build. The classic
    # builder, as the CLI may lack buildx.
    printf 'FROM scratch\nADD rootfs.tar /\nENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nCMD ["/bin/sh"]\n' > "$dir/Dockerfile"
    ref="$IMAGE-${platform//\//-}"
    DOCKER_BUILDKIT=0 docker build -q --platform "$platform" -t "$ref" "$dir" >/dev/null
    docker push -q "$ref" >/dev/null
    refs+=("$ref")
  done
  docker manifest rm "$IMAGE" >/dev/null 2>&1 || true
  docker manifest create --insecure "$IMAGE" "${refs[@]}" >/dev/null
  docker manifest push --insecure --purge "$IMAGE" >/dev/null
  echo "make-base-image: pushed $IMAGE for $PLATFORMS"
  exit 0
fi

BUSYBOX=/bin/busybox
[[ -x $BUSYBOX ]] || BUSYBOX=$(command -v busybox || true)
# ldd succeeds only for dynamic executables.
if [[ -z $BUSYBOX || ! -x $BUSYBOX ]] || LC_ALL=C ldd "$BUSYBOX" >/dev/null 2>&1; then
  echo "make-base-image: missing: a statically linked busybox (${BUSYBOX:-none at /bin/busybox or on PATH}${BUSYBOX:+ is dynamically linked})" >&2
  echo "make-base-image: to provide it: apt-get install busybox-static (Debian, Ubuntu) or dnf install busybox (Fedora)" >&2
  exit 1
fi
ROOT="$WORK/rootfs"
mkdir -p "$ROOT"
make_rootfs "$ROOT" "$BUSYBOX"
# --numeric-owner so ownership does not depend on the host's user names.
tar -C "$ROOT" --numeric-owner -c . | docker import \
  --change 'CMD ["/bin/sh"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$IMAGE" >/dev/null
echo "make-base-image: built $IMAGE"
