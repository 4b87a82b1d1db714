"""RStudio Server and what it needs: nss_wrapper under an arbitrary UID, the conda R, the OpenSSL wrappers."""
import time

import pytest

WRAPPER_DIR = "/opt/k8s-support/lib"
WRAPPER_NAMES = ["libnss_wrapper.so", "libnss_wrapper.so.0", "libnss_wrapper.so.0.2.3"]
ARBITRARY_USER = "12345:100"
# What the runtime (the hub) writes for a UID that /etc/passwd does not know.
WRITE_WRAP_FILES = (
    "echo \"student:x:12345:100:student:/home/jovyan:/bin/bash\" > /tmp/passwd.wrap && "
    "echo \"users:x:100:\" > /tmp/group.wrap"
)
NSS_ENV = {"LD_PRELOAD": f"{WRAPPER_DIR}/libnss_wrapper.so",
           "NSS_WRAPPER_PASSWD": "/tmp/passwd.wrap", "NSS_WRAPPER_GROUP": "/tmp/group.wrap"}


def test_nss_wrapper_files(container):
    out = container.check_output(["bash", "-c", f"cd {WRAPPER_DIR} && stat -c '%F %a %n' * && sha256sum * && "
                                                "objdump -p libnss_wrapper.so | grep SONAME"])
    for name in WRAPPER_NAMES:
        assert f"regular file 755 {name}" in out
    assert len({line.split()[0] for line in out.splitlines() if line.endswith(tuple(WRAPPER_NAMES))
                and len(line.split()[0]) == 64}) == 1, "the three files differ"
    assert "libnss_wrapper.so.0" in out.split("SONAME", 1)[1]


def test_r_preloads_nss_wrapper(container):
    out = container.check_output(["Rscript", "-e", 'cat(Sys.getenv(c("LD_PRELOAD", "NSS_WRAPPER_PASSWD", '
                                                   '"NSS_WRAPPER_GROUP")), sep = "\\n")'])
    assert out.split() == [NSS_ENV["LD_PRELOAD"], NSS_ENV["NSS_WRAPPER_PASSWD"], NSS_ENV["NSS_WRAPPER_GROUP"]]


def test_nss_wrapper_names_an_arbitrary_uid(container_factory):
    tc = container_factory(command=["sleep", "infinity"], user=ARBITRARY_USER)
    tc.check_output(["bash", "-c", WRITE_WRAP_FILES], user=ARBITRARY_USER)
    assert tc.exec_run(["id", "-un"], user=ARBITRARY_USER)[0] != 0, "UID 12345 is in /etc/passwd: the test proves nothing"
    assert tc.check_output(["id", "-un"], user=ARBITRARY_USER, environment=NSS_ENV).strip() == "student"


@pytest.mark.integration
def test_rstudio_starts_under_arbitrary_uid(container_factory, http_client):
    tc = container_factory(user=ARBITRARY_USER, ports=[8888], environment={"JUPYTER_TOKEN": "t0ken"})
    base = f"http://127.0.0.1:{tc.host_port()}"
    deadline = time.monotonic() + 180
    last = "no answer"
    while time.monotonic() < deadline:
        tc.exec_run(["bash", "-c", WRITE_WRAP_FILES], user=ARBITRARY_USER)
        try:
            resp = http_client.get(f"{base}/rstudio/?token=t0ken", timeout=60)
            if resp.status_code == 200 and "rstudio" in resp.text.lower():
                return
            last = f"HTTP {resp.status_code}"
        except Exception as exc:  # server or rserver still starting
            last = repr(exc)
        time.sleep(3)
    pytest.fail(f"RStudio did not start under UID 12345 ({last}):\n{tc.logs()[-3000:]}")


def test_rstudio_version_is_the_pin(container):
    pinned = container.check_output(["pinned", "--version", "rstudio-server"]).strip()
    assert pinned.replace("-", "+") in container.check_output(["rstudio-server", "version"])


def test_rstudio_settings(container):
    assert "auth-minimum-user-id=100" in container.check_output(["cat", "/etc/rstudio/rserver.conf"])
    assert container.check_output(["cat", "/etc/ld.so.conf.d/r.conf"]).strip() == "/opt/conda/lib/R/lib"
    assert container.exec_run(["test", "-e", "/usr/bin/R"])[0] != 0, "/usr/bin/R should be gone after the install"


def test_environment(container):
    env = dict(line.split("=", 1) for line in container.check_output(["env"]).splitlines() if "=" in line)
    assert env["LD_LIBRARY_PATH"] == "/opt/conda/lib:/usr/lib/x86_64-linux-gnu"
    assert env["SHELL"] == "/bin/bash"
    assert env["PATH"].endswith(":/usr/lib/rstudio-server/bin")
    assert container.check_output(["id", "-un"]).strip() == "jovyan"


def test_openssl_wrappers(container):
    assert container.check_output(["head", "-c", "11", "/usr/bin/git"]) == "#!/bin/bash"
    assert "git version" in container.check_output(["git", "--version"])
    assert container.exec_run(["ssh", "-V"])[0] == 0
