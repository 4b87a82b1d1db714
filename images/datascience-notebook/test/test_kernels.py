"""The "Python 3 (clean)" kernel ignores packages in ~/.local; the normal kernel still sees them."""
import json

CLEAN_SPEC = "/opt/conda/share/jupyter/kernels/python3_clean/kernel.json"
PROBE = (
    "mkdir -p \"$(python -m site --user-site)\" && "
    "echo 'WHERE = \"user site\"' > \"$(python -m site --user-site)/usersite_probe.py\" && "
    "echo 'import site, sys; print(\"ENABLE_USER_SITE\", site.ENABLE_USER_SITE); "
    "import usersite_probe' > /tmp/probe.py && "
    "jupyter run --kernel={kernel} /tmp/probe.py"
)


def test_clean_kernel_spec(container):
    spec = json.loads(container.check_output(["cat", CLEAN_SPEC]))
    assert spec["display_name"] == "Python 3 (clean)"
    assert spec["env"] == {"PYTHONNOUSERSITE": "1"}


def test_clean_kernel_has_no_user_site(container):
    code, out = container.exec_run(["bash", "-c", PROBE.format(kernel="python3_clean")])
    assert "ENABLE_USER_SITE False" in out, out[-2000:]
    assert "No module named 'usersite_probe'" in out, out[-2000:]


def test_normal_kernel_has_user_site(container):
    code, out = container.exec_run(["bash", "-c", PROBE.format(kernel="python3")])
    assert "ENABLE_USER_SITE True" in out, out[-2000:]
    assert code == 0 and "No module named" not in out, out[-2000:]


def test_inherited_kernels(container):
    specs = json.loads(container.check_output(["jupyter", "kernelspec", "list", "--json"]))["kernelspecs"]
    assert {"python3", "python3_clean", "ir"} <= set(specs)
    assert any(name.startswith("julia") for name in specs), sorted(specs)
