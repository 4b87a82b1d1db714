"""The R Markdown image: rmarkdown and knitr load, and the document to knit is in the user's home."""


def test_rmarkdown_and_knitr_load(container):
    code, output = container.run("Rscript -e 'library(rmarkdown); library(knitr); cat(rmarkdown::pandoc_available(), \"\\n\")'")
    assert (code, output.strip().splitlines()[-1]) == (0, "TRUE")


def test_the_document_is_in_home_owned_by_jovyan(container):
    assert container.run("stat -c '%U:%G' /home/jovyan/datascience-rstudio.Rmd") == (0, "jovyan:users\n")
