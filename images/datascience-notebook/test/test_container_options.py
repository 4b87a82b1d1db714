"""Start options of the upstream start.sh that DataHub relies on: token, certificates, UID/GID/NB_USER, sudo."""
import time

import pytest

requests = pytest.importorskip("requests")


def _get(url, timeout=120, **kwargs):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return requests.get(url, timeout=10, **kwargs)
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


def _run(container_factory, command, **kwargs):
    """Runs a command through the image's entrypoint and returns its logs once it has ended with 0."""
    code, logs = container_factory(command=command, **kwargs).wait_logs(timeout=120)
    assert code == 0, logs[-3000:]
    return logs


@pytest.mark.integration
def test_cli_args(container_factory):
    tc = container_factory(command=["start-notebook.sh", "--IdentityProvider.token="], ports=[8888])
    resp = _get(f"http://127.0.0.1:{tc.host_port()}")
    assert resp.status_code == 200
    assert "login_submit" not in resp.text


@pytest.mark.integration
def test_unsigned_ssl(container_factory):
    tc = container_factory(environment={"GEN_CERT": "yes"}, ports=[8888])
    resp = _get(f"https://127.0.0.1:{tc.host_port()}/login", verify=False)
    assert resp.status_code == 200
    assert "login_submit" in resp.text


def test_uid_change(container_factory):
    logs = _run(container_factory, ["start.sh", "id"], user="root", environment={"NB_UID": "1010"})
    assert "uid=1010(jovyan)" in logs


def test_gid_change(container_factory):
    logs = _run(container_factory, ["start.sh", "id"], user="root", environment={"NB_GID": "110"})
    assert "gid=110(jovyan)" in logs
    assert "groups=110(jovyan),100(users)" in logs


def test_nb_user_change(container_factory):
    tc = container_factory(command=["start.sh", "bash", "-c", "id; stat -c '%U:%G' /home/nayvoj; sleep infinity"],
                           user="root", environment={"NB_USER": "nayvoj", "CHOWN_HOME": "yes"})
    logs = tc.wait_for_log("nayvoj:users")
    assert "/home/nayvoj" in logs and "Success!" in logs and "Running as nayvoj" in logs, logs[-3000:]
    assert "uid=1000(nayvoj) gid=100(users) groups=100(users)" in logs, logs[-3000:]
    assert "nayvoj:users" in logs


def test_chown_home(container_factory):
    logs = _run(container_factory, ["start.sh", "true"], user="root",
                environment={"CHOWN_HOME": "yes", "CHOWN_HOME_OPTS": "-R"})
    assert "/home/jovyan" in logs and "1000:100" in logs and "-R" in logs, logs[-3000:]


def test_sudo(container_factory):
    logs = _run(container_factory, ["start.sh", "sudo", "id"], user="root", environment={"GRANT_SUDO": "yes"})
    assert "uid=0(root)" in logs


def test_sudo_path(container_factory):
    logs = _run(container_factory, ["start.sh", "sudo", "which", "jupyter"], user="root",
                environment={"GRANT_SUDO": "yes"})
    assert logs.rstrip().endswith("/opt/conda/bin/jupyter")


def test_sudo_path_without_grant(container_factory):
    logs = _run(container_factory, ["start.sh", "which", "jupyter"], user="root")
    assert logs.rstrip().endswith("/opt/conda/bin/jupyter")


def test_group_add(container_factory):
    logs = _run(container_factory, ["start.sh", "id"], user="1010:1010", group_add=["users"])
    assert "uid=1010 gid=1010" in logs and "groups=1010,100(users)" in logs, logs[-3000:]
