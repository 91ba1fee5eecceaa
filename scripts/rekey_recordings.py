"""Re-key the committed recordings (eval/recordings/*.json) to the current cache key, from their own
content: no call is made and no answer is changed.

An entry's request digest (`request`; for entries written before it was stored, the old key, which
was the same sha256 of model, mode, messages and schema) stays; the key is recomputed from it with
the endpoint identity, the model and the prompt version. The recordings are runs of the embedded
model, so their endpoint is the embedded one.

Entries that record an error are not answers and are never replayed: they are removed, and their
request digests are listed in `unusable.txt` beside the recordings (with labels and errors), so that
the replay test knows which questions the recorded model could not answer and whoever re-records
knows where to look.

    .venv/bin/python scripts/rekey_recordings.py [DIR]     # default eval/recordings
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extractor.llm.cache import CacheEntry, ResponseCache, key_of_request
from extractor.llm.client import endpoint_id
from extractor.llm.prompts import PROMPT_VERSION
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def rekey(directory: Path) -> tuple[int, int, list[str]]:
    embedded = endpoint_id(Settings(llm_base_url=None))
    cache = ResponseCache(directory)
    moved = kept = 0
    dropped: list[str] = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("error") is not None:
            request = str(data.get("request") or data["key"])
            dropped.append(f"{request} {data.get('label', '')}: {data['error']}")
            path.unlink()
            continue
        entry = CacheEntry.from_json(data)
        entry.request = entry.request or entry.key  # the old key was the request digest
        new_key = key_of_request(
            endpoint=embedded, model=entry.model, prompt_version=PROMPT_VERSION, request=entry.request
        )
        if new_key == entry.key and data.get("request"):
            kept += 1
            continue
        entry.key = new_key
        cache.put(entry)
        if path.stem != new_key:
            path.unlink()
        moved += 1
    return moved, kept, dropped


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "eval" / "recordings"
    moved, kept, dropped = rekey(directory)
    if dropped:
        listing = directory / "unusable.txt"
        old = listing.read_text(encoding="utf-8").splitlines() if listing.exists() else []
        lines = sorted(set(old) | set(dropped))
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{moved} re-keyed, {kept} already current, {len(dropped)} error entries removed")
    for line in dropped:
        print(f"  removed {line}")


if __name__ == "__main__":
    main()
