"""The response cache: one small JSON file per call, named by its key, the sha256 of (endpoint, model,
prompt version, request), where the request digest is the sha256 of (model, mode, messages, schema).
Re-running a document asks the cache first and makes no call on a hit.

Only usable replies are stored: a call that ended in an error (a timeout, an HTTP fault, a reply that
never fitted the schema) is not cached, and a stored entry that carries an error (written by older
versions) is never replayed: the next run asks the endpoint again.

Lookups read the writable cache directory first and then any read-only directories, such as the
committed recordings (same file format; `Settings.llm_recordings_dir`, `eval/recordings/` of a checkout),
which let CI replay real model runs with no model installed. Each entry keeps its request digest, so
the recordings can be re-keyed from their own content when the key's other parts change
(`scripts/rekey_recordings.py`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.files import write_atomically


def _digest(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def request_digest(*, model: str, mode: str, messages: list[dict[str, Any]], schema: dict[str, Any]) -> str:
    """What was asked: the model, the mode, the messages and the reply's schema."""
    return _digest({"model": model, "mode": mode, "messages": messages, "schema": schema})


def key_of_request(*, endpoint: str, model: str, prompt_version: int, request: str) -> str:
    return _digest(
        {"endpoint": endpoint, "model": model, "prompt_version": prompt_version, "request": request}
    )


def cache_key(
    *,
    endpoint: str,
    model: str,
    prompt_version: int,
    mode: str,
    messages: list[dict[str, Any]],
    schema: dict[str, Any],
) -> str:
    """The cache key: endpoint identity + model + prompt version + messages + schema (and mode)."""
    request = request_digest(model=model, mode=mode, messages=messages, schema=schema)
    return key_of_request(endpoint=endpoint, model=model, prompt_version=prompt_version, request=request)


@dataclass
class CacheEntry:
    key: str
    model: str
    raw: str  # the reply's JSON text, as the model produced it
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    label: str = ""  # what was asked, for people reading the recordings (e.g. "004/表3 chunk 1")
    request: str = ""  # the request digest (`request_digest`), so the entry can be re-keyed

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "request": self.request,
            "model": self.model,
            "label": self.label,
            "raw": self.raw,
            "usage": {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens},
            "seconds": round(self.seconds, 3),
        }
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
            request=str(data.get("request", "")),
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
            if not isinstance(data, dict) or data.get("key") != key or "raw" not in data:
                continue
            if data.get("error") is not None:  # an error is never replayed
                continue
            return CacheEntry.from_json(data)
        return None

    def put(self, entry: CacheEntry) -> Path:
        path = self._path(self.directory, entry.key)
        return write_atomically(path, json.dumps(entry.to_json(), ensure_ascii=False, indent=1) + "\n")
