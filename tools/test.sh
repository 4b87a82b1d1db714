#!/usr/bin/env bash
# Runs the test suites (jest config at the repo root) after making sure the
# engine, registry, node_modules and base image the e2e tests need are there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/setup.sh
exec npx jest "$@"
