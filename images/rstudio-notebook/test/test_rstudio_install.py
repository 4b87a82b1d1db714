"""rstudio-notebook contents: R works, RStudio binaries are installed, the proxy entry point exists."""
import json


def test_r_available(container):
    out = container.check_output(["Rscript", "-e", "cat(R.version$major, sum(1:10))"])
    major, total = out.strip().splitlines()[-1].split()
    assert int(major) >= 4 and total == "55"


def test_rsession_binary_present(container):
    container.check_output(["test", "-x", "/usr/lib/rstudio-server/bin/rsession"])
    container.check_output(["test", "-x", "/usr/lib/rstudio-server/bin/rserver"])
    out = container.check_output(["bash", "-c", "command -v rserver rsession"])
    assert "rserver" in out and "rsession" in out


def test_rserver_uses_conda_r(container):
    out = container.check_output(["cat", "/etc/rstudio/rserver.conf"])
    assert "rsession-which-r=/opt/conda/bin/R" in out


def test_rstudio_state_dirs_writable_by_user(container):
    container.check_output(["bash", "-c", "touch /var/lib/rstudio-server/.probe /var/run/rstudio-server/.probe"])


def test_proxy_entry_point_registered(container):
    code = (
        "import json\n"
        "from importlib.metadata import entry_points\n"
        "print(json.dumps(sorted(ep.name for ep in entry_points(group='jupyter_serverproxy_servers'))))\n"
    )
    out = container.check_output(["python", "-c", code])
    names = json.loads(out.strip().splitlines()[-1])
    assert "rstudio" in names, names


def test_server_proxy_extension_enabled(container):
    out = container.check_output(["jupyter", "server", "extension", "list"])
    line = next((l for l in out.splitlines() if "jupyter_server_proxy" in l), "")
    assert "enabled" in line, out
