"""Integration: knit the shipped R Markdown document to HTML inside the container, as a user of the image would."""


def test_knits_the_rmd_to_html_with_its_table_and_plot(container):
    code, output = container.run(
        "cd /home/jovyan && Rscript -e 'rmarkdown::render(\"datascience-rstudio.Rmd\", quiet = TRUE)' "
        "&& grep -c 'data:image/png;base64' datascience-rstudio.html && grep -o 'Min.   : 4.0' datascience-rstudio.html | head -n 1"
    )
    assert code == 0, output
    assert output.split("\n")[-3:] == ["1", "Min.   : 4.0", ""]
