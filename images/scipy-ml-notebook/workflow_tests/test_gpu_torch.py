"""[GPU WORKFLOW, runs inside the image] PyTorch really uses the GPU."""
import pytest
import torch

pytestmark = pytest.mark.gpu


def test_cuda_available():
    assert torch.cuda.is_available(), "torch.cuda.is_available() is False"
    assert torch.cuda.device_count() >= 1
    print("torch", torch.__version__, "CUDA", torch.version.cuda, torch.cuda.get_device_name(0))


def test_cudnn_enabled():
    assert torch.backends.cudnn.is_available()
    assert torch.backends.cudnn.version() is not None


def test_matmul_on_gpu_matches_cpu():
    torch.manual_seed(0)
    a = torch.randn(1024, 1024)
    b = torch.randn(1024, 1024)
    c_gpu = a.cuda() @ b.cuda()
    torch.cuda.synchronize()
    assert c_gpu.is_cuda
    assert torch.allclose(c_gpu.cpu(), a @ b, rtol=1e-3, atol=1e-2)


def test_conv_training_step_on_gpu():
    # Exercises cuDNN convolutions + backward, which a plain matmul does not.
    device = torch.device("cuda")
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3), torch.nn.ReLU(), torch.nn.Flatten(),
                                torch.nn.Linear(8 * 26 * 26, 10)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(32, 1, 28, 28, device=device)
    y = torch.randint(0, 10, (32,), device=device)
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    assert next(model.parameters()).is_cuda
    assert torch.isfinite(loss).item()
