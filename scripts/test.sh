#!/usr/bin/env bash
# Every check: lint, types, the import layers, the test suite. pytest fails on its own when it collects no test (exit 5).
# EXTRACTOR_TEST_DB=postgresql runs the suite on a real PostgreSQL server (tests/conftest.py, tests/pg_server.py).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy extractor schemas eval review_ui
.venv/bin/lint-imports --no-cache  # the layers (.importlinter)
.venv/bin/python -m pytest -q --db "${EXTRACTOR_TEST_DB:-sqlite}" "$@"
