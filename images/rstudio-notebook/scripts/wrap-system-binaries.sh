#!/usr/bin/env bash
# LD_LIBRARY_PATH puts conda's lib first (RStudio needs it), which breaks tools linked against the system
# OpenSSL. Each of $FORCED_BINARIES found in /usr/bin becomes <name>.orig behind a wrapper that runs it
# with the system libraries. (sshd lives in /usr/sbin on Ubuntu, so it is not wrapped.)
set -euo pipefail
for name in ${FORCED_BINARIES}; do
    binary="/usr/bin/${name}"
    [[ -e "${binary}" ]] || continue
    mv "${binary}" "${binary}.orig"
    printf '#!/bin/bash\nLD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu exec %s.orig "$@"\n' "${binary}" > "${binary}"
    chmod 755 "${binary}"
done
