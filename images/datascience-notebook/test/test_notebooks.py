"""The example notebook runs top to bottom with nbconvert in the image (the former test was skipped)."""
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def test_nbconvert(container_factory):
    tc = container_factory(
        command=["start.sh", "jupyter", "nbconvert", "--to", "markdown", "--execute",
                 "--ExecutePreprocessor.timeout=600", "--output-dir", "/tmp", "data/test-notebook.ipynb"],
        volumes={str(DATA): {"bind": "/home/jovyan/data", "mode": "ro"}},
    )
    code, logs = tc.wait_logs(timeout=600)
    assert code == 0, logs[-4000:]
    assert "Writing" in logs
