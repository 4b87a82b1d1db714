#!/usr/bin/env bash
# Deprecated: kept because images and docs still name it. It does nothing; see install-python-all.sh.
exit 0
