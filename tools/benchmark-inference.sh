#!/usr/bin/env bash
# Times project inference for stacks of 10, 100 and 1,000 images (see tools/benchmark-inference.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec node --expose-gc -r @swc-node/register tools/benchmark-inference.ts "$@"
