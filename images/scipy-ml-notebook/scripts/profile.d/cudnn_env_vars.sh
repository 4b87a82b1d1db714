# cuDNN comes from the nvidia-cudnn-cu12 wheel: put its lib/ on the loader path.
CUDNN_DIR="$(python -c 'import nvidia.cudnn; print(nvidia.cudnn.__path__[0])')"
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+${LD_LIBRARY_PATH}:}${CUDNN_DIR}/lib"
