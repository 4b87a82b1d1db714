"""RStudio through the Jupyter server: the launcher, the UI behind /rstudio/, and knitting an R Markdown PDF.
(The former Selenium UI test was skipped; these check the same path over HTTP and Rscript.)"""
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
HERE = Path(__file__).resolve().parent


def test_rstudio_launcher(jupyter_server):
    resp = jupyter_server.get("/server-proxy/servers-info")
    assert resp.status_code == 200, resp.text[:500]
    assert "rstudio" in [server.get("name") for server in resp.json().get("server_processes", [])]


def test_rstudio_ui_through_proxy(jupyter_server):
    deadline = time.monotonic() + 120
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            resp = jupyter_server.get("/rstudio/", timeout=60)
            if resp.status_code == 200 and "rstudio" in resp.text.lower():
                assert "/rstudio/" in resp.url
                return
            last = f"HTTP {resp.status_code}"
        except Exception as exc:  # rserver still starting
            last = repr(exc)
        time.sleep(3)
    pytest.fail(f"no RStudio UI at /rstudio/ ({last}):\n{jupyter_server.container.logs()[-3000:]}")


def test_knit_rmarkdown_to_pdf(container_factory):
    tc = container_factory(
        command=["start.sh", "bash", "-c", "cp /mnt/datascience-rstudio.Rmd /tmp/ && bash /mnt/knitter.sh "
                 "/tmp/datascience-rstudio.Rmd pdf && test -s /tmp/datascience-rstudio.pdf"],
        volumes={str(HERE): {"bind": "/mnt", "mode": "ro"}},
    )
    code, logs = tc.wait_logs(timeout=300)
    assert code == 0, logs[-4000:]
