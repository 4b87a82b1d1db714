"""scipy-ml-notebook on the host test runner (no GPU): frameworks import, are GPU builds,
and compute correctly on CPU. GPU use itself is checked by ../workflow_tests on a GPU runner."""
import json
import textwrap

import pytest


def run_python(container, code: str, env=None) -> str:
    # CUDA_VISIBLE_DEVICES="" keeps frameworks from probing drivers that CI runners lack.
    environment = {"CUDA_VISIBLE_DEVICES": ""}
    environment.update(env or {})
    out = container.check_output(["python", "-c", textwrap.dedent(code)], environment=environment)
    return out.strip().splitlines()[-1]


@pytest.mark.parametrize("module", ["torch", "torchvision", "torchaudio", "tensorflow", "keras"])
def test_import(container, module):
    code, out = container.exec_run(["python", "-c", f"import {module}"],
                                   environment={"CUDA_VISIBLE_DEVICES": ""})
    assert code == 0, f"import {module} failed:\n{out}"


def test_frameworks_are_cuda_builds(container):
    result = json.loads(run_python(container, """
        import json, torch, tensorflow as tf
        print(json.dumps({"torch_cuda": torch.version.cuda,
                          "tf_cuda": tf.test.is_built_with_cuda()}))
    """))
    assert result["torch_cuda"], "torch is a CPU-only build"
    assert result["tf_cuda"] is True, "tensorflow is a CPU-only build"


def test_torch_cpu_matmul(container):
    out = run_python(container, """
        import torch
        torch.manual_seed(0)
        a = torch.eye(64) * 3
        b = torch.randn(64, 64)
        print(torch.allclose(a @ b, 3 * b))
    """)
    assert out == "True"


def test_torch_trains_on_cpu(container):
    # Tiny regression: loss must drop, proving autograd + optimizer work.
    out = run_python(container, """
        import torch
        torch.manual_seed(0)
        x = torch.randn(256, 4); y = x @ torch.tensor([1.0, -2.0, 0.5, 3.0]) + 0.1
        model = torch.nn.Linear(4, 1); opt = torch.optim.SGD(model.parameters(), lr=0.1)
        first = None
        for _ in range(100):
            opt.zero_grad(); loss = torch.nn.functional.mse_loss(model(x).squeeze(1), y)
            loss.backward(); opt.step(); first = first or loss.item()
        print(first > 10 * loss.item())
    """)
    assert out == "True"


def test_tensorflow_cpu_computation(container):
    out = run_python(container, """
        import numpy as np, tensorflow as tf
        a = tf.constant(np.arange(6, dtype="float32").reshape(2, 3))
        print(float(tf.reduce_sum(tf.matmul(a, tf.transpose(a)))))
    """)
    assert float(out) == pytest.approx(83.0)  # a @ a.T == [[5, 14], [14, 50]]


def test_cuda_env_configured(container):
    out = container.check_output(["bash", "-lc", 'echo "$LD_LIBRARY_PATH|$XLA_FLAGS"'])
    ld_path, xla = out.strip().splitlines()[-1].split("|")
    assert "/opt/conda/cuda-libs" in ld_path.split(":")
    assert xla.startswith("--xla_gpu_cuda_data_dir=")
    container.check_output(["bash", "-c", "ls /opt/conda/cuda-libs/libcudnn.so.8"])
