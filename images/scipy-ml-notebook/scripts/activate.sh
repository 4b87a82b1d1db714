# CUDA environment for the scipy-ml image. Sourced (not executed) from /etc/profile.d
# (login shells, Jupyter terminals) and from start.sh's before-notebook.d hook (server + kernels).
_conda="${CONDA_DIR:-/opt/conda}"

# TensorFlow dlopen()s libcudart/libcudnn from the conda env. cuda-libs holds symlinks to
# just the CUDA libraries (the whole conda lib dir would shadow system libssl/libcurl).
case ":${LD_LIBRARY_PATH:-}:" in
    *":${_conda}/cuda-libs:"*) ;;
    *) export LD_LIBRARY_PATH="${_conda}/cuda-libs${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}" ;;
esac
# XLA looks for nvvm/libdevice under this directory; conda's cuda-nvcc installs it there.
export XLA_FLAGS="--xla_gpu_cuda_data_dir=${_conda}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
unset _conda
