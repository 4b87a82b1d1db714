#!/usr/bin/env bash
# npm run demo:debian: the Debian notebook stack through the whole pipeline after set-up and its base image:
# build, test, push, integration test, manifests, then wiki, promotion to <prefix>-stable and the summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
tools/setup.sh
tools/debian-stack/make-base.sh
npm run --silent prepare # the plugin runs from packages/docker-stack/dist: compile what changed
DEMO_STACK=tools/debian-stack/images DEMO_WORKSPACE=tmp/demo-debian DEMO_PROMOTE=1 exec node tools/demo.js "$@"
