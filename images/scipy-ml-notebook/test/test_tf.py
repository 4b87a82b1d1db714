"""TensorFlow and tf.keras import and TensorBoard's notebook extension loads: the notebook runs with nbconvert."""
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parent / "data" / "test_tf.ipynb"


def test_tf_notebook(execute_notebook):
    code, logs = execute_notebook(NOTEBOOK, timeout=70)
    assert code == 0, logs[-4000:]
