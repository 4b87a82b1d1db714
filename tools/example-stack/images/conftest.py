"""Fixtures for every suite of the example stack: a container of TEST_IMAGE, always removed."""
import os

import docker
import pytest

LABEL = {"datahub-stack-test": "1"}


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
    """A running container of the image; `container.run(cmd)` gives (exit code, output)."""
    started = client.containers.run(image, ["sleep", "300"], detach=True, labels=LABEL)

    def run(command):
        result = started.exec_run(["sh", "-c", command])
        return result.exit_code, result.output.decode("utf-8", "replace")

    started.run = run
    yield started
    started.remove(force=True)
