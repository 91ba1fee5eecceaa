"""The committed gold sets, whole or cut down to some of their documents, for the tests that read them."""

from __future__ import annotations

from pathlib import Path

from eval.gold import Dataset, load_dataset

DATASETS = Path(__file__).resolve().parents[1] / "eval" / "datasets"


def gold_set(name: str, stem_prefix: str = "") -> Dataset:
    """The gold set `name` (seeds, dev), keeping only the documents whose stem starts with `stem_prefix`."""
    whole = load_dataset(DATASETS / name, name=name)
    return Dataset(name, whole.root, [d for d in whole.documents if d.stem.startswith(stem_prefix)])
