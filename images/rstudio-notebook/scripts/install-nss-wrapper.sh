#!/usr/bin/env bash
# nss_wrapper lets getpwuid() and friends succeed under a UID missing from /etc/passwd (RStudio on
# Kubernetes): R preloads it (Renviron.site) and reads /tmp/passwd.wrap and /tmp/group.wrap, which the
# runtime writes. Installed from Ubuntu's libnss-wrapper and copied under the three names the former
# vendored 0.2.3 binary had, so the paths everything points at are unchanged.
set -euo pipefail
library="$(readlink -f "$(dpkg -L libnss-wrapper | grep -m1 '/libnss_wrapper\.so')")"
mkdir -p /opt/k8s-support/lib
for name in libnss_wrapper.so libnss_wrapper.so.0 libnss_wrapper.so.0.2.3; do
    install -m 755 "${library}" "/opt/k8s-support/lib/${name}"
done
cat >> /opt/conda/lib/R/etc/Renviron.site <<'RENVIRON'
LD_PRELOAD=/opt/k8s-support/lib/libnss_wrapper.so
NSS_WRAPPER_PASSWD=/tmp/passwd.wrap
NSS_WRAPPER_GROUP=/tmp/group.wrap
RENVIRON
