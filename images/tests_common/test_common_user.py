"""Every image: JupyterHub's KubeSpawner assumes user jovyan (uid 1000, gid 100) in /home/jovyan."""


def test_default_user(container):
    assert container.check_output(["id", "-un"]).strip() == "jovyan"
    assert container.check_output(["id", "-u"]).strip() == "1000"
    assert container.check_output(["id", "-g"]).strip() == "100"


def test_home(container):
    assert container.check_output(["bash", "-c", "echo $HOME"]).strip() == "/home/jovyan"
    assert container.check_output(["pwd"]).strip() == "/home/jovyan"


def test_home_writable(container):
    container.check_output(["bash", "-c", "echo ok > ~/.write-probe && rm ~/.write-probe"])


def test_no_passwordless_root(container):
    # Students must not be able to escalate; sudo is either absent or asks for a password.
    code, out = container.exec_run(["bash", "-c", "command -v sudo && sudo -n true"])
    assert code != 0, f"passwordless sudo works for jovyan:\n{out}"
