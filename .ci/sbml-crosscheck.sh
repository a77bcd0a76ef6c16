#!/usr/bin/env bash
# Cross-check vcsim's `published` model against the published SBML (BIOMD0000000703)
# simulated in libRoadRunner. Usage, from the repository root:
#   bash .ci/sbml-crosscheck.sh [PATH_TO_VCSIM]      (default target/release/vcsim)
# The binary is not built here. A Python venv is created at ${VENV:-target/sbml-venv}
# if absent; packages come from PyPI (prebuilt wheels, no compiler needed).
set -euo pipefail

BIN="${1:-target/release/vcsim}"
# A relative binary path given by the caller is taken relative to the caller's directory.
case "$BIN" in
    /*) ;;
    *) if [ -e "$BIN" ]; then BIN="$PWD/$BIN"; fi ;;
esac
cd "$(dirname "$0")/.."
VENV="${VENV:-target/sbml-venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    libroadrunner==2.10.0 python-libsbml==5.21.2

exec "$VENV/bin/python" tests/sbml_crosscheck.py --vcsim "$BIN"
