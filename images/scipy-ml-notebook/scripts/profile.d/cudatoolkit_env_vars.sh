# XLA (TensorFlow, JAX) looks for ptxas and libdevice here.
export XLA_FLAGS="--xla_gpu_cuda_data_dir=${CONDA_DIR:-/opt/conda}/lib/"
