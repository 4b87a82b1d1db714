#!/bin/sh
# Prints the greeting the image was built with.
echo "$(cat /opt/stack/greeting), from $(hostname)"
