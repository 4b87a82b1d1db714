"""The start scripts launch the server the way DOCKER_STACKS_JUPYTER_CMD asks."""
import time

import pytest

pytestmark = pytest.mark.integration


def test_start_notebook(container_factory, http_client):
    tc = container_factory(environment={"DOCKER_STACKS_JUPYTER_CMD": "lab", "JUPYTER_TOKEN": "t0ken"}, ports=[8888])
    url = f"http://127.0.0.1:{tc.host_port()}/api/status?token=t0ken"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if http_client.get(url, timeout=10).status_code == 200:
                break
        except Exception:  # still starting
            time.sleep(2)
    assert http_client.get(url, timeout=10).status_code == 200
    assert "jupyter lab" in tc.logs()


def test_default_command_is_jupyter_lab(jupyter_server):
    assert jupyter_server.get("/lab").status_code == 200
    assert "jupyter lab" in jupyter_server.container.logs()
