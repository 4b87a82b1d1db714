#!/usr/bin/env bash
# Image CMD. Under JupyterHub the spawner sets JUPYTERHUB_API_TOKEN, otherwise
# (docker run, acceptance tests) start a standalone server on :8888.
set -euo pipefail
if [[ -n "${JUPYTERHUB_API_TOKEN:-}" ]]; then
    exec start-singleuser.sh "$@"
fi
exec start-notebook.sh "$@"
