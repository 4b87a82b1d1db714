"""Every package the images ask conda or pip for imports (Python) or loads (R) in the image."""
from helpers import EXCLUDED, conda_requested, image_lineage, pip_requested, python_module, r_library


def _failures(container, modules, command):
    failures = {}
    for name, module in sorted(modules.items()):
        code, out = container.exec_run(command(module))
        if code != 0:
            failures[name] = out.strip().splitlines()[-1:] or [f"exit {code}"]
    return failures


def test_python_packages(container):
    """Conda history (what was requested, not what came as a dependency), minus R and excluded names."""
    requested = [name for name in conda_requested(container) if name not in EXCLUDED and not name.startswith("r-")]
    assert requested, "conda reported no requested packages"
    failures = _failures(container, {name: python_module(name) for name in requested},
                         lambda module: ["python", "-c", f"import {module}"])
    assert not failures, f"conda packages that do not import: {failures}"


def test_r_packages(container):
    requested = [name for name in conda_requested(container) if name.startswith("r-") and name not in EXCLUDED]
    failures = _failures(container, {name: r_library(name) for name in requested},
                         lambda library: ["R", "--slave", "-e", f"library({library})"])
    assert not failures, f"conda R packages that do not load: {failures}"


def test_pip_packages(container, image_name):
    """What this image's and its ancestors' Dockerfiles and scripts pip/uv-install (the former test saw conda only)."""
    requested = [name for folder in image_lineage(image_name) for name in pip_requested(folder)]
    assert requested, f"found no pip installs for {image_name} under images/ (is TEST_IMAGE <owner>/<folder>:<tag>?)"
    failures = _failures(container, {name: python_module(name) for name in requested},
                         lambda module: ["python", "-c", f"import {module}"])
    assert not failures, f"pip packages that do not import: {failures}"
