"""Shared pytest fixtures for every image test suite.

Tests run on the host against the image named by $TEST_IMAGE, e.g.
    TEST_IMAGE=ghcr.io/ucsd-ets/datascience-notebook:2026.3-abc1234 \
        /usr/bin/python3 -m pytest images/tests_common images/datascience-notebook/test

Per-image suites must only use these fixtures, never hard-code an image:
    http_client, docker_client, image_name, container_factory, container, jupyter_server, execute_notebook
Ports are published on 127.0.0.1 at a free port Docker picks (the former stack used host port 8888):
the machines running these tests are shared.
"""
from __future__ import annotations

import os
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import pytest

# Guarded imports: scipy-ml's workflow_tests run *inside* the image, where pytest still
# loads this conftest but neither fixtures nor the Docker SDK are needed.
try:
    import docker
    import docker.errors
except ImportError:  # pragma: no cover
    docker = None
try:
    import requests
except ImportError:  # pragma: no cover
    requests = None

# Labels let CI find and remove leftovers: docker ps -aq --filter label=edu.ucsd.datahub.test
LABEL_KEY = "edu.ucsd.datahub.test"
SESSION_ID = uuid.uuid4().hex[:12]
JUPYTER_PORT = 8888
STARTUP_TIMEOUT = float(os.environ.get("TEST_STARTUP_TIMEOUT", "180"))

Command = Union[str, Sequence[str]]


def pytest_configure(config):
    config.addinivalue_line("markers", "integration: starts the Jupyter server and talks HTTP to it")
    # As the former repo-root config: a misspelt marker is an error, not a silently ignored mark.
    config.option.strict_markers = True


class TestContainer:
    """Thin wrapper around a docker Container with test-friendly helpers."""

    __test__ = False  # not a test class despite the name

    def __init__(self, container):
        self.container = container

    @property
    def id(self) -> str:
        return self.container.id

    def exec_run(self, cmd: Command, user: Optional[str] = None,
                 environment: Optional[Dict[str, str]] = None,
                 workdir: Optional[str] = None) -> Tuple[int, str]:
        """Run cmd in the container; returns (exit_code, combined stdout+stderr as text)."""
        kwargs = {"demux": False}
        if user:
            kwargs["user"] = user
        if environment:
            kwargs["environment"] = environment
        if workdir:
            kwargs["workdir"] = workdir
        result = self.container.exec_run(cmd, **kwargs)
        output = (result.output or b"").decode("utf-8", errors="replace")
        return result.exit_code, output

    def check_output(self, cmd: Command, **kwargs) -> str:
        """Like exec_run but fails the test (showing the output) on a non-zero exit."""
        code, out = self.exec_run(cmd, **kwargs)
        assert code == 0, f"command {cmd!r} exited {code}:\n{out}"
        return out

    def host_port(self, container_port: int = JUPYTER_PORT) -> int:
        self.container.reload()
        bindings = self.container.ports.get(f"{container_port}/tcp") or []
        if not bindings:
            raise RuntimeError(f"port {container_port} is not published")
        return int(bindings[0]["HostPort"])

    def status(self) -> str:
        self.container.reload()
        return self.container.status

    def logs(self) -> str:
        return self.container.logs().decode("utf-8", errors="replace")

    def wait_logs(self, timeout: float = 120) -> Tuple[int, str]:
        """Waits for the container's command to end; returns (exit code, logs)."""
        status = self.container.wait(timeout=timeout)
        return int(status.get("StatusCode", -1)), self.logs()

    def wait_for_log(self, text: str, timeout: float = 120) -> str:
        """Polls the logs until `text` shows up (or the container stops); returns the logs."""
        deadline = time.monotonic() + timeout
        while True:
            logs = self.logs()
            if text in logs or time.monotonic() > deadline or self.status() not in ("created", "running"):
                return logs
            time.sleep(1)


class ContainerFactory:
    """Starts containers of the image under test and always removes them."""

    def __init__(self, client, image: str, owner: str):
        self.client = client
        self.image = image
        self.owner = owner
        self._started: List[TestContainer] = []

    def __call__(self, command: Optional[Command] = None, ports: Sequence[int] = (),
                 environment: Optional[Dict[str, str]] = None, **kwargs) -> TestContainer:
        labels = {LABEL_KEY: "true", f"{LABEL_KEY}.session": SESSION_ID,
                  f"{LABEL_KEY}.owner": self.owner[:200]}
        labels.update(kwargs.pop("labels", {}))
        raw = self.client.containers.run(
            self.image,
            command=command,
            detach=True,
            labels=labels,
            environment=environment or {},
            # Only bind to loopback; None lets Docker pick a free host port (no races).
            ports={f"{p}/tcp": ("127.0.0.1", None) for p in ports},
            **kwargs,
        )
        tc = TestContainer(raw)
        self._started.append(tc)
        return tc

    def cleanup(self) -> None:
        while self._started:
            tc = self._started.pop()
            try:
                tc.container.remove(force=True)
            except docker.errors.NotFound:
                pass
            except docker.errors.APIError as exc:  # don't mask the real test failure
                print(f"warning: could not remove container {tc.id[:12]}: {exc}")


@dataclass
class JupyterServer:
    container: TestContainer
    url: str
    token: str

    def get(self, path: str, with_token: bool = True, **kwargs):
        headers = kwargs.pop("headers", {})
        if with_token:
            headers["Authorization"] = f"token {self.token}"
        kwargs.setdefault("timeout", 30)
        return requests.get(self.url + path, headers=headers, **kwargs)


def wait_for_jupyter(server: JupyterServer, timeout: float = STARTUP_TIMEOUT) -> None:
    """Poll /api/status until the server answers 200 or the container dies."""
    deadline = time.monotonic() + timeout
    last_error = "no response"
    while time.monotonic() < deadline:
        if server.container.status() not in ("created", "running"):
            pytest.fail(f"container exited before Jupyter started:\n{server.container.logs()}",
                        pytrace=False)
        try:
            resp = server.get("/api/status", timeout=5)
            if resp.status_code == 200:
                return
            last_error = f"HTTP {resp.status_code}"
        except requests.RequestException as exc:
            last_error = repr(exc)
        time.sleep(2)
    pytest.fail(f"Jupyter did not answer within {timeout:.0f}s ({last_error}):\n"
                f"{server.container.logs()[-4000:]}", pytrace=False)


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def http_client():
    """requests session retrying connection errors 5 times with backoff (a server may still be starting)."""
    if requests is None:
        pytest.fail("python 'requests' is missing (apt install python3-requests)", pytrace=False)
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    session = requests.Session()
    adapter = HTTPAdapter(max_retries=Retry(total=5, backoff_factor=1))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    yield session
    session.close()


@pytest.fixture(scope="session")
def image_name() -> str:
    image = os.environ.get("TEST_IMAGE", "").strip()
    if not image:
        pytest.fail("TEST_IMAGE is not set: export TEST_IMAGE=<registry/name:tag> of the "
                    "image to test (e.g. ghcr.io/ucsd-ets/datascience-notebook:2026.3-abc1234)",
                    pytrace=False)
    return image


@pytest.fixture(scope="session")
def docker_client(image_name):
    if docker is None:
        pytest.fail("the Docker SDK for Python is missing (apt install python3-docker)", pytrace=False)
    if requests is None:
        pytest.fail("python 'requests' is missing (apt install python3-requests)", pytrace=False)
    try:
        client = docker.from_env()
        client.ping()
    except docker.errors.DockerException as exc:
        pytest.fail(f"cannot reach the Docker daemon: {exc}", pytrace=False)
    try:
        client.images.get(image_name)
    except docker.errors.ImageNotFound:
        try:
            client.images.pull(image_name)
        except docker.errors.APIError as exc:
            pytest.fail(f"image {image_name} is neither local nor pullable: {exc}", pytrace=False)
    yield client
    # Safety net: anything of this session that a fixture failed to remove.
    for leftover in client.containers.list(all=True, filters={"label": f"{LABEL_KEY}.session={SESSION_ID}"}):
        try:
            leftover.remove(force=True)
        except docker.errors.APIError:
            pass
    client.close()


@pytest.fixture
def container_factory(docker_client, image_name, request) -> Callable[..., TestContainer]:
    """Factory: container_factory(command=None, ports=(8888,), environment={...}) -> TestContainer."""
    factory = ContainerFactory(docker_client, image_name, request.node.nodeid)
    yield factory
    factory.cleanup()


@pytest.fixture
def execute_notebook(container_factory):
    """execute_notebook(path, timeout) -> (exit code, logs): runs a host notebook with nbconvert in the image
    (its folder mounted read-only at /home/jovyan/data, output in /tmp)."""
    def run(path, timeout: float):
        tc = container_factory(
            command=["start.sh", "jupyter", "nbconvert", "--to", "markdown", "--execute",
                     "--ExecutePreprocessor.timeout=600", "--output-dir", "/tmp", f"data/{path.name}"],
            volumes={str(path.parent): {"bind": "/home/jovyan/data", "mode": "ro"}},
        )
        return tc.wait_logs(timeout=timeout)
    return run


@pytest.fixture(scope="module")
def container(docker_client, image_name, request) -> TestContainer:
    """One idle container per test module for exec_run-style checks.

    Goes through the image ENTRYPOINT (tini + start.sh) so the environment matches what users get.
    """
    factory = ContainerFactory(docker_client, image_name, request.node.nodeid)
    try:
        tc = factory(command=["sleep", "infinity"])
        deadline = time.monotonic() + 60
        while tc.exec_run(["true"])[0] != 0:
            if time.monotonic() > deadline or tc.status() != "running":
                pytest.fail(f"container never became ready:\n{tc.logs()}", pytrace=False)
            time.sleep(1)
        yield tc
    finally:
        factory.cleanup()


@pytest.fixture(scope="module")
def jupyter_server(docker_client, image_name, request) -> JupyterServer:
    """The image's default command (Jupyter server) with 8888 published on 127.0.0.1."""
    factory = ContainerFactory(docker_client, image_name, request.node.nodeid)
    token = secrets.token_hex(16)
    try:
        tc = factory(ports=[JUPYTER_PORT], environment={"JUPYTER_TOKEN": token})
        server = JupyterServer(tc, f"http://127.0.0.1:{tc.host_port(JUPYTER_PORT)}", token)
        wait_for_jupyter(server)
        yield server
    finally:
        factory.cleanup()
