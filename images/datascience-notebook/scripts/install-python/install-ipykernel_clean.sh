#!/usr/bin/env bash
# "Python 3 (clean)": the normal kernel plus PYTHONNOUSERSITE=1, so packages a student pip-installed
# into ~/.local cannot break it. Installed at sys-prefix level (/opt/conda/share/jupyter/kernels).
set -euo pipefail
here="$(dirname "$(readlink -f "$0")")"
python -m ipykernel install --sys-prefix --name python3_clean --display-name "Python 3 (clean)"
spec="${CONDA_DIR}/share/jupyter/kernels/python3_clean/kernel.json"
jq -s '.[0] * .[1]' "${spec}" "${here}/kernel_env.json" > "${spec}.new"
mv "${spec}.new" "${spec}"
