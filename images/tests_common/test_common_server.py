"""Every image: the default command starts a Jupyter server that answers on its port."""
import pytest

pytestmark = pytest.mark.integration


def test_api_answers_with_token(jupyter_server):
    resp = jupyter_server.get("/api")
    assert resp.status_code == 200
    assert "version" in resp.json()


def test_status_requires_token(jupyter_server):
    assert jupyter_server.get("/api/status").status_code == 200
    assert jupyter_server.get("/api/status", with_token=False).status_code == 403


def test_kernelspecs_served(jupyter_server):
    resp = jupyter_server.get("/api/kernelspecs")
    assert resp.status_code == 200
    assert "python3" in resp.json()["kernelspecs"]


def test_lab_ui_served(jupyter_server):
    resp = jupyter_server.get("/lab")
    assert resp.status_code == 200
    assert "JupyterLab" in resp.text


def test_server_runs_as_jovyan(jupyter_server):
    # Read /proc directly: procps (ps) is not guaranteed in the images.
    script = (
        "import glob, os, pwd\n"
        "for d in glob.glob('/proc/[0-9]*'):\n"
        "    if d == f'/proc/{os.getpid()}':\n"
        "        continue\n"
        "    try:\n"
        "        cmd = open(d + '/cmdline', 'rb').read().replace(b'\\0', b' ').decode()\n"
        "        uid = next(l.split()[1] for l in open(d + '/status') if l.startswith('Uid:'))\n"
        "    except OSError:\n"
        "        continue\n"
        "    if 'jupyter' in cmd and ('lab' in cmd or 'server' in cmd or 'notebook' in cmd):\n"
        "        print(pwd.getpwuid(int(uid)).pw_name)\n"
    )
    out = jupyter_server.container.check_output(["python", "-c", script])
    users = set(out.split())
    assert users == {"jovyan"}, users
