"""GPU workflow: PyTorch sees the GPU and computes, torchvision and torchaudio load data (needs internet)."""
import pytest

# torch.manual_seed(0); torch.randn(3, 9), rounded to 4 places.
SEED0_RANDN = [
    [1.5410, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986, 0.4033, 0.8380, -0.7193],
    [-0.4033, -0.5966, 0.1820, -0.8567, 1.1006, -1.0712, 0.1227, -0.5663, 0.3731],
    [-0.8920, -1.5091, 0.3704, 1.4565, 0.9398, 0.7748, 0.1919, 1.2638, -1.2904],
]
WHISTLE = "https://pytorch.org/tutorials/_static/img/steam-train-whistle-daniel_simon-converted-from-mp3.wav"


@pytest.fixture(scope="module")
def torch():
    import torch

    return torch


@pytest.fixture(scope="module")
def mnist():
    from torchvision import datasets, transforms

    return datasets.MNIST("/tmp/mnist", train=True, download=True, transform=transforms.ToTensor())


def test_cuda_available(torch):
    assert torch.cuda.is_available()


def test_seeded_randn(torch):
    torch.manual_seed(0)
    assert torch.allclose(torch.randn(3, 9), torch.tensor(SEED0_RANDN), atol=1e-4)


def test_gpu_elementwise_product(torch):
    product = torch.tensor([1.0, 2.0, 3.0], device="cuda") * torch.tensor([4.0, 5.0, 6.0], device="cuda")
    assert product.cpu().tolist() == [4.0, 10.0, 18.0]


def test_fixed_weight_network_on_gpu(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1)).cuda()
    with torch.no_grad():
        for layer in (net[0], net[2]):
            layer.weight.fill_(1.0)
            layer.bias.fill_(0.0)
        assert net(torch.tensor([[1.0, 2.0]], device="cuda")).item() == 12.0


def test_mnist_size(mnist):
    assert len(mnist) == 60000


def test_mnist_mean_pixel(mnist):
    assert round(mnist.data.float().div(255).mean().item(), 10) == pytest.approx(0.1306604743, abs=1e-7)


def test_mnist_first_batch_labels(torch, mnist):
    torch.manual_seed(0)
    _, labels = next(iter(torch.utils.data.DataLoader(mnist, batch_size=64, shuffle=True)))
    assert labels[:100].float().mean().item() == pytest.approx(4.734375)


def test_torchaudio_loads_wav(tmp_path):
    import urllib.request

    import torchaudio

    path = tmp_path / "whistle.wav"
    urllib.request.urlretrieve(WHISTLE, path)
    waveform, rate = torchaudio.load(str(path))
    assert tuple(waveform.shape) == (2, 276858) and rate == 44100


def test_torchaudio_resample(torch):
    import torchaudio

    resampled = torchaudio.transforms.Resample(16000, 8000)(torch.zeros(1, 16000))
    assert tuple(resampled.shape) == (1, 8000)
