"""The package managers students use answer --version."""
import pytest


@pytest.mark.parametrize("manager", ["apt", "conda", "mamba", "npm", "pip"])
def test_package_manager(container, manager):
    code, out = container.exec_run(["timeout", "5", manager, "--version"])
    assert code == 0, f"{manager} --version exited {code}: {out}"
