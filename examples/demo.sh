#!/bin/sh
# make demo: the seed's setup, end to end (grows with each issue).
set -eu
echo "demo: not written yet"
