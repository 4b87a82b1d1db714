"""Integration: start the image's Jupyter server (8888 on a random 127.0.0.1 port, from the
shared jupyter_server fixture) and reach the RStudio UI through the server proxy."""
import time

import pytest

pytestmark = pytest.mark.integration

# First request launches rserver/rsession behind the proxy; allow for a cold start.
RSTUDIO_TIMEOUT = 120


def test_jupyter_lists_rstudio_launcher(jupyter_server):
    resp = jupyter_server.get("/server-proxy/servers-info")
    assert resp.status_code == 200, resp.text[:500]
    names = [s.get("name") for s in resp.json().get("server_processes", [])]
    assert "rstudio" in names, names


def test_rstudio_ui_through_proxy(jupyter_server):
    deadline = time.monotonic() + RSTUDIO_TIMEOUT
    last = "no response"
    while time.monotonic() < deadline:
        try:
            resp = jupyter_server.get("/rstudio/", allow_redirects=True, timeout=60)
        except Exception as exc:  # requests errors while rserver is still starting
            last = repr(exc)
        else:
            if resp.status_code == 200 and "rstudio" in resp.text.lower():
                assert resp.headers.get("Content-Type", "").startswith("text/html")
                # Redirects must have stayed under the proxy prefix, not escaped to /.
                assert "/rstudio/" in resp.url
                return
            last = f"HTTP {resp.status_code}: {resp.text[:300]!r}"
        time.sleep(3)
    pytest.fail(f"RStudio did not answer through /rstudio/ within {RSTUDIO_TIMEOUT}s ({last})\n"
                f"container log tail:\n{jupyter_server.container.logs()[-3000:]}")


def test_proxy_requires_token(jupyter_server):
    resp = jupyter_server.get("/rstudio/", with_token=False, allow_redirects=False)
    # Unauthenticated: Jupyter redirects to its login page or refuses; never RStudio itself.
    assert resp.status_code in (302, 401, 403), resp.status_code
