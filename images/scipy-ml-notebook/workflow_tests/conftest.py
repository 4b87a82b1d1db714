"""workflow_tests run INSIDE the scipy-ml image on a GPU runner, e.g.
    docker run --gpus all -v "$PWD/images/scipy-ml-notebook/workflow_tests:/tests:ro" \
        ghcr.io/ucsd-ets/scipy-ml-notebook:<tag> python -m pytest -p no:cacheprovider /tests
They import torch/tensorflow directly and must never be collected by the host test run."""
import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: needs a visible NVIDIA GPU inside the image")


@pytest.fixture(scope="session", autouse=True)
def require_gpu_runner():
    import shutil
    import subprocess

    # Fail (not skip): on the GPU workflow a missing GPU is exactly the bug to catch.
    assert shutil.which("nvidia-smi"), "nvidia-smi not found: container was not started with --gpus"
    out = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and "GPU" in out.stdout, f"no GPU visible:\n{out.stdout}{out.stderr}"
