from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_dev import require_corpus_dev

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "eval" / "datasets" / "seeds" / "docs"


@pytest.fixture(autouse=True)
def _fresh_breakers() -> Iterator[None]:
    """Circuit breakers live for the process, keyed by endpoint: a fake server's port may be reused by
    a later test, which must not find the breaker an earlier test opened."""
    from extractor.llm.breaker import reset_breakers

    reset_breakers()
    yield
    reset_breakers()


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    return {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def corpus_dev() -> Path:
    """../shared/corpus-dev: a failure under CI=1, a skip elsewhere (see `corpus_dev.require_corpus_dev`)."""
    return require_corpus_dev()
