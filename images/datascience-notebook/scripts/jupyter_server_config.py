
# ---- UCSD DataHub additions (appended to the upstream /etc/jupyter/jupyter_server_config.py)
import os
import stat
import subprocess

c = get_config()  # noqa: F821 (provided by traitlets when the config loads)
c.ServerApp.ip = "0.0.0.0"
c.ServerApp.open_browser = False
# nbgrader's formgrader is shown inside an iframe by JupyterHub >= 4.1: allow any ancestor.
c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors *;"}}
c.InlineBackend.figure_formats = {"png", "jpeg", "svg", "pdf"}
c.FileContentsManager.delete_to_trash = False

if "GEN_CERT" in os.environ:
    from jupyter_core.paths import jupyter_data_dir

    pem_file = os.path.join(jupyter_data_dir(), "notebook.pem")
    os.makedirs(os.path.dirname(pem_file), exist_ok=True)
    # openssl needs a config file; conda's may be missing.
    openssl_cnf = os.path.join(os.environ.get("CONDA_DIR", "/opt/conda"), "ssl", "openssl.cnf")
    if not os.path.isfile(openssl_cnf):
        os.makedirs(os.path.dirname(openssl_cnf), exist_ok=True)
        with open(openssl_cnf, "w", encoding="utf-8") as handle:
            handle.write("[req]\ndistinguished_name = req_distinguished_name\n[req_distinguished_name]\n")
    subprocess.check_call([
        "openssl", "req", "-new", "-newkey", "rsa:2048", "-days", "365", "-nodes", "-x509",
        "-subj", "/C=XX/ST=XX/L=XX/O=generated/CN=generated",
        "-keyout", pem_file, "-out", pem_file,
    ])
    os.chmod(pem_file, stat.S_IRUSR | stat.S_IWUSR)
    c.ServerApp.certfile = pem_file

if "NB_UMASK" in os.environ:
    os.umask(int(os.environ["NB_UMASK"], 8))
