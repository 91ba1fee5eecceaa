"""The response cache: one small JSON file per call, named by the sha256 of (model, mode, messages,
schema). Re-running a document asks the cache first and makes no call on a hit.

Lookups read the writable cache directory first and then any read-only directories, such as the
committed recordings (same file format; `Settings.llm_recordings_dir`, `eval/recordings/` of a checkout),
which let CI replay real model runs with no model installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def cache_key(*, model: str, mode: str, messages: list[dict[str, Any]], schema: dict[str, Any]) -> str:
    payload = json.dumps(
        {"model": model, "mode": mode, "messages": messages, "schema": schema},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class CacheEntry:
    key: str
    model: str
    raw: str  # the reply's JSON text, as the model produced it
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    label: str = ""  # what was asked, for people reading the recordings (e.g. "004/表3 chunk 1")
    error: str | None = None  # the model answered, but never usably (replayed as the same error)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "model": self.model,
            "label": self.label,
            "raw": self.raw,
            "usage": {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens},
            "seconds": round(self.seconds, 3),
        }
        if self.error is not None:
            out["error"] = self.error
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CacheEntry:
        usage = data.get("usage") or {}
        return cls(
            key=str(data["key"]),
            model=str(data.get("model", "")),
            raw=str(data["raw"]),
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            seconds=float(data.get("seconds", 0.0)),
            label=str(data.get("label", "")),
            error=None if data.get("error") is None else str(data["error"]),
        )


class ResponseCache:
    def __init__(self, directory: Path, *, read_only: list[Path] | None = None) -> None:
        self.directory = directory
        self.read_only = [p for p in (read_only or []) if p != directory]

    def _path(self, directory: Path, key: str) -> Path:
        return directory / f"{key}.json"

    def get(self, key: str) -> CacheEntry | None:
        for directory in [self.directory, *self.read_only]:
            path = self._path(directory, key)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and data.get("key") == key and "raw" in data:
                return CacheEntry.from_json(data)
        return None

    def put(self, entry: CacheEntry) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(self.directory, entry.key)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry.to_json(), fh, ensure_ascii=False, indent=1)
                fh.write("\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path
