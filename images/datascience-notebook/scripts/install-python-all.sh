#!/usr/bin/env bash
# Runs every install-python/*.sh in glob order (as $NB_USER, during the build).
# Unlike the former loop, a failing script fails the build: an image silently missing the clean
# kernel or nbgitpuller is worse than a red build.
set -euxo pipefail
here="$(dirname "$(readlink -f "$0")")"
for script in "${here}"/install-python/*.sh; do
    bash "${script}"
done
