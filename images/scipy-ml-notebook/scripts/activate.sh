#!/usr/bin/env bash
# Sources the GPU environment scripts (XLA, cuDNN, TensorRT library paths). Nothing sources it
# automatically: run `source /tmp/activate.sh` in a terminal or job that needs them.
for script in /etc/datahub-profile.d/*.sh; do
    # shellcheck disable=SC1090
    source "${script}"
done
