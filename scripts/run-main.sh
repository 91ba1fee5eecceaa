#!/usr/bin/env bash
# The main job on the embedded defaults: ingest the five seed documents into the SQLite file of the
# settings (var/extractor.sqlite) and print the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/extractor ingest eval/datasets/seeds/docs "$@"
