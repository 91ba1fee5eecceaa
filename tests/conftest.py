from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "eval" / "datasets" / "seeds" / "docs"


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    return {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}


CORPUS_DEV = ROOT.parent / "shared" / "corpus-dev"


def require_corpus_dev() -> Path:
    """../shared/corpus-dev beside the clone (the 25 real documents): a failure under CI=1, which has it
    there, a skip elsewhere."""
    if not CORPUS_DEV.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"corpus-dev missing at {CORPUS_DEV} (CI has it beside the clone)")
        pytest.skip(f"corpus-dev not at {CORPUS_DEV}")
    return CORPUS_DEV


@pytest.fixture(scope="session")
def corpus_dev() -> Path:
    return require_corpus_dev()
