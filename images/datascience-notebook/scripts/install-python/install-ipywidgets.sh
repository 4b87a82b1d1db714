#!/usr/bin/env bash
# JupyterLab 4 / Notebook 7 load the widget extension from the package: nothing to enable.
set -euo pipefail
pip install ipywidgets
