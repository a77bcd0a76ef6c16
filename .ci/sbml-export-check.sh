#!/usr/bin/env bash
# Round trip of `vcsim export-sbml`: the exported VSMC model (and the published variant),
# validated with libSBML and simulated in libRoadRunner, against `vcsim cell` for stress
# levels, knockouts, drugs and a calcifying medium. Usage, from the repository root:
#   bash .ci/sbml-export-check.sh [PATH_TO_VCSIM]      (default target/release/vcsim)
# The binary is not built here. Uses the venv and pins of .ci/sbml-crosscheck.sh
# (${VENV:-target/sbml-venv}; packages from PyPI, prebuilt wheels).
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

exec "$VENV/bin/python" tests/sbml_export_check.py --vcsim "$BIN"
