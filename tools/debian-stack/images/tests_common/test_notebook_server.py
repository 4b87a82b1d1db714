"""What every image of the stack must pass: the user, the notebook server, notebooks and both kernels."""
import json

import requests


def test_runs_as_jovyan_uid_1000_in_group_users(container):
    assert container.run("id") == (0, "uid=1000(jovyan) gid=100(users) groups=100(users)\n")
    assert container.run("echo $HOME; pwd") == (0, "/home/jovyan\n/home/jovyan\n")


def test_server_answers_api_and_wants_the_token(notebook_server):
    url, token, started = notebook_server
    assert "version" in requests.get(f"{url}/api", timeout=5).json()
    assert requests.get(f"{url}/api/contents", timeout=5).status_code == 403
    listing = requests.get(f"{url}/api/contents", headers={"Authorization": f"token {token}"}, timeout=5)
    assert listing.status_code == 200 and listing.json()["type"] == "directory"
    top = started.top(ps_args="-o pid,comm")["Processes"]
    assert [row[1] for row in top][0] == "tini"


def test_kernels_python_clean_and_r_are_listed(container):
    code, output = container.run("jupyter kernelspec list --json 2>/dev/null")
    assert code == 0, output
    kernels = json.loads(output)["kernelspecs"]
    assert {"python3", "python3_clean", "ir"} <= set(kernels)
    assert kernels["python3_clean"]["spec"]["env"] == {"PYTHONNOUSERSITE": "1"}


def _execute(container, notebook, kernel):
    """Runs a notebook with nbconvert --execute in the container; gives its executed cells' outputs as text."""
    code, output = container.run(
        f"cat > /tmp/in.ipynb <<'EOF'\n{json.dumps(notebook)}\nEOF\n"
        f"jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name={kernel} "
        "--ExecutePreprocessor.timeout=120 --output /tmp/out.ipynb /tmp/in.ipynb >/dev/null 2>&1 || exit 7; cat /tmp/out.ipynb"
    )
    assert code == 0, output
    cells = json.loads(output)["cells"]
    # nbformat keeps multi-line text either as one string or as a list of lines.
    text = lambda out: "".join(out.get("text") or out.get("data", {}).get("text/plain") or "")
    return ["".join(text(out) for out in cell["outputs"]) for cell in cells]


def _notebook(*sources):
    return {
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s} for s in sources],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_a_python_notebook_runs_with_nbconvert(container):
    outputs = _execute(container, _notebook("import pandas as pd\nprint(pd.DataFrame({'a': [1, 2, 3]})['a'].sum())"), "python3")
    assert outputs == ["6\n"]


def test_the_r_kernel_runs_a_cell(container):
    outputs = _execute(container, _notebook("cat(sum(1:10), '\\n')"), "ir")
    assert outputs == ["55 \n"]


def test_the_clean_kernel_ignores_user_site_packages(container):
    container.run("mkdir -p $(python3 -m site --user-site) && echo 'print(\"shadow\")' > $(python3 -m site --user-site)/shadowed.py")
    outputs = _execute(container, _notebook("import importlib.util\nprint(importlib.util.find_spec('shadowed') is None)"), "python3_clean")
    assert outputs == ["True\n"]
