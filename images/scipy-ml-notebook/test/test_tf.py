"""TensorFlow and tf.keras import and TensorBoard's notebook extension loads: the notebook runs with nbconvert."""
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def test_tf_notebook(container_factory):
    tc = container_factory(
        command=["start.sh", "jupyter", "nbconvert", "--to", "markdown", "--execute",
                 "--ExecutePreprocessor.timeout=600", "--output-dir", "/tmp", "data/test_tf.ipynb"],
        volumes={str(DATA): {"bind": "/home/jovyan/data", "mode": "ro"}},
    )
    code, logs = tc.wait_logs(timeout=70)
    assert code == 0, logs[-4000:]
