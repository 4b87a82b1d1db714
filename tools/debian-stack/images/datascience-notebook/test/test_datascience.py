"""The root's own promises: the library versions Debian bookworm ships, and that they work together."""
import pytest

# The versions the Dockerfile installs (Debian bookworm's); a change of them is a change of this image.
VERSIONS = {"notebook": "6.4.12", "pandas": "1.5.3", "matplotlib": "3.6.3", "statsmodels": "0.13.5+dfsg", "IPython": "8.5.0"}


@pytest.mark.parametrize("module,version", sorted(VERSIONS.items()))
def test_package_imports_at_its_version(container, module, version):
    assert container.run(f"python3 -c 'import {module}; print({module}.__version__)'") == (0, f"{version}\n")


def test_package_managers_answer(container):
    for command in ["apt-get --version", "pip --version", "R --version", "pandoc --version"]:
        code, output = container.run(command)
        assert code == 0, f"{command}: {output}"


def test_pandoc_turns_markdown_into_html(container):
    assert container.run("echo '**bold**' | pandoc -f markdown -t html") == (0, "<p><strong>bold</strong></p>\n")


def test_statsmodels_recovers_ols_coefficients(container):
    script = (
        "import numpy as np, statsmodels.api as sm\n"
        "rng = np.random.default_rng(0)\n"
        "x = rng.normal(size=200)\n"
        "y = 0.5 + 2.0 * x + rng.normal(scale=0.1, size=200)\n"
        "fit = sm.OLS(y, sm.add_constant(x)).fit()\n"
        "print(' '.join(f'{c:.1f}' for c in fit.params), 'R-squared' in str(fit.summary()))\n"
    )
    assert container.run(f"python3 -c \"{script}\"") == (0, "0.5 2.0 True\n")


def test_matplotlib_draws_a_png_without_a_display(container):
    script = (
        "import matplotlib; matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots(); ax.plot([1, 2, 3], [4, 5, 6]); ax.set_title('t')\n"
        "fig.savefig('/tmp/plot.png'); print(len(fig.axes), open('/tmp/plot.png', 'rb').read(4) == b'\\x89PNG')\n"
    )
    assert container.run(f"python3 -c \"{script}\"") == (0, "1 True\n")
