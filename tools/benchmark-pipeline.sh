#!/usr/bin/env bash
# The main job on issue 9's 12-image stack, scenarios a-d (see tools/benchmark-pipeline.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/setup.sh >/dev/null
exec node -r @swc-node/register tools/benchmark-pipeline.ts "$@"
