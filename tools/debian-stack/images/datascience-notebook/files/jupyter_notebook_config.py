# The notebook server listens on every interface of the container, on 8888, and opens no browser.
c = get_config()  # noqa: F821 (defined by Jupyter when it loads this file)
c.NotebookApp.ip = "0.0.0.0"
c.NotebookApp.port = 8888
c.NotebookApp.open_browser = False
c.FileContentsManager.delete_to_trash = False
c.InlineBackend.figure_formats = {"png", "jpeg", "svg", "pdf"}
