#!/usr/bin/env bash
# Every check: lint, types, the test suite. Fails if pytest collects no test.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"
