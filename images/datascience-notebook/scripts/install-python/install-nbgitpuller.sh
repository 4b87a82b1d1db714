#!/usr/bin/env bash
# Course "interact" links pull a git repository into the student's home.
set -euo pipefail
pip install git+https://github.com/jupyterhub/nbgitpuller
