#!/usr/bin/env bash
# Shared kernel set-up: system-wide (sys-prefix) specs so they survive the NFS-mounted
# /home/jovyan that JupyterHub puts over the image's home. Child images re-run this
# after adding packages to refresh display names.
set -euo pipefail
PY_SHORT="$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')"

python -m ipykernel install --sys-prefix --name python3 --display-name "Python ${PY_SHORT} (ipykernel)"
R --quiet --no-save -e 'IRkernel::installspec(name = "ir", displayname = "R", user = FALSE)'

# Remove stray per-user specs from the build so they never shadow the system ones.
rm -rf "${HOME}/.local/share/jupyter/kernels"
jupyter kernelspec list
