"""Data stack of datascience-notebook: imports plus a small real computation inside the container."""
import json
import textwrap

import pytest


def run_python(container, code: str) -> str:
    return container.check_output(["python", "-c", textwrap.dedent(code)])


@pytest.mark.parametrize("module", ["pandas", "matplotlib", "statsmodels.api", "nltk",
                                    "sklearn", "pyarrow", "datascience"])
def test_import(container, module):
    code, out = container.exec_run(["python", "-c", f"import {module}"])
    assert code == 0, f"import {module} failed:\n{out}"


def test_pandas_statsmodels_regression(container):
    # Known linear relation: OLS through pandas + statsmodels must recover slope 2 / intercept 1.
    out = run_python(container, """
        import json
        import numpy as np, pandas as pd, statsmodels.api as sm
        rng = np.random.default_rng(0)
        df = pd.DataFrame({"x": np.arange(200, dtype=float)})
        df["y"] = 2 * df["x"] + 1 + rng.normal(0, 0.01, len(df))
        fit = sm.OLS(df["y"], sm.add_constant(df["x"])).fit()
        grouped = df.assign(bucket=df["x"] // 50).groupby("bucket")["y"].mean()
        print(json.dumps({"slope": fit.params["x"], "const": fit.params["const"],
                          "groups": len(grouped)}))
    """)
    result = json.loads(out.strip().splitlines()[-1])
    assert result["slope"] == pytest.approx(2.0, abs=1e-3)
    assert result["const"] == pytest.approx(1.0, abs=1e-2)
    assert result["groups"] == 4


def test_matplotlib_renders_headless(container):
    out = run_python(container, """
        import io, matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [0, 1, 4])
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        print(buf.getvalue()[:4] == b"\\x89PNG", len(buf.getvalue()))
    """)
    ok, size = out.split()[-2:]
    assert ok == "True" and int(size) > 1000


def test_nltk_tokenizes_without_downloads(container):
    # wordpunct_tokenize is regex based: works offline, as on a cluster without egress.
    out = run_python(container, """
        from nltk.tokenize import wordpunct_tokenize
        from nltk import FreqDist
        words = wordpunct_tokenize("Data science at UCSD: data, data, and more data!")
        print(FreqDist(w.lower() for w in words)["data"])
    """)
    assert out.strip().splitlines()[-1] == "4"


def test_sklearn_fits(container):
    out = run_python(container, """
        from sklearn.datasets import make_classification
        from sklearn.linear_model import LogisticRegression
        X, y = make_classification(n_samples=300, random_state=0)
        print(LogisticRegression(max_iter=500).fit(X, y).score(X, y))
    """)
    assert float(out.strip().splitlines()[-1]) > 0.8
