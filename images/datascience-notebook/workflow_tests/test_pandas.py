"""GPU workflow (runs inside scipy-ml-notebook from /opt/workflow_tests): pandas basics."""
import pytest

PANDAS_3_STRINGS = (
    "pandas 3 infers the string dtype for text columns (StringDtype), so the former check that names are "
    "'object' cannot pass with the pinned pandas 3.0.3; kept to show the behaviour change (images/README.md)"
)


@pytest.fixture
def people():
    import pandas as pd

    return pd.DataFrame({"name": ["ana", "bo", "cy"], "age": [31, 25, 40], "key": [1, 2, 3]})


@pytest.mark.xfail(reason=PANDAS_3_STRINGS, strict=True, raises=AssertionError)
def test_shape_columns_dtypes(people):
    assert people.shape == (3, 3)
    assert list(people.columns) == ["name", "age", "key"]
    assert people["age"].dtype.kind == "i"
    assert people["name"].dtype == object


def test_indexing(people):
    assert people.iloc[1]["name"] == "bo"
    assert list(people["age"]) == [31, 25, 40]
    assert people.loc[people["age"] > 30, "name"].tolist() == ["ana", "cy"]


def test_inner_merge(people):
    import pandas as pd

    cities = pd.DataFrame({"key": [1, 3, 4], "city": ["SD", "LA", "SF"]})
    merged = people.merge(cities, on="key", how="inner")
    assert len(merged) == 2
    assert merged["city"].tolist() == ["SD", "LA"]


def test_groupby_sum():
    import pandas as pd

    sales = pd.DataFrame({"team": ["a", "b", "a", "b"], "amount": [1, 2, 3, 4]})
    assert sales.groupby("team")["amount"].sum().to_dict() == {"a": 4, "b": 6}
