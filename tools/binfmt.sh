#!/usr/bin/env bash
# tools/binfmt.sh [PLATFORM...]: lets the engine build and run images of other platforms (default linux/arm64)
# through QEMU: installs Debian's qemu-user-static (as root on Debian), mounts binfmt_misc and registers each
# platform's emulator with the F flag (the kernel opens the emulator once, so it works inside containers). The
# engine's own platform needs nothing. Idempotent; says what it did. tools/setup.sh runs it when a stack asks for
# `platforms`.
set -euo pipefail
BINFMT=/proc/sys/fs/binfmt_misc
say() { echo "binfmt: $*"; }
fail() { echo "binfmt: $*" >&2; exit 1; }

qemu_arch() {
  case $1 in
    linux/amd64) echo x86_64 ;; linux/arm64*) echo aarch64 ;; linux/arm/*|linux/arm) echo arm ;;
    linux/386) echo i386 ;; linux/ppc64le) echo ppc64le ;; linux/s390x) echo s390x ;; linux/riscv64) echo riscv64 ;;
    *) fail "no QEMU emulator is known for $1" ;;
  esac
}

native=$(uname -m)
[[ $# -gt 0 ]] || set -- linux/arm64
for platform in "$@"; do
  arch=$(qemu_arch "$platform")
  if [[ $arch == "$native" ]]; then
    say "$platform is this machine's own platform: nothing to do"
    continue
  fi
  if [[ -f $BINFMT/qemu-$arch ]] && head -n1 "$BINFMT/qemu-$arch" | grep -q enabled; then
    say "$platform: qemu-$arch is already registered ($(grep flags "$BINFMT/qemu-$arch"))"
    continue
  fi
  [[ $(id -u) -eq 0 ]] || fail "registering qemu-$arch needs root: run sudo $0 $*"
  if [[ ! -f /usr/lib/binfmt.d/qemu-$arch.conf ]]; then
    command -v apt-get >/dev/null || fail "install QEMU's static user-mode emulators (qemu-user-static), then run $0 again"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static >/dev/null
    say "installed Debian's qemu-user-static"
  fi
  if [[ ! -f $BINFMT/register ]]; then
    mount -t binfmt_misc binfmt_misc "$BINFMT"
    say "mounted binfmt_misc on $BINFMT"
  fi
  if [[ ! -f $BINFMT/qemu-$arch ]]; then
    cat "/usr/lib/binfmt.d/qemu-$arch.conf" > "$BINFMT/register"
  fi
  [[ -f $BINFMT/qemu-$arch ]] || fail "qemu-$arch did not register"
  say "$platform: registered qemu-$arch ($(grep flags "$BINFMT/qemu-$arch"))"
done
