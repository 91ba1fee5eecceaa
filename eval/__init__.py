"""The eval harness: scores extraction output against gold sets (see `eval/README` in the report's
definitions section and `extractor eval --help`).

Scoring is pure: it takes prediction dicts in the JSON export shape of DESIGN.md and gold records,
and never calls the pipeline. `eval.harness` is the thin runner that produces predictions (by calling
the pipeline, or by reading saved exports) and hands them to the scorer.
"""

from __future__ import annotations
