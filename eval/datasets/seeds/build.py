"""Assemble the gold files of the seed dataset: `<stem>.jsonl` = header line + the parts under
`gold-src/<stem>.<part>.jsonl` (budget tables, performance tables), in part-name order.
The one builder does it (`eval/datasets/build_gold.py`); this command stays for habit:

    .venv/bin/python eval/datasets/seeds/build.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parents[2]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[2]))

from eval.datasets.build_gold import build as build_dataset  # noqa: E402


def build() -> list[Path]:
    return build_dataset("seeds")


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(HERE))
