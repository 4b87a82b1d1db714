"""What every image of the example stack must pass."""


def test_container_starts(container):
    container.reload()
    assert container.status == "running"


def test_container_runs_a_shell(container):
    assert container.run("echo ok") == (0, "ok\n")


def test_root_content_is_present(container):
    # Every image descends from example-base, so its file is in all of them.
    code, output = container.run("cat /opt/stack/example-base")
    assert code == 0 and output.startswith("example-base:")


def test_user_home_exists(container):
    assert container.run("test -d /home/jovyan")[0] == 0
    assert container.run("grep -q '^jovyan:x:1000:' /etc/passwd")[0] == 0
