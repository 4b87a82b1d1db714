#!/usr/bin/env bash
# Builds, tests, pushes and documents the example stack (tools/demo.js) after set-up.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/setup.sh
exec node tools/demo.js "$@"
