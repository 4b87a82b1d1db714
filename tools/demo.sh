#!/usr/bin/env bash
# Builds, tests, pushes and documents the example stack (tools/demo.js) after set-up.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/setup.sh
npm run --silent prepare # the plugin runs from packages/docker-stack/dist: compile what changed
exec node tools/demo.js "$@"
