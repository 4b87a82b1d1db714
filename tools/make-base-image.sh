#!/usr/bin/env bash
# Builds the local base image datahub-example-base:busybox from Debian's static
# busybox, with no registry access (nothing can be pulled on this machine).
# Usage: tools/make-base-image.sh [--force]
set -euo pipefail

IMAGE="datahub-example-base:busybox"
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) echo "usage: $0 [--force]"; exit 0 ;;
    *) echo "make-base-image: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if [[ $FORCE -eq 0 ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "make-base-image: $IMAGE already present (use --force to rebuild)"
  exit 0
fi

# Prefer /bin/busybox (busybox-static); it must be static to run in an empty rootfs.
BUSYBOX=/bin/busybox
[[ -x $BUSYBOX ]] || BUSYBOX=$(command -v busybox || true)
# ldd succeeds only for dynamic executables.
if [[ -z $BUSYBOX || ! -x $BUSYBOX ]] || LC_ALL=C ldd "$BUSYBOX" >/dev/null 2>&1; then
  echo "make-base-image: missing: a statically linked busybox (${BUSYBOX:-none at /bin/busybox or on PATH}${BUSYBOX:+ is dynamically linked})" >&2
  echo "make-base-image: to provide it: apt-get install busybox-static (Debian, Ubuntu) or dnf install busybox (Fedora)" >&2
  exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/rootfs"
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

# --numeric-owner so ownership does not depend on the host's user names.
tar -C "$ROOT" --numeric-owner -c . | docker import \
  --change 'CMD ["/bin/sh"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$IMAGE" >/dev/null
echo "make-base-image: built $IMAGE"
