"""Seconds per document of the hybrid backend over corpus-dev with a cold cache (no recordings, an
empty cache directory), on the embedded model unless `--base-url` names another endpoint: p50, p95
and max, with LLM requests, tokens, failures and skipped questions per document.

    .venv/bin/python benchmarks/bench_hybrid.py [--corpus ../shared/corpus-dev] [--limit N] [--json out.json]

The embedded server's start-up is counted in the document that starts it (as a user would see it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from extractor.ingest import ingest_path
from extractor.ingest.readers import READABLE
from extractor.llm.client import llm_session
from extractor.pipeline import extract_document
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[rank]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-dev")
    parser.add_argument("--base-url", default=None, help="an OpenAI-compatible endpoint (default: embedded)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    paths = sorted(p for p in args.corpus.iterdir() if p.suffix.lower() in READABLE and p.stem != "README")
    if args.limit:
        paths = paths[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=ROOT / "var",  # where the embedded model is installed
            llm_base_url=args.base_url,
            llm_cache_dir=Path(tmp) / "cache",  # cold
            llm_recordings_dir=None,
        )
        rows: list[dict[str, Any]] = []
        with llm_session(settings):
            for p in paths:
                t = time.perf_counter()
                result = extract_document(ingest_path(p), backend="hybrid", settings=settings)
                seconds = time.perf_counter() - t
                u = result.usage
                rows.append(
                    {
                        "document": p.name,
                        "seconds": round(seconds, 2),
                        "backend": result.backend,
                        "requests": u.llm_calls,
                        "tokens": u.prompt_tokens + u.completion_tokens,
                        "failed_calls": u.failed_calls,
                        "failed_seconds": round(u.failed_seconds, 2),
                        "skipped": len(u.skipped),
                        "questions": {k: v for k, v in u.reasons.items() if k.startswith("segments:")},
                    }
                )
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    times = [r["seconds"] for r in rows]
    summary = {
        "documents": len(rows),
        "p50_s": round(statistics.median(times), 2) if times else 0.0,
        "p95_s": round(percentile(times, 0.95), 2),
        "max_s": round(max(times, default=0.0), 2),
        "requests_per_doc": round(sum(r["requests"] for r in rows) / max(1, len(rows)), 2),
        "tokens_per_doc": round(sum(r["tokens"] for r in rows) / max(1, len(rows)), 1),
        "docs_fell_back_to_rules": sum(1 for r in rows if r["backend"] == "rules"),
        "failed_calls": sum(r["failed_calls"] for r in rows),
        "skipped_questions": sum(r["skipped"] for r in rows),
    }
    print(json.dumps(summary, ensure_ascii=False))
    if args.json:
        args.json.write_text(
            json.dumps({"summary": summary, "documents": rows}, indent=1, ensure_ascii=False)
        )


if __name__ == "__main__":
    main()
