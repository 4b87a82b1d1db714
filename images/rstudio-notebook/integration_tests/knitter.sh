#!/usr/bin/env bash
# Renders an R Markdown file: knitter.sh FILE.Rmd [pdf|html|word|...] (default: the file's own output).
set -euo pipefail
file="${1:?usage: knitter.sh FILE.Rmd [pdf|html|word|odt|rtf|md|github]}"
if [[ -n "${2:-}" ]]; then
    Rscript -e "rmarkdown::render('${file}', output_format = '${2}_document')"
else
    Rscript -e "rmarkdown::render('${file}')"
fi
