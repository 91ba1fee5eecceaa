"""The committed recordings of real embedded-model runs replay the hybrid backend over the seed
documents with no model and no network: zero calls. A failure here means the prompts or the
segments changed since the recordings were made: re-record with `extractor llm record` (or, when
only the key's other parts changed, re-key them: `scripts/rekey_recordings.py`).

The questions the recorded model could not answer usably are listed in `unusable.txt`: errors are
never recorded nor replayed, so those questions are the only ones an offline replay may miss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.llm import client
from extractor.llm.cache import CacheEntry, key_of_request
from extractor.llm.prompts import PROMPT_VERSION
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
        assert entry.key == path.stem and "error" not in data
        assert isinstance(json.loads(entry.raw), dict)
        assert path.stat().st_size < 64_000
        endpoint = client.endpoint_id(Settings(llm_base_url=None))
        rekeyed = key_of_request(
            endpoint=endpoint, model=entry.model, prompt_version=PROMPT_VERSION, request=entry.request
        )
        assert rekeyed == entry.key, f"{path.name}: key not derived from its request digest"


def unusable_keys() -> set[str]:
    endpoint = client.endpoint_id(Settings(llm_base_url=None))
    lines = (RECORDINGS_DIR / "unusable.txt").read_text(encoding="utf-8").splitlines()
    return {
        key_of_request(
            endpoint=endpoint, model=Settings().llm_model, prompt_version=PROMPT_VERSION, request=r
        )
        for r in (line.split(" ", 1)[0] for line in lines if line.strip())
    }


@pytest.mark.parametrize("doc", sorted(p.name for p in SEED.glob("*.txt")))
def test_hybrid_replays_with_zero_calls(tmp_path: Path, doc: str, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(
        data_dir=tmp_path,
        llm_base_url=None,  # the embedded model's recordings, replayed offline: a miss fails at once
        llm_offline=True,
        llm_cache_dir=tmp_path / "cache",
        llm_recordings_dir=RECORDINGS_DIR,
    )
    asked: list[tuple[str, bool]] = []
    monkeypatch.setattr(client, "KEY_OBSERVERS", [lambda key, cached: asked.append((key, cached))])
    result = extract_path(SEED / doc, backend="hybrid", settings=settings)
    misses = {key for key, cached in asked if not cached} - unusable_keys()
    assert result.usage.llm_calls == 0 and not misses, (
        f"{len(misses)} LLM call(s) not in the recordings (re-record: extractor llm record)"
    )
    assert result.usage.replayed_calls == sum(1 for _k, cached in asked if cached)
