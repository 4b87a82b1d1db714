"""A server started without a token setting generates one: the page asks to log in (the former test was skipped)."""
import time

import pytest


@pytest.mark.integration
def test_secured_server(container_factory, http_client):
    tc = container_factory(ports=[8888])
    url = f"http://127.0.0.1:{tc.host_port()}/login"
    deadline = time.monotonic() + 120
    while True:
        try:
            resp = http_client.get(url, timeout=10)
            break
        except Exception:  # the server is still starting
            if time.monotonic() > deadline or tc.status() != "running":
                pytest.fail(f"no answer on {url}:\n{tc.logs()[-3000:]}")
            time.sleep(2)
    assert resp.status_code == 200
    assert "login_submit" in resp.text
