#!/usr/bin/env bash
# CMD of scipy-ml-notebook: load the CUDA env, report the GPUs in the pod log, start Jupyter.
set -euo pipefail
# shellcheck source=/dev/null
source /etc/profile.d/90-cuda-env.sh

if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi -L || echo "WARNING: nvidia-smi present but no GPU visible"
else
    echo "No NVIDIA driver in this container: PyTorch/TensorFlow will run on CPU"
fi
exec run-jupyter.sh "$@"
