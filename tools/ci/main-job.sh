#!/usr/bin/env bash
# The main job's build step (main.yml calls it): reads GitHub's environment, chooses what to run and runs it.
# Run it locally with the same variables set, e.g.
#   GITHUB_EVENT_NAME=push GITHUB_REF_NAME=main NX_BASE=HEAD~1 NX_HEAD=HEAD tools/ci/main-job.sh
# Reads: GITHUB_EVENT_NAME, GITHUB_REF_NAME, COMMIT_MESSAGE (a push's head commit), PR_HEAD_SHA (a pull request's
# head, whose message comes from git), NX_BASE/NX_HEAD, FULL_REBUILD_INPUT (the dispatch input fullRebuild),
# PUSH (false: build and test only) and NX_PARALLEL (default 1).
#
# One argument chooses a part, for a stack split over one runner per platform (main.yml's platformRunners):
#   all (default)  prepare, then build, then finish, on this runner
#   prepare        the stack-wide write before any build: a full rebuild on main moves the rebuild generation on
#   build          the builds only (with STACK_PLATFORM set: that platform's share of every image)
#   finish         after every runner's build (and stack:merge-index): on main, tag-unchanged
set -euo pipefail

part="${1:-all}"
case "$part" in
  all | prepare | build | finish) ;;
  *) echo "main-job.sh: unknown part '$part' (all, prepare, build or finish)" >&2; exit 2 ;;
esac
runs() { [ "$part" = all ] || [ "$part" = "$1" ]; }

event="${GITHUB_EVENT_NAME:?GITHUB_EVENT_NAME is not set (push, pull_request, schedule or workflow_dispatch)}"
ref="${GITHUB_REF_NAME:?GITHUB_REF_NAME is not set (the branch being built)}"
# Exported too: a batch of pipeline steps (NX_BATCH_MODE) runs as many at once as NX_PARALLEL says.
export NX_PARALLEL="${NX_PARALLEL:-1}"
parallel="--parallel=$NX_PARALLEL"

message="${COMMIT_MESSAGE:-}"
if [ "$event" = pull_request ] && [ -n "${PR_HEAD_SHA:-}" ]; then
  message="$(git log -1 --format=%B "$PR_HEAD_SHA" 2>/dev/null || true)"
fi

targets=(build test)
[ "${PUSH:-true}" != true ] || targets+=(push integration-test manifest prune)

# full: every image from its Dockerfile, no Nx cache, no layer cache (security fixes of bases and packages get in),
#   under a new rebuild generation, so that afterwards no run on any runner reuses an image from before it.
# main: what the push changed, then every other image gets <prefix>-main from its content tag (no pull, no build).
mode=affected reason="the affected images"
if [ "$event" = schedule ]; then
  mode=full reason="weekly rebuild"
elif [ "$event" = workflow_dispatch ] && [ "${FULL_REBUILD_INPUT:-false}" = true ]; then
  mode=full reason="the fullRebuild input"
elif [[ "$message" == *"full rebuild"* ]]; then
  mode=full reason="\"full rebuild\" in the commit message"
elif [ "$ref" = main ] && [ "$event" != pull_request ]; then
  mode=main reason="the images this push to main changed; the others keep their content tag"
fi
shown_part=""; [ "$part" = all ] || shown_part=" ($part)"
echo "Main job$shown_part: $mode build of $reason (targets: ${targets[*]})${STACK_PLATFORM:+, platform $STACK_PLATFORM only}"

# The rebuild generation is in the hash of every image step: a runtime input, which the Nx daemon would keep.
export NX_DAEMON=false
# Only main's full rebuild moves the stack-wide generation: a branch's would leave main's unchanged images
# without a content tag of the new generation for tag-unchanged. Without push nothing is written at all.
if runs prepare && [ "$mode" = full ] && [ "$ref" = main ] && [ "$event" != pull_request ] && [ "${PUSH:-true}" = true ]; then
  npx nx run stack:new-generation
fi
if runs build; then
  case "$mode" in
    full) npx nx run-many -t "${targets[@]}" "$parallel" --skip-nx-cache --noCache ;;
    *) npx nx affected -t "${targets[@]}" --base="${NX_BASE:?NX_BASE is not set}" --head="${NX_HEAD:?NX_HEAD is not set}" "$parallel" ;;
  esac
fi
# Without push nothing may be tagged; with it, promotion of <prefix>-main must find the whole set.
if runs finish && [ "$mode" = main ] && [ "${PUSH:-true}" = true ]; then
  npx nx run stack:tag-unchanged
fi
