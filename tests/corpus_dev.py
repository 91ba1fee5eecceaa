"""Where the 25 real documents are: ../shared/corpus-dev beside the clone, as in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS_DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"


def require_corpus_dev(pattern: str | None = None) -> Path:
    """The corpus directory, or its first file matching `pattern`. Missing: a failure under CI=1 (CI has it
    beside the clone), a skip elsewhere."""
    found = sorted(CORPUS_DEV.glob(pattern)) if pattern and CORPUS_DEV.is_dir() else []
    if not CORPUS_DEV.is_dir() or pattern and not found:
        where = f"{CORPUS_DEV}/{pattern}" if pattern else str(CORPUS_DEV)
        if os.environ.get("CI"):
            pytest.fail(f"corpus-dev missing at {where} (CI has it beside the clone)")
        pytest.skip(f"corpus-dev not at {where}")
    return found[0] if pattern else CORPUS_DEV
