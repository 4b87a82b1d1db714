#!/usr/bin/env bash
# Memory/CPU indicator in the status bar; jupyter-resource-usage replaced the old nbresuse.
set -euo pipefail
pip install git+https://github.com/jupyter-server/jupyter-resource-usage
