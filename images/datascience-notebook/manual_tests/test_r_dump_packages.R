# Prints the name of every installed R package, one per line (read by tests_common/test_r.py).
for (name in rownames(installed.packages())) {
  cat(name, "\n", sep = "")
}
