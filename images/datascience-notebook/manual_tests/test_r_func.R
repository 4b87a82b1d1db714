# R smoke test run by tests_common/test_r.py with Rscript: silent when every expectation holds.
suppressPackageStartupMessages({
  library(testthat)
  library(randomForest)
  library(tidyverse)
  library(markdown)
  library(lubridate)
  library(DT)
  library(MASS)
  library(RColorBrewer)
  library(shiny)
  library(Matrix)
  library(rvest)
})

fit <- lm(Sepal.Width ~ Sepal.Length, data = iris)
expect_equal(signif(summary(fit)$adj.r.squared, 3), 0.00716)

a <- matrix(1:8, nrow = 2)
b <- matrix(8:1, nrow = 2)
expect_equal(a * b, matrix(c(8L, 14L, 18L, 20L, 20L, 18L, 14L, 8L), nrow = 2))

means <- iris %>% group_by(Species) %>% summarise(mean = mean(Sepal.Length))
expect_equal(means$mean, c(5.006, 5.936, 6.588))
