"""The example notebook runs top to bottom with nbconvert in the image (the former test was skipped)."""
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parent / "data" / "test-notebook.ipynb"


def test_nbconvert(execute_notebook):
    code, logs = execute_notebook(NOTEBOOK, timeout=600)
    assert code == 0, logs[-4000:]
    assert "Writing" in logs
