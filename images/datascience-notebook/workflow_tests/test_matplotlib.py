"""GPU workflow (runs inside scipy-ml-notebook from /opt/workflow_tests): matplotlib draws what it is given."""
import pytest

X = [0, 1, 2, 3]
Y = [0, 1, 4, 9]


@pytest.fixture
def line_plot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots()
    (line,) = axes.plot(X, Y)
    axes.set_title("squares")
    yield figure, axes, line
    plt.close(figure)


def test_one_axes(line_plot):
    figure, _, _ = line_plot
    assert len(figure.axes) == 1


def test_title(line_plot):
    _, axes, _ = line_plot
    assert axes.get_title() == "squares"


def test_line_data(line_plot):
    _, _, line = line_plot
    assert list(line.get_xdata()) == X
    assert list(line.get_ydata()) == Y
