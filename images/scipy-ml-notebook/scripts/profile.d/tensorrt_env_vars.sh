# TensorRT's libraries come from the tensorrt wheels (Python 3.11 site-packages).
SITE=/opt/conda/lib/python3.11/site-packages
export LD_LIBRARY_PATH="${SITE}/tensorrt:${SITE}/tensorrt_bindings:${SITE}/tensorrt_libs${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}"
