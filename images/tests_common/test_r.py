"""The R scripts shipped in /opt/manual_tests run cleanly, and R sees every conda R package."""
import re

ERROR_WORDS = re.compile(r"failed|fatal|error", re.IGNORECASE)


def test_required_r_packages_installed(container):
    code, out = container.exec_run(["Rscript", "/opt/manual_tests/test_r_dump_packages.R"])
    assert code == 0 and not ERROR_WORDS.search(out), out[-2000:]
    installed = set(out.lower().split())
    conda_list = container.check_output(["conda", "list"])
    conda_r = {match.group(1) for match in re.finditer(r"^r-([\w.-]+)\s", conda_list, re.M)}
    missing = sorted(name for name in conda_r if name.lower() not in installed and name != "base")
    assert not missing, f"conda R packages R does not list: {missing}"


def test_r_func(container):
    code, out = container.exec_run(["Rscript", "/opt/manual_tests/test_r_func.R"])
    assert code == 0, out[-2000:]
    assert not ERROR_WORDS.search(out), out[-2000:]
