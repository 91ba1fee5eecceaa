"""The committed recordings of real embedded-model runs replay the hybrid backend over the seed
documents with no model and no network: zero calls. A failure here means the prompts or the
segments changed since the recordings were made: re-record with `extractor llm record`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.llm.cache import CacheEntry
from extractor.pipeline import extract_path
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "eval" / "datasets" / "seeds" / "docs"
RECORDINGS_DIR = ROOT / "eval" / "recordings"
RECORDINGS = sorted(RECORDINGS_DIR.glob("*.json"))


def test_recordings_are_small_valid_entries() -> None:
    assert RECORDINGS, "no recordings in eval/recordings"
    for path in RECORDINGS:
        data = json.loads(path.read_text(encoding="utf-8"))
        entry = CacheEntry.from_json(data)
        assert entry.key == path.stem
        if entry.error is None:  # an unusable reply is kept as its error, raw as the model wrote it
            assert isinstance(json.loads(entry.raw), dict)
        assert path.stat().st_size < 64_000


@pytest.mark.parametrize("doc", sorted(p.name for p in SEED.glob("*.txt")))
def test_hybrid_replays_with_zero_calls(tmp_path: Path, doc: str) -> None:
    settings = Settings(
        data_dir=tmp_path,
        llm_base_url="http://127.0.0.1:9/v1",  # nothing listens there: any call would fail
        llm_cache_dir=tmp_path / "cache",
        llm_recordings_dir=RECORDINGS_DIR,
        llm_max_retries=0,
    )
    result = extract_path(SEED / doc, backend="hybrid", settings=settings)
    misses = [e for e in result.errors if "LLM endpoint" in e]
    assert result.usage.llm_calls == 0 and not misses, (
        f"{len(misses)} LLM call(s) not in the recordings (re-record: extractor llm record): {misses[:2]}"
    )
