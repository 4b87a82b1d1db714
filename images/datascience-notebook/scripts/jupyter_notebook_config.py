
# ---- UCSD DataHub: NB_UMASK (appended to /etc/jupyter/jupyter_notebook_config.py)
import os

if "NB_UMASK" in os.environ:
    # Octal, as a shell umask is written (e.g. 002 for group-writable course folders).
    os.umask(int(os.environ["NB_UMASK"], 8))
