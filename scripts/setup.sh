#!/usr/bin/env bash
# Set everything up on a fresh machine: a virtualenv in .venv with the project and its dev tools.
# Idempotent; run from the repository root. Extra system packages (fonts, chromium) are installed
# by scripts/system-deps.sh when the tests need them.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"
