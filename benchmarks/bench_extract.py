"""Extraction throughput of the rules backend on the seed documents: documents/s, characters/s and
peak memory (tracemalloc for Python allocations, ru_maxrss for the process).

    .venv/bin/python benchmarks/bench_extract.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

from extractor.ingest import ingest_path
from extractor.pipeline import extract_document
from extractor.settings import Settings

SEEDS = Path(__file__).resolve().parent.parent / "eval" / "datasets" / "seeds" / "docs"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings(backend="rules")
    paths = sorted(SEEDS.glob("*.txt"))
    docs = [ingest_path(p) for p in paths]
    chars = sum(d.chars for d in docs)
    extract_document(docs[0], settings=settings)  # warm imports
    runs: list[float] = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        for p in paths:
            extract_document(ingest_path(p), settings=settings)
        runs.append(time.perf_counter() - t)
    tracemalloc.start()  # a separate pass: tracing slows Python down several times
    for p in paths:
        extract_document(ingest_path(p), settings=settings)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best, median = min(runs), statistics.median(runs)
    print(f"documents: {len(paths)}, characters: {chars}")
    print(
        f"all seeds (ingest + extract + score), median of {args.repeat}: {median:.3f} s (best {best:.3f} s)"
    )
    print(f"throughput: {len(paths) / median:.1f} documents/s, {chars / median:,.0f} characters/s")
    print(
        f"peak Python allocations: {peak / 2**20:.1f} MiB; process max RSS: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
