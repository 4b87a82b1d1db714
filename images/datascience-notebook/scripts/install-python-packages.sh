#!/usr/bin/env bash
# Installs the pinned DataHub Python stack into the base conda env (run as $NB_USER).
# Pins live here (not in the Dockerfile) so one place documents what a term's image ships.
set -euo pipefail
: "${JUPYTERHUB_VERSION:?JUPYTERHUB_VERSION must be set (spec.yml build_args)}"
: "${PY_VER_SHORT:?PY_VER_SHORT must be set (spec.yml build_args)}"

pip install --no-cache-dir \
    "jupyterhub==${JUPYTERHUB_VERSION}" \
    jupyterlab==4.2.5 \
    notebook==7.2.2 \
    jupyter_server==2.14.2 \
    tornado==6.4.2 \
    requests==2.32.3 \
    urllib3==2.2.3 \
    pandas==2.2.2 \
    numpy==1.26.4 \
    matplotlib==3.8.4 \
    statsmodels==0.14.2 \
    scikit-learn==1.5.1 \
    pyarrow==16.1.0 \
    nltk==3.9.1 \
    datascience==0.17.6 \
    nbgrader==0.9.3 \
    nbgitpuller==1.2.1

# Students must not see the instructor-only nbgrader UIs; course staff images re-enable them.
jupyter labextension disable --level=sys_prefix \
    @jupyter/nbgrader:formgrader @jupyter/nbgrader:course-list @jupyter/nbgrader:create-assignment
jupyter server extension disable --sys-prefix nbgrader.server_extensions.formgrader

# nbgitpuller must be active so course "interact" links work on first login.
jupyter server extension enable --sys-prefix nbgitpuller

# Sanity: the interpreter we installed into is the one spec.yml promises.
python -c "import sys; v = '%d.%d' % sys.version_info[:2]; assert v == '${PY_VER_SHORT}', v"
