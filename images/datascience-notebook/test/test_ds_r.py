"""R side of datascience-notebook: Rscript runs a function, conda R packages load, IRkernel is registered."""
import json

import pytest


def test_r_function(container):
    script = (
        "zscore <- function(x) (x - mean(x)) / sd(x);"
        "z <- zscore(c(2, 4, 6, 8));"
        "stopifnot(isTRUE(all.equal(mean(z), 0)), isTRUE(all.equal(sd(z), 1)));"
        "cat(sprintf('%.4f', z[4]))"
    )
    code, out = container.exec_run(["Rscript", "-e", script])
    assert code == 0, out
    assert out.strip().splitlines()[-1] == "1.1619"


@pytest.mark.parametrize("pkg", ["tidyverse", "testthat", "lme4", "janitor", "RSQLite", "markdown"])
def test_r_package_loads(container, pkg):
    code, out = container.exec_run(["Rscript", "-e", f"suppressPackageStartupMessages(library({pkg}))"])
    assert code == 0, f"library({pkg}) failed:\n{out}"


def test_kernels_registered(container):
    out = container.check_output(["jupyter", "kernelspec", "list", "--json"])
    specs = json.loads(out[out.index("{"):])["kernelspecs"]
    assert {"python3", "ir"} <= set(specs), sorted(specs)
