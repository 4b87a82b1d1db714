#!/usr/bin/env bash
# Starts the classic notebook server with whatever arguments it is given.
exec jupyter notebook "$@"
