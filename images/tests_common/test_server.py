"""Every image: tini is PID 1 and the default command serves JupyterLab at /lab and the classic tree at /tree."""
import pytest


def test_tini_entrypoint(container):
    assert container.check_output(["cat", "/proc/1/comm"]).strip() == "tini"


@pytest.mark.integration
@pytest.mark.parametrize("path", ["/lab", "/tree"])
def test_serves(jupyter_server, path):
    resp = jupyter_server.get(path)
    assert resp.status_code == 200, f"{path}: HTTP {resp.status_code}"
    assert "<html" in resp.text.lower()


@pytest.mark.integration
def test_no_server_extension_errors(jupyter_server):
    assert jupyter_server.get("/api").status_code == 200
    assert "Error loading server extension" not in jupyter_server.container.logs()
