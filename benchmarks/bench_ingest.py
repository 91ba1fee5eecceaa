"""Ingestion throughput through the jobs path on PostgreSQL: N seed variants (each seed with one added line,
so N distinct sha256s) queued with `extractor ingest --enqueue`, run by W `extractor worker --exit-when-empty`
processes; documents/s and seconds per document, for each N and W.

    .venv/bin/python benchmarks/bench_ingest.py --db postgresql://... [--docs 100 --docs 1000] [--workers 1 --workers 2]

Without --db a throwaway cluster is started (tests/pg_server.py). Each (N, W) run gets a fresh database.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "eval" / "datasets" / "seeds" / "docs"
EXTRACTOR = str(Path(sys.executable).with_name("extractor"))
sys.path.insert(0, str(ROOT / "tests"))


def variants(n: int, out: Path) -> list[Path]:
    seeds = sorted(SEEDS.glob("*.txt"))
    texts = [s.read_text(encoding="utf-8") for s in seeds]
    files = []
    for i in range(n):
        f = out / f"{seeds[i % len(seeds)].stem}-v{i:05d}.txt"
        f.write_text(texts[i % len(seeds)] + f"\n附注：变体 {i}\n", encoding="utf-8")
        files.append(f)
    return files


@contextmanager
def server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    from pg_server import running_server

    with running_server() as admin:
        yield admin


def run(admin: str, n: int, workers: int, work: Path) -> tuple[float, int]:
    from pg_server import Databases

    dbs = Databases(admin)
    url = dbs.make()
    try:
        docs = work / f"docs-{n}"
        if not docs.exists():
            docs.mkdir()
            variants(n, docs)
        env = {**os.environ, "EXTRACTOR_DATA_DIR": str(work / "var"), "EXTRACTOR_LLM_OFFLINE": "1"}
        subprocess.run(
            [EXTRACTOR, "ingest", "--enqueue", "--backend", "rules", "--db", url, str(docs)],
            check=True,
            env=env,
        )
        started = time.perf_counter()
        procs = [
            subprocess.Popen([EXTRACTOR, "worker", "--exit-when-empty", "--db", url], env=env)
            for _ in range(workers)
        ]
        if any(p.wait() != 0 for p in procs):
            raise SystemExit("a worker failed")
        elapsed = time.perf_counter() - started
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as conn:
            stored = int(conn.execute(text("select count(*) from documents")).scalar_one())
        engine.dispose()
        return elapsed, stored
    finally:
        dbs.drop(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None, help="an admin URL of a PostgreSQL server (creates databases)")
    parser.add_argument("--docs", type=int, action="append")
    parser.add_argument("--workers", type=int, action="append")
    args = parser.parse_args()
    sizes = args.docs or [100, 1000]
    counts = args.workers or [1, 2]
    per_doc: dict[tuple[int, int], float] = {}
    with server(args.db) as admin, tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        for n in sizes:
            for w in counts:
                elapsed, stored = run(admin, n, w, Path(tmp))
                per_doc[(n, w)] = elapsed / n
                print(
                    f"{n:5d} documents, {w} worker(s): {elapsed:7.1f} s, {n / elapsed:6.2f} documents/s, "
                    f"{1000 * elapsed / n:6.0f} ms/document, {stored} stored",
                    flush=True,
                )
    small, large = min(sizes), max(sizes)
    if small != large:
        for w in counts:
            ratio = per_doc[(large, w)] / per_doc[(small, w)]
            print(
                f"{w} worker(s): time per document at {large} is {100 * (ratio - 1):+.1f} % of its time at {small}"
            )


if __name__ == "__main__":
    main()
