#!/usr/bin/env bash
# The side-by-side kit (../shared/bench, or BENCH) on the Debian notebook stack: this project's main job, then
# the former pipeline, on the same stack in one run, scenarios a (first run), b (scipy-ml changed), e (a push to
# main with scipy-ml changed) and f (a test of the root changed). Needs SEED_MIRROR (see the kit's README).
#   SEED_MIRROR=<git dir> [RESULTS=<folder>] tools/debian-stack/side-by-side.sh
set -euo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH=${BENCH:-$ROOT_DIR/../shared/bench}
RESULTS=${RESULTS:-$(mktemp -d -t debian-sbs.XXXXXX)}
export SCENARIOS=${SCENARIOS:-"a b e f"}
: "${SEED_MIRROR:?set SEED_MIRROR to the former pipeline's git dir (the kit's README says how)}"
"$ROOT_DIR/tools/debian-stack/make-base.sh"
STACK=$(mktemp -d -t debian-bench-stack.XXXXXX)
"$ROOT_DIR/tools/debian-stack/bench-stack.sh" "$STACK"
echo "== results in $RESULTS"
OUT_DIR="$RESULTS/ours" PARALLEL=default PROJECT="$ROOT_DIR" bash "$BENCH/run-ours.sh" "$STACK" debian-ours
OUT_DIR="$RESULTS/seed" bash "$BENCH/run-seed.sh" "$STACK" debian-seed
