"""Fixtures for every suite of the Debian notebook stack: containers of TEST_IMAGE, always removed."""
import os
import time

import docker
import pytest
import requests

LABEL = {"datahub-stack-test": "1"}
# A notebook server on a loaded 2-core runner takes a few seconds to start; give it ample time, then fail.
SERVER_TIMEOUT = 120


def pytest_configure(config):
    # Debian's python3-docker 5.0 still uses distutils' StrictVersion: noise, not a problem of the image.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:docker.utils.utils")


@pytest.fixture(scope="session")
def image():
    name = os.environ.get("TEST_IMAGE")
    if not name:
        pytest.fail("TEST_IMAGE is not set: the test target sets it to the image under test")
    return name


@pytest.fixture(scope="session")
def client():
    return docker.from_env()


@pytest.fixture
def container(client, image):
    """A container of the image idling as its default user; `container.run(cmd)` gives (exit code, output)."""
    started = client.containers.run(image, ["sleep", "infinity"], detach=True, labels=LABEL)

    def run(command, user=""):
        result = started.exec_run(["bash", "-c", command], user=user)
        return result.exit_code, result.output.decode("utf-8", "replace")

    started.run = run
    yield started
    started.remove(force=True)


@pytest.fixture
def notebook_server(client, image):
    """The image's own command (the notebook server) with 8888 published on a free loopback port, once /api answers.

    Yields (base URL, token, container)."""
    token = os.urandom(12).hex()
    started = client.containers.run(
        image,
        detach=True,
        labels=LABEL,
        environment={"JUPYTER_TOKEN": token},
        ports={"8888/tcp": ("127.0.0.1", None)},
    )
    try:
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            started.reload()
            if started.status != "running":
                pytest.fail(f"the notebook server exited: {started.logs().decode('utf-8', 'replace')[-2000:]}")
            port = started.ports.get("8888/tcp")
            url = f"http://127.0.0.1:{port[0]['HostPort']}" if port else None
            try:
                if url and requests.get(f"{url}/api", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the notebook server did not answer /api within {SERVER_TIMEOUT} s: {started.logs().decode('utf-8', 'replace')[-2000:]}")
            time.sleep(0.5)
        yield url, token, started
    finally:
        started.remove(force=True)
