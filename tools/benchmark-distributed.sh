#!/usr/bin/env bash
# Wall time and bytes pulled of the main job on 1 and on 3 agents, each with its own dockerd
# (see tools/benchmark-distributed.ts). Needs root: it starts dockerd and creates bridges.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/setup.sh >/dev/null
exec node -r @swc-node/register tools/benchmark-distributed.ts "$@"
