"""Every image: python/pip work, required packages import, no outdated security-critical packages."""
import json
from pathlib import Path

HERE = Path(__file__).parent


def read_list(name):
    """Non-empty, non-comment lines of a data file, split on whitespace (comments stripped)."""
    rows = []
    for line in (HERE / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            rows.append(line.split())
    return rows


def test_python_runs(container):
    out = container.check_output(["python", "--version"])
    assert out.startswith("Python 3.")
    assert container.check_output(["python", "-c", "print(6 * 7)"]).strip() == "42"


def test_python_is_conda(container):
    assert container.check_output(["bash", "-c", "command -v python"]).strip() == "/opt/conda/bin/python"


def test_pip_works(container):
    out = container.check_output(["pip", "--version"])
    assert "/opt/conda/" in out
    container.check_output(["pip", "list", "--disable-pip-version-check", "--format=json"])


def test_required_packages_import(container):
    modules = [row[0] for row in read_list("required_packages.txt")]
    script = (
        "import importlib, json, sys\n"
        "failed = {}\n"
        "for m in sys.argv[1:]:\n"
        "    try:\n"
        "        importlib.import_module(m)\n"
        "    except Exception as exc:\n"
        "        failed[m] = repr(exc)\n"
        "print(json.dumps(failed))\n"
    )
    out = container.check_output(["python", "-c", script, *modules])
    failed = json.loads(out.strip().splitlines()[-1])
    assert not failed, f"packages failing to import: {failed}"


def test_security_critical_minimum_versions(container):
    rows = read_list("security_minimums.txt")
    spec = [{"dist": r[0], "min": r[1], "optional": "optional" in r[2:]} for r in rows]
    # Compared inside the image with its own packaging/importlib: what users actually run.
    script = (
        "import json, sys\n"
        "from importlib.metadata import version, PackageNotFoundError\n"
        "from packaging.version import Version\n"
        "problems = []\n"
        "for s in json.loads(sys.argv[1]):\n"
        "    try:\n"
        "        have = version(s['dist'])\n"
        "    except PackageNotFoundError:\n"
        "        if not s['optional']:\n"
        "            problems.append(f\"{s['dist']}: not installed\")\n"
        "        continue\n"
        "    if Version(have) < Version(s['min']):\n"
        "        problems.append(f\"{s['dist']} {have} < {s['min']}\")\n"
        "print(json.dumps(problems))\n"
    )
    out = container.check_output(["python", "-c", script, json.dumps(spec)])
    problems = json.loads(out.strip().splitlines()[-1])
    assert not problems, "outdated security-critical packages: " + "; ".join(problems)
