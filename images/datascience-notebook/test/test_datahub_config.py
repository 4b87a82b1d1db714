"""DataHub's server, nbgrader and environment settings, and the files the image ships."""
import pytest

SHIPPED = [
    "/usr/share/datahub/scripts/install-python-all.sh",
    "/usr/share/datahub/scripts/install-python/install-ipykernel_clean.sh",
    "/usr/share/datahub/scripts/canvas_exporter.py",
    "/opt/manual_tests/test_r_dump_packages.R",
    "/opt/manual_tests/test_r_func.R",
    "/opt/workflow_tests/test_matplotlib.py",
    "/opt/workflow_tests/test_pandas.py",
    "/opt/workflow_tests/test_statsmodels.py",
]


@pytest.mark.integration
def test_frame_ancestors_header(jupyter_server):
    """nbgrader's formgrader must load in JupyterHub's iframe."""
    resp = jupyter_server.get("/lab")
    assert resp.headers.get("Content-Security-Policy") == "frame-ancestors *;"


def test_nbgrader_config(container):
    script = (
        "from traitlets.config.loader import PyFileConfigLoader\n"
        "c = PyFileConfigLoader('nbgrader_config.py', path='/etc/jupyter').load_config()\n"
        "print(c.CourseDirectory.root, c.Exchange.course_id, c.Exchange.root, c.ExecutePreprocessor.timeout)\n"
    )
    out = container.check_output(["python", "-c", script], environment={"NBGRADER_COURSEID": "DSC10"})
    assert out.split() == ["/srv/nbgrader/DSC10", "DSC10", "/srv/nbgrader/exchange", "300"]


def test_environment(container):
    env = dict(line.split("=", 1) for line in container.check_output(["env"]).splitlines() if "=" in line)
    assert env["NBGRADER_COURSEID"] == "NA"
    assert env["JUPYTERHUB_USER"] == "jovyan"
    assert env["DEBIAN_FRONTEND"] == "noninteractive"
    assert env["DEBCONF_NOWARNINGS"] == "yes"


def test_user_and_workdir(container):
    assert container.check_output(["id", "-un"]).strip() == "jovyan"
    assert container.check_output(["pwd"]).strip() == "/home/jovyan"


@pytest.mark.parametrize("path", SHIPPED)
def test_shipped_file(container, path):
    container.check_output(["test", "-f", path])


def test_screen_fixes(container):
    assert container.check_output(["stat", "-c", "%a", "/var/run/screen"]).strip() == "1777"
    assert container.check_output(["stat", "-c", "%A", "/usr/bin/screen"]).strip()[6] != "s"


def test_extension_manager_disabled(container):
    out = container.check_output(["jupyter", "labextension", "list"])
    assert "@jupyterlab/extensionmanager-extension" in out.split("Disabled extensions:", 1)[-1]
