
# ---- UCSD DataHub additions (appended to the upstream /etc/jupyter/jupyter_server_config.py)
# Shared nodes: reclaim memory from kernels students leave running in closed tabs.
c.MappingKernelManager.cull_idle_timeout = 3600  # noqa: F821 (c is provided by traitlets)
c.MappingKernelManager.cull_interval = 300  # noqa: F821
c.MappingKernelManager.cull_connected = False  # noqa: F821
# Home directories are quota'd NFS; a hidden trash folder silently eats the quota.
c.FileContentsManager.delete_to_trash = False  # noqa: F821
# Login shell in terminals so /etc/profile.d (e.g. CUDA env in scipy-ml) is applied.
c.ServerApp.terminado_settings = {"shell_command": ["/bin/bash", "-l"]}  # noqa: F821
# Large dataframes printed in notebooks should not kill the websocket.
c.ServerApp.iopub_data_rate_limit = 1.0e10  # noqa: F821
