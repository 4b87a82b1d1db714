"""The machine-learning image: scikit-learn and PyTorch (CPU) at Debian bookworm's versions, and both train."""
import pytest

# Debian's packages and their versions (Debian's torch build calls itself 1.13.0a0 in torch.__version__).
PACKAGES = {"python3-sklearn": ("sklearn", "1.2.1"), "python3-torch": ("torch", "1.13.1")}


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_package_is_installed_at_its_version_and_imports(container, package):
    module, version = PACKAGES[package]
    code, output = container.run(f"dpkg-query -W -f '${{Version}}' {package} && python3 -c 'import {module}'")
    assert code == 0 and output.startswith(f"{version}+"), output


def test_torch_trains_a_tiny_model(container):
    script = (
        "import torch\n"
        "torch.manual_seed(0)\n"
        "x = torch.linspace(-1, 1, 64).unsqueeze(1); y = 3 * x + 1\n"
        "model = torch.nn.Linear(1, 1); opt = torch.optim.SGD(model.parameters(), lr=0.5)\n"
        "for _ in range(200):\n"
        "    opt.zero_grad(); loss = torch.nn.functional.mse_loss(model(x), y); loss.backward(); opt.step()\n"
        "print(round(model.weight.item(), 2), round(model.bias.item(), 2), loss.item() < 1e-4, torch.cuda.is_available())\n"
    )
    assert container.run(f"python3 -c '{script}'") == (0, "3.0 1.0 True False\n")


def test_sklearn_fits_a_classifier(container):
    script = (
        "from sklearn.datasets import load_iris\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.model_selection import train_test_split\n"
        "X, y = load_iris(return_X_y=True)\n"
        "Xtr, Xte, ytr, yte = train_test_split(X, y, random_state=0)\n"
        "print(LogisticRegression(max_iter=500).fit(Xtr, ytr).score(Xte, yte) > 0.9)\n"
    )
    assert container.run(f"python3 -c '{script}'") == (0, "True\n")
