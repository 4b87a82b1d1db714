#!/usr/bin/env bash
# Wall time of the main job on the example stack (see tools/benchmark-pipeline.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/setup.sh >/dev/null
exec node -r @swc-node/register tools/benchmark-pipeline.ts "$@"
