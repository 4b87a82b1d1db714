"""GPU workflow (runs inside scipy-ml-notebook from /opt/workflow_tests): statsmodels fits."""
import pytest


@pytest.fixture
def ols():
    import numpy as np
    import statsmodels.api as sm

    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, 200)
    y = 0.5 + 2.0 * x + rng.normal(0, 1, 200)
    return sm.OLS(y, sm.add_constant(x)).fit()


def test_ols_recovers_coefficients(ols):
    import numpy as np

    assert np.allclose(ols.params, [0.5, 2.0], atol=0.5)


def test_logit_accuracy():
    import numpy as np
    import statsmodels.api as sm

    rng = np.random.default_rng(1)
    x = rng.normal(0, 1, 500)
    y = (rng.uniform(0, 1, 500) < 1 / (1 + np.exp(-3 * x))).astype(int)
    model = sm.Logit(y, sm.add_constant(x)).fit(disp=0)
    accuracy = ((model.predict(sm.add_constant(x)) > 0.5) == y).mean()
    assert accuracy > 0.75


def test_summary_mentions_r_squared(ols):
    assert "R-squared" in ols.summary().as_text()
